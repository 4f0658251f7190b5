"""The catalogue's own vocabulary for the look-up parser: occupations, sectors, event topics,
venues, districts and municipalities, each with its names in every language and the phrases
to search for it in the index.

Occupations come from the open offers' titles (grouped by their ESCO occupation, so
"Ohjelmistokehittäjä" and "Software developer" are one entry), topics from the events'
keywords, venues from the events' places; sectors, districts and municipalities from
bot/catalog/places.py. `current_vocabulary` reads the database once per process and again
after VOCABULARY_TTL seconds (new imports).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.models import Event, Offer
from bot.catalog.places import DISTRICTS, MUNICIPALITIES, SECTOR_LABELS, SECTORS
from bot.catalog.search import pick_language
from bot.config import LANGUAGES

VOCABULARY_TTL = 3600.0
WHAT_KINDS = {"offers": ("occupation", "sector"), "events": ("topic",)}
WHERE_KINDS = ("venue", "district", "municipality")
_VARIANT = re.compile(r"\s*\([^)]*\)\s*$")
Pairs = Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class Entry:
    """One thing a user can name: `names` match it, `search` [(language, phrase)] finds its records."""

    kind: str
    key: str
    labels: Pairs
    names: Tuple[str, ...]
    search: Pairs

    def label(self, language: str) -> str:
        found, _ = pick_language(dict(self.labels), language)
        return found or self.names[0]

    @property
    def slot(self) -> str:
        return "where" if self.kind in WHERE_KINDS else "what"


@dataclass
class Vocabulary:
    """Every entry, and a fingerprint that changes when the entries do."""

    entries: List[Entry] = field(default_factory=list)

    @property
    def fingerprint(self) -> int:
        return hash(tuple(self.entries))

    def for_kind(self, kind: str) -> List[Entry]:
        """The entries a look-up of `kind` (offers, events) understands."""
        wanted = set(WHAT_KINDS.get(kind, ())) | set(WHERE_KINDS)
        return [e for e in self.entries if e.kind in wanted]


def base_title(title: str) -> str:
    """A posting title without its variant in brackets ("Kokki (osa-aikainen)" -> "Kokki")."""
    return _VARIANT.sub("", title).strip()


def _pairs(texts: Mapping[str, str]) -> Pairs:
    return tuple(sorted((k, v) for k, v in texts.items() if k in LANGUAGES and v))


def _entry(kind: str, key: str, labels: Mapping[str, str], names: Iterable[str], search: Iterable[Tuple[str, str]]) -> Entry:
    unique = tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    return Entry(kind, key, _pairs(labels), unique, tuple(dict.fromkeys(search)))


def occupation_entries(offers: Iterable[Tuple[Mapping[str, str], Sequence[str]]]) -> List[Entry]:
    """One entry per occupation (ESCO URI, else the Finnish title) of [(title, occupations)]."""
    groups: Dict[str, Dict[str, str]] = {}
    for title, occupations in offers:
        titles = {k: base_title(v) for k, v in (title or {}).items() if v}
        if not titles:
            continue
        first, _ = pick_language(titles, "fi")
        key = str(occupations[0]) if occupations else (first or "").casefold()
        merged = groups.setdefault(key, {})
        for language, text in titles.items():
            merged.setdefault(language, text)
    entries = []
    for key, titles in sorted(groups.items()):
        names = list(titles.values()) + [t.split(",")[0] for t in titles.values() if "," in t]
        entries.append(_entry("occupation", key, titles, names, titles.items()))
    return entries


def topic_entries(keywords: Iterable[Mapping[str, str]]) -> List[Entry]:
    """One entry per event keyword ({language: name})."""
    found: Dict[str, Entry] = {}
    for names in keywords:
        key, _ = pick_language(names, "en")
        if key and key not in found:
            found[key] = _entry("topic", key, names, names.values(), names.items())
    return list(found.values())


def venue_entries(places: Iterable[Mapping[str, str]]) -> List[Entry]:
    """One entry per venue (the part of an event's place before the street address)."""
    found: Dict[str, Entry] = {}
    for place in places:
        venue = {k: v.split(",")[0].strip() for k, v in place.items() if v}
        if not venue or any(w in (venue.get("en") or venue.get("fi") or "").casefold() for w in ("online", "verkossa")):
            continue
        key, _ = pick_language(venue, "fi")
        if key and key not in found:
            found[key] = _entry("venue", key, venue, venue.values(), venue.items())
    return list(found.values())


def static_entries() -> List[Entry]:
    """Sectors, districts and municipalities."""
    entries = [_entry("sector", key, SECTOR_LABELS[key],
                      [n for names in words.values() for n in names] + list(SECTOR_LABELS[key].values()),
                      [(language, member) for member in members for language in LANGUAGES])
               for key, (words, members) in SECTORS.items()]
    entries += [_entry("district", key, names, names.values(), names.items()) for key, names in DISTRICTS.items()]
    entries += [_entry("municipality", key, names, names.values(), names.items())
                for key, names in MUNICIPALITIES.items()]
    return entries


def build_vocabulary(offers: Iterable[Tuple[Mapping[str, str], Sequence[str]]],
                     keywords: Iterable[Mapping[str, str]], places: Iterable[Mapping[str, str]]) -> Vocabulary:
    """The vocabulary of these catalogue records (pure; `load_vocabulary` reads them)."""
    return Vocabulary(occupation_entries(offers) + topic_entries(keywords) + venue_entries(places) + static_entries())


async def load_vocabulary(session: AsyncSession) -> Vocabulary:
    """The vocabulary of the catalogue in the database (offers, event keywords and places)."""
    offers = (await session.execute(select(Offer.title, Offer.occupations))).all()
    events = (await session.execute(select(Event.keywords, Event.location))).all()
    keywords = [k for row in events for k in (row[0] or ()) if isinstance(k, dict)]
    return build_vocabulary([(row[0], row[1] or ()) for row in offers], keywords, [row[1] or {} for row in events])


_CACHE: Dict[str, Any] = {"at": None, "vocabulary": None}


async def current_vocabulary(session: AsyncSession, now: Optional[float] = None) -> Vocabulary:
    """This process's vocabulary, read again from the database after VOCABULARY_TTL seconds."""
    moment = time.monotonic() if now is None else now
    if _CACHE["vocabulary"] is None or moment - _CACHE["at"] > VOCABULARY_TTL:
        _CACHE["vocabulary"] = await load_vocabulary(session)
        _CACHE["at"] = moment
    return _CACHE["vocabulary"]


def forget_vocabulary() -> None:
    """Drop the cached vocabulary (tests, or after an import in this process)."""
    _CACHE.update(at=None, vocabulary=None)
