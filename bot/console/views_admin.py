"""Admin only: adviser accounts (create, role, active, unlock, password)."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import delete, select

from bot.config import LANGUAGES
from bot.console import throttle
from bot.console.accounts import AccountError, account_fields, active_admin_count, create_adviser, set_password
from bot.console import audit
from bot.console.guard import actor, base_context, form_data, guarded, see_other, unit_of_work
from bot.web.keys import JINJA_KEY
from bot.handoff.models import ROLE_ADMIN, ROLES, Adviser, ConsoleSession
from bot.handoff.queue import utcnow


@guarded(admin=True)
async def advisers_page(request: web.Request) -> web.StreamResponse:
    """GET /console/admin/advisers."""
    async with unit_of_work(request) as session:
        advisers = list((await session.scalars(select(Adviser).order_by(Adviser.username))).all())
        delays = await throttle.delayed_accounts(session, throttle.epoch_ms(utcnow()))
    context = base_context(request, page="admin", advisers=advisers, roles=ROLES, languages=LANGUAGES, delays=delays)
    return aiohttp_jinja2.render_template("admin.html", request, context, app_key=JINJA_KEY)


@guarded(admin=True)
async def adviser_create(request: web.Request) -> web.StreamResponse:
    """POST /console/admin/advisers: a new account."""
    form = await form_data(request)
    try:
        async with unit_of_work(request) as session:
            adviser = await create_adviser(
                session, str(form.get("username", "")), str(form.get("display_name", "")),
                str(form.get("password", "")), str(form.get("role", "")), str(form.get("language", "")),
            )
            await audit.record(session, actor(request), "account.create", adviser.username, None, account_fields(adviser))
    except AccountError as error:
        return see_other(f"/console/admin/advisers?msg={error.key}")
    return see_other("/console/admin/advisers?msg=account_created")


def _adviser_id(request: web.Request) -> int:
    try:
        return int(request.match_info["adviser_id"])
    except ValueError as exc:
        raise web.HTTPNotFound() from exc


@guarded(admin=True)
async def adviser_update(request: web.Request) -> web.StreamResponse:
    """POST /console/admin/advisers/{id}: display name, role, language, active, unlock (log-in delays)."""
    form = await form_data(request)
    role, language = form.get("role"), form.get("language")
    active = form.get("active") == "1"
    if role not in ROLES or language not in LANGUAGES:
        return see_other("/console/admin/advisers?msg=invalid_input")
    async with unit_of_work(request) as session:
        adviser = await session.get(Adviser, _adviser_id(request))
        if adviser is None:
            raise web.HTTPNotFound()
        loses_admin = adviser.role == ROLE_ADMIN and adviser.active and (role != ROLE_ADMIN or not active)
        if loses_admin and await active_admin_count(session) <= 1:
            return see_other("/console/admin/advisers?msg=last_admin")
        before = account_fields(adviser)
        adviser.display_name = str(form.get("display_name", "")).strip()[:128] or adviser.username
        adviser.role, adviser.language, adviser.active = role, language, active
        if account_fields(adviser) != before:
            await audit.record(session, actor(request), "account.update", adviser.username, before, account_fields(adviser))
        if not active:
            await session.execute(delete(ConsoleSession).where(ConsoleSession.adviser_id == adviser.id))
        if form.get("unlock") == "1":  # every address may try this account again at once
            await throttle.clear(session, username=adviser.username)
    return see_other("/console/admin/advisers?msg=account_updated")


@guarded(admin=True)
async def adviser_password(request: web.Request) -> web.StreamResponse:
    """POST /console/admin/advisers/{id}/password: a new password (ends the account's sessions)."""
    form = await form_data(request)
    adviser_id = _adviser_id(request)
    try:
        async with unit_of_work(request) as session:
            adviser = await session.get(Adviser, adviser_id)
            if adviser is None:
                raise web.HTTPNotFound()
            await set_password(session, adviser_id, str(form.get("password", "")))
            await audit.record(session, actor(request), "account.password", adviser.username)
    except AccountError as error:
        return see_other(f"/console/admin/advisers?msg={error.key}")
    return see_other("/console/admin/advisers?msg=password_changed")
