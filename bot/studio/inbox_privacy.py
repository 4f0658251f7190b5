"""The inbox's rows of a conversation deleted: by conversation id (`python -m bot privacy delete`,
bot/handoff/privacy.py erase) and by age (the retention job, apply_retention)."""
from __future__ import annotations

from datetime import datetime
from typing import Dict, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.studio.models import InboxItem, InboxSignal


async def forget(session: AsyncSession, ids: Sequence[str], dry_run: bool = False) -> Dict[str, int]:
    """Delete the inbox messages and signals of these conversations (privacy delete); rows per table."""
    counts = {"studio_inbox": 0, "studio_inbox_signals": 0}
    for start in range(0, len(ids), 500):
        part = list(ids[start:start + 500])
        for name, model in (("studio_inbox", InboxItem), ("studio_inbox_signals", InboxSignal)):
            where = model.conversation_id.in_(part)
            if dry_run:
                counts[name] += int(await session.scalar(select(func.count()).select_from(model).where(where)) or 0)
            else:
                counts[name] += int((await session.execute(delete(model).where(where))).rowcount or 0)
    return counts


async def expire(session: AsyncSession, cutoff: datetime) -> Dict[str, int]:
    """Delete inbox messages and signals older than `cutoff` (the retention job); rows per table."""
    items = await session.execute(delete(InboxItem).where(InboxItem.at < cutoff))
    signals = await session.execute(delete(InboxSignal).where(InboxSignal.at < cutoff))
    return {"studio_inbox": int(items.rowcount or 0), "studio_inbox_signals": int(signals.rowcount or 0)}
