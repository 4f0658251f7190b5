"""Services and service channels from the Suomi.fi Service Catalogue (PTV) Open API v11, by URL or file.

A page is {"pageNumber", "pageSize", "pageCount", "itemList": [...]} and pages with `?page=N`
(from 1); incremental runs add `date=` (changes after). When `itemList` holds only
{id, name} (the GUID lists of /api/v11/Service and /api/v11/ServiceChannel), the details come
from `<api>/Service/list?guids=...` or `<api>/ServiceChannel/list?guids=...`. A service has
serviceNames, serviceDescriptions (Summary, Description), keywords, languages,
organizations [{organization {id, name}, roleType}], serviceChannels [{serviceChannel {id}}],
publishingStatus and modified; a channel has serviceChannelType, serviceChannelNames,
webPages, supportPhones / phoneNumbers, supportEmails and serviceHours. An item with
serviceChannelType is a channel, any other a service, so one file may hold both.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Mapping, Optional, Tuple

import aiohttp
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.catalog.hours import BadHours, normalise_service_hours
from bot.catalog.importers.base import (ISO_639_1, BadRecord, HttpOptions, ImportReport, Progress, parse_time,
                                        read_json_file, require_name, texts_from_list)
from bot.catalog.importers.runner import Page, file_pages, newest_of, run_pages, run_source
from bot.catalog.importers.store import Prepared, remove, upsert
from bot.catalog.models import KIND_SERVICE, Organization, Service, ServiceChannel, service_channel_links
from bot.config import LANGUAGES

SOURCE = "ptv"
LIVE = {None, "", "Published"}


def is_sample(item: Mapping[str, Any]) -> bool:
    """Whether a PTV record is one of the repository's samples (sourceId "sample...")."""
    return str(item.get("sourceId") or "").startswith("sample")


def _typed(items: Any, wanted: str) -> Dict[str, str]:
    typed = texts_from_list(items, type_key="type", wanted_type=wanted)
    return typed or {}


def _joined(items: Any) -> Dict[str, str]:
    joined: Dict[str, List[str]] = {}
    for item in items or ():
        language = str(item.get("language") or "").lower()
        if language not in ISO_639_1:
            raise BadRecord(f"unknown language {item.get('language')!r}")
        if language in LANGUAGES and item.get("value"):
            joined.setdefault(language, []).append(str(item["value"]))
    return {language: ", ".join(values) for language, values in joined.items()}


def _organisation(item: Mapping[str, Any]) -> Optional[Tuple[str, str]]:
    organisations = [o for o in item.get("organizations") or () if isinstance(o.get("organization"), Mapping)]
    organisations.sort(key=lambda o: {"Responsible": 0, "Producer": 1}.get(o.get("roleType"), 2))
    for entry in organisations:
        organisation = entry["organization"]
        if organisation.get("id"):
            return str(organisation["id"]), str(organisation.get("name") or "")
    return None


def map_service(item: Mapping[str, Any]) -> Tuple[Prepared, Optional[Tuple[str, str]], List[str]]:
    """A PTV service as (record, (organisation id, name) or None, channel ids)."""
    external_id = str(item.get("id") or "").strip()
    if not external_id:
        raise BadRecord("missing id")
    names = item.get("serviceNames")
    name = _typed(names, "Name") or texts_from_list(names)
    name = require_name(name)
    alternative = _typed(names, "AlternativeName")
    descriptions = item.get("serviceDescriptions")
    summary = _typed(descriptions, "Summary") or _typed(descriptions, "ShortDescription")
    description = _typed(descriptions, "Description")
    keywords = _joined(item.get("keywords"))
    organisation = _organisation(item)
    channels = [str(c["serviceChannel"]["id"]) for c in item.get("serviceChannels") or ()
                if isinstance(c.get("serviceChannel"), Mapping) and c["serviceChannel"].get("id")]
    modified = parse_time(item.get("modified"), "modified")
    values = {"source": "sample" if is_sample(item) else SOURCE, "name": name, "summary": summary,
              "description": description, "keywords": keywords, "modified": modified}
    org_names = {language: organisation[1] for language in LANGUAGES} if organisation and organisation[1] else {}
    index = [(name, 3), (alternative, 3), (keywords, 2), (summary, 1), (description, 1), (org_names, 1)]
    return Prepared(external_id, values, index, hash_extra=[organisation, channels], modified=modified), \
        organisation, channels


def _phones(item: Mapping[str, Any]) -> List[Dict[str, str]]:
    phones = []
    for phone in list(item.get("supportPhones") or ()) + list(item.get("phoneNumbers") or ()):
        number = f"{phone.get('prefixNumber') or ''} {phone.get('number') or ''}".strip()
        if phone.get("number"):
            phones.append({"number": number, "language": str(phone.get("language") or "")})
    return phones


def map_channel(item: Mapping[str, Any]) -> Prepared:
    """A PTV service channel as a record (BadRecord when it cannot be used)."""
    external_id = str(item.get("id") or "").strip()
    if not external_id:
        raise BadRecord("missing id")
    names = item.get("serviceChannelNames")
    name = require_name(_typed(names, "Name") or texts_from_list(names))
    urls: Dict[str, str] = {}
    for page in item.get("webPages") or ():
        language = str(page.get("language") or "").lower()
        if language not in ISO_639_1:
            raise BadRecord(f"unknown language {page.get('language')!r}")
        if language in LANGUAGES and page.get("url") and language not in urls:
            urls[language] = str(page["url"])
    emails = [{"email": str(e.get("value")), "language": str(e.get("language") or "")}
              for e in list(item.get("supportEmails") or ()) + list(item.get("emails") or ()) if e.get("value")]
    try:
        hours = normalise_service_hours(item.get("serviceHours") or ())
    except BadHours as exc:
        raise BadRecord(f"serviceHours: {exc}") from exc
    modified = parse_time(item.get("modified"), "modified")
    values = {"source": "sample" if is_sample(item) else SOURCE,
              "channel_type": str(item.get("serviceChannelType") or "Unknown"),
              "organization_external_id": item.get("organizationId"), "name": name, "urls": urls,
              "phones": _phones(item), "emails": emails, "service_hours": hours, "modified": modified}
    return Prepared(external_id, values, modified=modified)


