"""The aggregation job: new tracker events and the handoff tables into the daily counters, then
the monthly sums of the months that changed (bot/insights/rollup.py).

Incremental: the last tracker event id read is the watermark (`insights_progress`); each
batch of events, the conversations' states, the counts and the new watermark are one unit
of work on the app's database, and the watermark moves only from the value the batch read
(a conditional UPDATE), so a batch is never counted twice, even by two processes. In the
web app one process at a time runs it, through the lease row `insights` of `job_leases`
(bot/handoff/privacy.py take_lease); `python -m bot insights aggregate` runs it once.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import groupby
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.db import session_scope
from bot.handoff.privacy import EVENTS, take_lease
from bot.insights.handoff_figures import next_window, recount_handoff
from bot.insights.models import DailyCount, OpenConversation, Vote
from bot.insights.rollup import month_of, months_between, recent_months, roll_up
from bot.insights.store import add_counts, add_titles, conversation_key, local_day, move_progress, progress
from bot.insights.tally import Conversation, Tally

logger = logging.getLogger(__name__)
JOB = "insights"
EVENTS_PROGRESS = "events"
HANDOFF_PROGRESS = "handoff"
HANDOFF_RUNS = "handoff_runs"  # moves at every recount: two at once cannot both commit
# Events per unit of work: small enough that counting one batch holds the web app's event loop
# for tens of milliseconds, not the better part of a second (a first run reads a year at once).
BATCH = 1000
READ_KINDS = ("user", "bot", "slot")
Factory = "sessionmaker[AsyncSession]"
Row = Tuple[int, str, str]  # event id, sender id, event JSON


@dataclass
class Summary:
    """What one run did."""

    events: int = 0
    conversations: int = 0
    handoff_rows: int = 0
    months: Set[date] = field(default_factory=set)  # the months whose counts changed


async def _has_events(session: AsyncSession) -> bool:
    """Whether Rasa has made its tracker table yet."""
    return bool(await session.run_sync(lambda sync: inspect(sync.connection()).has_table("events")))


async def read_events(tracker: Factory, after: int, limit: int, kinds: Sequence[str] = READ_KINDS,
                      senders: Optional[Sequence[str]] = None) -> List[Row]:
    """Up to `limit` tracker events of `kinds` after event id `after` in id order (of `senders` only,
    when given): the reader of the insights job and of the studio's inbox job (bot/studio/inbox_job.py)."""
    async with session_scope(tracker) as session:
        if not await _has_events(session):
            return []
        query = select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data).where(
            EVENTS.c.id > after, EVENTS.c.type_name.in_(kinds))
        if senders is not None:
            query = query.where(EVENTS.c.sender_id.in_(list(senders)))
        result = await session.execute(query.order_by(EVENTS.c.id).limit(limit))
        return [(int(i), str(s), d or "{}") for i, s, d in result.all()]


def parsed(data: str) -> Dict[str, Any]:
    """A tracker event's JSON as a mapping ({} when it is not one)."""
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


async def _states(session: AsyncSession, keys: Sequence[str]) -> Dict[str, OpenConversation]:
    found: Dict[str, OpenConversation] = {}
    for start in range(0, len(keys), 500):
        rows = await session.execute(select(OpenConversation).where(OpenConversation.key.in_(keys[start:start + 500])))
        found.update({row.key: row for row in rows.scalars()})
    return found


async def _batch(factory: Factory, rows: List[Row], after: int, secret: str, default_language: str,
                 now: datetime, months: Set[date]) -> int:
    """Count one batch of events in one unit of work; the number of conversations it touched
    (the months it counted in are added to `months`)."""
    tally = Tally(default_language)
    by_sender = {sender: [r for r in group] for sender, group in groupby(sorted(rows, key=lambda r: (r[1], r[0])),
                                                                           key=lambda r: r[1])}
    keys = {sender: conversation_key(secret, sender) for sender in by_sender}
    clock = now.timestamp()
    async with session_scope(factory) as session:
        if await progress(session, EVENTS_PROGRESS) != after:
            return 0  # another process read these events meanwhile
        stored = await _states(session, sorted(keys.values()))
        for sender, events_of in by_sender.items():
            row = stored.get(keys[sender])
            state = Conversation.from_dict(json.loads(row.state)) if row else Conversation()
            for _, _, data in events_of:
                tally.add(state, parsed(data))
            tally.settle(state, clock)
            text = json.dumps(state.to_dict(), separators=(",", ":"))
            if row is None:
                session.add(OpenConversation(key=keys[sender], state=text, updated_at=now))
            else:
                row.state, row.updated_at = text, now
        await add_counts(session, tally.counts)
        await add_titles(session, tally.titles)
        await move_progress(session, EVENTS_PROGRESS, after, rows[-1][0])
    months.update(month_of(day) for _, day, _, _ in tally.counts)
    return len(by_sender)


