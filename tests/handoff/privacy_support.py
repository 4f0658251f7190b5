"""Seeding and counting for the privacy tests: whole conversations in both stores, rows per table."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Dict, Optional

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import make_sessionmaker, session_scope
from bot.handoff.contact_drafts import ContactDraft
from bot.handoff.models import (
    CLOSED, KIND_CONTACT, KIND_LIVE, WAITING, ConversationNote, ConversationTag, HandoffConversation, HandoffRequest,
    JobLease, PrivacyAudit,
)
from bot.handoff.privacy import EVENTS, TRACKER_METADATA

APP = (ContactDraft.__table__, ConversationNote.__table__, ConversationTag.__table__, HandoffRequest.__table__,
       HandoffConversation.__table__)
EMPTIED = APP + (PrivacyAudit.__table__, JobLease.__table__)


@pytest.fixture
async def tracker(engine: AsyncEngine) -> AsyncIterator[Any]:
    """A session factory of a Rasa tracker store (the `events` table) on the test database, emptied."""
    async with engine.begin() as connection:
        await connection.run_sync(TRACKER_METADATA.create_all)
        await connection.execute(delete(EVENTS))
        for table in EMPTIED:
            await connection.execute(delete(table))
    yield make_sessionmaker(engine)


async def seed(factory: Any, tracker: Any, conversation_id: str, at: datetime, *, email: Optional[str] = None,
               phone: Optional[str] = None, contact_at: Optional[datetime] = None, draft: bool = False) -> None:
    """A conversation with everything a person leaves: 3 tracker events, a review row with a rating,
    a closed live queue entry, a tag, a note, and optionally a contact request and a draft."""
    async with tracker() as session:
        await session.execute(EVENTS.insert(), [
            {"sender_id": conversation_id, "type_name": kind, "timestamp": (at + timedelta(seconds=n)).timestamp(),
             "data": "{}"} for n, kind in enumerate(("user", "bot", "action"))
        ])
        await session.commit()
    async with session_scope(factory) as session:
        session.add(HandoffConversation(
            conversation_id=conversation_id, language="fi", intents=" request_human ", status=CLOSED, escalated=True,
            created_at=at, last_activity_at=at, rating=4, rated_at=at, search_text="hei",
        ))
        await session.flush()
        session.add(HandoffRequest(conversation_id=conversation_id, kind=KIND_LIVE, status=CLOSED, language="fi",
                                   created_at=at, finished_at=at))
        session.add(ConversationTag(conversation_id=conversation_id, tag="vat"))
        session.add(ConversationNote(conversation_id=conversation_id, text="called back", created_at=at))
        if email or phone:
            session.add(HandoffRequest(
                conversation_id=conversation_id, kind=KIND_CONTACT, status=WAITING, language="fi",
                created_at=contact_at or at, company_name="Oy Test Ab", contact_method="email" if email else "phone",
                contact_value=email or phone, consent_at=contact_at or at,
            ))
        if draft:
            session.add(ContactDraft(conversation_id=conversation_id, method="email", value=email or "x@example.fi",
                                     created_at=at))
        await session.commit()


async def rows(factory: Any, tracker: Any, conversation_id: Optional[str] = None) -> Dict[str, int]:
    """Rows per table (of one conversation when given), tracker events included."""
    counts: Dict[str, int] = {}
    async with tracker() as session:
        query = select(func.count()).select_from(EVENTS)
        if conversation_id is not None:
            query = query.where(EVENTS.c.sender_id == conversation_id)
        counts["events"] = int(await session.scalar(query) or 0)
    async with session_scope(factory) as session:
        for table in APP:
            query = select(func.count()).select_from(table)
            if conversation_id is not None:
                query = query.where(table.c.conversation_id == conversation_id)
            counts[table.name] = int(await session.scalar(query) or 0)
    return counts
