"""The adviser console: server-rendered pages under /console on the public web app."""
from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.config import Settings
from bot.console import (
    passwords, views_admin, views_audit, views_auth, views_conversation, views_privacy, views_queue, views_review,
)
from bot.console.guard import guarded
from bot.web.keys import JINJA_KEY

TEMPLATES = Path(__file__).parent / "templates"
CONVERSATION = "/console/conversations/{conversation_id}"


@guarded()
async def _to_queue(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/console/")


@guarded()
async def _ping(request: web.Request) -> web.StreamResponse:
    """GET /console/api/ping: the adviser's heartbeat from any console page."""
    return web.json_response({"ok": True})


async def _prepare_passwords(app: web.Application) -> None:
    """The dummy Argon2 hash of unknown usernames, made off the loop before the first log-in."""
    await passwords.prepare()


def setup_console(app: web.Application, settings: Settings) -> None:
    """Register the console's templates and routes on `app`.

    The console uses what the app owns: settings, secret, HTTP session and both databases
    (bot/web/keys.py); it starts no background work of its own (see bot/handoff/setup.py).
    """
    aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(str(TEMPLATES)), app_key=JINJA_KEY, autoescape=True,
        default_helpers=False, undefined=jinja2.StrictUndefined,
    )
    app.on_startup.append(_prepare_passwords)
    add = app.router
    add.add_get("/console", _to_queue)
    add.add_get("/console/login", views_auth.login_form)
    add.add_post("/console/login", views_auth.login_submit)
    add.add_post("/console/logout", views_auth.logout)
    add.add_post("/console/language", views_auth.set_language)
    add.add_get("/console/", views_queue.queue_page)
    add.add_get("/console/api/queue", views_queue.queue_api)
    add.add_get("/console/api/ping", _ping)
    add.add_post("/console/queue/{request_id}/claim", views_queue.claim_entry)
    add.add_get(CONVERSATION, views_conversation.conversation_page)
    add.add_get("/console/api/conversations/{conversation_id}/events", views_conversation.events_api)
    add.add_post(CONVERSATION + "/messages", views_conversation.send_message)
    add.add_post(CONVERSATION + "/handback", views_conversation.hand_back)
    add.add_post(CONVERSATION + "/close", views_conversation.close)
    add.add_post(CONVERSATION + "/tags", views_review.tag_add)
    add.add_post(CONVERSATION + "/tags/remove", views_review.tag_remove)
    add.add_post(CONVERSATION + "/notes", views_review.note_add)
    add.add_post(CONVERSATION + "/reviewed", views_review.reviewed)
    add.add_get("/console/review", views_review.review_page)
    add.add_get("/console/admin/advisers", views_admin.advisers_page)
    add.add_post("/console/admin/advisers", views_admin.adviser_create)
    add.add_post("/console/admin/advisers/{adviser_id}", views_admin.adviser_update)
    add.add_post("/console/admin/advisers/{adviser_id}/password", views_admin.adviser_password)
    add.add_get("/console/admin/privacy", views_privacy.privacy_page)
    add.add_post("/console/admin/privacy", views_privacy.privacy_preview)
    add.add_post("/console/admin/privacy/delete", views_privacy.privacy_delete)
    add.add_get("/console/admin/audit", views_audit.audit_page)
