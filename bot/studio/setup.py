"""The studio's routes and its place in the console's navigation."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot import locale
from bot.config import Settings
from bot.console.guard import base_context, guarded
from bot.handoff.models import ROLE_EDITOR
from bot.studio.answer_views import setup_answers
from bot.web.keys import JINJA_KEY

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
    setup_answers(app)  # /console/studio/answers
