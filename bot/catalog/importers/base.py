"""What the importers share: the report, bad records, multilingual values, dates and HTTP with retries."""
from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

import aiohttp

from bot.config import LANGUAGES

log = logging.getLogger("bot.catalog.import")

# ISO 639-1: a language outside this list is unknown and makes a record bad.
ISO_639_1 = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da "
    "de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz "
    "ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln "
    "lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi "
    "pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti "
    "tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class BadRecord(ValueError):
    """A source record that cannot be imported; the import reports it and goes on."""


@dataclass
class ImportReport:
    """What one import did."""

    source: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int = 0
    pages: int = 0
    expected: Optional[int] = None
    problems: List[Tuple[str, str]] = field(default_factory=list)

    def bad(self, record_id: str, reason: str) -> None:
        """Count and log a skipped record."""
        self.skipped += 1
        self.problems.append((record_id, reason))
        log.warning("%s: skipped %s: %s", self.source, record_id, reason)

    def summary(self) -> str:
        total = f"/{self.expected}" if self.expected is not None else ""
        return (f"{self.source}: {self.read}{total} read, {self.inserted} new, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.removed} removed, {self.skipped} skipped")


Progress = Callable[[ImportReport], None]


def texts_from_list(items: Optional[Iterable[Mapping[str, Any]]], *, lang_key: str = "language",
                    value_key: str = "value", type_key: Optional[str] = None,
                    wanted_type: Optional[str] = None) -> Dict[str, str]:
    """{language: text} of a PTV/TMT style list [{language, value[, type]}], only fi/sv/en kept.

    Raises BadRecord for a language that is no ISO 639-1 code.
    """
    found: Dict[str, str] = {}
    for item in items or ():
        if type_key and wanted_type and item.get(type_key) != wanted_type:
            continue
        language = str(item.get(lang_key) or "").strip().lower()
        value = str(item.get(value_key) or "").strip()
        if language not in ISO_639_1:
            raise BadRecord(f"unknown language {item.get(lang_key)!r}")
        if language in LANGUAGES and value and language not in found:
            found[language] = value
    return found


def texts_from_dict(value: Any) -> Dict[str, str]:
    """{language: text} of a Linked Events style {fi, sv, en, ...} object (or None)."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"fi": value.strip()} if value.strip() else {}
    if not isinstance(value, Mapping):
        raise BadRecord(f"expected a multilingual object, got {type(value).__name__}")
    found: Dict[str, str] = {}
    for language, text in value.items():
        code = str(language).strip().lower()
        if code not in ISO_639_1:
            raise BadRecord(f"unknown language {language!r}")
        if code in LANGUAGES and text and str(text).strip():
            found[code] = str(text).strip()
    return found


def require_name(texts: Mapping[str, str], what: str = "name") -> Dict[str, str]:
    """`texts` if it has a text in fi, sv or en; else BadRecord."""
    if not any(texts.get(language) for language in LANGUAGES):
        raise BadRecord(f"no {what} in fi, sv or en")
    return dict(texts)


def parse_time(value: Any, what: str, required: bool = False) -> Optional[datetime]:
    """An aware datetime from an ISO 8601 string (naive means UTC); BadRecord when wrong."""
    if value in (None, ""):
        if required:
            raise BadRecord(f"missing {what}")
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRecord(f"bad {what} {value!r}") from exc
    if parsed.year < 1990 or parsed.year > 2200:
        raise BadRecord(f"implausible {what} {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def short(text: Optional[str], limit: int = 300) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def read_json_file(path: Path) -> Any:
    """The JSON document in `path`."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class HttpError(RuntimeError):
    """A request that failed for good (after its retries)."""


@dataclass
class HttpFetcher:
    """GETs JSON with a timeout, retrying 429/5xx, timeouts and connection errors with backoff."""

    session: aiohttp.ClientSession
    retries: int = 4
    backoff_seconds: float = 1.0
    timeout_seconds: float = 30.0
    headers: Mapping[str, str] = field(default_factory=dict)
    max_backoff_seconds: float = 60.0

    async def get_json(self, url: str, params: Optional[Mapping[str, Any]] = None) -> Any:
        """The decoded JSON body of GET `url`."""
        timeout = aiohttp.ClientTimeout(total=self.timeout_seconds)
        last_error = ""
        for attempt in range(self.retries + 1):
            try:
                async with self.session.get(url, params=params, timeout=timeout, headers=self.headers) as response:
                    if response.status in RETRY_STATUSES:
                        last_error = f"HTTP {response.status}"
                        delay = self._delay(attempt, response.headers.get("Retry-After"))
                    elif response.status >= 400:
                        raise HttpError(f"GET {response.url}: HTTP {response.status}")
                    else:
                        return await response.json(content_type=None)
            except (asyncio.TimeoutError, aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
                last_error = f"{type(exc).__name__}: {exc}".rstrip(": ")
                delay = self._delay(attempt, None)
            if attempt < self.retries:
                log.info("GET %s failed (%s), retry %d in %.2fs", url, last_error, attempt + 1, delay)
                await asyncio.sleep(delay)
        raise HttpError(f"GET {url}: {last_error} after {self.retries + 1} attempts")

    def _delay(self, attempt: int, retry_after: Optional[str]) -> float:
        if retry_after:
            try:
                return min(float(retry_after), self.max_backoff_seconds)
            except ValueError:
                pass
        base = self.backoff_seconds * (2 ** attempt)
        return min(base + random.uniform(0, base / 4), self.max_backoff_seconds)


@dataclass(frozen=True)
class HttpOptions:
    """Timeout, retries and backoff of an importer's requests (from bot/config.py)."""

    timeout_seconds: float = 30.0
    retries: int = 4
    backoff_seconds: float = 1.0
    headers: Tuple[Tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, settings: Any, headers: Optional[Mapping[str, str]] = None) -> "HttpOptions":
        """The options of `settings` (a bot.config.Settings)."""
        return cls(settings.catalog_http_timeout_seconds, settings.catalog_http_retries,
                   settings.catalog_retry_backoff_seconds, tuple((headers or {}).items()))

    def fetcher(self, session: aiohttp.ClientSession) -> HttpFetcher:
        """A fetcher on `session` with these options."""
        return HttpFetcher(session, retries=self.retries, backoff_seconds=self.backoff_seconds,
                           timeout_seconds=self.timeout_seconds, headers=dict(self.headers))
