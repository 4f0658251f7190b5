"""The monthly sums of the daily counters: made again from `insights_daily` for the months a run
touched (and always this month and the last, where the clicks and votes of the web app land)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, List, Set, Tuple

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.insights.models import DailyCount, MonthlyCount


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def recent_months(today: date) -> Set[date]:
    """This month and the last."""
    this = month_of(today)
    return {this, month_of(this - timedelta(days=1))}


async def roll_up(session: AsyncSession, months: Iterable[date]) -> None:
    """Make the monthly rows of `months` again from the daily rows (in the caller's unit of work)."""
    daily, monthly = DailyCount.__table__, MonthlyCount.__table__
    for month in sorted(set(months)):
        await session.execute(delete(monthly).where(monthly.c.day == month))
        sums = (select(daily.c.metric, literal(month, type_=daily.c.day.type), daily.c.language, daily.c.key,
                       func.sum(daily.c.value))
                .where(daily.c.day >= month, daily.c.day < next_month(month))
                .group_by(daily.c.metric, daily.c.language, daily.c.key))
        await session.execute(insert(monthly).from_select(["metric", "day", "language", "key", "value"], sums))


def split_range(start: date, end: date) -> Tuple[List[Tuple[date, date]], Tuple[date, date]]:
    """The days start..end as ranges of days left over at both ends ([(first, last)], both included)
    and the whole months between (first month, last month; first > last when there is none)."""
    first_full = start if start.day == 1 else next_month(month_of(start))
    after_end = end + timedelta(days=1)
    last_full = month_of(end) if after_end.day == 1 else month_of(month_of(end) - timedelta(days=1))
    if first_full > last_full:
        return [(start, end)], (first_full, last_full)
    edges = []
    if start < first_full:
        edges.append((start, first_full - timedelta(days=1)))
    if next_month(last_full) <= end:
        edges.append((next_month(last_full), end))
    return edges, (first_full, last_full)



def months_between(first: date, last: date) -> List[date]:
    """Every month from the month of `first` to the month of `last`."""
    found, month = [], month_of(first)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found
