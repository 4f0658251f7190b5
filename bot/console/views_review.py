"""The review page and what advisers add to a conversation: tags, notes, reviewed."""
from __future__ import annotations

import math
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from bot.console.conversation_data import MAX_NOTE, add_note, add_tag, clean_tag, remove_tag, set_reviewed
from bot.console.guard import base_context, form_data, guarded, page_language, principal, see_other, unit_of_work
from bot.console.naming import intent_options, row_name, topic_labels
from bot.web.keys import JINJA_KEY
from bot.console.review import PAGE_SIZE, ReviewFilters, known_tags, search
from bot.console.views_conversation import conversation_id
from bot.handoff.models import RATED_ONLY, STATUSES, HandoffConversation
from bot.handoff.queue import split_intents, utcnow


@guarded()
async def review_page(request: web.Request) -> web.StreamResponse:
    """GET /console/review: filtered, paged list of escalated and rated conversations."""
    filters = ReviewFilters.from_query(request.query)
    async with unit_of_work(request) as session:
        rows, tags, total = await search(session, filters)
        all_tags = await known_tags(session)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    language = page_language(request)

    def link(page: int) -> str:
        return "/console/review?" + urlencode(filters.query_string(page))

    context = base_context(
        request, page="review", filters=filters, rows=rows, tags=tags, total=total, pages=pages,
        prev_link=link(filters.page - 1) if filters.page > 1 else "",
        next_link=link(filters.page + 1) if filters.page < pages else "",
        intent_groups=intent_options(language), all_tags=all_tags, statuses=[*STATUSES, RATED_ONLY],
        names={row.conversation_id: row_name(language, row) for row in rows},
        topics={row.conversation_id: topic_labels(language, split_intents(row.intents)) for row in rows},
    )
    return aiohttp_jinja2.render_template("review.html", request, context, app_key=JINJA_KEY)


async def _existing(request: web.Request) -> str:
    cid = conversation_id(request)
    async with unit_of_work(request) as session:
        if await session.get(HandoffConversation, cid) is None:
            raise web.HTTPNotFound()
    return cid


def _back(cid: str, key: str) -> web.Response:
    query = f"?msg={key}" if key else ""
    return see_other(f"/console/conversations/{cid}{query}#review")


@guarded()
async def tag_add(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/tags."""
    cid = await _existing(request)
    tag = clean_tag((await form_data(request)).get("tag"))
    if tag is None:
        return _back(cid, "tag_invalid")
    async with unit_of_work(request) as session:
        await add_tag(session, cid, tag)
    return _back(cid, "")


@guarded()
async def tag_remove(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/tags/remove."""
    cid = await _existing(request)
    tag = clean_tag((await form_data(request)).get("tag"))
    if tag is not None:
        async with unit_of_work(request) as session:
            await remove_tag(session, cid, tag)
    return _back(cid, "")


@guarded()
async def note_add(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/notes."""
    cid = await _existing(request)
    text = str((await form_data(request)).get("text", "")).strip()
    if not text or len(text) > MAX_NOTE:
        return _back(cid, "note_invalid")
    async with unit_of_work(request) as session:
        await add_note(session, cid, principal(request).adviser_id, text, utcnow())
    return _back(cid, "")


@guarded()
async def reviewed(request: web.Request) -> web.StreamResponse:
    """POST /console/conversations/{id}/reviewed (value=1 marks, value=0 unmarks)."""
    cid = await _existing(request)
    value = (await form_data(request)).get("value") == "1"
    async with unit_of_work(request) as session:
        await set_reviewed(session, cid, principal(request).adviser_id, value, utcnow())
    return _back(cid, "")
