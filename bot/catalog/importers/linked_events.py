"""Events from a Linked Events API (Espoo runs an instance) or a file in its shape.

The list endpoint answers {"meta": {"count", "next", "previous"}, "data": [event, ...]} and
pages by the absolute `meta.next` link. We ask for `include=location,keywords` so places and
keywords come with their names, and for `last_modified_since` on incremental runs. An event
has `name` {fi, sv, en}, `start_time`, `end_time`, `location`, `keywords`, `offers`,
`info_url`, `short_description`, `description`, `event_status`, `data_source` and
`last_modified_time`. An event's link is its own page (bot/catalog/links.py): `info_url`, else
its offer's `info_url`, else its page on espoo.fi when it is from Espoo's own Linked Events;
only https. A `data_source` of "sample" marks the repository's sample records.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Mapping, Optional
from urllib.parse import urljoin

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.catalog.importers.base import (BadRecord, HttpOptions, ImportReport, Progress, parse_time, read_json_file,
                                        require_name, short, texts_from_dict)
from bot.catalog.importers.runner import Page, file_pages, newest_of, run_pages, run_source
from bot.catalog.importers.store import Prepared, remove, upsert
from bot.catalog.links import espoo_event_pages, https_texts, own_page
from bot.catalog.models import KIND_EVENT, Event
from bot.catalog.places import district_names
from bot.config import HELSINKI

SOURCE = "linkedevents"
GONE_STATUSES = {"EventCancelled", "EventPostponed"}
LONG = timedelta(days=1)  # events longer than this are `long_running` (queries.find_events relies on it)
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """HTML of a description as plain text."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _joined(items: List[Dict[str, str]]) -> Dict[str, str]:
    joined: Dict[str, List[str]] = {}
    for texts in items:
        for language, text in texts.items():
            joined.setdefault(language, []).append(text)
    return {language: ", ".join(values) for language, values in joined.items()}


def own_pages(urls: Mapping[str, str]) -> Dict[str, str]:
    """The https pages of the event itself in {language: URL} (a general calendar page is none)."""
    return {language: url for language, url in https_texts(urls).items() if own_page(url)}


def is_sample(item: Mapping[str, Any]) -> bool:
    """Whether a Linked Events record is one of the repository's samples."""
    return str(item.get("data_source") or "").startswith("sample")


def map_event(item: Mapping[str, Any]) -> Prepared:
    """One Linked Events event as a Prepared record (BadRecord when it cannot be used)."""
    if not isinstance(item, Mapping):
        raise BadRecord("an event must be a JSON object")
    external_id = str(item.get("id") or "").strip()
    if not external_id:
        raise BadRecord("missing id")
    name = require_name(texts_from_dict(item.get("name")))
    start = parse_time(item.get("start_time"), "start_time", required=True)
    end = parse_time(item.get("end_time"), "end_time")
    assert start is not None
    if end is not None and end < start:
        raise BadRecord(f"end_time {item.get('end_time')} before start_time {item.get('start_time')}")
    local_day = start.astimezone(HELSINKI).date()
    ends_at = end or datetime.combine(local_day + timedelta(days=1), time(0), HELSINKI)
    summary = texts_from_dict(item.get("short_description"))
    if not summary:
        summary = {k: short(plain(v), 200) for k, v in texts_from_dict(item.get("description")).items()}
    location = item.get("location") or {}
    place: Dict[str, str] = {}
    if isinstance(location, Mapping):
        place = texts_from_dict(location.get("name"))
        street = texts_from_dict(location.get("street_address"))
        for language, address in street.items():
            place[language] = f"{place[language]}, {address}" if place.get(language) else address
    keywords = [texts_from_dict(k.get("name")) for k in item.get("keywords") or () if isinstance(k, Mapping)]
    keywords = [k for k in keywords if k]
    offers = [o for o in item.get("offers") or () if isinstance(o, Mapping)]
    is_free = any(bool(o.get("is_free")) for o in offers) if offers else None
    price = texts_from_dict(offers[0].get("price")) if offers else {}
    info_url = own_pages(texts_from_dict(item.get("info_url")))
    if not info_url and offers:
        info_url = own_pages(texts_from_dict(offers[0].get("info_url")))
    if not info_url:
        info_url = espoo_event_pages(external_id)
    values = {
        "source": "sample" if is_sample(item) else SOURCE,
        "name": name, "summary": summary, "location": place, "keywords": keywords,
        "info_url": info_url, "is_free": is_free, "price": price,
        "start_time": start, "end_time": end, "ends_at": ends_at, "long_running": ends_at - start > LONG,
        "modified": parse_time(item.get("last_modified_time"), "last_modified_time"),
    }
    district = district_names(str(location.get("postal_code") or "")) if isinstance(location, Mapping) else {}
    index = [(name, 3), (_joined(keywords), 2), (summary, 1), (place, 1), (district, 1)]
    return Prepared(external_id, values, index, modified=values["modified"])


