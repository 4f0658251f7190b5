"""Every console route refuses anonymous users and the wrong role; CSRF (log-in too); cookies; headers; XSS."""
from __future__ import annotations

import asyncio
import re
import time
from typing import Dict, List, Tuple

import aiohttp
import pytest
from sqlalchemy import select

from bot.console.guard import SESSION_COOKIE
from bot.console.login_csrf import LOGIN_CSRF_COOKIE, LOGIN_CSRF_HOST_COOKIE, make_pair, pair_ok
from bot.handoff import enqueue, save_rating
from bot.handoff.models import CLAIMED, WAITING, Adviser, HandoffRequest
from bot.web.app import create_public_app
from bot.db import session_scope
from tests.console.support import PASSWORD, make_adviser
from tests.handoff.support import RunningApp, app_settings

PUBLIC = {("GET", "/console/login"), ("POST", "/console/login")}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def console_routes() -> List[Tuple[str, str, dict]]:
    """(method, path pattern, guard) of every console route of the real app."""
    app = create_public_app(app_settings("sqlite+aiosqlite:///unused.db", "http://127.0.0.1:9"))
    routes = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or ""
        if not path.startswith("/console") or route.method == "HEAD":
            continue
        guard = getattr(route.handler, "console_guard", None)
        routes.append((route.method, path, guard))
    return routes


ROUTES = console_routes()
GUARDED = [(m, p) for m, p, g in ROUTES if (m, p) not in PUBLIC]
ADMIN = [(m, p) for m, p, g in ROUTES if g and g["admin"]]
# Routes that need a role above adviser (the studio: editor or publisher), with that role.
ROLE_ROUTES = [(m, p, g["role"]) for m, p, g in ROUTES if g and g.get("role")]
POSTS = [(m, p) for m, p, g in ROUTES if m == "POST" and (m, p) not in PUBLIC]


def test_every_console_route_is_guarded_or_explicitly_public():
    assert len(ROUTES) >= 20
    for method, path, guard in ROUTES:
        assert guard is not None or (method, path) in PUBLIC, f"{method} {path} has no guard"
    assert {p for _, p in ADMIN} == {"/console/admin/advisers", "/console/admin/advisers/{adviser_id}",
                                     "/console/admin/advisers/{adviser_id}/password", "/console/admin/privacy",
                                     "/console/admin/privacy/delete", "/console/insights/{page}/{table}.csv",
                                     "/console/admin/audit"}


async def _fixture_ids(factory, settings) -> dict:
    adviser_id = await make_adviser(factory, "target")
    async with session_scope(factory) as session:
        await enqueue(session, "c" * 32, "fi", ["funding"], "requested", settings=settings)
        request_id = await session.scalar(select(HandoffRequest.id))
    return {"conversation_id": "c" * 32, "request_id": str(request_id), "adviser_id": str(adviser_id),
            "page": "handoff", "table": "ratings", "name": "utter_start_business", "run_id": "1"}


def _fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


async def test_anonymous_users_are_sent_to_log_in_or_refused(app, clients, factory):
    ids = await _fixture_ids(factory, app.settings)
    anonymous = clients()
    for method, path in GUARDED:
        url = _fill(path, ids)
        if method == "GET":
            response, _ = await anonymous.get(url)
            if url.startswith("/console/api/"):
                assert response.status == 401, url
            else:
                assert response.status == 302, url
                assert response.headers["Location"].startswith("/console/login?next="), url
        else:
            response, _ = await anonymous.post(url, {"text": "x"}, csrf="anything")
            assert response.status == 401, url
    async with session_scope(factory) as session:
        assert (await session.scalar(select(HandoffRequest.status))) == WAITING


async def test_advisers_get_403_on_admin_routes(app, clients, factory):
    ids = await _fixture_ids(factory, app.settings)
    await make_adviser(factory, "anna")
    adviser = clients()
    assert (await adviser.login("anna")).status == 303
    for method, path in ADMIN:
        url = _fill(path, ids)
        if method == "GET":
            response, body = await adviser.get(url)
        else:
            response, body = await adviser.post(url, {"username": "mallory", "password": PASSWORD * 2,
                                                      "role": "admin", "language": "en", "active": "1"})
        assert response.status == 403, url
        assert "not allowed" in body
    async with session_scope(factory) as session:
        assert await session.scalar(select(Adviser.id).where(Adviser.username == "mallory")) is None
        assert (await session.get(Adviser, int(ids["adviser_id"]))).role == "adviser"


