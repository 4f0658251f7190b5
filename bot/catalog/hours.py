"""Opening hours of service channels (PTV serviceHours): a day's and a week's opening times
(`opening_times`, `week_opening_times`) and whether a channel is open at a moment (`is_open`).

Rules are kept in a small normalised JSON form (`normalise_service_hours`) in the channel row:
{"kind": "weekly"|"special"|"exceptional", "valid_from": "YYYY-MM-DD"|None,
 "valid_to": "YYYY-MM-DD"|None, "closed": bool, "times": [[day_from, day_to|None, "HH:MM", "HH:MM"]]}
with days 0 = Monday ... 6 = Sunday. All times are Europe/Helsinki wall-clock times.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.config import HELSINKI

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KINDS = {
    "daysoftheweek": "weekly", "standard": "weekly",
    "exceptional": "exceptional", "exception": "exceptional",
    "special": "special", "overmidnight": "special",
}


Slot = Tuple[str, str]  # ("HH:MM", "HH:MM") Helsinki wall-clock; the end may be past midnight (22:00-04:00)


class BadHours(ValueError):
    """A serviceHours entry that cannot be understood."""


def _day(value: Any) -> Optional[int]:
    if value in (None, ""):
        return None
    name = str(value).strip().lower()
    if name not in DAYS:
        raise BadHours(f"unknown day {value!r}")
    return DAYS.index(name)


def _clock(value: Any) -> str:
    text = str(value or "").strip()
    try:
        parsed = time.fromisoformat(text) if text else time(0, 0)
    except ValueError as exc:
        raise BadHours(f"bad time {value!r}") from exc
    return parsed.strftime("%H:%M")


def _date(value: Any) -> Optional[str]:
    if not value:
        return None
    text = str(value)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError as exc:
            raise BadHours(f"bad date {value!r}") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(HELSINKI)
    return parsed.date().isoformat()


def normalise_service_hours(entries: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """PTV v11 serviceHours -> the normalised rules (raises BadHours on nonsense)."""
    rules: List[Dict[str, Any]] = []
    for entry in entries or ():
        kind = _KINDS.get(str(entry.get("serviceHourType", "")).replace(" ", "").lower())
        if kind is None:
            raise BadHours(f"unknown serviceHourType {entry.get('serviceHourType')!r}")
        times = []
        for opening in entry.get("openingHour") or ():
            day_from = _day(opening.get("dayFrom"))
            times.append([day_from, _day(opening.get("dayTo")), _clock(opening.get("from")), _clock(opening.get("to"))])
        valid_from = _date(entry.get("validFrom"))
        valid_to = _date(entry.get("validTo"))
        if valid_from and valid_to and valid_to < valid_from:
            raise BadHours(f"validTo {valid_to} before validFrom {valid_from}")
        rules.append({
            "kind": kind,
            "valid_from": None if entry.get("validForNow") and kind != "exceptional" else valid_from,
            "valid_to": valid_to,
            "closed": bool(entry.get("isClosed")),
            "times": times,
        })
    return rules


def _valid_on(rule: Mapping[str, Any], day: date) -> bool:
    start = rule.get("valid_from")
    end = rule.get("valid_to")
    if rule["kind"] == "exceptional":
        end = end or start
    if start and day.isoformat() < start:
        return False
    if end and day.isoformat() > end:
        return False
    return True


def _days_covered(day_from: Optional[int], day_to: Optional[int]) -> List[int]:
    if day_from is None:
        return list(range(7))
    if day_to is None or day_to == day_from:
        return [day_from]
    span = (day_to - day_from) % 7
    return [(day_from + i) % 7 for i in range(span + 1)]


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _whole_day(start: int, end: int) -> bool:
    return start == end == 0 or (start == 0 and end >= 24 * 60 - 1)


def _covers(slot: Sequence[str], minute: int, started_yesterday: bool) -> bool:
    """Whether a slot of a day covers `minute` of that day, or of the next day for a slot past midnight."""
    start, end = _minutes(slot[0]), _minutes(slot[1])
    if started_yesterday:
        return not _whole_day(start, end) and end <= start and minute < end
    return _whole_day(start, end) or (start <= minute < end if end > start else minute >= start)


def _slots_on(times: Sequence[Sequence[Any]], weekday: int) -> List[Slot]:
    return [(start, end) for day_from, day_to, start, end in times if weekday in _days_covered(day_from, day_to)]


def opening_times(channel_hours: Sequence[Mapping[str, Any]], day: date) -> Optional[List[Slot]]:
    """The opening times of the Helsinki date `day`, earliest first: [] when closed that day,
    None when no rule covers it. Exceptional rules valid that day decide alone (one closed rule
    closes the day); otherwise the weekly rule valid that day with the latest valid_from (a
    temporary summer schedule over the standing one) and the special ones. A slot past midnight
    (22:00-04:00) is listed on the day it starts; a whole day is ("00:00", "00:00") or
    ("00:00", "23:59") as the source gives it.
    """
    if isinstance(day, datetime):
        raise TypeError("`day` is a Helsinki date; use week_opening_times or .astimezone(HELSINKI).date()")
    if any("serviceHourType" in rule for rule in channel_hours):
        channel_hours = normalise_service_hours(channel_hours)  # raw PTV serviceHours
    weekday = day.weekday()
    exceptional = [r for r in channel_hours if r["kind"] == "exceptional" and _valid_on(r, day)]
    if exceptional:
        if any(r["closed"] for r in exceptional):
            return []
        return _sorted_slots(slot for r in exceptional for slot in _slots_on(r["times"], weekday))
    weekly = [r for r in channel_hours if r["kind"] == "weekly" and _valid_on(r, day)]
    special = [r for r in channel_hours if r["kind"] == "special" and _valid_on(r, day)]
    if not weekly and not special:
        return None
    slots: List[Slot] = []
    if weekly:
        chosen = max(weekly, key=lambda r: (r.get("valid_from") or "", 1 if r.get("valid_to") else 0))
        if not chosen["closed"]:
            slots.extend(_slots_on(chosen["times"], weekday))
    for rule in special:
        if not rule["closed"]:
            slots.extend(_slots_on(rule["times"], weekday))
    return _sorted_slots(slots)


def _sorted_slots(slots: Iterable[Slot]) -> List[Slot]:
    return sorted(set(slots), key=lambda slot: (_minutes(slot[0]), _minutes(slot[1])))


def is_open(channel_hours: Sequence[Mapping[str, Any]], at: datetime) -> Optional[bool]:
    """Whether a channel with these hours is open at `at`; None when no rule covers the day.

    `channel_hours` is the normalised form stored in the database (ServiceChannel.service_hours)
    or PTV's own serviceHours list.

    Open when a slot of that Helsinki date's `opening_times` covers the moment, or a slot of the
    day before runs past midnight into it (the day before's own rules decide that slot: a holiday
    closing Saturday ends Saturday night too): exceptional hours valid on a date win over
    everything (closed, or open only in their own times); otherwise the weekly rules valid that
    day (the one with the latest valid_from wins, a temporary summer schedule over the standing
    one) together with the special ones decide.
    """
    if at.tzinfo is None:
        raise ValueError("`at` must be an aware datetime")
    if any("serviceHourType" in rule for rule in channel_hours):
        channel_hours = normalise_service_hours(channel_hours)  # raw PTV serviceHours
    local = at.astimezone(HELSINKI)
    minute = local.hour * 60 + local.minute
    yesterday = opening_times(channel_hours, local.date() - timedelta(days=1)) or []
    if any(_covers(slot, minute, started_yesterday=True) for slot in yesterday):
        return True
    today = opening_times(channel_hours, local.date())
    if today is None:
        return None
    return any(_covers(slot, minute, started_yesterday=False) for slot in today)


def week_of(when: Any) -> List[date]:
    """Monday to Sunday of the Helsinki week of `when` (a date, or an aware datetime)."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError("`when` must be an aware datetime")
        when = when.astimezone(HELSINKI).date()
    monday = when - timedelta(days=when.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def week_opening_times(channel_hours: Sequence[Mapping[str, Any]], when: Any) -> List[Tuple[date, Optional[List[Slot]]]]:
    """(date, opening_times) of the 7 days, Monday to Sunday, of the Helsinki week of `when`."""
    if any("serviceHourType" in rule for rule in channel_hours):
        channel_hours = normalise_service_hours(channel_hours)
    return [(day, opening_times(channel_hours, day)) for day in week_of(when)]
