"""Recruitment offers from Job Market Finland (Työmarkkinatori) job postings, by URL or file.

A result page is {"ilmoituksienMaara": N, "ilmoitukset": [posting, ...], "sivutus": {"sivu", "maara"}}
and pages with the query parameters `sivu` (0-based page) and `maara` (page size). A posting
has `ilmoituksenID`, `ilmoittajanNimi` [{kieliKoodi, arvo}], `perustiedot` (tyonOtsikko,
tyonKuvaus, tyonTiivistelma as [{kieliKoodi, arvo}], tyoAika, ...), `osaamisvaatimukset`
(ammatit [{luokiteltuArvo, luokittelunNimi}]), `sijainti` (toimipaikka {postitoimipaikka,
postinumero, ...}, kunta [...]), `hakeminen` (hakuaikaPaattyy, hakemuksenUrl, ...),
`julkaisupvm` and `muokattupvm`. The API has no "modified since" filter, so incremental
runs skip postings not modified since the last run on our side. A posting's link is its
application page (`hakemuksenUrl`, https and not a general vacancy search) or else its own page
on tyomarkkinatori.fi; a sample has none (its id is invented). A `lahde` ("source") of
"sample" marks the repository's sample records.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Mapping, Optional

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.catalog.importers.base import (BadRecord, HttpOptions, ImportReport, Progress, parse_time, read_json_file,
                                        require_name, short, texts_from_list)
from bot.catalog.importers.runner import Page, file_pages, newest_of, run_pages, run_source
from bot.catalog.importers.store import Prepared, upsert
from bot.catalog.links import own_page, posting_page
from bot.catalog.models import KIND_OFFER, Offer
from bot.catalog.places import district_names

SOURCE = "tyomarkkinatori"


def _localised(items: Any) -> Dict[str, str]:
    return texts_from_list(items, lang_key="kieliKoodi", value_key="arvo")


def is_sample(item: Mapping[str, Any]) -> bool:
    """Whether a posting is one of the repository's samples."""
    return str(item.get("lahde") or "").startswith("sample")


def map_posting(item: Mapping[str, Any]) -> Prepared:
    """One job posting as a Prepared record (BadRecord when it cannot be used)."""
    if not isinstance(item, Mapping):
        raise BadRecord("a posting must be a JSON object")
    external_id = str(item.get("ilmoituksenID") or "").strip()
    if not external_id:
        raise BadRecord("missing ilmoituksenID")
    basics = item.get("perustiedot") or {}
    title = require_name(_localised(basics.get("tyonOtsikko")), "title (tyonOtsikko)")
    summary = _localised(basics.get("tyonTiivistelma"))
    description = _localised(basics.get("tyonKuvaus"))
    for language, text in description.items():
        summary.setdefault(language, short(text, 200))
    employer = _localised(item.get("ilmoittajanNimi"))
    if not employer and item.get("tyollistaja"):
        employer = {"fi": str(item["tyollistaja"])}
    place = (item.get("sijainti") or {}).get("toimipaikka") or {}
    municipality = str(place.get("postitoimipaikka") or "").strip() or None
    skills = item.get("osaamisvaatimukset") or {}
    occupations = [str(o.get("luokiteltuArvo")) for o in skills.get("ammatit") or () if o.get("luokiteltuArvo")]
    applying = item.get("hakeminen") or {}
    published = parse_time(item.get("julkaisupvm"), "julkaisupvm", required=True)
    deadline = parse_time(applying.get("hakuaikaPaattyy"), "hakuaikaPaattyy")
    assert published is not None
    if deadline is not None and deadline < published:
        raise BadRecord(f"hakuaikaPaattyy {applying.get('hakuaikaPaattyy')} before julkaisupvm {item.get('julkaisupvm')}")
    modified = parse_time(item.get("muokattupvm"), "muokattupvm")
    values = {
        "source": "sample" if is_sample(item) else SOURCE,
        "title": title, "summary": summary, "employer": employer, "municipality": municipality,
        "occupations": occupations,
        "url": own_page(applying.get("hakemuksenUrl")) or (None if is_sample(item) else posting_page(external_id)),
        "published_at": published, "deadline": deadline, "modified": modified,
    }
    index = [(title, 3), (employer, 2), (summary, 1), ({"fi": municipality or ""}, 1),
             (district_names(str(place.get("postinumero") or "")), 1)]
    return Prepared(external_id, values, index, modified=modified)


def postings_of(document: Any) -> List[Mapping[str, Any]]:
    """The postings of a result page (or of a bare list)."""
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        for key in ("ilmoitukset", "Ilmoitukset"):
            if isinstance(document.get(key), list):
                return document[key]
    raise ValueError("not a Työmarkkinatori result: expected {'ilmoituksienMaara': N, 'ilmoitukset': [...]}")


def make_handler(since: Optional[datetime] = None):  # type: ignore[no-untyped-def]
    """A page handler that skips postings not modified after `since`."""

    async def store_postings(session: AsyncSession, items: List[Mapping[str, Any]],
                             report: ImportReport) -> Optional[datetime]:
        prepared: List[Prepared] = []
        newest: Optional[datetime] = None
        for item in items:
            report.read += 1
            try:
                record = map_posting(item)
            except BadRecord as exc:
                report.bad(str(item.get("ilmoituksenID") if isinstance(item, Mapping) else "?"), str(exc))
                continue
            newest = newest_of(newest, record.modified)
            if since is not None and record.modified is not None and record.modified <= since:
                report.unchanged += 1
                continue
            prepared.append(record)
        await upsert(session, Offer, prepared, report, kind=KIND_OFFER)
        return newest

    return store_postings


async def fetch_pages(session: aiohttp.ClientSession, url: str, options: HttpOptions,
                      page_size: int = 100) -> AsyncIterator[Page]:
    """The result pages at `url`, by `sivu` and `maara`, until a short page or the announced total."""
    fetcher = options.fetcher(session)
    page = 0
    while True:
        document = await fetcher.get_json(url, {"sivu": page, "maara": page_size})
        items = postings_of(document)
        total = document.get("ilmoituksienMaara") if isinstance(document, Mapping) else None
        yield items, total
        page += 1
        if len(items) < page_size or (isinstance(total, int) and page * page_size >= total):
            break


async def import_from_url(factory: "sessionmaker[AsyncSession]", url: str, options: HttpOptions,
                          incremental: bool = True, progress: Optional[Progress] = None,
                          page_size: int = 100) -> ImportReport:
    """Import (or update) recruitment offers from the job posting API at `url`."""
    report = ImportReport(SOURCE)
    handler_since: Dict[str, Optional[datetime]] = {}

    def pages(since: Optional[datetime]) -> AsyncIterator[Page]:
        handler_since["since"] = since
        return fetch_pages(http, url, options, page_size)

    async def handle(session: AsyncSession, items: List[Mapping[str, Any]], rep: ImportReport) -> Optional[datetime]:
        return await make_handler(handler_since.get("since"))(session, items, rep)

    async with aiohttp.ClientSession() as http:
        return await run_source(factory, f"{SOURCE}:{url}", report, pages, handle, incremental, progress)


async def import_from_file(factory: "sessionmaker[AsyncSession]", path: Path,
                           progress: Optional[Progress] = None, document: Any = None) -> ImportReport:
    """Import recruitment offers from a file in the result page shape (or an already read `document`)."""
    report = ImportReport(SOURCE)
    items = postings_of(read_json_file(path) if document is None else document)
    await run_pages(factory, report, file_pages(items), make_handler(None), progress)
    return report