async def store_events(session: AsyncSession, items: List[Mapping[str, Any]], report: ImportReport) -> Optional[datetime]:
    """Upsert one page of events; cancelled and deleted ones are removed. The newest modification seen."""
    prepared: List[Prepared] = []
    gone: List[str] = []
    newest: Optional[datetime] = None
    for item in items:
        report.read += 1
        try:
            if isinstance(item, Mapping) and item.get("id") and (
                    item.get("deleted") or item.get("event_status") in GONE_STATUSES):
                gone.append(str(item["id"]))
                try:
                    newest = newest_of(newest, parse_time(item.get("last_modified_time"), "last_modified_time"))
                except BadRecord:
                    pass
                continue
            record = map_event(item)
        except BadRecord as exc:
            report.bad(str(item.get("id") if isinstance(item, Mapping) else "?"), str(exc))
            continue
        prepared.append(record)
        newest = newest_of(newest, record.modified)
    await upsert(session, Event, prepared, report, kind=KIND_EVENT)
    await remove(session, Event, gone, report, kind=KIND_EVENT)
    return newest


def events_of(document: Any) -> List[Mapping[str, Any]]:
    """The events of a Linked Events page (or of a bare list)."""
    if isinstance(document, list):
        return document
    if not isinstance(document, Mapping) or not isinstance(document.get("data"), list):
        raise ValueError("not a Linked Events page: expected {'meta': ..., 'data': [...]}")
    return document["data"]


async def fetch_pages(session: aiohttp.ClientSession, url: str, options: HttpOptions,
                      since: Optional[datetime] = None, page_size: int = 100) -> AsyncIterator[Page]:
    """The pages of a Linked Events event list, following `meta.next`."""
    fetcher = options.fetcher(session)
    params: Optional[Dict[str, Any]] = {"page_size": page_size, "include": "location,keywords"}
    if since is not None:
        params["last_modified_since"] = since.isoformat()
    next_url: Optional[str] = url
    while next_url:
        document = await fetcher.get_json(next_url, params)
        meta = document.get("meta") or {} if isinstance(document, Mapping) else {}
        yield events_of(document), meta.get("count")
        link = meta.get("next")
        next_url = urljoin(next_url, link) if link else None
        params = None  # the next link carries the query


async def import_from_url(factory: "sessionmaker[AsyncSession]", url: str, options: HttpOptions,
                          incremental: bool = True, progress: Optional[Progress] = None,
                          page_size: int = 100) -> ImportReport:
    """Import (or update) events from a Linked Events API at `url`."""
    report = ImportReport(SOURCE)
    async with aiohttp.ClientSession() as http:
        return await run_source(
            factory, f"{SOURCE}:{url}", report,
            lambda since: fetch_pages(http, url, options, since, page_size), store_events, incremental, progress)


async def import_from_file(factory: "sessionmaker[AsyncSession]", path: Path,
                           progress: Optional[Progress] = None, document: Any = None) -> ImportReport:
    """Import events from a file in the Linked Events page shape (or an already read `document`)."""
    report = ImportReport(SOURCE)
    items = events_of(read_json_file(path) if document is None else document)
    await run_pages(factory, report, file_pages(items), store_events, progress)
    return report
