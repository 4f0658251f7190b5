"""The insights on the public web app: console pages, the answers' /go/ links and thumbs, and the
aggregation job in the background."""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Callable

from aiohttp import web

from bot import locale
from bot.config import Settings
from bot.handoff.privacy import process_holder
from bot.insights import feedback, views
from bot.insights.job import run_insights
from bot.web.keys import DB_KEY, JINJA_KEY, SECRET_KEY, TRACKER_DB_KEY


def _background(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(run_insights(
            app[DB_KEY], app[TRACKER_DB_KEY], settings, app[SECRET_KEY], process_holder(), stop))
        yield
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context


def setup_insights(app: web.Application, settings: Settings, *, background: bool = True) -> None:
    """GET /go/<token> and POST /api/feedback; the insights pages under /console/insights (after
    setup_console: they use its templates) and, unless `background` is False or INSIGHTS_INTERVAL_SECONDS
    is 0, the aggregation job (after the database context, like the handoff's)."""
    app.router.add_get("/go/{token}", feedback.go)
    app.router.add_post("/api/feedback", feedback.feedback_api)
    if JINJA_KEY in app:
        app[JINJA_KEY].globals["insights_nav"] = lambda language: locale.text(language, "insights.nav")
        views.add_routes(app)
    if background and settings.insights_interval_seconds > 0:
        app.cleanup_ctx.append(_background(settings))
