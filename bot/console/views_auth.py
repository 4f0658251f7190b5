"""Log-in, log-out and the adviser's language choice."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import update

from bot import locale
from bot.config import LANGUAGES
from bot.console import login_csrf
from bot.console.accounts import close_session, log_in, open_session
from bot.console.guard import (
    LANGUAGE_COOKIE, SESSION_COOKIE, base_context, db, error_response, form_data, guarded, load_principal,
    page_language, principal, public, see_other, set_cookie, settings_of, unit_of_work,
)
from bot.web.keys import JINJA_KEY
from bot.handoff.models import Adviser
from bot.web.limits import client_address


def safe_next(target: object) -> str:
    """A local console path to go to after log-in; anything else goes to the queue."""
    if isinstance(target, str) and target.startswith("/console") and not target.startswith("//") \
            and "\\" not in target and len(target) < 2000:
        return target
    return "/console/"


def _login_page(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    """The log-in form with a fresh CSRF pair (bot/console/login_csrf.py) and `error` above it."""
    nonce, token = login_csrf.issue(request)
    context = base_context(
        request, login_csrf=token, error=error, next=safe_next(request.query.get("next")),
        username=request.get("login_username", ""),
    )
    response = aiohttp_jinja2.render_template("login.html", request, context, app_key=JINJA_KEY, status=status)
    login_csrf.set_cookie(response, request, nonce)
    if request.query.get("lang") in LANGUAGES:
        set_cookie(response, request, LANGUAGE_COOKIE, request.query["lang"], max_age=365 * 24 * 3600)
    return response


def wait_text(language: str, seconds: int) -> str:
    """The "too many attempts, try again in N minutes" text in `language` (N rounded up)."""
    minutes = max(1, -(-seconds // 60))
    return locale.plural(language, "console.login_wait", minutes)  # _one says "in a minute"


@public
async def login_form(request: web.Request) -> web.StreamResponse:
    """GET /console/login."""
    if await load_principal(request) is not None:
        raise web.HTTPFound(safe_next(request.query.get("next")))
    return _login_page(request)


@public
async def login_submit(request: web.Request) -> web.StreamResponse:
    """POST /console/login: the form's CSRF pair, the throttles (before any hashing), then the password."""
    form = await form_data(request)
    if not login_csrf.check(request, form.get("csrf_token")):
        return error_response(request, 403, "csrf_failed")
    username, password = str(form.get("username", ""))[:200], str(form.get("password", ""))[:1024]
    settings = settings_of(request)
    address = client_address(request, settings.trust_forwarded_for)
    outcome = await log_in(db(request), address, username, password, settings)
    if outcome.adviser is None:
        request["login_username"] = username
        if outcome.retry_after:
            page = _login_page(request, wait_text(page_language(request), outcome.retry_after), status=429)
            page.headers["Retry-After"] = str(outcome.retry_after)
            return page
        return _login_page(request, locale.text(page_language(request), "console.login_failed"), status=401)
    async with unit_of_work(request) as session:
        token, _ = await open_session(session, outcome.adviser, settings)
    response = see_other(safe_next(form.get("next")))
    set_cookie(response, request, SESSION_COOKIE, token, max_age=settings.console_session_hours * 3600)
    login_csrf.clear_cookie(response, request)
    return response


@guarded()
async def logout(request: web.Request) -> web.StreamResponse:
    """POST /console/logout: end this session."""
    async with unit_of_work(request) as session:
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
    async with unit_of_work(request) as session:
        await session.execute(update(Adviser).where(Adviser.id == principal(request).adviser_id).values(language=language))
    return see_other(safe_next(form.get("next")))
