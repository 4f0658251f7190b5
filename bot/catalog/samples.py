"""Loading the sample files of data/catalog/ into the database, with their dates rebased.

Fixed dates go stale, so the dates of sample records (Linked Events `data_source` "sample",
Työmarkkinatori `lahde` "sample") are moved at load time: each file names the day its dates
were written for (`meta.sample_reference_date` / `sample_reference_date`), and every date of
a sample record moves by the whole weeks between that day and the load day (rounded to the
nearest week), in Helsinki wall-clock time. Whole weeks keep weekdays and times of day (a
Tuesday 18:00 event stays a Tuesday 18:00 event, also across daylight saving). Loading
twice in a week gives the same dates, so the second load changes nothing; records from
real imports are never shifted. PTV samples carry no dates to move.
"""
from __future__ import annotations

import copy
import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import make_sessionmaker, migrate, session_scope
from bot.catalog.importers import jobs, linked_events, ptv
from bot.catalog.importers.base import ImportReport, Progress, read_json_file
from bot.catalog.importers.store import write_since
from bot.catalog.models import SyncState
from bot.config import HELSINKI

log = logging.getLogger("bot.catalog.samples")
EVENTS_FILE = "linked_events.json"
OFFERS_FILE = "tyomarkkinatori.json"
# order matters only for reporting: channels first so that services find them
SAMPLE_FILES: Tuple[str, ...] = ("ptv_channels.json", "ptv_services.json", EVENTS_FILE, OFFERS_FILE)
SAMPLE_LABELS: Dict[str, str] = {
    "ptv_channels.json": "channels", "ptv_services.json": "services", EVENTS_FILE: "events", OFFERS_FILE: "offers",
}


def shift_days(reference: date, today: date) -> int:
    """Days to add to sample dates written for `reference` when loading on `today` (whole weeks)."""
    return 7 * round((today - reference).days / 7)


def shift_iso(value: Optional[str], days: int) -> Optional[str]:
    """An ISO 8601 date or datetime moved by `days` in Helsinki wall-clock time."""
    if not value or days == 0:
        return value
    text = str(value)
    if len(text) == 10:
        return (date.fromisoformat(text) + timedelta(days=days)).isoformat()
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(HELSINKI).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=HELSINKI).isoformat()


def _reference(declared: Any, fallback: List[Optional[str]]) -> Optional[date]:
    if declared:
        return date.fromisoformat(str(declared)[:10])
    dates = [d for d in fallback if d]
    return min(datetime.fromisoformat(d.replace("Z", "+00:00")).date() for d in dates) if dates else None


def rebase_events(document: Mapping[str, Any], today: date) -> Tuple[Dict[str, Any], int]:
    """A copy of a Linked Events page with its sample events moved to `today`; and the shift."""
    result = copy.deepcopy(dict(document))
    samples = [e for e in result.get("data", []) if isinstance(e, dict) and linked_events.is_sample(e)]
    reference = _reference((result.get("meta") or {}).get("sample_reference_date"),
                           [e.get("start_time") for e in samples])
    days = shift_days(reference, today) if reference else 0
    for event in samples:
        for key in ("start_time", "end_time"):
            try:
                event[key] = shift_iso(event.get(key), days)
            except ValueError:
                pass  # a bad date stays bad: the importer reports and skips the record
    return result, days


def rebase_offers(document: Mapping[str, Any], today: date) -> Tuple[Dict[str, Any], int]:
    """A copy of a Työmarkkinatori result with its sample postings moved to `today`; and the shift."""
    result = copy.deepcopy(dict(document))
    samples = [p for p in result.get("ilmoitukset", []) if isinstance(p, dict) and jobs.is_sample(p)]
    reference = _reference(result.get("sample_reference_date"), [p.get("julkaisupvm") for p in samples])
    days = shift_days(reference, today) if reference else 0
    for posting in samples:
        try:
            posting["julkaisupvm"] = shift_iso(posting.get("julkaisupvm"), days)
            applying = posting.get("hakeminen")
            if isinstance(applying, dict):
                applying["hakuaikaPaattyy"] = shift_iso(applying.get("hakuaikaPaattyy"), days)
            basics = posting.get("perustiedot")
            if isinstance(basics, dict):
                basics["tyoAlkaaPvm"] = shift_iso(basics.get("tyoAlkaaPvm"), days)
        except ValueError:
            pass
    return result, days


@dataclass(frozen=True)
class SampleResult:
    """What loading one sample file did."""

    file: str
    report: Optional[ImportReport]
    shift_days: int
    skipped_unchanged: bool


Importer = Callable[..., Any]
_IMPORTERS: Dict[str, Importer] = {
    "ptv_channels.json": ptv.import_from_file,
    "ptv_services.json": ptv.import_from_file,
    EVENTS_FILE: linked_events.import_from_file,
    OFFERS_FILE: jobs.import_from_file,
}


async def load_samples(engine: AsyncEngine, directory: Path, today: Optional[date] = None,
                       progress: Optional[Progress] = None, force: bool = False) -> List[SampleResult]:
    """Migrate the database of `engine` and load the sample files of `directory` (idempotent).

    A file whose bytes and date shift are those of the last load is not read again (`force`
    reads it anyway; the upsert would change nothing).
    """
    await migrate(engine)
    factory = make_sessionmaker(engine)
    today = today or datetime.now(HELSINKI).date()
    results: List[SampleResult] = []
    for name in SAMPLE_FILES:
        path = directory / name
        if not path.exists():
            log.warning("sample file %s is missing; skipped", path)
            continue
        document = read_json_file(path)
        days = 0
        if name == EVENTS_FILE:
            document, days = rebase_events(document, today)
        elif name == OFFERS_FILE:
            document, days = rebase_offers(document, today)
        fingerprint = hashlib.sha1(path.read_bytes() + f"|{days}".encode()).hexdigest()
        key = f"sample:{name}"
        async with session_scope(factory) as session:
            state = await session.get(SyncState, key)
            if state is not None and state.fingerprint == fingerprint and not force:
                results.append(SampleResult(name, None, days, True))
                continue
        report = await _IMPORTERS[name](factory, path, progress=progress, document=document)
        async with session_scope(factory) as session:
            await write_since(session, key, None, datetime.now(timezone.utc), fingerprint)
        results.append(SampleResult(name, report, days, False))
    return results


def summary_line(results: Sequence[SampleResult], seconds: float, where: str) -> str:
    """One line on what `load_samples` did ("... 46 channels, 45 services, 60 events, 80 offers ...")."""
    loaded, unchanged, skipped = [], [], 0
    for result in results:
        label = SAMPLE_LABELS.get(result.file, result.file)
        if result.report is None:
            unchanged.append(label)
            continue
        shift = f" (dates moved {result.shift_days:+d} days)" if result.shift_days else ""
        loaded.append(f"{result.report.read} {label}{shift}")
        skipped += result.report.skipped
    parts = []
    if loaded:
        parts.append(", ".join(loaded) + (f", {skipped} records skipped" if skipped else ""))
    if unchanged:
        parts.append(("unchanged since the last load: " if loaded else "unchanged since the last load (")
                     + ", ".join(unchanged) + ("" if loaded else ")"))
    return f"Sample catalogue in {where}: {'; '.join(parts) or 'no sample files'} [{seconds:.1f} s]"
