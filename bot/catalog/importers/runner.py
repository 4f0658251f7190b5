"""The page loop every importer runs: one session per page, progress after each, sync state at the end."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator, Awaitable, Callable, List, Mapping, Optional, Tuple

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.db import session_scope
from bot.catalog.importers.base import ImportReport, Progress
from bot.catalog.importers.store import read_since, write_since

Page = Tuple[List[Mapping[str, Any]], Optional[int]]
PageHandler = Callable[[AsyncSession, List[Mapping[str, Any]], ImportReport], Awaitable[Optional[datetime]]]


async def run_pages(factory: "sessionmaker[AsyncSession]", report: ImportReport, pages: AsyncIterator[Page],
                    handle: PageHandler, progress: Optional[Progress] = None) -> Optional[datetime]:
    """Store every page with `handle` in a session of its own; the newest modification time seen."""
    newest: Optional[datetime] = None
    async for items, expected in pages:
        if expected is not None:
            report.expected = expected
        async with session_scope(factory) as session:
            seen = await handle(session, items, report)
        if seen and (newest is None or seen > newest):
            newest = seen
        report.pages += 1
        if progress:
            progress(report)
    return newest


async def run_source(factory: "sessionmaker[AsyncSession]", source_key: str, report: ImportReport,
                     pages_since: Callable[[Optional[datetime]], AsyncIterator[Page]], handle: PageHandler,
                     incremental: bool = True, progress: Optional[Progress] = None,
                     now: Optional[datetime] = None) -> ImportReport:
    """Import a source incrementally: ask for what changed since the last run, then remember the newest."""
    since: Optional[datetime] = None
    if incremental:
        async with session_scope(factory) as session:
            since = await read_since(session, source_key)
    newest = await run_pages(factory, report, pages_since(since), handle, progress)
    async with session_scope(factory) as session:
        await write_since(session, source_key, newest, now or datetime.now(timezone.utc))
    return report


async def file_pages(items: List[Mapping[str, Any]], size: int = 1000) -> AsyncIterator[Page]:
    """A file's records as pages of `size` (one transaction each)."""
    for start in range(0, len(items), size):
        yield list(items[start: start + size]), len(items)


def newest_of(current: Optional[datetime], candidate: Optional[datetime]) -> Optional[datetime]:
    """The later of two optional datetimes."""
    if candidate is None:
        return current
    return candidate if current is None or candidate > current else current
