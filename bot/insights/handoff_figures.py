"""The handoff's figures from the app's own tables: requests, answered share, waiting times,
contact requests by topic, ratings. These rows change after they are made (claimed, rated),
so the days from the last run's window on are counted again each run; older days are final
(retention later deletes the rows they were counted from)."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import LANGUAGES
from bot.content.intents import BUSINESS_INTENTS
from bot.handoff.models import KIND_CONTACT, KIND_LIVE, HandoffConversation, HandoffRequest
from bot.handoff.queue import split_intents
from bot.insights.models import DailyCount
from bot.insights.store import Key, first_moment, local_day

HANDOFF_METRICS = ("handoff_request", "handoff_answered", "handoff_wait", "contact_request", "rating")
RECOUNT_DAYS = 7  # how far back each run counts the handoff again


# The lower bounds of the waiting time buckets in seconds (about a fifth wider each; p50 and p90 are
# told as the bucket they fall in).
WAIT_BUCKETS = (0, 15, 30, 45, 60, 75, 90, 120, 150, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600,
                5400, 7200, 10800, 14400, 21600, 43200, 86400)


def wait_bucket(seconds: float) -> int:
    """The lower bound of a waiting time's bucket (WAIT_BUCKETS)."""
    return max(b for b in WAIT_BUCKETS if b <= max(0.0, seconds))


def bucket_key(seconds: int) -> str:
    """A bucket as a key that sorts like its number."""
    return f"{seconds:07d}"


def topic_of(intents: str) -> str:
    """The first business topic of a request's intents, else "other"."""
    return next((name for name in split_intents(intents) if name in BUSINESS_INTENTS), "other")


async def recount_handoff(session: AsyncSession, since: Optional[date], default_language: str) -> "Counter[Key]":
    """Delete the handoff figures of `since` and later (all when None) and count them again from the tables;
    the new counts (the caller adds them with store.add_counts in the same unit of work)."""
    table = DailyCount.__table__
    wipe = delete(table).where(table.c.metric.in_(HANDOFF_METRICS))
    start = first_moment(since)
    if since is not None:
        wipe = wipe.where(table.c.day >= since)
    await session.execute(wipe)
    counts: "Counter[Key]" = Counter()

    def language(value: Optional[str]) -> str:
        return value if value in LANGUAGES else default_language

    requests = select(HandoffRequest.kind, HandoffRequest.language, HandoffRequest.intents,
                      HandoffRequest.created_at, HandoffRequest.claimed_at)
    if start is not None:
        requests = requests.where(HandoffRequest.created_at >= start)
    for kind, lang, intents, created, claimed in (await session.execute(requests)).all():
        day, lang = local_day(created), language(lang)
        if kind == KIND_LIVE:
            counts[("handoff_request", day, lang, "")] += 1
            if claimed is not None:
                counts[("handoff_answered", day, lang, "")] += 1
                wait = bucket_key(wait_bucket((claimed - created).total_seconds()))
                counts[("handoff_wait", day, lang, wait)] += 1
        elif kind == KIND_CONTACT:
            counts[("contact_request", day, lang, topic_of(intents or ""))] += 1
    ratings = select(HandoffConversation.language, HandoffConversation.rating, HandoffConversation.rated_at).where(
        HandoffConversation.rating.is_not(None), HandoffConversation.rated_at.is_not(None))
    if start is not None:
        ratings = ratings.where(HandoffConversation.rated_at >= start)
    for lang, rating, rated in (await session.execute(ratings)).all():
        counts[("rating", local_day(rated), language(lang), str(int(rating)))] += 1
    return counts


def next_window(today: date) -> date:
    """The first day the next run counts again."""
    return today - timedelta(days=RECOUNT_DAYS)
