"""Figures that change yearly (VAT threshold, YEL limits, fees, phone hours...), kept in one
file and written into answers in each language's own format.

Units: `eur`, `percent` and `number` are numbers written the language's way (20 000 € /
€20,000); `year` is a calendar year (2026, never 2 026); `text` is a short phrase that
changes yearly but is no number (a helpline's hours), given in every language
(`value: {fi: ..., sv: ..., en: ...}`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import AbstractSet, Dict, List, Mapping, Union

from bot.config import LANGUAGES
from bot.yaml_files import read_mapping


UNITS = ("eur", "percent", "number", "year", "text")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class FigureError(ValueError):
    """A figures file that cannot be used."""


@dataclass(frozen=True)
class Figure:
    """One yearly figure and where it comes from."""

    name: str
    value: Union[Decimal, Mapping[str, str]]  # a text figure: its phrase in each language
    unit: str
    note: str
    source: str
    checked: date


def _decimals(value: Decimal) -> int:
    return 0 if value == value.to_integral_value() else -int(value.normalize().as_tuple().exponent)


def _number(value: Decimal, language: str, places: int) -> str:
    """12 345,5 in fi/sv, 12,345.5 in en."""
    text = f"{value:,.{places}f}"
    if language == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def format_figure(figure: Figure, language: str) -> str:
    """The figure as written in `language`: '20 000 €' / '€20,000', '25,5 %' / '25.5%', '2026',
    a text figure's own phrase."""
    if figure.unit == "text":
        return figure.value[language]  # type: ignore[index]
    assert isinstance(figure.value, Decimal)
    if figure.unit == "year":
        return str(int(figure.value))
    if figure.unit == "eur":
        number = _number(figure.value, language, 2 if _decimals(figure.value) else 0)  # cents: always two
        return f"€{number}" if language == "en" else f"{number}\u00a0€"
    if figure.unit == "percent":
        number = _number(figure.value, language, _decimals(figure.value))
        return f"{number}%" if language == "en" else f"{number}\u00a0%"
    return _number(figure.value, language, _decimals(figure.value))


def load_figures(path: Path) -> Dict[str, Figure]:
    """Read the figures file; every entry needs a value, a known unit, a source and a date."""
    data = read_mapping(path, FigureError, "a mapping of figure names")
    figures: Dict[str, Figure] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise FigureError(f"{path}: {name} must be a mapping")
        unit = entry.get("unit")
        if unit not in UNITS:
            raise FigureError(f"{path}: {name} has unit {unit!r}, expected one of {UNITS}")
        value = entry.get("value")
        if unit == "text":
            if not isinstance(value, dict) or sorted(value) != sorted(LANGUAGES) or not all(
                    isinstance(v, str) and v.strip() for v in value.values()):
                raise FigureError(f"{path}: {name} is a text figure: it needs its text in {', '.join(LANGUAGES)}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FigureError(f"{path}: {name} needs a numeric value")
        elif unit == "year" and (value != int(value) or not 2000 <= value <= 2100):
            raise FigureError(f"{path}: {name} needs a calendar year")
        source, checked = entry.get("source"), entry.get("checked")
        if not isinstance(source, str) or not source.startswith("https://"):
            raise FigureError(f"{path}: {name} needs an https source")
        if not isinstance(checked, date):
            raise FigureError(f"{path}: {name} needs the date it was checked (YYYY-MM-DD)")
        number = dict(value) if unit == "text" else Decimal(str(value))
        figures[name] = Figure(name, number, unit, str(entry.get("note") or ""), source, checked)
    return figures


def placeholders(text: str) -> List[str]:
    """The {figure} names used in `text`."""
    return PLACEHOLDER.findall(text)


def fill_figures(text: str, figures: Mapping[str, Figure], language: str, keep: AbstractSet[str] = frozenset()) -> str:
    """`text` with every {figure} written out; an unknown name is an error, never shown to a user.

    The names in `keep` are left as they are: values the answer gets when it is sent (the
    opening hours, bot/content/questions.py LIVE_PLACEHOLDERS), never a figure's name.
    """

    def substitute(match: "re.Match[str]") -> str:
        if match.group(1) in keep:
            if match.group(1) in figures:
                raise FigureError(f"{{{match.group(1)}}} is both a figure and a value filled when answering")
            return match.group(0)
        figure = figures.get(match.group(1))
        if figure is None:
            raise FigureError(f"unknown figure {{{match.group(1)}}}")
        return format_figure(figure, language)

    return PLACEHOLDER.sub(substitute, text)
