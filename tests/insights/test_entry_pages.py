"""Traffic by entry page for the selected period: per day or week, with the date range and language
filters (hand-counted: the conversations of tests/insights/test_aggregation.py)."""
from __future__ import annotations

from datetime import date

from bot.db import session_scope
from bot.insights import pages
from bot.insights.report import Filters
from tests.insights.test_aggregation import A_FIRST, A_REST, B, C, MON, P1, TUE, run
from tests.insights.events import store
from tests.insights.test_shown_items import RESPONSES

SV_PAGE = "https://www.espoo.fi/sv/x"
UNKNOWN = "(page not known)"


async def _tables(factory, filters: Filters):
    async with session_scope(factory) as session:
        page = await pages.traffic(session, filters, pages.Words("en", RESPONSES))
    return {t.id: t.rows for t in page.tables}


async def test_entry_pages_per_day_and_week_follow_the_filters(factory, tracker, clean, monkeypatch):
    for sender, events in (("conv-a", A_FIRST + A_REST), ("conv-b", B), ("conv-c", C)):
        await store(tracker, sender, events)
    await run(factory, tracker)
    by_day = await _tables(factory, Filters(MON, TUE, by="day"))
    assert by_day["pages_periods"] == [[MON, P1, 1, 3], [MON, SV_PAGE, 1, 3], [TUE, UNKNOWN, 1, 3]]
    by_week = await _tables(factory, Filters(MON, TUE, by="week"))
    assert by_week["pages_periods"] == [[MON, UNKNOWN, 1, 3], [MON, P1, 1, 3], [MON, SV_PAGE, 1, 3]]
    tuesday = await _tables(factory, Filters(TUE, TUE, by="day"))
    assert tuesday["pages_periods"] == [[TUE, UNKNOWN, 1, 3]]
    assert tuesday["pages"] == [[UNKNOWN, 1, 3, 1.0]]  # the totals are the period's too
    swedish = await _tables(factory, Filters(MON, TUE, "sv", by="day"))
    assert swedish["pages_periods"] == [[MON, SV_PAGE, 1, 3]] and swedish["pages"] == [[SV_PAGE, 1, 3, 1.0]]
    # The whole month reads the monthly sums for the totals and the days for the periods: the same figures.
    month = await _tables(factory, Filters(date(2026, 11, 1), date(2026, 11, 30), by="week"))
    assert month["pages_periods"] == by_week["pages_periods"]
    assert sorted(month["pages"]) == sorted([[UNKNOWN, 1, 3, 1 / 3], [P1, 1, 3, 1 / 3], [SV_PAGE, 1, 3, 1 / 3]])
    monkeypatch.setattr(pages, "ENTRY_PAGES_PER_PERIOD", 1)  # the pages after the first: summed per period
    assert (await _tables(factory, Filters(MON, TUE, by="day")))["pages_periods"] == [
        [MON, "(other pages)", 2, 6], [TUE, UNKNOWN, 1, 3]]
