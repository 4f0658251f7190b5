"""Admin only: the audit log of staff changes, filtered and paged (GET /console/admin/audit)."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Mapping, Optional
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from bot.console import audit
from bot.console.guard import base_context, guarded, unit_of_work
from bot.console.review import start_of_day
from bot.web.keys import JINJA_KEY

_ACTION = re.compile(r"^[a-z_]{1,24}(\.[a-z_]{1,23})?$")


def _day(value: str) -> Optional[date]:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def filter_from_query(query: Mapping[str, str]) -> audit.AuditFilter:
    """The filter of the page's query string; malformed values are ignored, never an error."""
    action = query.get("action", "")
    since, until = _day(query.get("from", "")), _day(query.get("to", ""))
    return audit.AuditFilter(
        actor=query.get("actor", "").strip()[:80], action=action if _ACTION.match(action) else "",
        target=query.get("target", "").strip()[:200],
        since=start_of_day(since) if since else None, until=start_of_day(until + timedelta(days=1)) if until else None,
    )


@guarded(admin=True)
async def audit_page(request: web.Request) -> web.StreamResponse:
    """GET /console/admin/audit?actor=&action=&target=&from=&to=&older=."""
    wanted = filter_from_query(request.query)
    older = request.query.get("older", "")
    async with unit_of_work(request) as session:
        entries = await audit.search(session, wanted, older_than=int(older) if older.isdigit() else None,
                                     limit=audit.PAGE_SIZE + 1)
        actors, actions = await audit.choices(session)
    more = len(entries) > audit.PAGE_SIZE
    entries = entries[:audit.PAGE_SIZE]
    kept = {key: request.query.get(key, "") for key in ("actor", "action", "target", "from", "to")}
    next_link = "/console/admin/audit?" + urlencode({**kept, "older": entries[-1].id}) if more else ""
    domains = sorted({action.split(".")[0] for action in actions})
    context = base_context(
        request, page="audit", entries=entries, changes={e.id: audit.changes(e) for e in entries},
        actors=actors, actions=actions, domains=domains, query=kept, next_link=next_link,
        first_link="/console/admin/audit?" + urlencode(kept) if older else "",
    )
    return aiohttp_jinja2.render_template("audit.html", request, context, app_key=JINJA_KEY)
