"""A conversation in the console: transcript (paged, live), chat, hand back and close."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select

from bot.console.conversation_data import load_conversation
from bot.console.guard import (
    base_context, error_response, form_data, guarded, page_language, principal, rasa, see_other, settings_of,
    unit_of_work, wants_json,
)
from bot.console.naming import conversation_name, topic_labels
from bot.console.transcript import console_items, items_after, page_before
from bot.handoff import summary
from bot.handoff.hand_back import hand_back as rasa_hand_back
from bot.web.keys import JINJA_KEY
from bot.handoff.models import CLAIMED, CLOSED, HANDED_BACK, KIND_LIVE, HandoffConversation, HandoffRequest
from bot.handoff.notices import adviser_metadata
from bot.handoff.queue import finish, join_intents, reopen, split_intents, utcnow
from bot.rasa.client import RasaUnavailable

logger = logging.getLogger(__name__)
PAGE_SIZE = 60


def conversation_id(request: web.Request) -> str:
    value = request.match_info["conversation_id"]
    if not value or len(value) > 128:
        raise web.HTTPNotFound()
    return value


def _int_query(request: web.Request, name: str) -> Optional[int]:
    try:
        value = int(request.query[name])
    except (KeyError, ValueError):
        return None
    return value if value >= 0 else None


async def _events(request: web.Request, cid: str) -> Optional[List[Dict[str, Any]]]:
    try:
        return await rasa(request).all_events(cid)
    except RasaUnavailable as exc:
        logger.warning("transcript of %s not loaded: %s", cid, exc)
        return None


@guarded()
async def conversation_page(request: web.Request) -> web.StreamResponse:
    """GET /console/conversations/{id}: details, tags, notes and one page of the transcript."""
    cid = conversation_id(request)
    async with unit_of_work(request) as session:
        data = await load_conversation(session, cid)
    if data is None:
        return error_response(request, 404, "not_found")
    before = _int_query(request, "before")
    events = await _events(request, cid)
    language = page_language(request)
    items, earlier = page_before(console_items(events, language), before, PAGE_SIZE) if events is not None else ([], None)
    row, seen = data.row, events or []
    name = conversation_name(
        language, cid, summary.first_question(seen) or row.first_question or "", row.language,
        summary.started_at(seen) or row.started_at or row.created_at,
    )
    topics = topic_labels(language, split_intents(join_intents([*split_intents(row.intents), *summary.intents_seen(seen)])))
    me = principal(request)
    open_request = data.open_request
    mine = open_request is not None and open_request.status == CLAIMED and open_request.claimed_by_id == me.adviser_id
    context = base_context(
        request, page="conversation", cid=cid, data=data, items=items, earlier=earlier, paged=before is not None,
        name=name, topics=topics,
        transcript_ok=events is not None, mine=mine, live=bool(mine and open_request.kind == KIND_LIVE),
        cursor=len(events) if events is not None and before is None else -1,
        max_chars=settings_of(request).max_message_chars,
    )
    return aiohttp_jinja2.render_template("conversation.html", request, context, app_key=JINJA_KEY)


async def _bump_activity(request: web.Request, cid: str, items: List[Dict[str, Any]]) -> None:
    stamps = [item["ts"] for item in items if isinstance(item.get("ts"), (int, float))]
    if not stamps:
        return
    latest = datetime.fromtimestamp(max(stamps), timezone.utc)
    async with unit_of_work(request) as session:
        row = await session.get(HandoffConversation, cid)
        if row is not None and row.last_activity_at < latest:
            row.last_activity_at = latest


@guarded()
async def events_api(request: web.Request) -> web.StreamResponse:
    """GET /console/api/conversations/{id}/events?after=N: transcript items of events N.. and the next cursor."""
    cid = conversation_id(request)
    after = _int_query(request, "after") or 0
    async with unit_of_work(request) as session:
        row = await session.get(HandoffConversation, cid)
        status = row.status if row is not None else None
    if status is None:
        return error_response(request, 404, "not_found")
    events = await _events(request, cid)
    if events is None:
        return error_response(request, 503, "transcript_unavailable")
    items = items_after(console_items(events, page_language(request)), after)
    if items:
        await _bump_activity(request, cid, items)
    return web.json_response({"items": items, "cursor": len(events), "status": status})


async def _my_open_request(request: web.Request, cid: str) -> Optional[HandoffRequest]:
    async with unit_of_work(request) as session:
        return await session.scalar(select(HandoffRequest).where(
            HandoffRequest.conversation_id == cid, HandoffRequest.status == CLAIMED,
            HandoffRequest.claimed_by_id == principal(request).adviser_id,
        ))


def _done(request: web.Request, cid: str, key: str, status: int = 200) -> web.StreamResponse:
    if wants_json(request) or request.headers.get("X-Requested-With") == "fetch":
        return web.json_response({"ok": status == 200, "message": key}, status=status)
    return see_other(f"/console/conversations/{cid}?msg={key}")


@guarded()
async def send_message(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/messages: the adviser's reply, written to the tracker."""
    cid = conversation_id(request)
    text = str((await form_data(request)).get("text", "")).strip()
    limit = settings_of(request).max_message_chars
    if not text:
        return _done(request, cid, "message_empty", 422)
    if len(text) > limit:
        return _done(request, cid, "message_too_long", 413)
    entry = await _my_open_request(request, cid)
    if entry is None or entry.kind != KIND_LIVE:
        return _done(request, cid, "not_yours", 409)
    me = principal(request)
    try:
        await rasa(request).append_bot_message(cid, text, adviser_metadata(me.adviser_id, me.display_name))
    except RasaUnavailable as exc:
        logger.warning("adviser message to %s not written: %s", cid, exc)
        return _done(request, cid, "rasa_unavailable", 503)
    await _bump_activity(request, cid, [{"ts": utcnow().timestamp()}])
    return _done(request, cid, "sent")


async def _finish(request: web.Request, status: str, intent: str, ok_key: str) -> web.StreamResponse:
    cid = conversation_id(request)
    entry = await _my_open_request(request, cid)
    if entry is None:
        return _done(request, cid, "not_yours", 409)
    me = principal(request)
    async with unit_of_work(request) as session:
        if not await finish(session, entry.id, me.adviser_id, status):
            return _done(request, cid, "not_yours", 409)
    if entry.kind != KIND_LIVE:
        return _done(request, cid, "closed_ok")
    try:
        await rasa_hand_back(rasa(request), cid, intent)
    except RasaUnavailable as exc:
        logger.warning("%s of %s failed in Rasa: %s", intent, cid, exc)
        async with unit_of_work(request) as session:
            await reopen(session, entry.id, status, CLAIMED)
        return _done(request, cid, "rasa_unavailable", 503)
    return _done(request, cid, ok_key)


@guarded()
async def hand_back(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/handback: the assistant resumes and asks for a rating."""
    return await _finish(request, HANDED_BACK, "handoff_finished", "handed_back_ok")


@guarded()
async def close(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/close: end without a rating (a contact request: done)."""
    return await _finish(request, CLOSED, "handoff_closed", "closed_ok")
