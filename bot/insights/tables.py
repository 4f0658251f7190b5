"""The tables of the insights pages: one shape for the page, its chart and its CSV export.

A cell holds a raw value (text, count, share 0..1, seconds, None); the page shows it
formatted for the console's language, the CSV gives it raw (shares as decimals), so a
spreadsheet can compute with it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional

from bot.formatting import format_date

KINDS = ("text", "int", "pct", "pp", "num", "seconds", "day")


@dataclass(frozen=True)
class Column:
    """A column: its heading and how its cells are written."""

    title: str
    kind: str = "int"
    page: bool = True  # False: in the CSV only (a code a spreadsheet may want, words on the page)


@dataclass
class Table:
    """A table of a page; `chart` (bot/insights/charts.py) draws one of its columns."""

    id: str
    title: str
    columns: List[Column]
    rows: List[List[Any]] = field(default_factory=list)
    chart: Optional[Dict[str, Any]] = None
    note: str = ""


def _grouped(number: str, language: str) -> str:
    whole, _, decimals = number.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    separator = "," if language == "en" else "\u00a0"
    text = sign + separator.join(groups or ["0"])
    if decimals:
        text += ("." if language == "en" else ",") + decimals
    return text


def number(value: float, language: str, decimals: int = 0) -> str:
    """1 234,5 (fi, sv) or 1,234.5 (en)."""
    return _grouped(f"{value:.{decimals}f}", language)


def duration(seconds: int, language: str) -> str:
    """A waiting time: '45 s', '3 min 10 s', '1 h 5 min'."""
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min" if rest >= 60 else f"{hours} h"


def cell(value: Any, kind: str, language: str) -> str:
    """A cell as the page shows it ('–' for no value)."""
    if value is None or value == "":
        return "–"
    if kind == "int":
        return number(value, language)
    if kind == "pct":
        return number(value * 100, language, 1) + "\u00a0%"
    if kind == "pp":
        return ("+" if value > 0 else "") + number(value * 100, language, 1)
    if kind == "num":
        return number(value, language, 2)
    if kind == "seconds":
        return duration(int(value), language)
    if kind == "day" and isinstance(value, date):
        return format_date(value, language)
    return str(value)


def shown(table: Table, language: str) -> List[List[str]]:
    """The rows of `table` as the page shows them (its page columns)."""
    return [[cell(value, column.kind, language) for value, column in zip(row, table.columns) if column.page]
            for row in table.rows]


def _raw(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if kind in ("pct", "pp", "num") and isinstance(value, float):
        return f"{value:.4f}"
    text = str(value)
    # A cell that a spreadsheet would run as a formula is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and kind == "text" else text


def to_csv(table: Table) -> str:
    """The table as CSV (RFC 4180, a heading row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.title for column in table.columns])
    for row in table.rows:
        writer.writerow([_raw(value, column.kind) for value, column in zip(row, table.columns)])
    return out.getvalue()
