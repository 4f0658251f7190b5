"""The lookups the custom actions call: services, events and recruitment offers.

Each takes an AsyncSession (one per call; the caller owns it), returns a `Page` of small
frozen dataclasses already in the requested language (`fell_back` tells when a record
lacked it and another language was used) and pages with `limit`/`offset`; `has_more` says
whether a "show more" would find anything. The answer types are in bot/catalog/hits.py;
`find_events` and `find_offers` live in bot/catalog/listings.py; both are re-exported here,
the one module the actions import (queries -> listings -> hits: one way). `channel_hours`
gives one channel's opening-hours rules (the opening-hours answer, bot/rasa/nlg_hours.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Sequence

from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.hours import is_open
from bot.catalog.models import KIND_SERVICE, Organization, SearchTerm, Service, ServiceChannel, service_channel_links
from bot.catalog.hits import EventHit, OfferHit, Page, ServiceHit, aware_now, localised, one_line, paging
from bot.catalog.listings import find_events, find_offers
from bot.catalog.lookup_search import lookup_events, lookup_offers
from bot.catalog.search import FALLBACK_ORDER, key_range, query_keys


def _key_match(terms: Any, key: str) -> Any:
    low, high = key_range(key)
    return terms.term == low if high is None else and_(terms.term >= low, terms.term < high)


def _term_select(kind: str, language: str, key: str, with_weight: bool = False, index: int = 0) -> Any:
    terms = SearchTerm.__table__.c
    where = and_(terms.kind == kind, terms.language == language, _key_match(terms, key))
    if with_weight:
        return (select(terms.record_id, func.max(terms.weight).label("weight"), literal(index).label("k"))
                .where(where).group_by(terms.record_id))
    return select(terms.record_id).where(where)


async def _ranked_service_ids(session: AsyncSession, language: str, keys: Sequence[str]) -> List[int]:
    scored = union_all(*[_term_select(KIND_SERVICE, language, key, True, i) for i, key in enumerate(keys)]).subquery()
    rows = (await session.execute(
        select(scored.c.record_id, func.count().label("n"), func.sum(scored.c.weight).label("score"))
        .group_by(scored.c.record_id))).all()
    if not rows:
        return []
    best = max(row.n for row in rows)
    rows = sorted((r for r in rows if r.n == best), key=lambda r: (-r.score, r.record_id))
    return [row.record_id for row in rows]


async def search_services(session: AsyncSession, text: str, language: str, limit: int = 5, offset: int = 0,
                          now: Optional[datetime] = None) -> Page[ServiceHit]:
    """Services matching `text` in `language`, best first (those matching the most query words).

    An empty query lists every service. When nothing matches in `language`, the other
    languages' index is searched (a Finnish word in an English conversation); the answer is
    still in `language` where the record has it. `open_now` says whether a channel of the
    service is open at `now` (None when no channel has opening hours).
    """
    language, limit, offset = paging(language, limit, offset)
    moment = aware_now(now)
    keys = query_keys(text or "", language)
    if keys:
        ranked = await _ranked_service_ids(session, language, keys)
        for other in FALLBACK_ORDER[language][1:]:  # a Finnish word in an English conversation
            if ranked:
                break
            other_keys = query_keys(text, other)
            ranked = await _ranked_service_ids(session, other, other_keys) if other_keys else []
        total = len(ranked)
        page_ids = ranked[offset: offset + limit]
    elif (text or "").strip():
        total, page_ids = 0, []
    else:
        total = int(await session.scalar(select(func.count()).select_from(Service)) or 0)
        page_ids = list((await session.execute(
            select(Service.id).order_by(Service.id).limit(limit).offset(offset))).scalars())
    if not page_ids:
        return Page((), offset, limit, False, total)
    rows = (await session.execute(
        select(Service, Organization.name).outerjoin(Organization, Service.organization_id == Organization.id)
        .where(Service.id.in_(page_ids)))).all()
    by_id = {service.id: (service, org_name) for service, org_name in rows}
    links = (await session.execute(
        select(service_channel_links.c.service_id, ServiceChannel)
        .join(ServiceChannel, ServiceChannel.external_id == service_channel_links.c.channel_external_id)
        .where(service_channel_links.c.service_id.in_(page_ids))
        .order_by(service_channel_links.c.service_id, service_channel_links.c.position))).all()
    channels: Dict[int, List[ServiceChannel]] = {}
    for service_id, channel in links:
        channels.setdefault(service_id, []).append(channel)
    hits = [_service_hit(by_id[i][0], by_id[i][1], channels.get(i, []), language, moment) for i in page_ids if i in by_id]
    return Page(tuple(hits), offset, limit, offset + limit < total, total)


def _service_hit(service: Service, org_name: Optional[Mapping[str, str]], channels: Sequence[ServiceChannel],
                 language: str, moment: datetime) -> ServiceHit:
    name, used = localised(service.name, language)
    summary, _ = localised(service.summary, language)
    if not summary:
        summary, _ = localised(service.description, language)
    url = phone = None
    states = []
    for channel in sorted(channels, key=lambda c: c.channel_type not in ("WebPage", "EChannel")):
        if url is None and channel.urls:
            url, _ = localised(channel.urls, language)
        if phone is None and channel.phones:
            preferred = [p for p in channel.phones if p.get("language") == language] or channel.phones
            phone = preferred[0]["number"]
        if channel.service_hours:
            states.append(is_open(channel.service_hours, moment))
    open_now = True if True in states else (False if False in states else None)
    provider, _ = localised(org_name, language)
    return ServiceHit(service.id, service.external_id, name, one_line(summary), url, provider or None,
                      open_now, phone, used or language, used != language)


async def channel_hours(session: AsyncSession, channel_id: str) -> Optional[List[Dict[str, Any]]]:
    """The normalised opening-hours rules (bot/catalog/hours.py) of the service channel whose
    external id is `channel_id` (the advice channel: Settings.advice_hours_channel_id); None when
    the catalogue has no such channel or the channel gives no hours."""
    rules = await session.scalar(select(ServiceChannel.service_hours).where(ServiceChannel.external_id == channel_id))
    return list(rules) if rules else None


__all__ = ["Page", "ServiceHit", "EventHit", "OfferHit", "search_services", "find_events", "find_offers",
           "lookup_events", "lookup_offers", "channel_hours"]
