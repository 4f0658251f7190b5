"""Privacy: old data deleted after its retention time, one person's data deleted on request.

Two databases hold a conversation: Rasa's SQL tracker store (table `events`, one row per
event, `sender_id` the conversation id, `timestamp` UNIX seconds) and the application's
(DATABASE_URL: queue, review, contact requests and drafts). Each is changed in one unit of
work (bot.db.session_scope); the tracker first, so that a failure half-way leaves the application's
rows that lead to the conversation for a rerun.

Every deletion writes a `privacy_audit` row that names no person: who, when, the kind of
request, rows per table and at most an HMAC of the request's value with BOT_SECRET_KEY.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import (
    Column, Float, Integer, MetaData, String, Table, Text, delete, func, inspect, select, update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.config import Settings
from bot.db import insert_ignore, session_scope
from bot.handoff.models import (
    KIND_CONTACT, ContactDraft, ConversationNote, ConversationTag, HandoffConversation, HandoffRequest, JobLease,
    PrivacyAudit,
)
from bot.handoff.queue import utcnow
from bot.insights.store import forget_conversations
from bot.studio import inbox_privacy
from bot.validation import normalise_email, normalise_phone

logger = logging.getLogger(__name__)
Counts = Dict[str, int]
SELECTORS = ("conversation", "email", "phone")
RETENTION_JOB = "retention"
CHUNK = 500  # ids per IN (...) list

# Rasa 3.6's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent): only what we read or delete by.
TRACKER_METADATA = MetaData()
EVENTS = Table(
    "events", TRACKER_METADATA,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
# Child tables before their parents, in the order the counts are reported.
APP_TABLES = ("contact_drafts", "handoff_notes", "handoff_tags", "handoff_requests", "handoff_conversations")


class NotFound(ValueError):
    """The e-mail address or phone number is not one (the request names nobody)."""


@dataclass
class Outcome:
    """What a deletion found and removed (or, for a preview, would remove)."""

    conversations: List[str]
    counts: Counts = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def subject_hash(salt: str, selector: str, value: str) -> Optional[str]:
    """HMAC-SHA256 of the request (selector and normalised value) with `salt`; None without a salt."""
    if not salt:
        return None
    return hmac.new(salt.encode(), f"{selector}:{value}".encode(), hashlib.sha256).hexdigest()


def normalised(selector: str, value: str) -> str:
    """The value to look for: a lower-case e-mail address, a normalised phone number, a conversation id as given."""
    if selector not in SELECTORS:
        raise NotFound(selector)
    value = value.strip()
    if selector == "conversation":
        found: Optional[str] = value[:255] or None
    else:
        found = normalise_phone(value) if selector == "phone" else (normalise_email(value) or "").lower()
    if not found:
        raise NotFound(selector)
    return found


async def _has_events(session: AsyncSession) -> bool:
    """Whether Rasa has created its tables yet (it does at its first start)."""
    return bool(await session.run_sync(lambda sync: inspect(sync.connection()).has_table("events")))


async def _remove(session: AsyncSession, table: Table, where: ColumnElement, dry_run: bool) -> int:
    """Delete the rows of `table` matching `where` (only count them when `dry_run`); how many."""
    if dry_run:
        return int(await session.scalar(select(func.count()).select_from(table).where(where)) or 0)
    result = await session.execute(delete(table).where(where))
    return int(result.rowcount or 0)


def _chunks(ids: Sequence[str]) -> List[Sequence[str]]:
    return [ids[n:n + CHUNK] for n in range(0, len(ids), CHUNK)]


async def conversations_of(session: AsyncSession, selector: str, value: str) -> List[str]:
    """The conversations of a request: the id itself, or those whose contact request or draft has the value."""
    if selector == "conversation":
        return [value]
    def same(column: Any) -> ColumnElement:  # e-mail addresses are stored as typed: compare case-insensitively
        return (func.lower(column) if selector == "email" else column) == value

    requests = select(HandoffRequest.conversation_id).where(
        HandoffRequest.contact_method == selector, same(HandoffRequest.contact_value))
    drafts = select(ContactDraft.conversation_id).where(ContactDraft.method == selector, same(ContactDraft.value))
    return sorted(set((await session.scalars(requests)).all()) | set((await session.scalars(drafts)).all()))


async def _erase_tracker(tracker: "sessionmaker[AsyncSession]", ids: Sequence[str], dry_run: bool) -> int:
    async with session_scope(tracker) as session:
        if not await _has_events(session):
            return 0
        count = 0
        for part in _chunks(ids):
            count += await _remove(session, EVENTS, EVENTS.c.sender_id.in_(part), dry_run)
    return count


async def _erase_app(session: AsyncSession, ids: Sequence[str], dry_run: bool) -> Counts:
    tables = {
        "contact_drafts": (ContactDraft.__table__, ContactDraft.conversation_id),
        "handoff_notes": (ConversationNote.__table__, ConversationNote.conversation_id),
        "handoff_tags": (ConversationTag.__table__, ConversationTag.conversation_id),
        "handoff_requests": (HandoffRequest.__table__, HandoffRequest.conversation_id),
        "handoff_conversations": (HandoffConversation.__table__, HandoffConversation.conversation_id),
    }
    counts = {name: 0 for name in APP_TABLES}
    for part in _chunks(ids):
        for name in APP_TABLES:
            table, column = tables[name]
            counts[name] += await _remove(session, table, column.in_(part), dry_run)
    return counts


def _audit(actor: str, action: str, counts: Counts, now: datetime, selector: str = "",
           digest: Optional[str] = None) -> PrivacyAudit:
    return PrivacyAudit(at=now, actor=actor[:80], action=action, selector=selector, subject_hash=digest,
                        counts=json.dumps(counts, sort_keys=True))


async def erase(
    factory: "sessionmaker[AsyncSession]", tracker: "sessionmaker[AsyncSession]", selector: str, value: str, *,
    actor: str, salt: str = "", dry_run: bool = False, now: Optional[datetime] = None,
) -> Outcome:
    """Delete every trace of one person's conversations (or count them when `dry_run`), with an audit row.

    `selector` is conversation, email or phone; NotFound when the value is not one.
    """
    value = normalised(selector, value)
    async with session_scope(factory) as session:
        ids = await conversations_of(session, selector, value)
    outcome = Outcome(ids, {"events": await _erase_tracker(tracker, ids, dry_run)})
    async with session_scope(factory) as session:
        if selector != "conversation":  # found again: a request made in the meantime goes too
            ids = sorted(set(ids) | set(await conversations_of(session, selector, value)))
        outcome.counts.update(await _erase_app(session, ids, dry_run))
        inbox = await inbox_privacy.forget(session, ids, dry_run)  # the studio's NLU inbox, when any
        outcome.counts.update({table: count for table, count in inbox.items() if count})
        if salt:  # the insights' state and votes (keyed by an HMAC of the id with this secret), when any
            found = await forget_conversations(session, salt, ids, dry_run)
            outcome.counts.update({table: count for table, count in found.items() if count})
        if not dry_run:
            session.add(_audit(actor, "delete", outcome.counts, now or utcnow(), selector,
                               subject_hash(salt, selector, value)))
    outcome.conversations = ids
    return outcome


async def _expire_tracker(tracker: "sessionmaker[AsyncSession]", cutoff: datetime) -> int:
    """Delete the events of conversations whose latest event is older than `cutoff`."""
    async with session_scope(tracker) as session:
        if not await _has_events(session):
            return 0
        old = (select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
               .having(func.max(EVENTS.c.timestamp) < cutoff.timestamp()))
        result = await session.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(old)))
    return int(result.rowcount or 0)


async def _expire_app(session: AsyncSession, cutoff: datetime, contact_cutoff: datetime) -> Counts:
    """Delete old queue entries, notes, tags and review rows; a review row that still anchors a
    contact request (kept longer) loses its search text, first question, intents and rating."""
    request, conversation = HandoffRequest, HandoffConversation
    old_conversations = select(conversation.conversation_id).where(conversation.last_activity_at < cutoff)
    counts = {
        "handoff_requests": await _remove(session, request.__table__, (
            (request.kind == KIND_CONTACT) & (request.created_at < contact_cutoff)
        ) | ((request.kind != KIND_CONTACT) & (func.coalesce(request.finished_at, request.created_at) < cutoff)),
            False),
        "handoff_notes": await _remove(session, ConversationNote.__table__, ConversationNote.created_at < cutoff, False),
        "handoff_tags": await _remove(
            session, ConversationTag.__table__, ConversationTag.conversation_id.in_(old_conversations), False),
        "contact_drafts": await _remove(session, ContactDraft.__table__, ContactDraft.created_at < cutoff, False),
    }
    anchored = conversation.conversation_id.in_(select(request.conversation_id))
    counts["handoff_conversations"] = await _remove(
        session, conversation.__table__, (conversation.last_activity_at < cutoff) & ~anchored, False)
    scrubbed = await session.execute(
        update(conversation).where(conversation.last_activity_at < cutoff, anchored,
                                   (conversation.search_text != "") | (conversation.first_question != "")
                                   | conversation.rating.is_not(None))
        .values(search_text="", first_question="", intents=" ", rating=None, rated_at=None)
        .execution_options(synchronize_session=False)
    )
    counts["ratings_and_search_text_cleared"] = int(scrubbed.rowcount or 0)
    return counts


async def apply_retention(
    factory: "sessionmaker[AsyncSession]", tracker: "sessionmaker[AsyncSession]", settings: Settings, now: Optional[datetime] = None,
) -> Counts:
    """Delete what is older than BOT_RETENTION_DAYS (contact requests: BOT_CONTACT_RETENTION_DAYS); rows per table.

    Audited (actor "retention") when anything went.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=settings.retention_days)
    counts = {"events": await _expire_tracker(tracker, cutoff)}
    async with session_scope(factory) as session:
        counts.update(await _expire_app(session, cutoff, now - timedelta(days=settings.contact_retention_days)))
        counts.update({table: n for table, n in (await inbox_privacy.expire(session, cutoff)).items() if n})
        if any(counts.values()):
            session.add(_audit("retention", "retention", counts, now))
    return counts


