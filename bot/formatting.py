"""Dates and times in Finnish time, written the way each language writes them."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from bot.config import HELSINKI

_WEEKDAYS = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local(moment: datetime) -> datetime:
    """`moment` in Finnish time (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(HELSINKI)


def format_date(day: date, language: str) -> str:
    """fi '15.6.2027', sv '15.6.2027', en '15 Jun 2027'."""
    if language == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def _clock(moment: datetime, language: str) -> str:
    if language == "en":
        return moment.strftime("%H:%M")
    return f"{moment.hour}.{moment.minute:02d}"


def weekday_abbreviation(weekday: int, language: str) -> str:
    """Day 0 = Monday as abbreviated in lists: fi 'ma', sv 'mån', en 'Mon'."""
    return _WEEKDAYS.get(language, _WEEKDAYS["fi"])[weekday]


def format_day(moment: datetime, language: str) -> str:
    """Weekday and date: fi 'ti 15.6.', sv 'tis 15.6.', en 'Tue 15 Jun'."""
    weekday = weekday_abbreviation(moment.weekday(), language)
    if language == "en":
        return f"{weekday} {moment.day} {_EN_MONTHS[moment.month - 1]}"
    return f"{weekday} {moment.day}.{moment.month}."


def format_event_time(start: datetime, end: Optional[datetime], language: str) -> str:
    """When an event is on, in Finnish time: fi 'ti 15.6. klo 14.00–16.00'."""
    begins = local(start)
    at = {"fi": "klo ", "sv": "kl. ", "en": ""}.get(language, "klo ")
    text = f"{format_day(begins, language)} {at}{_clock(begins, language)}"
    if end is None:
        return text
    ends = local(end)
    if ends.date() == begins.date():
        return f"{text}–{_clock(ends, language)}"
    return f"{text} – {format_day(ends, language)} {at}{_clock(ends, language)}"