async def _settle_waiting(factory: Factory, default_language: str, now: datetime, months: Set[date]) -> None:
    """Count the messages of conversations that stopped after a message nobody answered (a paused one)."""
    tally = Tally(default_language)
    async with session_scope(factory) as session:
        rows = await session.execute(select(OpenConversation).where(OpenConversation.state.like('%"pending":[%')))
        for row in rows.scalars():
            state = Conversation.from_dict(json.loads(row.state))
            tally.settle(state, now.timestamp())
            if state.pending is None:
                row.state = json.dumps(state.to_dict(), separators=(",", ":"))
        await add_counts(session, tally.counts)
    months.update(month_of(day) for _, day, _, _ in tally.counts)


async def aggregate_events(factory: Factory, tracker: Factory, secret: str, default_language: str,
                           now: Optional[datetime] = None, batch: int = BATCH) -> Summary:
    """Read every tracker event after the watermark, batch by batch; what was read."""
    now = now or datetime.now(timezone.utc)
    summary = Summary()
    while True:
        async with session_scope(factory) as session:
            after = await progress(session, EVENTS_PROGRESS)
        rows = await read_events(tracker, after, batch)
        if not rows:
            break
        summary.events += len(rows)
        summary.conversations += await _batch(factory, rows, after, secret, default_language, now, summary.months)
        await asyncio.sleep(0)  # let the web app answer between batches
    await _settle_waiting(factory, default_language, now, summary.months)
    return summary


async def aggregate_handoff(factory: Factory, default_language: str, today: date) -> Tuple[int, List[date]]:
    """Count the handoff figures again from the last window's first day on; the counter rows written
    and the months they are in."""
    async with session_scope(factory) as session:
        runs = await progress(session, HANDOFF_RUNS)
        since_ordinal = await progress(session, HANDOFF_PROGRESS)
        since = date.fromordinal(since_ordinal) if since_ordinal else None
        written = await add_counts(session, await recount_handoff(session, since, default_language))
        await move_progress(session, HANDOFF_PROGRESS, since_ordinal, next_window(today).toordinal())
        await move_progress(session, HANDOFF_RUNS, runs, runs + 1)  # a second run at once rolls back
        first = since or await session.scalar(select(func.min(DailyCount.day))) or today
    return written, months_between(first if isinstance(first, date) else date.fromisoformat(str(first)), today)


async def forget_old(factory: Factory, retention_days: int, now: datetime) -> None:
    """Delete conversation states and votes older than the retention time (the counts stay)."""
    cutoff = now - timedelta(days=retention_days)
    async with session_scope(factory) as session:
        await session.execute(delete(OpenConversation).where(OpenConversation.updated_at < cutoff))
        await session.execute(delete(Vote).where(Vote.at < cutoff))


async def aggregate_once(factory: Factory, tracker: Factory, settings: Settings, secret: str,
                         now: Optional[datetime] = None) -> Summary:
    """One whole run: tracker events, the handoff tables, then old states and votes forgotten."""
    now = now or datetime.now(timezone.utc)
    started = time.monotonic()
    summary = await aggregate_events(factory, tracker, secret, settings.default_language, now)
    summary.handoff_rows, months = await aggregate_handoff(factory, settings.default_language, local_day(now))
    summary.months.update(months, recent_months(local_day(now)))
    async with session_scope(factory) as session:
        await roll_up(session, summary.months)
    await forget_old(factory, settings.retention_days, now)
    logger.info("insights: %s events, %s conversations, %s handoff rows in %.1f s",
                summary.events, summary.conversations, summary.handoff_rows, time.monotonic() - started)
    return summary


async def run_insights(factory: Factory, tracker: Factory, settings: Settings, secret: str, holder: str,
                       stop: asyncio.Event) -> None:
    """Every INSIGHTS_INTERVAL_SECONDS until `stop`: a run, when this process gets the lease."""
    from bot.handoff.sweeper import QuietLog, run_every

    async def work() -> None:
        if await take_lease(factory, JOB, holder, settings.insights_interval_seconds):
            await aggregate_once(factory, tracker, settings, secret)

    await run_every(settings.insights_interval_seconds, work, stop, QuietLog("insights aggregation failed"))
