"""The handoff queue: live conversations waiting for an adviser and contact requests.

Every function takes an AsyncSession and works in the caller's unit of work (bot/db.py: the
caller commits). State changes that two processes could race on are single atomic UPDATEs
guarded by the old status, or an INSERT that a unique key lets only one process make.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, List, Optional, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, load_settings
from bot.db import insert_ignore
from bot.handoff.models import (
    CLAIMED,
    CLOSED,
    HANDED_BACK,
    KIND_CONTACT,
    KIND_LIVE,
    RATED_ONLY,
    TIMED_OUT,
    WAITING,
    HandoffConversation,
    HandoffRequest,
)
from bot.handoff.presence import online_adviser_count
from bot.language import language_or_default
from bot.validation import NO_BUSINESS_ID, normalise_business_id, normalise_email, normalise_phone


@dataclass(frozen=True)
class QueueTicket:
    """Where a live conversation stands in the queue."""

    position: int
    waiting_ahead: int
    estimated_wait_minutes: int


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def join_intents(intents: Iterable[str]) -> str:
    """' a b ' from ['a', 'b']: stored so that LIKE '% a %' finds one intent."""
    seen: List[str] = []
    for intent in intents:
        name = str(intent).strip()
        if name and " " not in name and name not in seen:
            seen.append(name)
    return " " + " ".join(seen) + " " if seen else " "


def split_intents(stored: Optional[str]) -> List[str]:
    """The intent names of a stored ' a b ' string."""
    return (stored or "").split()


async def _touch_conversation(
    session: AsyncSession, conversation_id: str, now: datetime, *, language: Optional[str] = None,
    intents: Sequence[str] = (), status: Optional[str] = None, escalated: bool = False,
) -> HandoffConversation:
    """The review row of a conversation, created (by one process, if two race) or updated."""
    row = await session.get(HandoffConversation, conversation_id)
    if row is None:
        await insert_ignore(session, HandoffConversation.__table__, dict(
            conversation_id=conversation_id, created_at=now, last_activity_at=now,
            status=status or RATED_ONLY, intents=" ", escalated=False, search_text="", first_question="",
        ))
        row = await session.get(HandoffConversation, conversation_id, populate_existing=True)
    if language:
        row.language = language
    if intents:
        row.intents = join_intents([*split_intents(row.intents), *intents])
    if status:
        row.status = status
    row.escalated = bool(row.escalated or escalated)
    row.last_activity_at = max(row.last_activity_at or now, now)
    return row


async def _ticket(session: AsyncSession, entry: HandoffRequest, settings: Settings, now: datetime) -> QueueTicket:
    ahead = await session.scalar(
        select(func.count()).select_from(HandoffRequest).where(
            HandoffRequest.kind == KIND_LIVE,
            HandoffRequest.status == WAITING,
            (HandoffRequest.created_at < entry.created_at)
            | ((HandoffRequest.created_at == entry.created_at) & (HandoffRequest.id < entry.id)),
        )
    )
    ahead = int(ahead or 0) if entry.status == WAITING else 0
    online = await online_adviser_count(session, now, settings.handoff_online_seconds)
    minutes = math.ceil((ahead + 1) * settings.handoff_minutes_per_conversation / max(1, online))
    return QueueTicket(position=ahead + 1, waiting_ahead=ahead, estimated_wait_minutes=max(1, minutes))


async def _open_live_entry(session: AsyncSession, conversation_id: str) -> Optional[HandoffRequest]:
    return await session.scalar(
        select(HandoffRequest).where(
            HandoffRequest.conversation_id == conversation_id,
            HandoffRequest.kind == KIND_LIVE,
            HandoffRequest.status.in_((WAITING, CLAIMED)),
        )
    )


async def enqueue(
    session: AsyncSession, conversation_id: str, language: str, intents: List[str], reason: str,
    *, settings: Optional[Settings] = None, now: Optional[datetime] = None,
) -> QueueTicket:
    """Queue a live conversation for an adviser; for one already waiting, its current ticket."""
    settings = settings or load_settings()
    now = now or utcnow()
    language = language_or_default(language)
    existing = await _open_live_entry(session, conversation_id)
    if existing is None:
        await _touch_conversation(
            session, conversation_id, now, language=language, intents=intents, status=WAITING, escalated=True
        )
        await session.flush()
        # One open live entry per conversation (a partial unique index): a process queueing the
        # same conversation at the same moment leaves this insert a no-op, and we read its entry.
        await insert_ignore(session, HandoffRequest.__table__, dict(
            conversation_id=conversation_id, kind=KIND_LIVE, status=WAITING, reason=(reason or "")[:64],
            language=language, intents=join_intents(intents), created_at=now,
        ))
        existing = await _open_live_entry(session, conversation_id)
        if existing is None:
            raise RuntimeError(f"the live entry of {conversation_id} was neither made nor found")
    return await _ticket(session, existing, settings, now)


async def create_contact_request(
    session: AsyncSession, conversation_id: str, language: str, company_name: str, business_id: str,
    topic: str, contact_method: str, contact_value: str, consent: bool, *, now: Optional[datetime] = None,
) -> int:
    """Store a contact request in the queue (consent required, values validated); its id.

    `business_id` is optional: None, "" or NO_BUSINESS_ID for a company that has none yet."""
    if not consent:
        raise ValueError("a contact request is stored only with the user's consent")
    normalised_id = None
    if business_id and business_id != NO_BUSINESS_ID:
        normalised_id = normalise_business_id(business_id)
        if normalised_id is None:
            raise ValueError("invalid business ID")
    if contact_method == "email":
        contact = normalise_email(contact_value or "")
    elif contact_method == "phone":
        contact = normalise_phone(contact_value or "")
    else:
        raise ValueError("contact_method must be 'email' or 'phone'")
    if contact is None:
        raise ValueError(f"invalid {contact_method}")
    company = (company_name or "").strip()
    if not company:
        raise ValueError("company name missing")
    now = now or utcnow()
    language = language_or_default(language)
    await _touch_conversation(session, conversation_id, now, language=language, status=WAITING, escalated=True)
    entry = HandoffRequest(
        conversation_id=conversation_id, kind=KIND_CONTACT, status=WAITING, reason="contact_request",
        language=language, intents=" ", created_at=now, company_name=company[:200], business_id=normalised_id,
        topic=(topic or "").strip()[:4000], contact_method=contact_method, contact_value=contact, consent_at=now,
    )
    session.add(entry)
    await session.flush()
    return int(entry.id)


async def save_rating(session: AsyncSession, conversation_id: str, rating: int, *, now: Optional[datetime] = None) -> None:
    """Store the user's 1-5 rating of the conversation (the latest one counts)."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValueError("rating must be an integer from 1 to 5")
    now = now or utcnow()
    row = await _touch_conversation(session, conversation_id, now)
    row.rating = rating
    row.rated_at = now


