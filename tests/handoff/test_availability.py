"""Advisers are available when the advice channel is open (holidays win) and someone is online."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.config import load_settings
from bot.console.accounts import close_session, create_adviser, open_session, principal_for
from bot.handoff import advisers_available
from bot.handoff.models import Adviser
from bot.db import session_scope
from tests.handoff.support import CHANNEL_ID, OPEN_NOW, add_channel

SETTINGS = load_settings({"HANDOFF_CHANNEL_ID": CHANNEL_ID, "HANDOFF_ONLINE_SECONDS": "90"})


async def _online(factory, now: datetime) -> str:
    async with session_scope(factory) as session:
        adviser = await create_adviser(session, "anna", "Anna", "a long enough password", now=now)
        token, _ = await open_session(session, adviser, SETTINGS, now=now)
    return token


@pytest.mark.parametrize("moment, expected", [
    (OPEN_NOW, True),  # Friday 14:00 Helsinki
    (datetime(2026, 11, 27, 6, 59, tzinfo=timezone.utc), False),  # Friday 08:59 Helsinki
    (datetime(2026, 11, 27, 7, 0, tzinfo=timezone.utc), True),  # Friday 09:00 Helsinki
    (datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc), False),  # Friday 16:00 Helsinki: closed
    (datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc), False),  # Saturday
    (datetime(2026, 12, 24, 10, 0, tzinfo=timezone.utc), False),  # Christmas Eve, a Thursday: holiday
    (datetime(2026, 12, 31, 9, 0, tzinfo=timezone.utc), True),  # New Year's Eve 11:00: short day
    (datetime(2026, 12, 31, 11, 0, tzinfo=timezone.utc), False),  # New Year's Eve 13:00: closed early
    (datetime(2026, 6, 5, 10, 0, tzinfo=timezone.utc), True),  # summer time: Friday 13:00 Helsinki
])
async def test_opening_hours_in_finnish_time_with_holidays(factory, moment, expected):
    await add_channel(factory)
    await _online(factory, moment)
    async with session_scope(factory) as session:
        assert await advisers_available(session, moment, settings=SETTINGS) is expected


async def test_nobody_online_means_unavailable_even_in_office_hours(factory):
    await add_channel(factory)
    async with session_scope(factory) as session:
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is False


async def test_online_means_a_console_heartbeat_within_the_window(factory):
    await add_channel(factory)
    token = await _online(factory, OPEN_NOW - timedelta(seconds=120))
    async with session_scope(factory) as session:
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is False
        # Any console request is a heartbeat.
        assert await principal_for(session, token, SETTINGS, now=OPEN_NOW - timedelta(seconds=30)) is not None
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is True


async def test_logged_out_or_deactivated_advisers_are_not_online(factory):
    await add_channel(factory)
    token = await _online(factory, OPEN_NOW)
    async with session_scope(factory) as session:
        principal = await principal_for(session, token, SETTINGS, now=OPEN_NOW)
        (await session.get(Adviser, principal.adviser_id)).active = False
        await session.commit()
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is False
        (await session.get(Adviser, principal.adviser_id)).active = True
        await session.commit()
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is True
        await close_session(session, principal.token_hash)
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is False


async def test_unknown_channel_counts_as_closed_and_naive_times_are_refused(factory):
    await _online(factory, OPEN_NOW)
    async with session_scope(factory) as session:
        assert await advisers_available(session, OPEN_NOW, settings=SETTINGS) is False
        with pytest.raises(ValueError):
            await advisers_available(session, OPEN_NOW.replace(tzinfo=None), settings=SETTINGS)


def test_the_default_channel_is_the_business_advice_channel_of_the_sample_catalogue(root):
    import json

    channel_id = load_settings({}).handoff_channel_id
    channels = json.loads((root / "data" / "catalog" / "ptv_channels.json").read_text(encoding="utf-8"))["itemList"]
    channel = next(c for c in channels if c["id"] == channel_id)
    names = {n["language"]: n["value"] for n in channel["serviceChannelNames"]}
    assert "Business Espoo" in names["en"] and "advice" in names["en"]
    assert any(h["serviceHourType"] == "Exceptional" and h["isClosed"] for h in channel["serviceHours"])
