"""Log-in, log-out and the adviser's language choice."""
from __future__ import annotations

import secrets

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import update

from bot.config import LANGUAGES
from bot.console.accounts import authenticate, close_session, open_session
from bot.console.guard import (
    JINJA_KEY, LANGUAGE_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, base_context, csrf_ok, db, error_response,
    form_data, guarded, load_principal, page_language, principal, public, see_other, set_cookie, settings_of,
)
from bot.handoff.models import Adviser


def safe_next(target: object) -> str:
    """A local console path to go to after log-in; anything else goes to the queue."""
    if isinstance(target, str) and target.startswith("/console") and not target.startswith("//") \
            and "\\" not in target and len(target) < 2000:
        return target
    return "/console/"


def _login_page(request: web.Request, csrf: str, failed: bool, status: int = 200) -> web.Response:
    context = base_context(
        request, login_csrf=csrf, failed=failed, next=safe_next(request.query.get("next")),
        username=request.get("login_username", ""),
    )
    response = aiohttp_jinja2.render_template("login.html", request, context, app_key=JINJA_KEY, status=status)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, csrf, max_age=3600)
    if request.query.get("lang") in LANGUAGES:
        set_cookie(response, request, LANGUAGE_COOKIE, request.query["lang"], max_age=365 * 24 * 3600)
    return response


@public
async def login_form(request: web.Request) -> web.StreamResponse:
    """GET /console/login."""
    if await load_principal(request) is not None:
        raise web.HTTPFound(safe_next(request.query.get("next")))
    return _login_page(request, secrets.token_urlsafe(32), failed=False)


@public
async def login_submit(request: web.Request) -> web.StreamResponse:
    """POST /console/login: check the login form's CSRF token, the password and the lock-out."""
    form = await form_data(request)
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf_token")):
        return error_response(request, 403, "csrf_failed")
    username, password = str(form.get("username", ""))[:200], str(form.get("password", ""))[:1024]
    settings = settings_of(request)
    async with db(request)() as session:
        adviser = await authenticate(session, username, password, settings)
        if adviser is None:
            request["login_username"] = username
            return _login_page(request, secrets.token_urlsafe(32), failed=True, status=401)
        token, _ = await open_session(session, adviser, settings)
    response = see_other(safe_next(form.get("next")))
    set_cookie(response, request, SESSION_COOKIE, token, max_age=settings.console_session_hours * 3600)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@guarded()
async def logout(request: web.Request) -> web.StreamResponse:
    """POST /console/logout: end this session."""
    async with db(request)() as session:
        await close_session(session, principal(request).token_hash)
    response = see_other(f"/console/login?msg=logged_out&lang={page_language(request)}")
    response.del_cookie(SESSION_COOKIE, path="/console")
    return response


@guarded()
async def set_language(request: web.Request) -> web.StreamResponse:
    """POST /console/language: the adviser's console language."""
    form = await form_data(request)
    language = form.get("language")
    if language not in LANGUAGES:
        return error_response(request, 400, "invalid_input")
    async with db(request)() as session:
        await session.execute(update(Adviser).where(Adviser.id == principal(request).adviser_id).values(language=language))
        await session.commit()
    return see_other(safe_next(form.get("next")))
