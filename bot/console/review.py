"""The review list: escalated and rated conversations, filtered, sorted by last activity, paged."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Dict, List, Mapping, Optional, Tuple

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.config import HELSINKI, LANGUAGES
from bot.handoff.models import (
    RATED_ONLY, STATUSES, ConversationNote, ConversationTag, HandoffConversation, HandoffRequest,
)

PAGE_SIZE = 25
MAX_QUERY = 200


@dataclass(frozen=True)
class ReviewFilters:
    """The filters of the review page, parsed and checked from the query string."""

    q: str = ""
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    language: str = ""
    intent: str = ""
    tag: str = ""
    rating: str = ""
    status: str = ""
    reviewed: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "ReviewFilters":
        """Unknown or malformed values are ignored, never an error."""
        def day(name: str) -> Optional[date]:
            try:
                return date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        try:
            page = max(1, min(10_000, int(query.get("page", "1"))))
        except ValueError:
            page = 1
        rating = query.get("rating", "")
        status = query.get("status", "")
        intent = query.get("intent", "").strip()
        return cls(
            q=query.get("q", "").strip()[:MAX_QUERY], date_from=day("from"), date_to=day("to"),
            language=query.get("language", "") if query.get("language") in LANGUAGES else "",
            intent=intent if intent.replace("_", "").isalnum() and len(intent) <= 64 else "",
            tag=" ".join(query.get("tag", "").split()).lower()[:64],
            rating=rating if rating in ("1", "2", "3", "4", "5", "none") else "",
            status=status if status in (*STATUSES, RATED_ONLY) else "",
            reviewed=query.get("reviewed", "") if query.get("reviewed") in ("yes", "no") else "",
            page=page,
        )

    def query_string(self, page: Optional[int] = None) -> Dict[str, str]:
        """The filters as query parameters (for paging links)."""
        values = {
            "q": self.q, "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "", "language": self.language,
            "intent": self.intent, "tag": self.tag, "rating": self.rating, "status": self.status,
            "reviewed": self.reviewed, "page": str(page or self.page),
        }
        return {k: v for k, v in values.items() if v}


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape "\\") that finds `text` anywhere, lower-cased."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in Finnish time."""
    return datetime.combine(day, time(0, 0), HELSINKI)


def _filtered(filters: ReviewFilters) -> Select:
    conv = HandoffConversation
    query = select(conv)
    if filters.q:
        pattern = like_pattern(filters.q)
        req, note, tag = HandoffRequest, ConversationNote, ConversationTag
        query = query.where(or_(
            func.lower(conv.conversation_id).like(pattern, escape="\\"),
            func.lower(conv.search_text).like(pattern, escape="\\"),
            exists().where(and_(req.conversation_id == conv.conversation_id, or_(
                func.lower(req.company_name).like(pattern, escape="\\"),
                func.lower(req.business_id).like(pattern, escape="\\"),
                func.lower(req.topic).like(pattern, escape="\\"),
                func.lower(req.contact_value).like(pattern, escape="\\"),
            ))),
            exists().where(and_(note.conversation_id == conv.conversation_id, func.lower(note.text).like(pattern, escape="\\"))),
            exists().where(and_(tag.conversation_id == conv.conversation_id, tag.tag.like(pattern, escape="\\"))),
        ))
    if filters.date_from:
        query = query.where(conv.last_activity_at >= start_of_day(filters.date_from))
    if filters.date_to:
        query = query.where(conv.last_activity_at < start_of_day(filters.date_to + timedelta(days=1)))
    if filters.language:
        query = query.where(conv.language == filters.language)
    if filters.intent:
        query = query.where(conv.intents.like(f"% {filters.intent} %"))
    if filters.tag:
        query = query.where(exists().where(and_(
            ConversationTag.conversation_id == conv.conversation_id, ConversationTag.tag == filters.tag
        )))
    if filters.rating == "none":
        query = query.where(conv.rating.is_(None))
    elif filters.rating:
        query = query.where(conv.rating == int(filters.rating))
    if filters.status:
        query = query.where(conv.status == filters.status)
    if filters.reviewed == "yes":
        query = query.where(conv.reviewed_at.is_not(None))
    elif filters.reviewed == "no":
        query = query.where(conv.reviewed_at.is_(None))
    return query


async def search(session: AsyncSession, filters: ReviewFilters) -> Tuple[List[HandoffConversation], Dict[str, List[str]], int]:
    """One page of matching conversations (latest activity first), their tags, and the total count."""
    query = _filtered(filters)
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = list((await session.scalars(
        query.order_by(HandoffConversation.last_activity_at.desc(), HandoffConversation.conversation_id)
        .offset((filters.page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )).all())
    tags: Dict[str, List[str]] = {row.conversation_id: [] for row in rows}
    if rows:
        for cid, tag in (await session.execute(
            select(ConversationTag.conversation_id, ConversationTag.tag)
            .where(ConversationTag.conversation_id.in_(list(tags))).order_by(ConversationTag.tag)
        )).all():
            tags[cid].append(tag)
    return rows, tags, total


async def known_tags(session: AsyncSession) -> List[str]:
    """Every tag in use, for the filter."""
    return list((await session.scalars(select(ConversationTag.tag).distinct().order_by(ConversationTag.tag))).all())