async def test_roles_below_the_route_s_get_403(app, clients, factory):
    """Roles are cumulative (adviser < editor < publisher < admin): each role-guarded route refuses the roles below."""
    from bot.handoff.models import ROLES

    ids = await _fixture_ids(factory, app.settings)
    logged_in = {}
    for role in ROLES[:-1]:
        await make_adviser(factory, f"as-{role}", role=role)
        logged_in[role] = clients()
        assert (await logged_in[role].login(f"as-{role}")).status == 303
    for method, path, needed in ROLE_ROUTES:
        url = _fill(path, ids)
        for role in ROLES[:ROLES.index(needed)]:
            client = logged_in[role]
            response, body = await (client.get(url) if method == "GET" else client.post(url, {"text": "x"}))
            assert response.status == 403, (role, url)


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
async def test_every_form_needs_the_csrf_token(app, clients, factory, token):
    ids = await _fixture_ids(factory, app.settings)
    await make_adviser(factory, "root", role="admin")
    admin = clients()
    await admin.login("root")
    for method, path in POSTS:
        url = _fill(path, ids)
        response, _ = await admin.post(url, {"text": "x", "tag": "t", "language": "sv", "value": "1",
                                             "role": "admin", "language_": "en"}, csrf=token)
        assert response.status == 403, url
    async with session_scope(factory) as session:
        assert (await session.scalar(select(HandoffRequest.status))) == WAITING
    # The session survived every refused form (no log-out without the token).
    response, _ = await admin.get("/console/")
    assert response.status == 200
    # The header works as well as the form field (used by console.js).
    response, _ = await admin.post(f"/console/queue/{ids['request_id']}/claim", csrf=None,
                                   headers={"X-CSRF-Token": admin.csrf})
    assert response.status == 303
    async with session_scope(factory) as session:
        assert (await session.scalar(select(HandoffRequest.status))) == CLAIMED


async def _login_with(client, cookie: Dict[str, str], token: str) -> int:
    """POST the log-in form of anna with exactly this CSRF cookie and field; the status."""
    client.http.cookie_jar.clear()
    client.http.cookie_jar.update_cookies(cookie)
    response, _ = await client.post("/console/login", {"username": "anna", "password": PASSWORD}, csrf=token)
    return response.status


async def test_login_csrf_refuses_forged_and_foreign_tokens(app, clients, factory):
    await make_adviser(factory, "anna")
    client, other = clients(), clients()
    response, _ = await client.post("/console/login", {"username": "anna", "password": PASSWORD}, csrf="forged")
    assert response.status == 403
    # Made-up cookie and field that match each other (enough before: the token was the cookie).
    made_up = "x" * 43
    assert await _login_with(client, {LOGIN_CSRF_COOKIE: made_up}, made_up) == 403
    assert await _login_with(client, {LOGIN_CSRF_COOKIE: made_up}, f"{int(time.time())}.{'0' * 64}") == 403
    # A real token of another browser's log-in page, with this browser's own cookie.
    foreign = await other.login_form_token()
    await client.login_form_token()
    response, _ = await client.post("/console/login", {"username": "anna", "password": PASSWORD}, csrf=foreign)
    assert response.status == 403
    assert SESSION_COOKIE not in {c.key for c in client.http.cookie_jar}
    assert (await client.login("anna")).status == 303  # its own pair works


def test_login_csrf_pair_is_signed_and_expires():
    nonce, token = make_pair("server key", now=1_000_000)
    assert pair_ok("server key", nonce, token, now=1_000_000 + 3599)
    assert not pair_ok("server key", nonce, token, now=1_000_000 + 3601)  # an hour old
    assert not pair_ok("another key", nonce, token, now=1_000_000)
    assert not pair_ok("server key", nonce + "x", token, now=1_000_000)
    issued, signature = token.split(".")
    assert not pair_ok("server key", nonce, f"{int(issued) + 1}.{signature}", now=1_000_000)
    assert not pair_ok("server key", "", token, now=1_000_000) and not pair_ok("server key", nonce, None)


