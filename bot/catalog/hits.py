"""What the catalogue lookups return, and the small rules they share.

Page and the hit dataclasses are the answer types of bot/catalog/queries.py (services) and
bot/catalog/listings.py (events, offers); `paging`, `aware_now`, `localised` and `one_line`
are the argument checks and text helpers both use. Both import from here; neither imports
the other's internals.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Generic, Mapping, Optional, Tuple, TypeVar

from bot.catalog.search import pick_language
from bot.config import LANGUAGES

T = TypeVar("T")
MAX_LIMIT = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results."""

    items: Tuple[T, ...]
    offset: int
    limit: int
    has_more: bool
    total: Optional[int] = None


@dataclass(frozen=True)
class ServiceHit:
    """A service as an answer needs it."""

    id: int
    external_id: str
    name: str
    summary: str
    url: Optional[str]
    provider: Optional[str]
    open_now: Optional[bool]
    phone: Optional[str]
    language: str
    fell_back: bool


@dataclass(frozen=True)
class EventHit:
    """An upcoming or ongoing event; times in Europe/Helsinki."""

    id: int
    external_id: str
    name: str
    summary: str
    start: datetime
    end: Optional[datetime]
    location: Optional[str]
    url: Optional[str]
    is_free: Optional[bool]
    price: Optional[str]
    keywords: Tuple[str, ...]
    language: str
    fell_back: bool


@dataclass(frozen=True)
class OfferHit:
    """An open recruitment offer."""

    id: int
    external_id: str
    title: str
    summary: str
    employer: Optional[str]
    municipality: Optional[str]
    url: Optional[str]
    published_at: datetime
    deadline: Optional[datetime]
    language: str
    fell_back: bool


def paging(language: str, limit: int, offset: int) -> Tuple[str, int, int]:
    """`language` checked, `limit` clamped to 1..MAX_LIMIT and `offset` to >= 0."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language, max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))


def aware_now(now: Optional[datetime]) -> datetime:
    """`now`, or the current UTC time when None; a naive `now` is refused."""
    if now is None:
        return datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime")
    return now


def localised(texts: Optional[Mapping[str, str]], language: str) -> Tuple[str, Optional[str]]:
    """The text of `texts` in `language` (or a fallback) and the language used; "" when none."""
    text, used = pick_language(texts or {}, language)
    return text or "", used


def one_line(text: str, limit: int = 160) -> str:
    """`text` on one line, cut at a sentence or a word to at most `limit` characters."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    sentence_end = cut.rfind(". ")
    return cut[: sentence_end + 1] if sentence_end > limit // 2 else cut.rsplit(" ", 1)[0] + "…"
