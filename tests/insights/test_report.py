"""Sums over a range: whole months from the monthly table and the ends from the daily one give
the daily table's own sums; filters from the query string."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from bot.config import load_settings
from bot.content.responses import ResponseCatalog
from bot.db import session_scope
from bot.insights import job
from bot.insights.generator import Generator, write
from bot.insights.models import DailyCount
from bot.insights.report import Filters, by_key, by_metric_key, percentile, totals
from bot.insights.rollup import split_range

END = date(2026, 11, 20)


def test_a_range_splits_into_whole_months_and_the_days_at_its_ends():
    assert split_range(date(2026, 1, 15), date(2026, 4, 10)) == (
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))],
        (date(2026, 2, 1), date(2026, 3, 1)))
    assert split_range(date(2026, 2, 1), date(2026, 2, 28)) == ([], (date(2026, 2, 1), date(2026, 2, 1)))
    edges, (first, last) = split_range(date(2026, 2, 3), date(2026, 2, 20))
    assert edges == [(date(2026, 2, 3), date(2026, 2, 20))] and first > last
    assert split_range(date(2025, 12, 1), date(2026, 1, 31)) == ([], (date(2025, 12, 1), date(2026, 1, 1)))


def test_filters_from_the_query_string():
    assert Filters.from_query({}, END) == Filters(date(2026, 10, 24), END, "", "day")
    wrong = Filters.from_query({"from": "2026-13-01", "to": "x", "language": "de", "by": "year"}, END)
    assert wrong == Filters(date(2026, 10, 24), END, "", "day")
    swapped = Filters.from_query({"from": "2026-11-01", "to": "2026-01-01", "language": "sv"}, END)
    assert (swapped.start, swapped.end, swapped.language, swapped.by) == (date(2026, 1, 1), date(2026, 11, 1), "sv", "week")
    assert swapped.previous().end == date(2025, 12, 31)
    assert Filters(date(2026, 11, 4), date(2026, 11, 17), by="week").periods() == [
        date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


def test_percentiles_of_buckets():
    assert percentile({}, 0.5) is None
    assert percentile({"0000010": 5, "0000090": 4, "0000600": 1}, 0.5) == 10
    assert percentile({"0000010": 5, "0000090": 4, "0000600": 1}, 0.9) == 90


async def test_sums_over_any_range_equal_the_daily_sums(factory, tracker, clean):
    names = ResponseCatalog.from_directory(load_settings().responses_dir).names("fi")
    await write(Generator(names, seed=3).year(END, 600, days=120), factory, tracker)
    await job.aggregate_once(factory, tracker, load_settings(), "s", now=datetime(2026, 11, 21, tzinfo=timezone.utc))
    for start, end, language in ((date(2026, 8, 14), date(2026, 11, 3), ""), (date(2026, 9, 1), date(2026, 10, 31), "sv"),
                                 (date(2026, 10, 5), date(2026, 10, 9), "en")):
        filters = Filters(start, end, language)
        async with session_scope(factory) as session:
            query = select(DailyCount.metric, DailyCount.key, func.sum(DailyCount.value)).where(
                DailyCount.day >= start, DailyCount.day <= end).group_by(DailyCount.metric, DailyCount.key)
            if language:
                query = query.where(DailyCount.language == language)
            daily = {(m, k): int(v) for m, k, v in (await session.execute(query)).all()}
            metrics = sorted({m for m, _ in daily})
            assert await by_metric_key(session, metrics, filters) == daily
            assert await by_key(session, "intent", filters) == {k: v for (m, k), v in daily.items() if m == "intent"}
            found = await totals(session, ["conversation", "rating"], filters)
            assert found["conversation"] == sum(v for (m, _), v in daily.items() if m == "conversation") > 0
