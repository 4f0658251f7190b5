"""Opening hours written out for a person, in each language: the one place for that.

The sentences are interface texts (data/locale/<language>.yml, group "catalog", keys
"hours_*"); the day and month names and the clock formats are here:

- fi: "Tänään tiistaina 1.12. neuvonta palvelee klo 9–16." / "ma–pe klo 9–16, la–su suljettu"
- sv: "I dag, tisdag 1.12, har rådgivningen öppet kl. 9–16." / "mån–fre kl. 9–16, lör–sön stängt"
- en: "Today, Tuesday 1 December, the advice service is open 9 am–4 pm." / "Mon–Fri 9 am–4 pm, Sat–Sun closed"

`hours_values` gives the values of the answer placeholders {hours_today} and {hours_week}
(bot/content/questions.py LIVE_PLACEHOLDERS): the sentences, or, when the hours are not
known, the locale's fallback sentence pointing to the contact page and an empty week.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot import locale
from bot.catalog.hours import Slot, week_opening_times
from bot.config import HELSINKI
from bot.formatting import weekday_abbreviation
from bot.language import language_or_default

HOURS_PLACEHOLDERS = frozenset({"hours_today", "hours_week"})  # what `hours_values` fills
DASH = "\u2013"  # en dash between days and between times
DayHours = Tuple[date, Optional[List[Slot]]]

_WEEKDAYS_TODAY = {  # "Tänään tiistaina", "I dag, tisdag", "Today, Tuesday"
    "fi": ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina", "lauantaina", "sunnuntaina"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def format_clock(clock: str, language: str, *, end: bool = False) -> str:
    """"HH:MM" as written: fi/sv "9", "9.30", "24" (a closing midnight); en "9 am", "4:30 pm", "midnight"."""
    hours, minutes = (int(part) for part in clock.split(":"))
    if language_or_default(language) != "en":
        if end and hours == 0 and minutes == 0:
            return "24"
        return f"{hours}" if minutes == 0 else f"{hours}.{minutes:02d}"
    if hours == 0 and minutes == 0:
        return "midnight"
    suffix = "am" if hours < 12 else "pm"
    twelve = hours % 12 or 12
    return f"{twelve} {suffix}" if minutes == 0 else f"{twelve}:{minutes:02d} {suffix}"


def _whole_day(slot: Slot) -> bool:
    start, end = slot
    return start == "00:00" and end in ("00:00", "23:59")


def format_slots(slots: Sequence[Slot], language: str) -> str:
    """The times of one open day: fi "klo 9–12 ja 13–16", sv "kl. 9–16", en "9 am–4 pm", or "around the clock"."""
    language = language_or_default(language)
    if any(_whole_day(slot) for slot in slots):
        return locale.text(language, "catalog.hours_all_day")
    parts = [f"{format_clock(start, language)}{DASH}{format_clock(end, language, end=True)}" for start, end in slots]
    joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {locale.text(language, 'catalog.hours_and')} {parts[-1]}"
    return locale.text(language, "catalog.hours_at", times=joined)


def format_date_today(day: date, language: str) -> str:
    """fi "1.12.", sv "1.12", en "1 December"."""
    language = language_or_default(language)
    if language == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]}"
    return f"{day.day}.{day.month}." if language == "fi" else f"{day.day}.{day.month}"


def today_sentence(day: date, slots: Optional[Sequence[Slot]], language: str) -> Optional[str]:
    """"Tänään tiistaina 1.12. neuvonta palvelee klo 9–16." (or closed); None when the day's hours are unknown."""
    if slots is None:
        return None
    language = language_or_default(language)
    values = {"weekday": _WEEKDAYS_TODAY[language][day.weekday()], "date": format_date_today(day, language)}
    if not slots:
        return locale.text(language, "catalog.hours_today_closed", **values)
    return locale.text(language, "catalog.hours_today", times=format_slots(slots, language), **values)


def _days(first: date, last: date, language: str) -> str:
    start = weekday_abbreviation(first.weekday(), language)
    return start if first == last else f"{start}{DASH}{weekday_abbreviation(last.weekday(), language)}"


def week_list(week: Sequence[DayHours], language: str) -> str:
    """Consecutive days with the same hours together: fi "ma–pe klo 9–16, la–su suljettu"."""
    language = language_or_default(language)
    groups: List[Tuple[date, date, Optional[List[Slot]]]] = []
    for day, slots in week:
        if groups and groups[-1][2] == slots:
            groups[-1] = (groups[-1][0], day, slots)
        else:
            groups.append((day, day, slots))
    parts = []
    for first, last, slots in groups:
        days = _days(first, last, language)
        if slots is None:
            parts.append(locale.text(language, "catalog.hours_unknown_days", days=days))
        elif not slots:
            parts.append(locale.text(language, "catalog.hours_closed_days", days=days))
        else:
            parts.append(f"{days} {format_slots(slots, language)}")
    return ", ".join(parts)


def week_sentence(week: Sequence[DayHours], language: str) -> Optional[str]:
    """"Tällä viikolla: ma–pe klo 9–16, la–su suljettu."; None when no day's hours are known."""
    if all(slots is None for _, slots in week):
        return None
    return locale.text(language, "catalog.hours_week", days=week_list(week, language))


def fallback_values(language: Optional[str]) -> Dict[str, str]:
    """{hours_today}, {hours_week} when the hours are not known: the fallback sentence, no week."""
    return {"hours_today": locale.text(language_or_default(language), "catalog.hours_fallback"), "hours_week": ""}


def hours_values(channel_hours: Optional[Sequence[Mapping[str, Any]]], now: datetime,
                 language: Optional[str]) -> Dict[str, str]:
    """{hours_today} and {hours_week} for `now` (aware) from a channel's normalised hours (None: unknown)."""
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime")
    if not channel_hours:
        return fallback_values(language)
    language = language_or_default(language)
    today = now.astimezone(HELSINKI).date()
    week = week_opening_times(channel_hours, today)
    sentence = today_sentence(today, dict(week)[today], language)
    if sentence is None:  # today unknown: the fallback alone, not a week that may mislead
        return fallback_values(language)
    return {"hours_today": sentence, "hours_week": week_sentence(week, language) or ""}
