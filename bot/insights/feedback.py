"""Did the company go on? The "was this helpful?" thumbs under answers and the clicks of /go/ links.

A vote comes from the widget's WebSocket (a `feedback` frame, bot/web/gateway.py) or from the
chat page (POST /api/feedback {conversation, answer, helpful}, the conversation's signed token);
one vote per conversation and answer counts (insights_votes, keyed by an HMAC of the
conversation id): a second vote on the same answer replaces the first (its counter moves from
helpful_up to helpful_down or back), the same vote again changes nothing. Votes are added to
the day's counters at once, per answer and language. A client votes at most
BOT_VOTES_PER_MINUTE times a minute, per address and per conversation (bot/web/limits.py).
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

from aiohttp import web
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot import locale
from bot.config import LANGUAGES
from bot.db import insert_ignore, session_scope
from bot.insights.links import LinkSigner, answer_links, answer_names
from bot.insights.models import MonthlyCount, Vote
from bot.insights.rollup import month_of, recent_months
from bot.insights.store import add_counts, conversation_key, local_day
from bot.studio import answer_store
from bot.studio.models import DOWN_VOTE, InboxSignal
from bot.web.conversations import conversation_id_from_token
from bot.web.inbound import Refusal
from bot.web.keys import DB_KEY, LIMITS_KEY, SECRET_KEY, SETTINGS_KEY
from bot.web.limits import Limits

logger = logging.getLogger(__name__)
VOTES_LIMITED = Refusal("error_votes_limited", 429)


def _metric(helpful: bool) -> str:
    return "helpful_up" if helpful else "helpful_down"


def known_answer(responses_dir: Path, answer: object) -> Optional[str]:
    """`answer` when it names an answer (bot/insights/links.py answer_names), else None."""
    return answer if isinstance(answer, str) and answer in answer_names(responses_dir) else None


def _to_inbox(session: AsyncSession, conversation_id: str, answer: str, helpful: bool, now: datetime) -> None:
    """A thumbs down sends the message it answered to the studio's NLU inbox (bot/studio/inbox_job.py)."""
    if not helpful:
        session.add(InboxSignal(conversation_id=conversation_id[:255], kind=DOWN_VOTE, answer=answer[:200], at=now,
                                done=False))


async def record_vote(factory: "sessionmaker[AsyncSession]", secret: str, conversation_id: str, answer: str,
                      helpful: bool, language: str, now: Optional[datetime] = None) -> bool:
    """Count a vote of a conversation on an answer: its first, or one that replaces the first (counted on
    the first's day and language); whether the counts changed."""
    now = now or datetime.now(timezone.utc)
    key, day = conversation_key(secret, conversation_id), local_day(now)
    async with session_scope(factory) as session:
        if await insert_ignore(session, Vote.__table__, {"conversation_key": key, "answer": answer, "at": now,
                                                         "helpful": helpful, "day": day, "language": language}):
            await add_counts(session, {(_metric(helpful), day, language, answer): 1})
            _to_inbox(session, conversation_id, answer, helpful, now)
            return True
        mine = (Vote.conversation_key == key, Vote.answer == answer)
        row = (await session.execute(select(Vote.helpful, Vote.day, Vote.language).where(*mine))).first()
        if row is None or row.helpful is None or row.helpful == helpful or row.day is None:
            return False  # the same vote again (or one from before votes were replaceable)
        # Only from the vote read: of two replacements at once one moves the counters.
        moved = await session.execute(update(Vote).where(*mine, Vote.helpful == row.helpful)
                                      .values(helpful=helpful, at=now))
        if int(moved.rowcount or 0) != 1:
            return False
        counted = row.language or language
        _to_inbox(session, conversation_id, answer, helpful, now)
        await add_counts(session, {(_metric(row.helpful), row.day, counted, answer): -1,
                                   (_metric(helpful), row.day, counted, answer): 1})
        if month_of(row.day) not in recent_months(day):  # the job makes only recent months' sums again
            await add_counts(session, {(_metric(row.helpful), month_of(row.day), counted, answer): -1,
                                       (_metric(helpful), month_of(row.day), counted, answer): 1}, MonthlyCount)
    return True


async def vote_frame(factory: "sessionmaker[AsyncSession]", secret: str, responses_dir: Path,
                     conversation_id: Optional[str], language: str, frame: Mapping[str, Any],
                     limits: Optional[Limits] = None, address: str = "") -> Optional[Dict[str, Any]]:
    """The gateway's answer to a widget's feedback frame {answer, helpful}: feedback {answer, counted}, or the
    error error_votes_limited; None when the frame is malformed or the connection follows no conversation."""
    answer = known_answer(responses_dir, frame.get("answer"))
    if conversation_id is None or answer is None or not isinstance(frame.get("helpful"), bool):
        return None
    if limits is not None and not await limits.allow_vote(conversation_id, address):
        return {"type": "error", "code": VOTES_LIMITED.code, "message": VOTES_LIMITED.message(language)}
    try:
        counted = await record_vote(factory, secret, conversation_id, answer, frame["helpful"], language)
    except SQLAlchemyError as exc:  # the chat goes on; the vote is lost
        logger.warning("feedback not counted: %s", exc.__class__.__name__)
        counted = False
    return {"type": "feedback", "answer": answer, "counted": counted}


async def feedback_api(request: web.Request) -> web.Response:
    """POST /api/feedback {conversation, answer, helpful, language?}: the chat page's thumbs."""
    settings = request.app[SETTINGS_KEY]
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return web.json_response({"error": "error_malformed"}, status=400)
    conversation_id = conversation_id_from_token(request.app[SECRET_KEY], body.get("conversation"),
                                                 settings.conversation_token_hours * 3600)
    answer = known_answer(settings.responses_dir, body.get("answer"))
    if conversation_id is None or answer is None or not isinstance(body.get("helpful"), bool):
        return web.json_response({"error": "error_malformed"}, status=400)
    language = body.get("language") if body.get("language") in LANGUAGES else settings.default_language
    limits: Optional[Limits] = request.app.get(LIMITS_KEY)
    if limits is not None and not await limits.allow_vote(conversation_id, limits.address(request)):
        return web.json_response({"error": VOTES_LIMITED.code, "message": VOTES_LIMITED.message(language)},
                                 status=VOTES_LIMITED.status)
    counted = await record_vote(request.app[DB_KEY], request.app[SECRET_KEY], conversation_id, answer,
                                body["helpful"], language)
    return web.json_response({"counted": counted})


async def go(request: web.Request) -> web.StreamResponse:
    """GET /go/<token>: count the click of an answer's link and redirect to it (404 for any other target)."""
    settings = request.app[SETTINGS_KEY]
    found = LinkSigner(request.app[SECRET_KEY], settings.responses_dir).verified(request.match_info["token"])
    async with session_scope(request.app[DB_KEY]) as session:
        if found is not None and found[2] not in answer_links(settings.responses_dir) \
                and found[2] not in await answer_store.saved_links(session):
            found = None  # signed, but no longer a link of any answer
        if found is None:
            return web.Response(status=404, text=locale.text(settings.default_language, "insights.link_unknown"),
                                content_type="text/plain", charset="utf-8")
        answer, language, url = found
        await add_counts(session, {("click", local_day(datetime.now(timezone.utc)), language, answer[:200]): 1})
    raise web.HTTPFound(url, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
