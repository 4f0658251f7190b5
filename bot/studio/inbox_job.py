"""The NLU inbox's job: user messages worth teaching, from Rasa's tracker store into `studio_inbox`.

A message is collected when the assistant did not understand it (nlu_fallback, out_of_scope), understood
it with a confidence below STUDIO_INBOX_CONFIDENCE, when the company gave the answer to it a thumbs down
(bot/insights/feedback.py leaves a signal), or when an adviser tagged its conversation in the review with
one of STUDIO_INBOX_TAGS. Its personal data is masked (bot/pii.py) before it is stored.

It reads the tracker store with the insights job's reader (bot/insights/job.py read_events) after its own
watermark (`inbox_events` in insights_progress, moved only from the value a batch read, in the batch's unit
of work) and runs in one process at a time (the lease row `inbox` of job_leases).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import sessionmaker
from sqlalchemy.ext.asyncio import AsyncSession

from bot import pii
from bot.config import LANGUAGES, Settings
from bot.db import insert_ignore, session_scope
from bot.handoff.models import ConversationTag
from bot.handoff.privacy import take_lease
from bot.insights.job import Row, parsed, read_events
from bot.insights.store import move_progress, progress
from bot.rasa import events
from bot.studio.models import TAG, InboxItem, InboxSignal

logger = logging.getLogger(__name__)
JOB = "inbox"
PROGRESS = "inbox_events"
BATCH = 1000
SIGNALS = 100  # signals read per run
MAX_TEXT = 1000
FALLBACK = "nlu_fallback"
NOT_UNDERSTOOD, LOW_CONFIDENCE, THUMBS_DOWN, TAGGED = "not_understood", "low_confidence", "thumbs_down", "tagged"
REJECTIONS = frozenset({FALLBACK, "out_of_scope"})
Factory = "sessionmaker[AsyncSession]"


@dataclass(frozen=True)
class Candidate:
    """A message for the inbox (text already masked)."""

    event_id: int
    conversation_id: str
    language: str
    text: str
    intent: Optional[str]
    confidence: Optional[float]
    reason: str
    at: datetime


def prediction(event: Mapping[str, Any]) -> Tuple[Optional[str], Optional[float]]:
    """The intent Rasa predicted and its confidence; for nlu_fallback the best intent it fell back from."""
    name, confidence = events.intent(event)
    if name != FALLBACK:
        return name, confidence
    ranking = (event.get("parse_data") or {}).get("intent_ranking") or []
    best = next((r for r in ranking if isinstance(r, dict) and r.get("name") not in (None, FALLBACK)), None)
    if best is None:
        return name, confidence
    value = best.get("confidence")
    return str(best["name"]), float(value) if isinstance(value, (int, float)) else None


def typed(event: Mapping[str, Any]) -> str:
    """The text of a user message the company typed ("" for a button, an external event, nothing)."""
    if events.kind(event) != "user" or events.is_external(event):
        return ""
    text = events.text(event).strip()
    return "" if text.startswith("/") else text


def candidate(event_id: int, sender: str, event: Mapping[str, Any], language: str, threshold: float,
              reason: Optional[str] = None) -> Optional[Candidate]:
    """The inbox entry of a user event (with `reason`, or one of its own), or None when it needs none."""
    text = typed(event)
    if not text:
        return None
    name, confidence = events.intent(event)
    if reason is None:
        if name in REJECTIONS:
            reason = NOT_UNDERSTOOD
        elif confidence is not None and confidence < threshold:
            reason = LOW_CONFIDENCE
        else:
            return None
    intent, score = prediction(event)
    at = datetime.fromtimestamp(max(events.timestamp(event), 0.0), timezone.utc)
    return Candidate(event_id, sender, language, pii.mask(text)[:MAX_TEXT], intent, score, reason, at)


def languages(rows: Sequence[Tuple[int, str, Dict[str, Any]]], default: str) -> Dict[int, str]:
    """The language of each user event: the widget's hint, else the language slot the assistant set after
    it (or before it), else `default`."""
    slots: Dict[str, List[Tuple[int, str]]] = {}
    for event_id, sender, event in rows:
        if events.kind(event) == "slot" and event.get("name") == "language" and event.get("value") in LANGUAGES:
            slots.setdefault(sender, []).append((event_id, str(event["value"])))
    found: Dict[int, str] = {}
    for event_id, sender, event in rows:
        if events.kind(event) != "user":
            continue
        hint = events.metadata(event).get("language")
        later = [lang for i, lang in slots.get(sender, []) if i > event_id]
        earlier = [lang for i, lang in slots.get(sender, []) if i < event_id]
        found[event_id] = hint if hint in LANGUAGES else (later[:1] or earlier[-1:] or [default])[0]
    return found


async def store(session: AsyncSession, found: Sequence[Candidate]) -> int:
    """Add candidates (one per tracker event: a second reason is added to the first); how many are new."""
    new = 0
    for item in found:
        if await insert_ignore(session, InboxItem.__table__, dict(
                event_id=item.event_id, conversation_id=item.conversation_id[:255], language=item.language,
                text=item.text, intent=item.intent, confidence=item.confidence, reasons=item.reason, at=item.at,
                status="open")):
            new += 1
            continue
        row = await session.scalar(select(InboxItem).where(InboxItem.event_id == item.event_id))
        if row is not None and item.reason not in row.reasons.split():
            row.reasons = f"{row.reasons} {item.reason}".strip()[:80]
    return new


def _decoded(rows: Sequence[Row]) -> List[Tuple[int, str, Dict[str, Any]]]:
    return [(event_id, sender, parsed(data)) for event_id, sender, data in rows]


async def collect_new(factory: Factory, tracker: Factory, settings: Settings, batch: int = BATCH) -> int:
    """Read the tracker events after the watermark, batch by batch; the messages added."""
    added = 0
    while True:
        async with session_scope(factory) as session:
            after = await progress(session, PROGRESS)
        rows = _decoded(await read_events(tracker, after, batch, kinds=("user", "slot")))
        if not rows:
            return added
        language = languages(rows, settings.default_language)
        found = [c for c in (candidate(i, s, e, language.get(i, settings.default_language), settings.inbox_confidence)
                             for i, s, e in rows) if c is not None]
        async with session_scope(factory) as session:
            if await progress(session, PROGRESS) != after:
                return added  # another process read these meanwhile
            added += await store(session, found)
            await move_progress(session, PROGRESS, after, rows[-1][0])
        await asyncio.sleep(0)


def signalled(rows: Sequence[Tuple[int, str, Dict[str, Any]]], signal: InboxSignal, default: str) -> List[Candidate]:
    """The messages a signal points at: every typed message to the assistant of a tagged conversation;
    for a thumbs down, the message the down-voted answer answered."""
    language = languages(rows, default)
    found: List[Candidate] = []
    with_adviser = False
    for event_id, sender, event in rows:
        kind = events.kind(event)
        if kind in ("pause", "resume"):
            with_adviser = kind == "pause"
        elif kind == "user" and not with_adviser:
            reason = TAGGED if signal.kind == TAG else THUMBS_DOWN
            made = candidate(event_id, sender, event, language[event_id], 1.0, reason)
            if made is not None:
                found.append(made)
        elif kind == "bot" and signal.kind != TAG and found:
            meta = events.metadata(event)
            if signal.answer in (meta.get("answer"), meta.get("utter_action")):
                return found[-1:]
    return found if signal.kind == TAG else []


async def collect_signals(factory: Factory, tracker: Factory, settings: Settings, now: datetime) -> int:
    """Turn new review tags into signals, then read the pending signals' conversations; messages added."""
    async with session_scope(factory) as session:
        seen = exists().where(and_(InboxSignal.conversation_id == ConversationTag.conversation_id,
                                   InboxSignal.kind == TAG))
        tagged = await session.scalars(select(ConversationTag.conversation_id).distinct().where(
            ConversationTag.tag.in_(settings.inbox_tags), ~seen))
        for conversation_id in tagged.all():
            session.add(InboxSignal(conversation_id=conversation_id, kind=TAG, answer="", at=now, done=False))
    async with session_scope(factory) as session:
        pending = list((await session.scalars(
            select(InboxSignal).where(InboxSignal.done.is_(False)).order_by(InboxSignal.id).limit(SIGNALS))).all())
    added = 0
    for signal in pending:
        rows = _decoded(await read_events(tracker, 0, 5000, kinds=("user", "bot", "slot", "pause", "resume"),
                                          senders=[signal.conversation_id]))
        async with session_scope(factory) as session:
            added += await store(session, signalled(rows, signal, settings.default_language))
            row = await session.get(InboxSignal, signal.id)
            if row is not None:
                row.done = True
    return added


async def collect_once(factory: Factory, tracker: Factory, settings: Settings, now: Optional[datetime] = None) -> int:
    """One run: new tracker events, then the signals; the messages added to the inbox."""
    added = await collect_new(factory, tracker, settings)
    added += await collect_signals(factory, tracker, settings, now or datetime.now(timezone.utc))
    if added:
        logger.info("inbox: %s messages added", added)
    return added


async def run_inbox(factory: Factory, tracker: Factory, settings: Settings, holder: str, stop: asyncio.Event) -> None:
    """Every STUDIO_INBOX_INTERVAL_SECONDS until `stop`: a run, when this process gets the lease."""
    from bot.handoff.sweeper import QuietLog, run_every

    async def work() -> None:
        if await take_lease(factory, JOB, holder, settings.inbox_interval_seconds):
            await collect_once(factory, tracker, settings)

    await run_every(settings.inbox_interval_seconds, work, stop, QuietLog("inbox collection failed"))
