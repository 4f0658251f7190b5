"""Reading the daily counters for a page: the filters and sums over them (one query each).

Only the counters are read, by their primary key (metric, day, language, key): sums over a
range take whole months from `insights_monthly` and the days at its ends from `insights_daily`,
so a page costs a few small indexed range scans however many conversations there were.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import LANGUAGES
from bot.insights.models import DailyCount, MonthlyCount, ShownItem
from bot.insights.rollup import split_range

DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366
GRANULARITIES = ("day", "week")


@dataclass(frozen=True)
class Filters:
    """The date range (Finnish days, both included), the language ("" = all) and day or week rows."""

    start: date
    end: date
    language: str = ""
    by: str = "week"

    @classmethod
    def from_query(cls, query: Mapping[str, str], today: date) -> "Filters":
        """From ?from=&to=&language=&by=; what is missing or wrong is the default (the last 28 days)."""
        def day(name: str) -> Optional[date]:
            try:
                return date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        end = day("to") or today
        start = day("from") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            start, end = end, start
        start = max(start, end - timedelta(days=MAX_DAYS))
        language = query.get("language", "")
        by = query.get("by", "")
        if by not in GRANULARITIES:
            by = "day" if (end - start).days < 31 else "week"
        return cls(start, end, language if language in LANGUAGES else "", by)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Filters":
        """The period of the same length just before (for the change of a share)."""
        return Filters(self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.language, self.by)

    def query(self) -> Dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "language": self.language, "by": self.by}

    def period_of(self, day: date) -> date:
        """The row a day belongs to: itself, or the Monday of its week."""
        return day if self.by == "day" else day - timedelta(days=day.weekday())

    def periods(self) -> List[date]:
        """Every row of the range, in order (rows without any count too)."""
        found, day = [], self.period_of(self.start)
        step = timedelta(days=1 if self.by == "day" else 7)
        while day <= self.end:
            found.append(day)
            day += step
        return found


def _where(statement, table, metrics: Sequence[str], filters: Filters, first: date, last: date):  # type: ignore[no-untyped-def]
    statement = statement.where(table.c.metric.in_(metrics), table.c.day >= first, table.c.day <= last)
    if filters.language:
        statement = statement.where(table.c.language == filters.language)
    return statement


async def _summed(session: AsyncSession, group: Sequence[str], metrics: Sequence[str],
                  filters: Filters) -> Dict[Tuple[str, ...], int]:
    """Sums over the range grouped by the columns `group`: whole months from `insights_monthly`,
    the days left over at both ends from `insights_daily`."""
    edges, (first, last) = split_range(filters.start, filters.end)
    parts = [(DailyCount.__table__, a, b) for a, b in edges]
    if first <= last:
        parts.append((MonthlyCount.__table__, first, last))
    found: Dict[Tuple[str, ...], int] = defaultdict(int)
    for table, a, b in parts:
        columns = [table.c[name] for name in group]
        rows = await session.execute(_where(select(*columns, func.sum(table.c.value)).group_by(*columns),
                                            table, metrics, filters, a, b))
        for *names, total in rows.all():
            found[tuple(str(name) for name in names)] += int(total)
    return found


async def by_key(session: AsyncSession, metric: str, filters: Filters) -> Dict[str, int]:
    """{key: sum} of one metric over the filters."""
    return {key: total for (key,), total in (await _summed(session, ["key"], [metric], filters)).items()}


async def by_metric_key(session: AsyncSession, metrics: Sequence[str], filters: Filters) -> Dict[Tuple[str, str], int]:
    """{(metric, key): sum} of several metrics over the filters."""
    return {(m, k): total for (m, k), total in (await _summed(session, ["metric", "key"], metrics, filters)).items()}


async def totals(session: AsyncSession, metrics: Sequence[str], filters: Filters) -> Dict[str, int]:
    """{metric: sum} over the filters (0 for a metric without counts)."""
    found = {metric: 0 for metric in metrics}
    found.update({m: total for (m,), total in (await _summed(session, ["metric"], metrics, filters)).items()})
    return found


async def by_period(session: AsyncSession, metrics: Sequence[str], filters: Filters,
                    split: str = "") -> Dict[Tuple[date, str, str], int]:
    """{(period, metric, part): sum}: part is the language when split == "language", the key when
    split == "key", else ""."""
    c = DailyCount.__table__.c
    columns = [c.day, c.metric] + ([c.language] if split == "language" else [c.key] if split == "key" else [])
    rows = await session.execute(_where(select(*columns, func.sum(c.value)).group_by(*columns), DailyCount.__table__,
                                        metrics, filters, filters.start, filters.end))
    found: Dict[Tuple[date, str, str], int] = defaultdict(int)
    for row in rows.all():
        day, metric, *part, total = row
        found[(filters.period_of(_as_date(day)), metric, str(part[0]) if part else "")] += int(total)
    return found


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def percentile(buckets: Mapping[str, int], share: float) -> Optional[int]:
    """The bucket (its lower bound in seconds) where `share` of the counts is reached; None without counts."""
    total = sum(buckets.values())
    if not total:
        return None
    running = 0
    for key in sorted(buckets):
        running += buckets[key]
        if running >= share * total:
            return int(key)
    return int(max(buckets))


def ratio(part: int, whole: int) -> Optional[float]:
    """part / whole, None when there is no whole."""
    return part / whole if whole else None


def top(counts: Mapping[str, int], limit: int) -> List[Tuple[str, int]]:
    """The largest counts first (ties by key), at most `limit`."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


async def item_titles(session: AsyncSession, kind: str, items: Sequence[str], language: str) -> Dict[str, str]:
    """{item id: title} of shown catalogue items: the title in `language` when there is one, else in
    Finnish, else in any language (the latest seen)."""
    order = {language: 0, "fi": 1}
    found: Dict[str, Tuple[int, str]] = {}
    for start in range(0, len(items), 500):
        rows = await session.execute(select(ShownItem.item, ShownItem.language, ShownItem.title)
                                     .where(ShownItem.kind == kind, ShownItem.item.in_(items[start:start + 500])))
        for item, lang, title in rows.all():
            rank = order.get(lang, 2)
            if item not in found or rank < found[item][0]:
                found[item] = (rank, title)
    return {item: title for item, (_, title) in found.items()}
