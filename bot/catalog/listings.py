"""Events and recruitment offers in date order, optionally filtered by text (see bot.catalog.matching).

A result is listed once, however often it was imported (bot/catalog/dedupe.py).

`bot.catalog.queries` re-exports `find_events` and `find_offers`; the actions import them from there.
The answer types and shared helpers are in bot/catalog/hits.py (this module never imports queries).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, AsyncIterator, Awaitable, Callable, List, Optional, Sequence, Set, Tuple

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.dates import is_date_word
from bot.catalog.dedupe import event_keys, offer_keys, unique_page
from bot.catalog.hits import EventHit, OfferHit, Page, aware_now, localised, one_line, paging
from bot.catalog.importers.linked_events import LONG
from bot.catalog.matching import candidates, chunk_sizes, ordered_matches
from bot.catalog.models import KIND_EVENT, KIND_OFFER, Event, Offer
from bot.catalog.search import FALLBACK_ORDER, query_keys
from bot.config import HELSINKI

_EVENT_WORDS = frozenset("event events tapahtuma tapahtumat tapahtumia tapahtumaa tapahtumista tapahtumiin "
                         "evenemang evenemanget evenemangen happening happenings".split())
_OFFER_WORDS = frozenset("job jobs vacancy vacancies opening openings position positions työpaikka työpaikat "
                         "työpaikkoja työpaikkaa avoin avoimet avoimia työ töitä työtä jobb jobbet lediga ledigt "
                         "tjänst tjänster platser recruitment rekrytointi".split())
_EVENT_HEADS = ("tapahtum", "tilaisuu", "evenemang", "events")
_OFFER_HEADS = ("työpaik", "paikat", "jobb")

OrderedIds = Callable[[Set[int]], Awaitable[List[int]]]
IdStream = Callable[[], AsyncIterator[List[int]]]


async def _matching_page(session: AsyncSession, kind: str, searches: Sequence[Tuple[str, List[str]]], limit: int,
                         offset: int, exact: OrderedIds, stream: IdStream) -> Tuple[List[int], bool]:
    """Ids of one page of records matching every key (else, when none does, any key), in order.

    `searches` is [(language, its query keys)], the user's language first: the next one is
    tried only when nothing at all matches in the previous (a Finnish word in an English
    conversation). `exact(ids)` orders a known id set, keeping only records that meet the
    other conditions; `stream()` yields the ids of all such records in order, in chunks.
    """
    need = offset + limit + 1
    ordered: List[int] = []
    for language, keys in searches:
        for all_keys in ((True, False) if len(keys) > 1 else (True,)):
            ids = await candidates(session, kind, language, keys, all_keys)
            if ids is not None:
                ordered = await exact(ids)
            else:
                walked = await ordered_matches(session, stream(), kind, language, keys, all_keys, need)
                ordered = walked if walked is not None else await exact(
                    await candidates(session, kind, language, keys, all_keys, exact=True) or set())
            if ordered:
                break
        if ordered:
            break
    page = ordered[offset: offset + limit + 1]
    return page[:limit], len(page) > limit


def _searches(text: Optional[str], language: str, skip: Callable[[str], bool],
              heads: Sequence[str]) -> List[Tuple[str, List[str]]]:
    """[(language, keys)] for the user's language, then the others in fallback order."""
    found = []
    for candidate in FALLBACK_ORDER[language]:
        keys = query_keys(text or "", candidate, skip=skip, heads=heads)
        if keys:
            found.append((candidate, keys))
    return found if found and found[0][0] == language else []


async def rows_by_id(session: AsyncSession, model: Any, ids: Sequence[int]) -> List[Any]:
    if not ids:
        return []
    rows = {row.id: row for row in (await session.execute(select(model).where(model.id.in_(list(ids))))).scalars()}
    return [rows[i] for i in ids if i in rows]


async def _exact(session: AsyncSession, columns: Sequence[Any], conditions: Sequence[Any], ids: Set[int],
                 order: Callable[[Any], Any]) -> List[int]:
    found: List[Any] = []
    ordered_ids = sorted(ids)
    for start in range(0, len(ordered_ids), 4096):
        found.extend((await session.execute(select(*columns).where(
            columns[0].in_(ordered_ids[start: start + 4096]), *conditions))).all())
    return [row[0] for row in sorted(found, key=order)]


async def _keyset_ids(session: AsyncSession, id_column: Any, order_column: Any, conditions: Sequence[Any],
                      descending: bool) -> AsyncIterator[List[int]]:
    """Ids of the rows meeting `conditions` in (order_column, id) order, in growing chunks (keyset paging)."""
    order = (order_column.desc(), id_column.desc()) if descending else (order_column, id_column)
    last = None
    async for size in chunk_sizes():
        query = select(id_column, order_column).where(*conditions)
        if last is not None:
            after = order_column < last[1] if descending else order_column > last[1]
            beyond = id_column < last[0] if descending else id_column > last[0]
            query = query.where(or_(after, and_(order_column == last[1], beyond)))
        rows = (await session.execute(query.order_by(*order).limit(size))).all()
        if rows:
            yield [row[0] for row in rows]
            last = rows[-1]
        if len(rows) < size:
            return