def process_holder() -> str:
    """A name for this process in a lease: host, pid and a random part."""
    return f"{os.uname().nodename[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def take_lease(
    factory: "sessionmaker[AsyncSession]", name: str, holder: str, seconds: float, now: Optional[datetime] = None,
) -> bool:
    """Take the job `name` for `seconds` unless another holder's lease is still running; whether we have it.

    One conditional UPDATE decides (atomic on SQLite and PostgreSQL); the row is made on first use.
    """
    now = now or utcnow()
    try:
        async with session_scope(factory) as session:  # made on first use (by one process)
            await insert_ignore(session, JobLease.__table__, dict(
                name=name, holder="", expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc)))
            result = await session.execute(
                update(JobLease).where(JobLease.name == name, JobLease.expires_at <= now)
                .values(holder=holder, expires_at=now + timedelta(seconds=seconds))
            )
    except OperationalError:  # SQLite busy: another process is taking it right now
        return False
    return int(result.rowcount or 0) == 1


async def retention_once(
    factory: "sessionmaker[AsyncSession]", tracker: "sessionmaker[AsyncSession]", settings: Settings, holder: str,
    now: Optional[datetime] = None,
) -> Optional[Counts]:
    """Run the retention job if no other process has run it within BOT_RETENTION_INTERVAL_SECONDS; its counts."""
    if not await take_lease(factory, RETENTION_JOB, holder, settings.retention_interval_seconds, now):
        return None
    counts = await apply_retention(factory, tracker, settings, now)
    if any(counts.values()):
        logger.info("retention deleted %s", json.dumps(counts, sort_keys=True))
    return counts
