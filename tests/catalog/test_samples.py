"""The sample files: loaded fast and idempotently, with sample dates moved to the load day."""
import json
import shutil
import time
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.catalog.models import Event, Offer, Service
from bot.catalog.queries import find_events, find_offers
from bot.catalog.sample_data import SAMPLE_REFERENCE_DATE
from bot.catalog.samples import load_samples, rebase_events, rebase_offers, shift_days, shift_iso
from bot.config import HELSINKI, load_settings

from .conftest import FIXTURES
from .fake_apis import event

SAMPLES = load_settings().catalog_dir
EVENTS = len(json.loads((SAMPLES / "linked_events.json").read_text(encoding="utf-8"))["data"])
OFFERS = len(json.loads((SAMPLES / "tyomarkkinatori.json").read_text(encoding="utf-8"))["ilmoitukset"])


def sample_dir(tmp_path):
    for name in ("linked_events.json", "tyomarkkinatori.json"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    for name in ("ptv_services.json", "ptv_channels.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


async def count(factory, model):
    async with factory() as session:
        return await session.scalar(select(func.count()).select_from(model))


def test_the_shift_is_whole_weeks_in_helsinki_wall_clock_time():
    assert shift_days(date(2026, 11, 30), date(2026, 11, 30)) == 0
    assert shift_days(date(2026, 11, 30), date(2026, 12, 3)) == 0
    assert shift_days(date(2026, 11, 30), date(2026, 12, 4)) == 7
    assert shift_days(date(2026, 11, 30), date(2027, 3, 1)) == 91
    # 18:00 on a winter Tuesday stays 18:00 on a summer Tuesday
    moved = datetime.fromisoformat(shift_iso("2026-12-01T18:00:00+02:00", 182))
    assert (moved.weekday(), moved.hour, moved.utcoffset()) == (1, 18, timedelta(hours=3))
    assert shift_iso("2026-12-01", 7) == "2026-12-08" and shift_iso(None, 7) is None


def test_only_sample_records_are_rebased():
    real = event(1)
    sample = dict(event(2), data_source="sample")
    document = {"meta": {"sample_reference_date": "2026-11-30"}, "data": [real, sample]}
    moved, days = rebase_events(document, date(2027, 2, 1))
    assert days == 63
    assert moved["data"][0]["start_time"] == real["start_time"]
    assert datetime.fromisoformat(moved["data"][1]["start_time"]) == datetime.fromisoformat(
        sample["start_time"]) + timedelta(days=63)
    assert document["data"][1]["start_time"] == sample["start_time"]  # the input is untouched


async def test_samples_load_fast_idempotently_and_rebased(engine, tmp_path):
    directory = sample_dir(tmp_path)
    today = SAMPLE_REFERENCE_DATE + timedelta(days=10)
    started = time.monotonic()
    results = await load_samples(engine, directory, today=today)
    assert time.monotonic() - started < 5
    reports = {r.file: r for r in results}
    assert reports["linked_events.json"].report.inserted == EVENTS and reports["linked_events.json"].shift_days == 7
    assert reports["tyomarkkinatori.json"].report.inserted == OFFERS
    assert all(r.report.skipped == 0 for name, r in reports.items() if not name.startswith("ptv"))
    from bot.db import make_sessionmaker
    factory = make_sessionmaker(engine)
    first = json.loads((directory / "linked_events.json").read_text(encoding="utf-8"))["data"][0]
    async with factory() as session:
        stored = await session.scalar(select(Event).where(Event.external_id == first["id"]))
        now = datetime.combine(today, datetime.min.time(), HELSINKI)
        upcoming = await find_events(session, "en", "funding", now=now, limit=50)
        open_offers = await find_offers(session, "fi", limit=20, now=now)
        rest = await find_offers(session, "fi", limit=20, offset=20, now=now)
    original = datetime.fromisoformat(first["start_time"])
    assert stored.start_time == original + timedelta(days=7)
    assert stored.start_time.astimezone(HELSINKI).hour == original.hour and stored.source == "sample"
    assert len(upcoming.items) >= 3 and all(e.start.date() >= today or e.end > now for e in upcoming.items)
    assert open_offers.has_more and not rest.has_more
    assert OFFERS - 4 <= len(open_offers.items) + len(rest.items) < OFFERS  # a few samples are closed

    again = await load_samples(engine, directory, today=today)
    assert all(r.skipped_unchanged for r in again)
    forced = await load_samples(engine, directory, today=today, force=True)
    assert {r.file: r.report.unchanged for r in forced}["tyomarkkinatori.json"] == OFFERS

    next_week = await load_samples(engine, directory, today=today + timedelta(days=7))
    events_report = {r.file: r for r in next_week}["linked_events.json"]
    assert (events_report.report.updated, events_report.report.inserted, events_report.shift_days) == (EVENTS, 0, 14)
    assert await count(factory, Event) == EVENTS and await count(factory, Offer) == OFFERS and await count(factory, Service) == 3


def test_the_shipped_samples_have_what_the_issue_asks():
    events = json.loads((SAMPLES / "linked_events.json").read_text(encoding="utf-8"))["data"]
    offers = json.loads((SAMPLES / "tyomarkkinatori.json").read_text(encoding="utf-8"))["ilmoitukset"]
    assert len(events) >= 35 and len(offers) >= 30
    assert all(e["data_source"] == "sample" for e in events) and all(o["lahde"] == "sample" for o in offers)
    topics = {k["name"]["en"] for e in events for k in e["keywords"]}
    assert {"networking", "funding", "recruitment", "export", "sustainability"} <= topics
    months = {e["start_time"][:7] for e in events}
    assert len(months) >= 5
    assert len({o["perustiedot"]["tyonOtsikko"][0]["arvo"] for o in offers}) >= 15


def test_sample_offers_move_with_their_deadlines_and_real_ones_stay():
    from .fake_apis import posting

    real = posting(1)
    sample = dict(posting(2), lahde="sample")
    document = {"ilmoitukset": [real, sample], "sample_reference_date": "2026-11-30"}
    moved, days = rebase_offers(document, date(2026, 12, 14))
    assert days == 14
    assert moved["ilmoitukset"][0]["julkaisupvm"] == real["julkaisupvm"]
    shifted = moved["ilmoitukset"][1]
    assert datetime.fromisoformat(shifted["julkaisupvm"]) == datetime.fromisoformat(sample["julkaisupvm"]) + timedelta(days=14)
    assert datetime.fromisoformat(shifted["hakeminen"]["hakuaikaPaattyy"]) == datetime.fromisoformat(
        sample["hakeminen"]["hakuaikaPaattyy"]) + timedelta(days=14)
