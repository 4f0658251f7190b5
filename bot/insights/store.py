"""Writing the daily counters and the job's progress (functions that never commit: the caller's unit of work)."""
from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from typing import Dict, Mapping, Optional, Sequence, Tuple, Type

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import HELSINKI
from bot.db import insert_ignore
from bot.insights.models import DailyCount, OpenConversation, Progress, ShownItem, Vote

CHUNK = 500
Key = Tuple[str, date, str, str]


class LostRace(RuntimeError):
    """Another process moved the progress on first: this unit of work is rolled back."""


def conversation_key(secret: str, conversation_id: str) -> str:
    """The HMAC-SHA256 of a conversation id: the job and the votes never store the id itself."""
    return hmac.new(secret.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def local_day(moment: datetime) -> date:
    """The Finnish calendar day of an aware moment."""
    return moment.astimezone(HELSINKI).date()


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def add_counts(session: AsyncSession, counts: Mapping[Key, int], model: Type = DailyCount) -> int:
    """Add `counts` (negative too) to the daily counters, or to the monthly ones when `model` is MonthlyCount
    (a new row or value + n, atomic on both databases); rows touched."""
    # Sorted: every process writes rows in the same order (fewer lock waits between them).
    rows = [dict(metric=m, day=d, language=lang, key=k, value=int(v))
            for (m, d, lang, k), v in sorted(counts.items()) if v]
    if not rows:
        return 0
    table = model.__table__
    insert = _insert(session)
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.metric, table.c.day, table.c.language, table.c.key],
        set_={"value": table.c.value + statement.excluded.value},
    )
    for start in range(0, len(rows), CHUNK):
        await session.execute(statement, rows[start:start + CHUNK])
    return len(rows)


async def add_titles(session: AsyncSession, titles: Mapping[Tuple[str, str, str], Tuple[str, date]]) -> None:
    """Keep the titles of the shown catalogue items {(kind, item, language): (title, day seen)}: the latest wins."""
    rows = [dict(kind=k, item=i, language=lang, title=title, seen=day)
            for (k, i, lang), (title, day) in sorted(titles.items())]
    if not rows:
        return
    table = ShownItem.__table__
    statement = _insert(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.item, table.c.language],
        set_={"title": statement.excluded.title, "seen": statement.excluded.seen},
        where=table.c.seen <= statement.excluded.seen,
    )
    for start in range(0, len(rows), CHUNK):
        await session.execute(statement, rows[start:start + CHUNK])


async def progress(session: AsyncSession, name: str) -> int:
    """The progress value `name` (0 before the first run; the row is made then)."""
    await insert_ignore(session, Progress.__table__, {"name": name, "value": 0})
    return int(await session.scalar(select(Progress.value).where(Progress.name == name)) or 0)


async def move_progress(session: AsyncSession, name: str, old: int, new: int) -> None:
    """Set the progress `name` from `old` to `new`; LostRace when another process changed it meanwhile."""
    result = await session.execute(
        update(Progress).where(Progress.name == name, Progress.value == old).values(value=new)
    )
    if int(result.rowcount or 0) != 1:
        raise LostRace(name)


def first_moment(day: Optional[date]) -> Optional[datetime]:
    """The first moment of a Finnish day, aware (None for None)."""
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=HELSINKI)


async def forget_conversations(session: AsyncSession, secret: str, ids: Sequence[str], dry_run: bool) -> Dict[str, int]:
    """Delete (or only count, when `dry_run`) what the insights keep of these conversations: the job's
    state and the votes (a person's data deleted on request, bot/handoff/privacy.py); the counts stay."""
    keys = [conversation_key(secret, cid) for cid in ids]
    counts = {"insights_conversations": 0, "insights_votes": 0}
    for start in range(0, len(keys), CHUNK):
        part = keys[start:start + CHUNK]
        for name, where in (("insights_conversations", OpenConversation.key.in_(part)),
                            ("insights_votes", Vote.conversation_key.in_(part))):
            table = OpenConversation.__table__ if name == "insights_conversations" else Vote.__table__
            if dry_run:
                counts[name] += int(await session.scalar(select(func.count()).select_from(table).where(where)) or 0)
            else:
                counts[name] += int((await session.execute(delete(table).where(where))).rowcount or 0)
    return counts
