"""Precision at 3 of look-ups on the sample catalogue: the cases of tests/catalog/lookup_cases/.

Used by bench/lookup.py (`make bench-lookup`) and tests/catalog/test_lookup_cases.py. "before"
searches the whole sentence as the actions did before the look-up parser (find_events /
find_offers with the message, dates from parse_date_range); "after" parses the message
(bot/catalog/lookup_query.py) and searches the structured query (bot/catalog/lookup_search.py).
P@3 of a case = relevant results among the first three / min(3, relevant records that exist).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from bot.catalog import morphology
from bot.catalog.dates import parse_date_range
from bot.catalog.listings import find_events, find_offers
from bot.catalog.lookup_query import forget_parsers, parser_for
from bot.catalog.lookup_search import lookup_events, lookup_offers
from bot.catalog.places import district_of
from bot.catalog.vocabulary import load_vocabulary
from bot.config import HELSINKI, PROJECT_ROOT

CASES = Path(__file__).resolve().parent / "lookup_cases"
SAMPLES = PROJECT_ROOT / "data" / "catalog"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=HELSINKI)
TODAY = date(2026, 12, 1)  # the samples load unshifted on this day
TOP = 3


def load_cases(language: str) -> List[Dict[str, Any]]:
    return yaml.safe_load((CASES / f"{language}.yml").read_text(encoding="utf-8"))


def _texts(items: Any) -> Dict[str, str]:
    return {i["kieliKoodi"]: i["arvo"] for i in items or ()}


def _time(value: Optional[str]) -> Optional[datetime]:
    return datetime.fromisoformat(value) if value else None


def sample_records() -> Dict[str, Dict[str, Dict[str, Any]]]:
    """{"offers": {external id: facts}, "events": {...}} of the shipped sample files."""
    offers = json.loads((SAMPLES / "tyomarkkinatori.json").read_text(encoding="utf-8"))["ilmoitukset"]
    events = json.loads((SAMPLES / "linked_events.json").read_text(encoding="utf-8"))["data"]
    found: Dict[str, Dict[str, Dict[str, Any]]] = {"offers": {}, "events": {}}
    for o in offers:
        title = _texts(o["perustiedot"]["tyonOtsikko"])
        place = o["sijainti"]["toimipaikka"]
        deadline = _time(o["hakeminen"]["hakuaikaPaattyy"])
        found["offers"][o["ilmoituksenID"]] = {
            "title": title.get("fi") or title.get("en"), "district": district_of(place["postinumero"]),
            "town": place["postitoimipaikka"],
            "open": _time(o["julkaisupvm"]) <= NOW and (deadline is None or deadline > NOW)}
    names = {}
    for o in offers:  # the Finnish title of an occupation known only in English in one posting
        title = _texts(o["perustiedot"]["tyonOtsikko"])
        if "fi" in title and "en" in title:
            names[title["en"]] = title["fi"]
    for facts in found["offers"].values():
        facts["title"] = names.get(facts["title"], facts["title"])
    for e in events:
        found["events"][e["id"]] = {
            "name": e["name"]["fi"], "topics": {k["name"]["en"] for k in e["keywords"]},
            "district": district_of((e.get("location") or {}).get("postal_code")),
            "start": _time(e["start_time"]), "end": _time(e["end_time"])}
    return found


def _month_range(month: int) -> Tuple[datetime, datetime]:
    year = 2026 if month == 12 else 2027
    return (datetime(year, month, 1, tzinfo=HELSINKI),
            datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=HELSINKI))


def relevant(case: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether one record meets every condition of the case (and is open or upcoming at NOW)."""
    if case["kind"] == "offers":
        return (facts["open"] and ("titles" not in case or facts["title"] in case["titles"])
                and ("district" not in case or facts["district"] == case["district"])
                and ("town" not in case or facts["town"] == case["town"]))
    if facts["end"] <= NOW:
        return False
    if "names" in case and facts["name"] not in case["names"]:
        return False
    if "topics" in case and not facts["topics"] & set(case["topics"]):
        return False
    if "district" in case and facts["district"] != case["district"]:
        return False
    window = None
    if "month" in case:
        window = _month_range(case["month"])
    if "between" in case:
        window = tuple(datetime.combine(date.fromisoformat(d), datetime.min.time(), HELSINKI) for d in case["between"])
    return window is None or (facts["start"] < window[1] and facts["end"] > window[0])


def set_voikko(enabled: bool) -> None:
    """Analyse Finnish with Voikko (when installed) or with the fallback, in this process."""
    morphology.USE_VOIKKO = enabled
    morphology.finnish_parts.cache_clear()
    forget_parsers()


async def top_ids(session: Any, case: Mapping[str, Any], language: str, mode: str) -> List[str]:
    """The external ids of the first results of one case, searched the `mode` way."""
    text, kind = case["text"], case["kind"]
    if mode == "before":
        if kind == "offers":
            page = await find_offers(session, language, text, limit=TOP, now=NOW)
        else:
            found = parse_date_range(text, language, NOW)
            page = await find_events(session, language, text, *(found or (None, None)), limit=TOP, now=NOW)
    else:
        query = parser_for(await load_vocabulary(session)).parse(text, kind, language, NOW)
        search = lookup_offers if kind == "offers" else lookup_events
        page = await search(session, language, query, limit=TOP, now=NOW)
    return [hit.external_id for hit in page.items]


@dataclass(frozen=True)
class Score:
    """P@3 of one case."""

    text: str
    precision: float
    found: int
    relevant: int


async def evaluate(factory: Any, language: str, mode: str) -> List[Score]:
    """The P@3 of every case of `language` (cases with nothing relevant in the catalogue are skipped)."""
    records = sample_records()
    scores = []
    for case in load_cases(language):
        pool = {i for i, facts in records[case["kind"]].items() if relevant(case, facts)}
        if not pool:
            continue
        async with factory() as session:
            ids = await top_ids(session, case, language, mode)
        hits = sum(1 for i in ids[:TOP] if i in pool)
        scores.append(Score(case["text"], hits / min(TOP, len(pool)), hits, len(pool)))
    return scores


def mean(scores: List[Score]) -> float:
    return sum(s.precision for s in scores) / len(scores) if scores else 0.0
