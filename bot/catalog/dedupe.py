"""One result once: the same offer (or event) imported twice is listed once, on every page.

Two recruitment offers are the same when they have the same id, or the same title, employer
and place (case and spacing aside); two events when they have the same id, or the same name,
start and place. The first in the list's order is kept. Pages count unique results, so
"show more" never repeats one shown on an earlier page: a page is cut from the unique
results of a window at the start of the list, widened until it holds the page.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Hashable, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.models import Event, Offer
from bot.catalog.search import pick_language

Window = Callable[[int], Awaitable[Tuple[List[int], bool]]]  # size -> (first ids in order, more exist)
Keys = Callable[[Sequence[int]], Awaitable[Dict[int, Hashable]]]
BATCH = 4096


def normal(texts: Optional[Mapping[str, str]]) -> str:
    """The Finnish text (or the first there is) of `texts`, folded for comparison."""
    text, _ = pick_language(texts or {}, "fi")
    return " ".join((text or "").casefold().split())


def unique_ids(ids: Sequence[int], keys: Mapping[int, Hashable]) -> List[int]:
    """`ids` without repeated ids and without a second record of the same key (kept in order)."""
    seen_ids, seen_keys, found = set(), set(), []
    for record_id in ids:
        key = keys.get(record_id)
        if record_id in seen_ids or key is None or key in seen_keys:
            continue
        seen_ids.add(record_id)
        seen_keys.add(key)
        found.append(record_id)
    return found


async def unique_page(window: Window, keys: Keys, offset: int, limit: int) -> Tuple[List[int], bool]:
    """The ids of results offset..offset+limit of the unique results, and whether more follow."""
    need = offset + limit + 1
    size = 2 * need
    while True:
        ids, more = await window(size)
        found = unique_ids(ids, await keys(ids))
        if len(found) >= need or not more:
            page = found[offset: need]
            return page[:limit], len(page) > limit
        size *= 4


async def _rows(session: AsyncSession, columns: Sequence[Any], ids: Sequence[int]) -> List[Any]:
    rows: List[Any] = []
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH):
        rows.extend((await session.execute(select(*columns).where(columns[0].in_(ordered[start: start + BATCH])))).all())
    return rows


async def offer_keys(session: AsyncSession, ids: Sequence[int]) -> Dict[int, Hashable]:
    """{id: (title, employer, place)} of the offers `ids`."""
    rows = await _rows(session, (Offer.id, Offer.title, Offer.employer, Offer.municipality), ids)
    return {row[0]: (normal(row[1]), normal(row[2]), " ".join((row[3] or "").casefold().split())) for row in rows}


async def event_keys(session: AsyncSession, ids: Sequence[int]) -> Dict[int, Hashable]:
    """{id: (name, start, place)} of the events `ids`."""
    rows = await _rows(session, (Event.id, Event.name, Event.start_time, Event.location), ids)
    return {row[0]: (normal(row[1]), row[2], normal(row[3])) for row in rows}
