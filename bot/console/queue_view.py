"""The queue as the console shows it: waiting chats, contact requests, conversations in progress."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import locale
from bot.console.guard import format_time
from bot.console.naming import conversation_name, topic_labels
from bot.handoff.models import CLAIMED, KIND_CONTACT, KIND_LIVE, WAITING, Adviser, HandoffConversation, HandoffRequest
from bot.handoff.queue import split_intents

KNOWN_REASONS = ("requested", "fallback", "business_in_difficulty", "contact_request")


def reason_text(reason: str, language: str) -> str:
    """A readable reason for escalating."""
    return locale.text(language, f"console.reason_{reason}" if reason in KNOWN_REASONS else "console.reason_other")


def _waited(created: datetime, now: datetime, language: str) -> Dict[str, Any]:
    seconds = max(0, int((now - created).total_seconds()))
    return {"waiting_seconds": seconds, "waiting_text": locale.text(language, "console.minutes", n=seconds // 60)}


def _entry(entry: HandoffRequest, adviser: Any, conversation: Any, now: datetime, language: str) -> Dict[str, Any]:
    # The queue entry's own intents (when it was queued), and those the sweeper found since.
    topics = [*split_intents(entry.intents)]
    topics += [i for i in split_intents(conversation.intents if conversation else "") if i not in topics]
    name = conversation_name(
        language, entry.conversation_id, conversation.first_question if conversation else "", entry.language,
        (conversation.started_at or conversation.created_at) if conversation else entry.created_at,
    )
    return {
        "id": entry.id, "conversation_id": entry.conversation_id, "kind": entry.kind,
        "kind_text": locale.text(language, f"console.kind_{entry.kind}"), "language": entry.language,
        "topics": split_intents(entry.intents), "topic_labels": topic_labels(language, topics), "name": name,
        "reason": entry.reason,
        "reason_text": reason_text(entry.reason, language), "status": entry.status,
        "status_text": locale.text(language, f"console.status_{entry.status}"),
        "received": format_time(entry.created_at, language),
        "company": entry.company_name or "", "topic": entry.topic or "",
        "adviser": adviser.display_name if adviser is not None else "",
        **_waited(entry.created_at, now, language),
    }


async def queue_snapshot(session: AsyncSession, adviser_id: int, now: datetime, language: str) -> Dict[str, List[Dict[str, Any]]]:
    """{'live': waiting chats oldest first, 'contact': open contact requests, 'mine': mine, 'others': others'}."""
    rows = (await session.execute(
        select(HandoffRequest, Adviser, HandoffConversation)
        .outerjoin(Adviser, Adviser.id == HandoffRequest.claimed_by_id)
        .outerjoin(HandoffConversation, HandoffConversation.conversation_id == HandoffRequest.conversation_id)
        .where(HandoffRequest.status.in_((WAITING, CLAIMED)))
        .order_by(HandoffRequest.created_at, HandoffRequest.id)
        .limit(500)
    )).all()
    snapshot: Dict[str, List[Dict[str, Any]]] = {"live": [], "contact": [], "mine": [], "others": []}
    for entry, adviser, conversation in rows:
        item = _entry(entry, adviser, conversation, now, language)
        if entry.status == CLAIMED:
            snapshot["mine" if entry.claimed_by_id == adviser_id else "others"].append(item)
        elif entry.kind == KIND_LIVE:
            snapshot["live"].append(item)
        elif entry.kind == KIND_CONTACT:
            snapshot["contact"].append(item)
    return snapshot
