"""Events and recruitment offers for a structured look-up query (bot/catalog/lookup_query.py).

What and where filter (every what entry's records, intersected with every where entry's);
free words are searched only when nothing was understood as what (all words, else any). An
offer whose title is the occupation asked for comes first, then one whose title holds it,
then the rest (a match in the summary), each group newest first; events in date order.
The sets come from the search index (bot/catalog/matching.py); a query with no text filter
pages in SQL like `find_events`/`find_offers` (bot/catalog/listings.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.dedupe import event_keys, offer_keys, unique_ids
from bot.catalog.hits import EventHit, OfferHit, Page, aware_now, paging
from bot.catalog.listings import event_hit, offer_hit, rows_by_id, find_events
from bot.catalog.lookup_query import LookupQuery, Term
from bot.catalog.matching import candidates
from bot.catalog.models import KIND_EVENT, KIND_OFFER, Event, Offer
from bot.catalog.search import FALLBACK_ORDER, fold, key_range, query_keys, term_key, words
from bot.catalog.vocabulary import base_title

BATCH = 4096


async def _phrase_ids(session: AsyncSession, kind: str, language: str, phrase: str) -> Set[int]:
    keys = query_keys(phrase, language)
    return (await candidates(session, kind, language, keys, True, exact=True) or set()) if keys else set()


async def term_ids(session: AsyncSession, kind: str, term: Term) -> Set[int]:
    """The records of one understood entry: those matching any of its search phrases."""
    found: Set[int] = set()
    for language, phrase in dict.fromkeys(term.search):
        found |= await _phrase_ids(session, kind, language, phrase)
    return found


async def free_ids(session: AsyncSession, kind: str, language: str, free: Sequence[str]) -> Set[int]:
    """Records matching every free word, else any, in `language` first, then the fallbacks."""
    for candidate in FALLBACK_ORDER[language]:
        keys = query_keys(" ".join(free), candidate)
        if not keys:
            continue
        for all_keys in ((True, False) if len(keys) > 1 else (True,)):
            ids = await candidates(session, kind, candidate, keys, all_keys, exact=True) or set()
            if ids:
                return ids
    return set()


async def filtered_ids(session: AsyncSession, kind: str, language: str, query: LookupQuery) -> Optional[Set[int]]:
    """The ids the query's what, where (not municipalities) and free words allow; None: no text filter."""
    found: Optional[Set[int]] = None
    if query.what:
        found = set()
        for term in query.what:
            found |= await term_ids(session, kind, term)
    elif query.free:
        found = await free_ids(session, kind, language, query.free)
        if not found and (query.where or query.start):
            found = None  # words that match nothing do not void a search by place or date
    for term in query.where:
        if term.kind == "municipality":
            continue
        place = await term_ids(session, kind, term)
        found = place if found is None else found & place
    return found


def _covers(title_keys: Sequence[str], phrase: str, language: str) -> bool:
    keys = query_keys(phrase, language)
    return bool(keys) and all(any(low <= k < (high or low + "\0") for k in title_keys)
                              for low, high in (key_range(q) for q in keys))


def title_rank(title: Dict[str, str], terms: Sequence[Term]) -> int:
    """0: the title is an occupation asked for; 1: it holds one (or a sector's word); 2: otherwise."""
    titles = {language: base_title(text) for language, text in (title or {}).items() if text}
    names = {fold(phrase) for term in terms if term.kind == "occupation" for _, phrase in term.search}
    if any(fold(text) in names for text in titles.values()):
        return 0
    for language, text in titles.items():
        keys = [term_key(w, language) for w in words(text)]
        if any(_covers(keys, phrase, language) for term in terms for _, phrase in term.search):
            return 1
    return 2


async def _select_in(session: AsyncSession, columns: Sequence[Any], ids: Set[int], conditions: Sequence[Any]) -> List[Any]:
    ordered, rows = sorted(ids), []
    for start in range(0, len(ordered), BATCH):
        rows.extend((await session.execute(select(*columns).where(
            columns[0].in_(ordered[start: start + BATCH]), *conditions))).all())
    return rows


def _page(ordered: List[int], keys: Dict[int, Any], offset: int, limit: int) -> Tuple[List[int], bool]:
    unique = unique_ids(ordered, keys)
    page = unique[offset: offset + limit + 1]
    return page[:limit], len(page) > limit


def _towns(query: LookupQuery) -> List[str]:
    return sorted({fold(phrase) for t in query.where if t.kind == "municipality" for _, phrase in t.search})


async def lookup_offers(session: AsyncSession, language: str, query: LookupQuery, limit: int = 5, offset: int = 0,
                        now: Optional[datetime] = None) -> Page[OfferHit]:
    """Open offers for `query`: the occupation asked for first, then newest first; each once."""
    language, limit, offset = paging(language, limit, offset)
    moment = aware_now(now)
    conditions = [Offer.published_at <= moment, or_(Offer.deadline.is_(None), Offer.deadline > moment)]
    towns = _towns(query)
    if towns:
        conditions.append(func.lower(Offer.municipality).in_(towns))
    ids = await filtered_ids(session, KIND_OFFER, language, query)
    columns = (Offer.id, Offer.published_at, Offer.title)
    if ids is None:
        need = (offset + limit + 1) * 4
        rows = (await session.execute(select(*columns).where(*conditions).order_by(
            Offer.published_at.desc(), Offer.id.desc()).limit(need))).all()
    else:
        rows = await _select_in(session, columns, ids, conditions)
    rank: Callable[[Any], Any] = lambda r: (title_rank(r[2], query.what) if query.what else 0,
                                            -r[1].timestamp(), -r[0])
    ordered = [row[0] for row in sorted(rows, key=rank)]
    page, more = _page(ordered, await offer_keys(session, ordered), offset, limit)
    records = await rows_by_id(session, Offer, page)
    return Page(tuple(offer_hit(row, language) for row in records), offset, limit, more)


async def lookup_events(session: AsyncSession, language: str, query: LookupQuery, limit: int = 5, offset: int = 0,
                        now: Optional[datetime] = None) -> Page[EventHit]:
    """Events for `query` not yet ended at `now` and within its dates, earliest first; each once."""
    language, limit, offset = paging(language, limit, offset)
    moment = aware_now(now)
    start = datetime.fromisoformat(query.start) if query.start else None
    end = datetime.fromisoformat(query.end) if query.end else None
    ids = await filtered_ids(session, KIND_EVENT, language, query)
    if ids is None:
        return await find_events(session, language, None, start, end, limit, offset, now=moment)
    since = max(moment, start) if start is not None else moment
    conditions = [Event.ends_at > since] + ([Event.start_time < end] if end is not None else [])
    rows = await _select_in(session, (Event.id, Event.start_time), ids, conditions)
    ordered = [row[0] for row in sorted(rows, key=lambda r: (r[1], r[0]))]
    page, more = _page(ordered, await event_keys(session, ordered), offset, limit)
    records = await rows_by_id(session, Event, page)
    return Page(tuple(event_hit(row, language) for row in records), offset, limit, more)
