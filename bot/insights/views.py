"""The insights pages of the console (advisers and admins) and their CSV export (admins)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Tuple

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.console.guard import base_context, guarded, page_language, principal, settings_of, unit_of_work
from bot.insights.pages import BUILDERS, PAGES, Page, Words
from bot.insights.report import Filters
from bot.insights.store import local_day
from bot.insights import html
from bot.insights.tables import to_csv
from bot.web.keys import JINJA_KEY

BASE = "/console/insights"


async def _build(request: web.Request) -> Tuple[Page, Filters, Words]:
    name = request.match_info.get("page", "traffic")
    if name not in PAGES:
        raise web.HTTPNotFound()
    filters = Filters.from_query(request.query, local_day(datetime.now(timezone.utc)))
    words = Words(page_language(request), settings_of(request).responses_dir)
    async with unit_of_work(request) as session:
        page = await BUILDERS[name](session, filters, words)
    return page, filters, words


@guarded()
async def insights_home(request: web.Request) -> web.StreamResponse:
    """GET /console/insights: the first page."""
    raise web.HTTPFound(f"{BASE}/traffic")


@guarded()
async def insights_page(request: web.Request) -> web.StreamResponse:
    """GET /console/insights/{page}: figures, charts and tables of the filtered period."""
    page, filters, words = await _build(request)
    language = words.language
    context = base_context(
        request, page="insights", view=page, filters=filters, i=locale.texts(language, "insights"),
        tabs=[(name, f"{BASE}/{name}") for name in PAGES], base=BASE,
        bodies={table.id: html.table_body(table, language) for table in page.tables},
        charts={table.id: html.chart(table.chart, table.id, locale.text(language, "insights.chart_see_table"))
                for table in page.tables if table.chart},
        can_export=principal(request).is_admin, query=filters.query(),
    )
    return aiohttp_jinja2.render_template("insights.html", request, context, app_key=JINJA_KEY)


@guarded(admin=True)
async def insights_csv(request: web.Request) -> web.StreamResponse:
    """GET /console/insights/{page}/{table}.csv: one table of the page, raw values."""
    page, filters, _ = await _build(request)
    wanted = request.match_info["table"]
    table = next((t for t in page.tables if t.id == wanted), None)
    if table is None:
        raise web.HTTPNotFound()
    name = f"insights-{page.name}-{table.id}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    return web.Response(
        body=("\ufeff" + to_csv(table)).encode("utf-8"), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def add_routes(app: web.Application) -> None:
    """The console's insights routes."""
    app.router.add_get(BASE, insights_home)
    app.router.add_get(BASE + "/{page}", insights_page)
    app.router.add_get(BASE + "/{page}/{table}.csv", insights_csv)
