"""The studio's routes and its place in the console's navigation."""
from __future__ import annotations

from typing import AsyncIterator

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.config import Settings
from bot.console.guard import base_context, guarded
from bot.handoff.models import ROLE_EDITOR
from bot.studio import views_models
from bot.studio.training import TrainingJobs
from bot.web.keys import DB_KEY, JINJA_KEY, TRAINING_KEY

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


def setup_studio(app: web.Application, settings: Settings) -> None:
    """The studio's pages under /console/studio (after setup_console: they use its templates)."""
    if JINJA_KEY not in app:
        return
    app[JINJA_KEY].globals["studio_text"] = locale.text
    app.router.add_get("/console/studio", studio_home)
    views_models.add_routes(app)
    app.cleanup_ctx.append(_training_jobs(settings))


def _training_jobs(settings: Settings):  # type: ignore[no-untyped-def]
    """The training runs this process starts and watches; stopped (and marked failed) with the app."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        app[TRAINING_KEY] = jobs = TrainingJobs(settings, app[DB_KEY])
        yield
        await jobs.close()

    return context
