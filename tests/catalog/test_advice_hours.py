"""The advice channel's hours from the catalogue (queries.channel_hours) and the NLG's cache of
them (bot/rasa/nlg_hours.py), on SQLite and PostgreSQL, with the real sample channel."""
from datetime import date, datetime

import pytest

from bot.catalog.hours import week_opening_times
from bot.catalog.importers import ptv
from bot.catalog.queries import channel_hours
from bot.config import HELSINKI, PROJECT_ROOT, load_settings
from bot.db import make_engine, make_sessionmaker, session_scope
from bot.rasa import nlg_hours
from bot.rasa.nlg_hours import AdviceHours

SAMPLE_CHANNELS = PROJECT_ROOT / "data" / "catalog" / "ptv_channels.json"
CHANNEL_ID = load_settings({}).advice_hours_channel_id
TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)
NINE_FOUR = [("09:00", "16:00")]


@pytest.fixture
async def sample(factory):
    await ptv.import_from_file(factory, SAMPLE_CHANNELS)
    return factory


def test_the_default_channel_is_the_sample_business_advice_channel():
    assert CHANNEL_ID == "63b0247e-05fb-4560-925a-0446a17b0a30"
    assert load_settings({"ADVICE_HOURS_CHANNEL_ID": "abc"}).advice_hours_channel_id == "abc"
    assert load_settings({"ADVICE_HOURS_CHANNEL_ID": " "}).advice_hours_channel_id == CHANNEL_ID
    assert load_settings({"ADVICE_HOURS_CACHE_SECONDS": "5"}).advice_hours_cache_seconds == 5.0


async def test_the_sample_advice_channel_has_weekday_hours_and_christmas_closed(sample):
    async with session_scope(sample) as session:
        rules = await channel_hours(session, CHANNEL_ID)
    assert rules
    assert [slots for _, slots in week_opening_times(rules, date(2026, 12, 1))] == [NINE_FOUR] * 5 + [[], []]
    assert [slots for _, slots in week_opening_times(rules, date(2026, 12, 23))] == [NINE_FOUR] * 3 + [[]] * 4


async def test_an_unknown_channel_or_an_empty_catalogue_has_no_hours(factory):
    async with session_scope(factory) as session:
        assert await channel_hours(session, CHANNEL_ID) is None
    await ptv.import_from_file(factory, SAMPLE_CHANNELS)
    async with session_scope(factory) as session:
        assert await channel_hours(session, "no-such-channel") is None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_hours_are_looked_up_once_per_cache_period(sample, monkeypatch):
    calls = []

    async def counted(session, channel_id):
        calls.append(channel_id)
        return await channel_hours(session, channel_id)

    monkeypatch.setattr(nlg_hours, "channel_hours", counted)
    clock = Clock()
    hours = AdviceHours(sample, CHANNEL_ID, ttl_seconds=60, clock=clock)
    first = await hours.values("fi", TUESDAY)
    assert first == {"hours_today": "Tänään tiistaina 1.12. neuvonta palvelee klo 9–16.",
                     "hours_week": "Tällä viikolla: ma–pe klo 9–16, la–su suljettu."}
    clock.now += 59
    assert (await hours.values("en", TUESDAY))["hours_week"] == "This week: Mon–Fri 9 am–4 pm, Sat–Sun closed."
    assert len(calls) == 1
    clock.now += 2
    await hours.values("sv", TUESDAY)
    assert calls == [CHANNEL_ID, CHANNEL_ID]


async def test_a_database_that_is_down_gives_the_fallback_and_is_not_asked_again_at_once():
    engine = make_engine("postgresql+asyncpg://postgres@127.0.0.1:1/nothing_here")
    clock = Clock()
    try:
        hours = AdviceHours(make_sessionmaker(engine), CHANNEL_ID, ttl_seconds=60, timeout_seconds=5, clock=clock)
        values = await hours.values("en", TUESDAY)
        assert values == {"hours_today": "The advice service is open on weekdays during office hours; "
                                          "this week's exact hours are on the contact page.", "hours_week": ""}
        assert hours._cached is not None and hours._cached[1] is None
    finally:
        await engine.dispose()


async def test_a_lookup_that_hangs_is_given_up(sample, monkeypatch):
    import asyncio

    async def hangs(session, channel_id):
        await asyncio.sleep(10)

    monkeypatch.setattr(nlg_hours, "channel_hours", hangs)
    hours = AdviceHours(sample, CHANNEL_ID, timeout_seconds=0.05)
    assert (await hours.values("fi", TUESDAY))["hours_week"] == ""
