"""The live queue page, its JSON feed and claiming an entry."""
from __future__ import annotations

import logging

import aiohttp_jinja2
from aiohttp import web

from bot.console.guard import (
    base_context, guarded, page_language, principal, rasa, see_other, unit_of_work, wants_json,
)
from bot.web.keys import JINJA_KEY
from bot.console.queue_view import queue_snapshot
from bot.handoff.models import KIND_LIVE, HandoffRequest
from bot.handoff.notices import adviser_joined, adviser_metadata
from bot.handoff.queue import claim, utcnow
from bot.rasa.client import RasaUnavailable

logger = logging.getLogger(__name__)


@guarded()
async def queue_page(request: web.Request) -> web.StreamResponse:
    """GET /console/: waiting chats, contact requests and conversations in progress."""
    me = principal(request)
    async with unit_of_work(request) as session:
        snapshot = await queue_snapshot(session, me.adviser_id, utcnow(), page_language(request))
    return aiohttp_jinja2.render_template(
        "queue.html", request, base_context(request, queue=snapshot, page="queue"), app_key=JINJA_KEY
    )


@guarded()
async def queue_api(request: web.Request) -> web.StreamResponse:
    """GET /console/api/queue: the same as JSON (polled by the page; also the adviser's heartbeat)."""
    me = principal(request)
    async with unit_of_work(request) as session:
        snapshot = await queue_snapshot(session, me.adviser_id, utcnow(), page_language(request))
    return web.json_response(snapshot)


def _request_id(request: web.Request) -> int:
    try:
        return int(request.match_info["request_id"])
    except ValueError as exc:
        raise web.HTTPNotFound() from exc


@guarded()
async def claim_entry(request: web.Request) -> web.StreamResponse:
    """POST /console/queue/{request_id}/claim: the first adviser wins (atomic), others are told."""
    me = principal(request)
    request_id = _request_id(request)
    async with unit_of_work(request) as session:
        entry = await session.get(HandoffRequest, request_id)
        if entry is None:
            raise web.HTTPNotFound()
        won = await claim(session, request_id, me.adviser_id)
    if not won:
        if wants_json(request):
            return web.json_response({"claimed": False, "error": "claimed_by_other"}, status=409)
        return see_other("/console/?msg=claimed_by_other")
    if entry.kind == KIND_LIVE:
        try:  # the company sees that a person has joined
            await rasa(request).append_bot_message(
                entry.conversation_id, adviser_joined(entry.language, me.display_name),
                adviser_metadata(me.adviser_id, me.display_name, notice="joined"),
            )
        except RasaUnavailable as exc:
            logger.warning("join notice for %s not written: %s", entry.conversation_id, exc)
    if wants_json(request):
        return web.json_response({"claimed": True, "conversation_id": entry.conversation_id})
    return see_other(f"/console/conversations/{entry.conversation_id}?msg=claimed_ok")
