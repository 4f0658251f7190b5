"""Who may call a console route: session cookie, role, CSRF token, security headers."""
from __future__ import annotations

import functools
import hmac
from datetime import datetime, timezone
from typing import Any, AsyncContextManager, Awaitable, Callable, Dict, Optional
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot import locale
from bot.config import LANGUAGES, Settings
from bot.console.accounts import Principal, principal_for
from bot.console.audit import Actor
from bot.db import session_scope
from bot.formatting import format_date, local
from bot.rasa.client import RasaClient
from bot.web.keys import DB_KEY, HTTP_KEY, LIVE_BUS_KEY, SETTINGS_KEY

PRINCIPAL = "console_principal"
SESSION_COOKIE = "console_session"
LANGUAGE_COOKIE = "console_language"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def settings_of(request: web.Request) -> Settings:
    return request.app[SETTINGS_KEY]


def db(request: web.Request) -> "sessionmaker[AsyncSession]":
    """The app's session factory, for functions that open their own units of work."""
    return request.app[DB_KEY]


def unit_of_work(request: web.Request) -> AsyncContextManager[AsyncSession]:
    """One session for one unit of work on the app's database (bot.db.session_scope)."""
    return session_scope(request.app[DB_KEY])


def rasa(request: web.Request) -> RasaClient:
    """The client for Rasa's HTTP API, on the app's HTTP session; what it writes to a tracker wakes the
    live pushes of every instance (bot/handoff/live_bus.py)."""
    bus = request.app.get(LIVE_BUS_KEY)
    return RasaClient(request.app[HTTP_KEY], settings_of(request), bus.publish if bus is not None else None)


def principal(request: web.Request) -> Principal:
    """The adviser of a guarded request."""
    return request[PRINCIPAL]


def actor(request: web.Request) -> Actor:
    """The adviser of a guarded request as the actor of the audit log."""
    found = principal(request)
    return Actor(found.adviser_id, found.username)


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/console/api/") or "application/json" in request.headers.get("Accept", "")


def secure_cookies(request: web.Request) -> bool:
    """Whether cookies get the Secure flag (CONSOLE_COOKIE_SECURE: auto = when the request is HTTPS)."""
    mode = settings_of(request).console_cookie_secure
    if mode == "auto":
        return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
    return mode == "true"


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: Optional[int]) -> None:
    """A console cookie: HttpOnly, SameSite=Strict, path /console, Secure on HTTPS."""
    response.set_cookie(
        name, value, max_age=max_age, path="/console", httponly=True, samesite="Strict",
        secure=secure_cookies(request),
    )


def page_language(request: web.Request) -> str:
    """The console language: the adviser's choice, else the cookie, ?lang= or the browser's."""
    found = request.get(PRINCIPAL)
    if found is not None and found.language in LANGUAGES:
        return found.language
    for candidate in (request.query.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    preferred = request.headers.get("Accept-Language", "")[:2].lower()
    return preferred if preferred in LANGUAGES else settings_of(request).default_language


def format_time(moment: Optional[datetime], language: str) -> str:
    """A moment in Finnish time: fi/sv '27.11.2026 14.05', en '27 Nov 2026 14:05'."""
    if moment is None:
        return ""
    at = local(moment)
    clock = at.strftime("%H:%M") if language == "en" else f"{at.hour}.{at.minute:02d}"
    return f"{format_date(at.date(), language)} {clock}"


def error_response(request: web.Request, status: int, key: str) -> web.Response:
    """A refusal as JSON for the API and as a short text page elsewhere."""
    message = locale.text(page_language(request), f"console.{key}")
    if wants_json(request):
        return web.json_response({"error": key, "message": message}, status=status)
    return web.Response(status=status, text=message, content_type="text/plain", charset="utf-8")


async def load_principal(request: web.Request) -> Optional[Principal]:
    """The adviser of the request's session cookie (cached on the request)."""
    if PRINCIPAL in request:
        return request[PRINCIPAL]
    token = request.cookies.get(SESSION_COOKIE, "")
    found = None
    if token:
        async with unit_of_work(request) as session:
            found = await principal_for(session, token, settings_of(request))
    request[PRINCIPAL] = found
    return found


async def form_data(request: web.Request) -> Dict[str, Any]:
    """The posted form (cached by aiohttp), {} for other bodies."""
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return dict(await request.post())
    return {}


def csrf_ok(expected: str, given: Any) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def guarded(*, admin: bool = False, role: Optional[str] = None) -> Callable[[Handler], Handler]:
    """Only a logged-in adviser (an admin with admin=True, at least `role` with role=); unsafe methods
    need the CSRF token."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            found = await load_principal(request)
            if found is None:
                if request.method == "GET" and not wants_json(request):
                    raise web.HTTPFound(f"/console/login?next={quote(request.path_qs, safe='')}")
                return error_response(request, 401, "session_expired")
            if (admin and not found.is_admin) or (role is not None and not found.has_role(role)):
                return error_response(request, 403, "forbidden")
            if request.method not in SAFE_METHODS:
                given = request.headers.get(CSRF_HEADER) or (await form_data(request)).get(CSRF_FIELD)
                if not csrf_ok(found.csrf_token, given):
                    return error_response(request, 403, "csrf_failed")
            return await handler(request)

        wrapper.console_guard = {"admin": admin, "role": role}  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public(handler: Handler) -> Handler:
    """Marks a console route that anonymous users may call (the log-in page)."""
    handler.console_public = True  # type: ignore[attr-defined]
    return handler


def base_context(request: web.Request, **values: Any) -> Dict[str, Any]:
    """What every console template gets: texts, language, the adviser and the CSRF token."""
    language = page_language(request)
    found = request.get(PRINCIPAL)
    message_key = request.query.get("msg", "")
    csrf = found.csrf_token if found else ""
    texts = locale.texts(language, "console")
    js_config = {"page": values.get("page", ""), "csrf": csrf, "lang": language, "texts": texts}
    js_config.update(values.pop("js", {}))
    return {
        "t": texts, "lang": language, "language_names": locale.language_names(), "me": found, "csrf": csrf,
        "js_config": js_config,
        "flash": texts.get(message_key, "") if message_key.isidentifier() else "",
        "fmt_time": lambda moment: format_time(moment, language), "request_path": request.path_qs,
        "fmt_ts": lambda stamp: format_stamp(stamp, language),
        # {{ plural('results', total) }}: console.results_one or _other with {count} filled.
        "plural": lambda key, count, **more: locale.plural(language, f"console.{key}", count, **more),
        **values,
    }


def format_stamp(stamp: Any, language: str) -> str:
    """A tracker event's UNIX timestamp as a Finnish-time clock reading."""
    if not isinstance(stamp, (int, float)):
        return ""
    at = local(datetime.fromtimestamp(stamp, timezone.utc))
    return at.strftime("%H:%M:%S") if language == "en" else f"{at.hour}.{at.minute:02d}.{at.second:02d}"


def see_other(location: str) -> web.Response:
    """A 303 redirect that can still carry cookies."""
    return web.Response(status=303, headers={"Location": location})