async def _store_organisations(session: AsyncSession, found: Dict[str, str], report: ImportReport) -> Dict[str, int]:
    records = [Prepared(org_id, {"name": {"fi": name} if name else {}, "source": SOURCE})
               for org_id, name in found.items()]
    ids, _ = await upsert(session, Organization, records, ImportReport("organisations"))
    return ids


async def store_items(session: AsyncSession, items: List[Mapping[str, Any]], report: ImportReport) -> Optional[datetime]:
    """Upsert one page of services and/or channels; unpublished ones are removed."""
    services: List[Tuple[Prepared, Optional[Tuple[str, str]], List[str]]] = []
    channels: List[Prepared] = []
    gone_services: List[str] = []
    gone_channels: List[str] = []
    newest: Optional[datetime] = None
    for item in items:
        report.read += 1
        record_id = str(item.get("id") if isinstance(item, Mapping) else "?")
        try:
            if not isinstance(item, Mapping):
                raise BadRecord("a PTV item must be a JSON object")
            is_channel = "serviceChannelType" in item
            if item.get("publishingStatus") not in LIVE and item.get("id"):
                (gone_channels if is_channel else gone_services).append(str(item["id"]))
                continue
            if is_channel:
                channels.append(map_channel(item))
                newest = newest_of(newest, channels[-1].modified)
            else:
                services.append(map_service(item))
                newest = newest_of(newest, services[-1][0].modified)
        except BadRecord as exc:
            report.bad(record_id, str(exc))
    await upsert(session, ServiceChannel, channels, report)
    await remove(session, ServiceChannel, gone_channels, report)
    if services:
        org_ids = await _store_organisations(session, {o[0]: o[1] for _, o, _ in services if o}, report)
        for record, organisation, _ in services:
            record.values["organization_id"] = org_ids.get(organisation[0]) if organisation else None
        ids, touched = await upsert(session, Service, [s[0] for s in services], report, kind=KIND_SERVICE)
        touched_set = set(touched)
        links = [{"service_id": ids[record.external_id], "channel_external_id": channel, "position": position}
                 for record, _, channel_ids in services if ids[record.external_id] in touched_set
                 for position, channel in enumerate(dict.fromkeys(channel_ids))]
        if touched:
            await session.execute(delete(service_channel_links).where(service_channel_links.c.service_id.in_(touched)))
        if links:
            await session.execute(insert(service_channel_links), links)
    await remove(session, Service, gone_services, report, kind=KIND_SERVICE)
    return newest


def items_of(document: Any) -> List[Mapping[str, Any]]:
    """The items of a PTV page (or of a bare list)."""
    if isinstance(document, list):
        return document
    if not isinstance(document, Mapping) or not isinstance(document.get("itemList"), list):
        raise ValueError("not a PTV page: expected {'pageNumber', 'pageCount', 'itemList': [...]}")
    return document["itemList"]


def detail_url(url: str) -> str:
    """The `/list?guids=` address of the API that `url` lists (Service or ServiceChannel)."""
    head, _, tail = url.partition("/api/v11/")
    kind = "ServiceChannel" if tail.lower().startswith("servicechannel") else "Service"
    return f"{head}/api/v11/{kind}/list"


async def fetch_pages(session: aiohttp.ClientSession, url: str, options: HttpOptions,
                      since: Optional[datetime] = None) -> AsyncIterator[Page]:
    """The pages at `url` (?page=1..pageCount), with details fetched for GUID-only items."""
    fetcher = options.fetcher(session)
    page, count = 1, 1
    while page <= count:
        params: Dict[str, Any] = {"page": page}
        if since is not None:
            params["date"] = since.strftime("%Y-%m-%dT%H:%M:%S")
        document = await fetcher.get_json(url, params)
        items = items_of(document)
        count = int(document.get("pageCount") or 1) if isinstance(document, Mapping) else 1
        bare = [str(i["id"]) for i in items if isinstance(i, Mapping) and i.get("id")
                and "serviceNames" not in i and "serviceChannelNames" not in i]
        if bare:
            bare_set = set(bare)
            full = [i for i in items if not (isinstance(i, Mapping) and str(i.get("id")) in bare_set)]
            for start in range(0, len(bare), 100):
                details = await fetcher.get_json(detail_url(url), {"guids": ",".join(bare[start: start + 100])})
                full.extend(items_of(details))
            items = full
        yield items, None
        page += 1


async def import_from_url(factory: "sessionmaker[AsyncSession]", url: str, options: HttpOptions,
                          incremental: bool = True, progress: Optional[Progress] = None) -> ImportReport:
    """Import (or update) services or channels from the PTV API list at `url`."""
    report = ImportReport(SOURCE)
    async with aiohttp.ClientSession() as http:
        return await run_source(factory, f"{SOURCE}:{url}", report,
                                lambda since: fetch_pages(http, url, options, since), store_items,
                                incremental, progress)


async def import_from_file(factory: "sessionmaker[AsyncSession]", path: Path,
                           progress: Optional[Progress] = None, document: Any = None) -> ImportReport:
    """Import services and/or channels from a file in the PTV page shape."""
    report = ImportReport(SOURCE)
    items = items_of(read_json_file(path) if document is None else document)
    await run_pages(factory, report, file_pages(items), store_items, progress)
    return report
