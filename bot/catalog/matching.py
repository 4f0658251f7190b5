"""Which records match a text query, found the same way on SQLite and PostgreSQL.

The database's planner is not trusted with "rows of this text, in date order": it may scan
every row or hash whole term lists. Instead the application picks the plan:

* few matches (the rarest key has at most CANDIDATE_CAP index rows): read the matching ids
  of the rarest key, intersect them with the other keys inside that id list, then read just
  those records (`candidates`);
* many matches: walk the records in the wanted order in growing chunks of ids and keep
  those whose index rows match (`filter_chunk`), until the page is full (`ordered_matches`);
  a walk longer than SCAN_LIMIT falls back to the exact candidate sets.
Every step is an index range or point lookup.
"""
from __future__ import annotations

from typing import AsyncIterator, List, Optional, Sequence, Set

from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.models import SearchTerm
from bot.catalog.search import key_range

CANDIDATE_CAP = 2000
FIRST_CHUNK = 128
MAX_CHUNK = 4096
SCAN_LIMIT = 20000
_TERMS = SearchTerm.__table__.c


def _where(kind: str, language: str, key: str):  # type: ignore[no-untyped-def]
    low, high = key_range(key)
    match = _TERMS.term == low if high is None else and_(_TERMS.term >= low, _TERMS.term < high)
    return and_(_TERMS.kind == kind, _TERMS.language == language, match)


async def key_counts(session: AsyncSession, kind: str, language: str, keys: Sequence[str]) -> List[int]:
    """Index rows per key, counted up to CANDIDATE_CAP + 1 (so each count costs little)."""
    parts = []
    for number, key in enumerate(keys):
        sample = (select(_TERMS.record_id).where(_where(kind, language, key)).limit(CANDIDATE_CAP + 1)
                  .subquery(f"k{number}"))
        parts.append(select(literal(number).label("k"), func.count().label("n")).select_from(sample))
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    counts = [0] * len(keys)
    for number, count in await session.execute(query):
        counts[int(number)] = int(count)
    return counts


async def ids_for_key(session: AsyncSession, kind: str, language: str, key: str,
                      within: Optional[Sequence[int]] = None) -> Set[int]:
    """The ids whose index matches `key` (only among `within` when given)."""
    found: Set[int] = set()
    if within is None:
        rows = await session.execute(select(_TERMS.record_id).where(_where(kind, language, key)))
        return {row_id for (row_id,) in rows}
    ids = list(within)
    for start in range(0, len(ids), MAX_CHUNK):
        rows = await session.execute(select(_TERMS.record_id).where(
            _TERMS.kind == kind, _TERMS.record_id.in_(ids[start: start + MAX_CHUNK]), _where(kind, language, key)))
        found.update(row_id for (row_id,) in rows)
    return found


async def candidates(session: AsyncSession, kind: str, language: str, keys: Sequence[str], all_keys: bool,
                     exact: bool = False) -> Optional[Set[int]]:
    """The ids matching all (or any) keys; None when that would start from over CANDIDATE_CAP rows (unless `exact`)."""
    cap = None if exact else CANDIDATE_CAP
    counts = await key_counts(session, kind, language, keys) if cap is not None else [0] * len(keys)
    if all_keys:
        order = sorted(range(len(keys)), key=counts.__getitem__)
        if cap is not None and counts[order[0]] > cap:
            return None
        ids = await ids_for_key(session, kind, language, keys[order[0]])
        for index in order[1:]:
            if not ids:
                break
            ids &= await ids_for_key(session, kind, language, keys[index], within=sorted(ids))
        return ids
    if cap is not None and sum(counts) > cap:
        return None
    found: Set[int] = set()
    for key in keys:
        found |= await ids_for_key(session, kind, language, key)
    return found


async def filter_chunk(session: AsyncSession, kind: str, language: str, keys: Sequence[str], all_keys: bool,
                       ids: Sequence[int]) -> List[int]:
    """The ids of `ids` (in their order) whose index matches all (or any) keys."""
    keep: Optional[Set[int]] = None
    remaining = list(ids)
    for key in keys:
        if all_keys and not remaining:
            break
        found = await ids_for_key(session, kind, language, key, within=remaining)
        keep = found if keep is None else (keep & found if all_keys else keep | found)
        if all_keys:
            remaining = [i for i in remaining if i in found]
    return [i for i in ids if keep and i in keep]


async def ordered_matches(session: AsyncSession, stream: AsyncIterator[List[int]], kind: str, language: str,
                          keys: Sequence[str], all_keys: bool, need: int) -> Optional[List[int]]:
    """The first `need` matching ids of an ordered id stream; None if that took over SCAN_LIMIT ids."""
    matched: List[int] = []
    scanned = 0
    async for chunk in stream:
        matched.extend(await filter_chunk(session, kind, language, keys, all_keys, chunk))
        scanned += len(chunk)
        if len(matched) >= need:
            return matched[:need]
        if scanned >= SCAN_LIMIT:
            return None
    return matched


def chunk_sizes() -> AsyncIterator[int]:
    """FIRST_CHUNK, then doubling up to MAX_CHUNK."""

    async def sizes() -> AsyncIterator[int]:
        size = FIRST_CHUNK
        while True:
            yield size
            size = min(size * 2, MAX_CHUNK)

    return sizes()
