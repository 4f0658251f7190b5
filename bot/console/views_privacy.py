"""Admin only: delete one person's data (find, confirm, delete; bot/handoff/privacy.py)."""
from __future__ import annotations

from typing import Any, Optional

import aiohttp_jinja2
from aiohttp import web

from bot.console.guard import base_context, db, form_data, guarded, principal
from bot.web.keys import JINJA_KEY, SECRET_KEY, TRACKER_DB_KEY
from bot.handoff import privacy


def _page(request: web.Request, selector: str = "conversation", value: str = "", *, status: int = 200,
          outcome: Optional[privacy.Outcome] = None, done: bool = False, error: str = "") -> web.Response:
    context = base_context(request, page="privacy", selectors=privacy.SELECTORS, selector=selector, value=value,
                           outcome=outcome, done=done, error=error)
    return aiohttp_jinja2.render_template("privacy.html", request, context, app_key=JINJA_KEY, status=status)


@guarded(admin=True)
async def privacy_page(request: web.Request) -> web.StreamResponse:
    """GET /console/admin/privacy: the search form."""
    return _page(request)


async def _erase(request: web.Request, dry_run: bool) -> web.Response:
    form: Any = await form_data(request)
    selector, value = str(form.get("selector", "")), str(form.get("value", ""))[:255]
    try:
        outcome = await privacy.erase(
            db(request), request.app[TRACKER_DB_KEY], selector, value, actor=f"console:{principal(request).username}",
            salt=request.app[SECRET_KEY], dry_run=dry_run,
        )
    except privacy.NotFound:
        return _page(request, selector if selector in privacy.SELECTORS else "conversation", value, status=400,
                     error="privacy_invalid")
    return _page(request, selector, value, outcome=outcome, done=not dry_run)


@guarded(admin=True)
async def privacy_preview(request: web.Request) -> web.StreamResponse:
    """POST /console/admin/privacy: what would be deleted, and the confirmation form."""
    return await _erase(request, dry_run=True)


@guarded(admin=True)
async def privacy_delete(request: web.Request) -> web.StreamResponse:
    """POST /console/admin/privacy/delete: delete and show the rows deleted."""
    return await _erase(request, dry_run=False)
