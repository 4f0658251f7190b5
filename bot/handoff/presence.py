"""Which advisers are online: a console session seen within the last N seconds."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handoff.models import Adviser, ConsoleSession


async def online_adviser_count(session: AsyncSession, now: datetime, online_seconds: int) -> int:
    """How many active advisers have a live console session seen within `online_seconds`."""
    since = now - timedelta(seconds=online_seconds)
    count = await session.scalar(
        select(func.count(func.distinct(ConsoleSession.adviser_id)))
        .join(Adviser, Adviser.id == ConsoleSession.adviser_id)
        .where(
            Adviser.active.is_(True),
            ConsoleSession.last_seen_at >= since,
            ConsoleSession.expires_at > now,
        )
    )
    return int(count or 0)