async def find_events(session: AsyncSession, language: str, text_or_topic: Optional[str] = None,
                      start: Optional[datetime] = None, end: Optional[datetime] = None, limit: int = 5,
                      offset: int = 0, now: Optional[datetime] = None) -> Page[EventHit]:
    """Events not yet ended at `now` (and overlapping [start, end) when given), earliest first.

    `text_or_topic` ("networking", "rahoitustapahtumat", a whole message) filters by the
    event's name, keywords, summary and place; words about dates and the word "event"
    itself are ignored. Events matching every word come first; if none does, any word.
    """
    language, limit, offset = paging(language, limit, offset)
    moment = aware_now(now)
    since = max(moment, start) if start is not None else moment
    searches = _searches(text_or_topic, language, lambda w: w in _EVENT_WORDS or is_date_word(w), _EVENT_HEADS)
    common = [Event.ends_at > since] + ([Event.start_time < end] if end is not None else [])
    # Date order in two parts: long events that started over a day before `since` and still go
    # on (few: a short event that started then has ended), then everything starting later.
    ongoing_query = (select(Event.id).where(Event.long_running.is_(True), Event.start_time < since - LONG, *common)
                     .order_by(Event.start_time, Event.id))
    later = [Event.start_time >= since - LONG, *common]

    async def stream() -> AsyncIterator[List[int]]:
        ongoing = list((await session.execute(ongoing_query)).scalars())
        if ongoing:
            yield ongoing
        async for ids in _keyset_ids(session, Event.id, Event.start_time, later, descending=False):
            yield ids

    async def window(size: int) -> Tuple[List[int], bool]:
        if searches:
            return await _matching_page(
                session, KIND_EVENT, searches, size, 0,
                lambda found: _exact(session, (Event.id, Event.start_time), common, found, lambda r: (r[1], r[0])),
                stream)
        ids = list((await session.execute(ongoing_query)).scalars())[: size + 1]
        if len(ids) <= size:
            ids += list((await session.execute(select(Event.id).where(*later).order_by(Event.start_time, Event.id)
                                               .limit(size + 1 - len(ids)))).scalars())
        return ids[:size], len(ids) > size

    ids, more = await unique_page(window, lambda found: event_keys(session, found), offset, limit)
    rows = await rows_by_id(session, Event, ids)
    return Page(tuple(event_hit(row, language) for row in rows), offset, limit, more)


def event_hit(event: Event, language: str) -> EventHit:
    name, used = localised(event.name, language)
    summary, _ = localised(event.summary, language)
    location, _ = localised(event.location, language)
    url, _ = localised(event.info_url, language)
    price, _ = localised(event.price, language)
    keywords = tuple(k for k in (localised(k, language)[0] for k in event.keywords or ()) if k)
    return EventHit(event.id, event.external_id, name, one_line(summary), event.start_time.astimezone(HELSINKI),
                    event.end_time.astimezone(HELSINKI) if event.end_time else None, location or None, url or None,
                    event.is_free, price or None, keywords, used or language, used != language)


async def find_offers(session: AsyncSession, language: str, text: Optional[str] = None, limit: int = 5,
                      offset: int = 0, now: Optional[datetime] = None) -> Page[OfferHit]:
    """Open recruitment offers (published, deadline not passed at `now`), newest first, each once.

    `text` filters by occupation or keyword (title, employer, summary, place); generic words
    such as "job" or "työpaikat" are ignored.
    """
    language, limit, offset = paging(language, limit, offset)
    moment = aware_now(now)
    searches = _searches(text, language, lambda w: w in _OFFER_WORDS, _OFFER_HEADS)
    open_now = [Offer.published_at <= moment, or_(Offer.deadline.is_(None), Offer.deadline > moment)]

    def stream() -> AsyncIterator[List[int]]:
        return _keyset_ids(session, Offer.id, Offer.published_at, open_now, descending=True)

    async def window(size: int) -> Tuple[List[int], bool]:
        if searches:
            return await _matching_page(
                session, KIND_OFFER, searches, size, 0,
                lambda found: _exact(session, (Offer.id, Offer.published_at), open_now, found,
                                     lambda r: (-r[1].timestamp(), -r[0])), stream)
        ids = list((await session.execute(select(Offer.id).where(*open_now).order_by(
            Offer.published_at.desc(), Offer.id.desc()).limit(size + 1))).scalars())
        return ids[:size], len(ids) > size

    ids, more = await unique_page(window, lambda found: offer_keys(session, found), offset, limit)
    rows = await rows_by_id(session, Offer, ids)
    return Page(tuple(offer_hit(row, language) for row in rows), offset, limit, more)


def offer_hit(offer: Offer, language: str) -> OfferHit:
    title, used = localised(offer.title, language)
    summary, _ = localised(offer.summary, language)
    employer, _ = localised(offer.employer, language)
    return OfferHit(offer.id, offer.external_id, title, one_line(summary), employer or None, offer.municipality,
                    offer.url, offer.published_at.astimezone(HELSINKI),
                    offer.deadline.astimezone(HELSINKI) if offer.deadline else None, used or language, used != language)
