"""The studio's routes and its place in the console's navigation; the NLU inbox's job in the background."""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Callable

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.config import Settings
from bot.console.guard import base_context, guarded
from bot.handoff.models import ROLE_EDITOR
from bot.studio import views_models
from bot.studio.answer_views import setup_answers
from bot.studio.training_runs import TrainingJobs
from bot.web.keys import DB_KEY, JINJA_KEY, TRACKER_DB_KEY, TRAINING_KEY

# The studio's sections: (path, locale key of the title, locale key of the description).
SECTIONS = (
    ("/console/studio/answers", "studio.answers", "studio.answers_intro"),
    ("/console/studio/training", "studio.training", "studio.training_intro"),
    ("/console/studio/inbox", "studio.inbox", "studio.inbox_intro"),
    ("/console/studio/models", "studio.models", "studio.models_intro"),
)


@guarded(role=ROLE_EDITOR)
async def studio_home(request: web.Request) -> web.StreamResponse:
    """GET /console/studio: the sections that exist on this app."""
    paths = {info.get("path") for info in (r.get_info() for r in request.app.router.resources())}
    sections = [section for section in SECTIONS if section[0] in paths]
    context = base_context(request, page="studio", sections=sections)
    return aiohttp_jinja2.render_template("studio.html", request, context, app_key=JINJA_KEY)


def _inbox_job(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        from bot.handoff.privacy import process_holder
        from bot.studio.inbox_job import run_inbox

        stop = asyncio.Event()
        task = asyncio.create_task(run_inbox(app[DB_KEY], app[TRACKER_DB_KEY], settings, process_holder(), stop))
        yield
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context


def setup_studio(app: web.Application, settings: Settings, *, background: bool = True) -> None:
    """The studio's pages under /console/studio (after setup_console: they use its templates) and, unless
    `background` is False or STUDIO_INBOX_INTERVAL_SECONDS is 0, the NLU inbox's job."""
    if background and settings.inbox_interval_seconds > 0:
        app.cleanup_ctx.append(_inbox_job(settings))
    if JINJA_KEY not in app:
        return
    from bot.studio import views_inbox, views_training

    app[JINJA_KEY].globals["studio_text"] = locale.text
    app.router.add_get("/console/studio", studio_home)
    setup_answers(app)  # /console/studio/answers
    views_training.add_routes(app)
    views_inbox.add_routes(app)
    views_models.add_routes(app)
    app.cleanup_ctx.append(_training_jobs(settings))


def _training_jobs(settings: Settings):  # type: ignore[no-untyped-def]
    """The training runs this process starts and watches; stopped (and marked failed) with the app."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        app[TRAINING_KEY] = jobs = TrainingJobs(settings, app[DB_KEY])
        yield
        await jobs.close()

    return context