async def _login_behind_tls(base: str) -> "aiohttp.ClientResponse":
    """Log in as if through a TLS proxy; the jar keeps no Secure cookie on http, so send it by hand."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        headers = {"X-Forwarded-Proto": "https"}
        async with http.get(base + "/console/login", headers=headers) as response:
            assert LOGIN_CSRF_COOKIE not in response.cookies
            login_csrf = response.cookies[LOGIN_CSRF_HOST_COOKIE]
            assert login_csrf["secure"] is True and login_csrf["httponly"] is True
            assert login_csrf["path"] == "/" and not login_csrf["domain"] and login_csrf["samesite"] == "Strict"
            token = re.search(r'name="csrf_token" value="([^"]+)"', await response.text()).group(1)
        form = {"csrf_token": token, "username": "anna", "password": PASSWORD}
        # The same pair in a cookie without the __Host- prefix (one a sibling site could plant) is refused.
        async with http.post(base + "/console/login", allow_redirects=False, data=form,
                             headers={**headers, "Cookie": f"{LOGIN_CSRF_COOKIE}={login_csrf.value}"}) as response:
            assert response.status == 403
        async with http.post(base + "/console/login", allow_redirects=False, data=form,
                             headers={**headers, "Cookie": f"{LOGIN_CSRF_HOST_COOKIE}={login_csrf.value}"}) as response:
            assert response.status == 303
            assert response.cookies[LOGIN_CSRF_HOST_COOKIE]["max-age"] == "0"  # dropped with its attributes
            assert response.cookies[LOGIN_CSRF_HOST_COOKIE]["secure"] is True
            return response


async def test_cookie_flags(app, clients, factory, db_url, rasa):
    await make_adviser(factory, "anna")
    response = await clients().login("anna")
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"] is True and cookie["samesite"] == "Strict" and cookie["path"] == "/console"
    assert not cookie["secure"]  # plain http on loopback (CONSOLE_COOKIE_SECURE=auto)
    cookie = (await _login_behind_tls(app.url)).cookies[SESSION_COOKIE]
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Strict"
    async with RunningApp(app_settings(db_url, rasa.url, CONSOLE_COOKIE_SECURE="true")) as forced:
        async with aiohttp.ClientSession() as http, http.get(forced.url + "/console/login") as response:
            assert response.cookies[LOGIN_CSRF_HOST_COOKIE]["secure"] is True


async def test_security_headers_on_console_pages(app, clients):
    response, _ = await clients().get("/console/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


async def test_xss_text_stays_text_in_every_page(app, clients, factory, rasa):
    cid = "d" * 32
    rasa.user_says(cid, XSS, intent="request_human")
    rasa.append(cid, {"event": "bot", "text": XSS, "metadata": {"adviser": XSS}})
    async with session_scope(factory) as session:
        await enqueue(session, cid, "fi", ["request_human"], "requested", settings=app.settings)
        await save_rating(session, cid, 2)
    await make_adviser(factory, "evil", display_name=XSS)
    await make_adviser(factory, "root", role="admin")
    client = clients()
    await client.login("root")
    await client.post(f"/console/conversations/{cid}/tags", {"tag": XSS[:60]})
    await client.post(f"/console/conversations/{cid}/notes", {"text": XSS})
    for path in (f"/console/conversations/{cid}", "/console/review", "/console/", "/console/admin/advisers",
                 f"/console/review?q={XSS}"):
        response, body = await client.get(path)
        assert response.status == 200, path
        assert "<script>alert" not in body and "<img src=x" not in body, path
    _, body = await client.get(f"/console/conversations/{cid}")
    assert body.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 3  # user, bot, note
    # JSON for console.js: the text is data, rendered with textContent.
    response, body = await client.get(f"/console/api/conversations/{cid}/events?after=0")
    assert response.content_type == "application/json" and XSS.replace('"', '\\"') in body


async def test_log_out_ends_the_session_for_good(app, clients, factory):
    await make_adviser(factory, "anna")
    client = clients()
    await client.login("anna")
    stolen = client.http.cookie_jar.filter_cookies(app.url + "/console/")[SESSION_COOKIE].value
    response, _ = await client.post("/console/logout")
    assert response.status == 303 and "logged_out" in response.headers["Location"]
    replay = clients()
    replay.http.cookie_jar.update_cookies({SESSION_COOKIE: stolen})
    response, _ = await replay.get("/console/api/queue")
    assert response.status == 401


async def test_unknown_users_take_as_long_as_known_ones(app, clients, factory):
    await make_adviser(factory, "anna")
    client = clients()
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await client.login("nobody", "some password!!")).status == 401
    unknown = loop.time() - started
    started = loop.time()
    assert (await client.login("anna", "wrong password!!")).status == 401
    known = loop.time() - started
    assert unknown > known / 3  # both verify an Argon2 hash
