"""Dates spoken in a message, in Finnish, Swedish or English, as a Europe/Helsinki range.

`parse_date_range` knows the common forms itself (dateparser misreads many of them, e.g.
"ensi viikolla", inflected Finnish month names, or "may" the verb): explicit dates (15.6.,
15.6.2027, 2027-06-15, June 15, 15 June, 15. kesäkuuta, 15 juni), date ranges (15.–20.6.),
month names (in May, toukokuussa, i maj), today / tomorrow / the day after, this / next
week, this / next weekend, this / next month and weekdays (on Friday, perjantaina, på
fredag). Weeks start on Monday; every range is [start, end) in Helsinki time.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Callable, List, Optional, Tuple

from bot.catalog.search import fold
from bot.config import HELSINKI

Range = Tuple[datetime, datetime]

MONTHS = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"),
    "fi": ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu",
           "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"),
}
WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "fi": ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
}
_EN_AMBIGUOUS = {"may", "march"}
_NEXT = r"(?:next|ensi|seuraava(?:lla|n|na)?|nästa|kommande)"
_THIS = r"(?:this|tä(?:llä|nä|män|ssä)|den här|denna|detta|i)"

_B = r"(?<![\w])"
_E = r"(?![\w])"


def _day_range(day: date) -> Range:
    start = datetime.combine(day, time(0), HELSINKI)
    return start, datetime.combine(day + timedelta(days=1), time(0), HELSINKI)


def _span(first: date, after_last: date) -> Range:
    return datetime.combine(first, time(0), HELSINKI), datetime.combine(after_last, time(0), HELSINKI)


def _month_range(year: int, month: int, today: date) -> Range:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return _span(max(first, today), following)


def _valid_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: Optional[str], month: int, day: int, today: date) -> int:
    if raw:
        year = int(raw)
        return year + 2000 if year < 100 else year
    candidate = _valid_date(today.year, month, day)
    return today.year + 1 if candidate is not None and candidate < today else today.year


def _month_index(word: str) -> Optional[int]:
    for names in MONTHS.values():
        for index, name in enumerate(names):
            if word.startswith(name) or (len(word) >= 3 and word[:3] == name[:3] and len(word) <= 4):
                return index + 1
    return None


_MONTH_WORD = r"(?P<month>[a-zåäö]{3,}?)"


def _numeric_range(text: str, today: date) -> Optional[Range]:
    match = re.search(_B + r"(\d{1,2})\.?\s*[-–]\s*(\d{1,2})\.(\d{1,2})\.(\d{2,4})?" + _E, text)
    if match:
        d1, d2, m = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year = _year(match.group(4), m, d2, today)
        first, last = _valid_date(year, m, d1), _valid_date(year, m, d2)
        if first and last and first <= last:
            return _span(first, last + timedelta(days=1))
    match = re.search(_B + r"(\d{1,2})\.(\d{1,2})\.?\s*[-–]\s*(\d{1,2})\.(\d{1,2})\.(\d{2,4})?" + _E, text)
    if match:
        d1, m1, d2, m2 = (int(match.group(i)) for i in range(1, 5))
        year = _year(match.group(5), m2, d2, today)
        first, last = _valid_date(year, m1, d1), _valid_date(year, m2, d2)
        if first and last and first <= last:
            return _span(first, last + timedelta(days=1))
    return None


def _explicit_date(text: str, today: date) -> Optional[Range]:
    match = re.search(_B + r"(\d{4})-(\d{2})-(\d{2})" + _E, text)
    if match:
        day = _valid_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return _day_range(day) if day else None
    match = re.search(_B + r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}(?!\d))?", text)
    if match:
        d, m = int(match.group(1)), int(match.group(2))
        day = _valid_date(_year(match.group(3), m, d, today), m, d)
        if day:
            return _day_range(day)
    match = re.search(_B + r"(\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?([a-zåäö]{3,})(?:\s+(\d{4}))?" + _E, text)
    if match and _month_index(match.group(2)):
        m, d = _month_index(match.group(2)), int(match.group(1))
        day = _valid_date(_year(match.group(3), m, d, today), m, d)
        if day:
            return _day_range(day)
    match = re.search(_B + r"([a-zåäö]{3,})\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?" + _E, text)
    if match and _month_index(match.group(1)):
        m, d = _month_index(match.group(1)), int(match.group(2))
        day = _valid_date(_year(match.group(3), m, d, today), m, d)
        if day:
            return _day_range(day)
    return None


def _month_name(text: str, today: date, language: str) -> Optional[Range]:
    for lang, names in MONTHS.items():
        for index, name in enumerate(names):
            if lang == "en" and name in _EN_AMBIGUOUS:
                pattern = _B + r"(?:in|during|until|for|of)\s+" + name + r"(?:\s+(\d{4}))?" + _E
            elif lang == "fi":
                pattern = _B + name + r"[a-zåäö]*(?:\s+(\d{4}))?" + _E
            else:
                pattern = _B + name + r"(?:s)?(?:\s+(\d{4}))?" + _E
            match = re.search(pattern, text)
            if match:
                month = index + 1
                year = int(match.group(1)) if match.group(1) else (
                    today.year + 1 if month < today.month else today.year)
                return _month_range(year, month, today)
    return None


def _relative(text: str, today: date) -> Optional[Range]:
    monday = today - timedelta(days=today.weekday())
    checks: List[Tuple[str, Callable[[], Range]]] = [
        (r"day after tomorrow|ylihuomen\w*|(?:i\s+)?övermorgon", lambda: _day_range(today + timedelta(days=2))),
        (r"tomorrow|huomen\w*|i\s*morgon", lambda: _day_range(today + timedelta(days=1))),
        (r"today|tonight|tänään|tänä iltana|i\s*dag|i\s*kväll", lambda: _day_range(today)),
        (_NEXT + r"\s+(?:weekend|viikonlop\w*|helg\w*)", lambda: _span(monday + timedelta(days=12), monday + timedelta(days=14))),
        (r"(?:" + _THIS + r"\s+|the\s+|over\s+the\s+)?(?:weekend|viikonlop\w*|helgen)",
         lambda: _span(max(today, monday + timedelta(days=5)), monday + timedelta(days=7))),
        (_NEXT + r"\s+(?:week|viiko\w*|veck\w*)", lambda: _span(monday + timedelta(days=7), monday + timedelta(days=14))),
        (_THIS + r"\s+(?:week|viiko\w*|veckan?)|i veckan", lambda: _span(today, monday + timedelta(days=7))),
        (_NEXT + r"\s+(?:month|kuu\w*|månad\w*)", lambda: _next_month(today)),
        (_THIS + r"\s+(?:month|kuu\w*|månaden?)|i månaden", lambda: _month_range(today.year, today.month, today)),
    ]
    for pattern, make in checks:
        if re.search(_B + r"(?:" + pattern + r")" + _E, text):
            return make()
    return None


def _next_month(today: date) -> Range:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _month_range(year, month, today)


def _weekday(text: str, today: date) -> Optional[Range]:
    for names in WEEKDAYS.values():
        for index, name in enumerate(names):
            match = re.search(_B + r"(?:(" + _NEXT + r")\s+)?" + name + r"\w*" + _E, text)
            if match:
                ahead = (index - today.weekday()) % 7
                if match.group(1) and ahead == 0:
                    ahead = 7
                return _day_range(today + timedelta(days=ahead))
    return None


def parse_date_range(text: str, language: str, now: datetime) -> Optional[Range]:
    """The date range a message speaks of, as aware Helsinki datetimes [start, end), or None.

    `language` is the conversation's language (fi, sv, en); the forms of the other two are
    understood as well, since users mix them. `now` anchors relative expressions and
    dates given without a year (a date already past this year means next year).
    """
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime")
    folded = fold(text)
    today = now.astimezone(HELSINKI).date()
    for finder in (_numeric_range, _explicit_date):
        found = finder(folded, today)
        if found:
            return found
    found = _month_name(folded, today, language)
    if found:
        return found
    return _relative(folded, today) or _weekday(folded, today)


_DATE_WORDS = frozenset(
    "today tonight tomorrow day after next this the coming week weeks weekend month months on in during until "
    "tänään huomenna ylihuomenna ensi tällä tänä tämän tässä seuraava seuraavalla seuraavan viikolla viikon viikko "
    "viikonloppuna viikonlopun viikonloppu kuussa kuun kuukausi kuukauden iltana "
    "idag imorgon morgon övermorgon nästa denna den här detta kommande vecka veckan veckas helg helgen månad "
    "månaden kväll ikväll på".split()
)


def is_date_word(word: str) -> bool:
    """Whether a folded word only says when (so a topic search should ignore it)."""
    if word in _DATE_WORDS or re.fullmatch(r"[\d.\-–/]+", word):
        return True
    for names in list(MONTHS.values()) + list(WEEKDAYS.values()):
        if any(word.startswith(name) for name in names if len(name) > 3 or word == name):
            return True
    return False
