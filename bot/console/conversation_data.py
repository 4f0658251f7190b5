"""One conversation's console data: review row, queue entries, tags and notes (in the caller's unit of work)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import List, Optional, Tuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handoff.models import (
    CLAIMED, WAITING, Adviser, ConversationNote, ConversationTag, HandoffConversation, HandoffRequest,
)
from bot.db import insert_ignore

MAX_TAG = 64
MAX_NOTE = 4000


@dataclass
class ConversationData:
    """What the conversation page shows besides the transcript."""

    row: HandoffConversation
    requests: List[HandoffRequest]
    tags: List[str]
    notes: List[Tuple[ConversationNote, str]]
    reviewer: str = ""
    open_request: Optional[HandoffRequest] = None
    claimed_by: str = ""
    contact_requests: List[HandoffRequest] = field(default_factory=list)


async def load_conversation(session: AsyncSession, conversation_id: str) -> Optional[ConversationData]:
    """The conversation's data, None when it was never escalated or rated."""
    row = await session.get(HandoffConversation, conversation_id)
    if row is None:
        return None
    requests = list((await session.scalars(
        select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id)
        .order_by(HandoffRequest.created_at, HandoffRequest.id)
    )).all())
    tags = list((await session.scalars(
        select(ConversationTag.tag).where(ConversationTag.conversation_id == conversation_id).order_by(ConversationTag.tag)
    )).all())
    notes = [(note, name or "") for note, name in (await session.execute(
        select(ConversationNote, Adviser.display_name).outerjoin(Adviser, Adviser.id == ConversationNote.adviser_id)
        .where(ConversationNote.conversation_id == conversation_id).order_by(ConversationNote.created_at, ConversationNote.id)
    )).all()]
    data = ConversationData(row=row, requests=requests, tags=tags, notes=notes)
    if row.reviewed_by_id is not None:
        data.reviewer = await session.scalar(select(Adviser.display_name).where(Adviser.id == row.reviewed_by_id)) or ""
    open_requests = [r for r in requests if r.status in (WAITING, CLAIMED)]
    data.open_request = open_requests[-1] if open_requests else None
    if data.open_request is not None and data.open_request.claimed_by_id is not None:
        data.claimed_by = await session.scalar(
            select(Adviser.display_name).where(Adviser.id == data.open_request.claimed_by_id)
        ) or ""
    data.contact_requests = [r for r in requests if r.company_name]
    return data


def clean_tag(tag: object) -> Optional[str]:
    """A tag as stored (trimmed, lower case, single spaces), None when unusable."""
    text = " ".join(str(tag or "").split()).lower()
    return text if 0 < len(text) <= MAX_TAG else None


async def add_tag(session: AsyncSession, conversation_id: str, tag: str) -> None:
    """Tag a conversation (adding a tag twice is harmless)."""
    await insert_ignore(session, ConversationTag.__table__, {"conversation_id": conversation_id, "tag": tag})


async def remove_tag(session: AsyncSession, conversation_id: str, tag: str) -> None:
    """Remove a tag from a conversation."""
    await session.execute(
        delete(ConversationTag).where(ConversationTag.conversation_id == conversation_id, ConversationTag.tag == tag)
    )


async def add_note(session: AsyncSession, conversation_id: str, adviser_id: int, text: str, now: datetime) -> None:
    """Store an adviser's note about a conversation."""
    session.add(ConversationNote(conversation_id=conversation_id, adviser_id=adviser_id, text=text, created_at=now))


async def set_reviewed(session: AsyncSession, conversation_id: str, adviser_id: int, reviewed: bool, now: datetime) -> None:
    """Mark a conversation reviewed by an adviser, or not reviewed."""
    row = await session.get(HandoffConversation, conversation_id)
    if row is not None:
        row.reviewed_at = now if reviewed else None
        row.reviewed_by_id = adviser_id if reviewed else None