async def handoff_happened(session: AsyncSession, conversation_id: str) -> bool:
    """Whether an adviser took a live chat of the conversation (claimed, handed back or closed)."""
    found = await session.scalar(
        select(HandoffRequest.id).where(
            HandoffRequest.conversation_id == conversation_id,
            HandoffRequest.kind == KIND_LIVE,
            HandoffRequest.claimed_at.is_not(None),
        ).limit(1)
    )
    return found is not None


async def _transition(
    session: AsyncSession, request_id: int, conditions: List[Any], now: datetime, **values: Any
) -> bool:
    """Move one entry to `values["status"]` if `conditions` still hold (atomic); True when it moved."""
    result = await session.execute(
        update(HandoffRequest)
        .where(HandoffRequest.id == request_id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    moved = result.rowcount == 1
    if moved:
        entry = await session.get(HandoffRequest, request_id, populate_existing=True)
        await _touch_conversation(session, entry.conversation_id, now, status=values["status"])
    return moved


async def claim(session: AsyncSession, request_id: int, adviser_id: int, *, now: Optional[datetime] = None) -> bool:
    """Give a waiting entry to one adviser; False when someone else was first (atomic)."""
    now = now or utcnow()
    return await _transition(
        session, request_id, [HandoffRequest.status == WAITING], now,
        status=CLAIMED, claimed_by_id=adviser_id, claimed_at=now,
    )


async def finish(
    session: AsyncSession, request_id: int, adviser_id: int, status: str, *, now: Optional[datetime] = None
) -> bool:
    """Hand back or close an entry the adviser holds; False when it is not theirs (atomic)."""
    if status not in (HANDED_BACK, CLOSED):
        raise ValueError("status must be handed_back or closed")
    now = now or utcnow()
    return await _transition(
        session, request_id, [HandoffRequest.status == CLAIMED, HandoffRequest.claimed_by_id == adviser_id], now,
        status=status, finished_at=now,
    )


async def reopen(session: AsyncSession, request_id: int, from_status: str, to_status: str) -> bool:
    """Undo a state change whose Rasa side failed (atomic; True when it was undone)."""
    result = await session.execute(
        update(HandoffRequest)
        .where(HandoffRequest.id == request_id, HandoffRequest.status == from_status)
        .values(status=to_status, finished_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        entry = await session.get(HandoffRequest, request_id, populate_existing=True)
        row = await session.get(HandoffConversation, entry.conversation_id)
        if row is not None:
            row.status = to_status
    return result.rowcount == 1


async def claim_timed_out(
    session: AsyncSession, timeout_seconds: int, *, now: Optional[datetime] = None, limit: int = 20,
    skip: Iterable[int] = (),
) -> List[HandoffRequest]:
    """Mark live entries unclaimed for `timeout_seconds` as timed out (not those in `skip`); the ones this call won."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=timeout_seconds)
    query = select(HandoffRequest.id).where(
        HandoffRequest.kind == KIND_LIVE, HandoffRequest.status == WAITING, HandoffRequest.created_at <= cutoff,
    )
    skipped = list(skip)
    if skipped:
        query = query.where(HandoffRequest.id.not_in(skipped))
    candidates = (await session.scalars(query.order_by(HandoffRequest.created_at).limit(limit))).all()
    won: List[HandoffRequest] = []
    for request_id in candidates:
        result = await session.execute(
            update(HandoffRequest)
            .where(HandoffRequest.id == request_id, HandoffRequest.status == WAITING)
            .values(status=TIMED_OUT, finished_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            entry = await session.get(HandoffRequest, request_id, populate_existing=True)
            await _touch_conversation(session, entry.conversation_id, now, status=TIMED_OUT)
            won.append(entry)
    return won
