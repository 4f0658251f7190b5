"""The queue as the console shows it: waiting chats, contact requests, conversations in progress."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import locale
from bot.console.guard import format_time
from bot.handoff.models import CLAIMED, KIND_CONTACT, KIND_LIVE, WAITING, Adviser, HandoffRequest
from bot.handoff.queue import split_intents

KNOWN_REASONS = ("requested", "fallback", "business_in_difficulty", "contact_request")


def reason_text(reason: str, language: str) -> str:
    """A readable reason for escalating."""
    return locale.text(language, f"console.reason_{reason}" if reason in KNOWN_REASONS else "console.reason_other")


def _waited(created: datetime, now: datetime, language: str) -> Dict[str, Any]:
    seconds = max(0, int((now - created).total_seconds()))
    return {"waiting_seconds": seconds, "waiting_text": locale.text(language, "console.minutes", n=seconds // 60)}


def _entry(entry: HandoffRequest, adviser: Any, now: datetime, language: str) -> Dict[str, Any]:
    return {
        "id": entry.id, "conversation_id": entry.conversation_id, "kind": entry.kind,
        "kind_text": locale.text(language, f"console.kind_{entry.kind}"), "language": entry.language,
        "topics": split_intents(entry.intents), "reason": entry.reason,
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
        select(HandoffRequest, Adviser)
        .outerjoin(Adviser, Adviser.id == HandoffRequest.claimed_by_id)
        .where(HandoffRequest.status.in_((WAITING, CLAIMED)))
        .order_by(HandoffRequest.created_at, HandoffRequest.id)
        .limit(500)
    )).all()
    snapshot: Dict[str, List[Dict[str, Any]]] = {"live": [], "contact": [], "mine": [], "others": []}
    for entry, adviser in rows:
        item = _entry(entry, adviser, now, language)
        if entry.status == CLAIMED:
            snapshot["mine" if entry.claimed_by_id == adviser_id else "others"].append(item)
        elif entry.kind == KIND_LIVE:
            snapshot["live"].append(item)
        elif entry.kind == KIND_CONTACT:
            snapshot["contact"].append(item)
    return snapshot
