"""Opening hours: weekly rules, exceptional hours winning, midnight, time zones."""
from datetime import datetime, timezone

import pytest

from bot.catalog.hours import BadHours, is_open, normalise_service_hours
from bot.config import HELSINKI

WEEKDAYS_8_16 = {"serviceHourType": "DaysOfTheWeek", "validForNow": True, "isClosed": False,
                 "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "08:00:00", "to": "16:00:00"}]}
CHRISTMAS_CLOSED = {"serviceHourType": "Exceptional", "validFrom": "2026-12-24T00:00:00",
                    "validTo": "2026-12-26T00:00:00", "isClosed": True, "openingHour": []}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def hours(*entries):
    return normalise_service_hours(entries)


@pytest.mark.parametrize("moment,expected", [
    (at(2026, 11, 27, 14, 0), True),    # Friday afternoon
    (at(2026, 11, 27, 7, 59), False),   # before opening
    (at(2026, 11, 27, 16, 0), False),   # closing time is closed
    (at(2026, 11, 28, 12, 0), False),   # Saturday
    (at(2026, 11, 30, 8, 0), True),     # Monday opening minute
])
def test_weekly_hours(moment, expected):
    assert is_open(hours(WEEKDAYS_8_16), moment) is expected


def test_exceptional_closure_wins_over_weekly_hours():
    rules = hours(WEEKDAYS_8_16, CHRISTMAS_CLOSED)
    assert is_open(rules, at(2026, 12, 24, 10, 0)) is False  # Thursday, Christmas Eve
    assert is_open(rules, at(2026, 12, 23, 10, 0)) is True
    assert is_open(rules, at(2026, 12, 28, 10, 0)) is True


def test_exceptional_opening_hours_replace_the_day():
    short_day = {"serviceHourType": "Exceptional", "validFrom": "2026-12-23", "isClosed": False,
                 "openingHour": [{"from": "10:00", "to": "12:00"}]}
    rules = hours(WEEKDAYS_8_16, short_day)
    assert is_open(rules, at(2026, 12, 23, 11, 0)) is True
    assert is_open(rules, at(2026, 12, 23, 14, 0)) is False
    saturday_event = {"serviceHourType": "Exceptional", "validFrom": "2026-11-28", "validTo": "2026-11-28",
                      "isClosed": False, "openingHour": [{"from": "10:00:00", "to": "14:00:00"}]}
    assert is_open(hours(WEEKDAYS_8_16, saturday_event), at(2026, 11, 28, 11, 0)) is True


def test_a_temporary_weekly_schedule_wins_over_the_standing_one():
    summer = {"serviceHourType": "DaysOfTheWeek", "validFrom": "2027-06-01", "validTo": "2027-08-31",
              "isClosed": False, "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00", "to": "12:00"}]}
    rules = hours(WEEKDAYS_8_16, summer)
    assert is_open(rules, at(2027, 6, 15, 14, 0)) is False
    assert is_open(rules, at(2027, 6, 15, 10, 0)) is True
    assert is_open(rules, at(2027, 9, 7, 14, 0)) is True


def test_hours_past_midnight_and_weekday_ranges_that_wrap():
    night = {"serviceHourType": "DaysOfTheWeek", "validForNow": True,
             "openingHour": [{"dayFrom": "Friday", "dayTo": "Saturday", "from": "22:00", "to": "04:00"}]}
    rules = hours(night)
    assert is_open(rules, at(2026, 11, 27, 23, 0)) is True   # Friday night
    assert is_open(rules, at(2026, 11, 29, 3, 0)) is True    # Saturday night, early Sunday
    assert is_open(rules, at(2026, 11, 29, 5, 0)) is False
    assert is_open(rules, at(2026, 11, 26, 23, 0)) is False  # Thursday night
    weekend = hours({"serviceHourType": "DaysOfTheWeek", "validForNow": True,
                     "openingHour": [{"dayFrom": "Saturday", "dayTo": "Monday", "from": "10:00", "to": "18:00"}]})
    assert is_open(weekend, at(2026, 11, 29, 12, 0)) is True and is_open(weekend, at(2026, 11, 30, 12, 0)) is True
    assert is_open(weekend, at(2026, 12, 1, 12, 0)) is False


def test_time_is_helsinki_time_whatever_the_zone_of_the_moment():
    rules = hours(WEEKDAYS_8_16)
    # 06:30 UTC is 08:30 in Helsinki in winter and 09:30 in summer; 05:30 UTC is 07:30 in winter
    assert is_open(rules, datetime(2026, 11, 27, 6, 30, tzinfo=timezone.utc)) is True
    assert is_open(rules, datetime(2026, 11, 27, 5, 30, tzinfo=timezone.utc)) is False
    assert is_open(rules, datetime(2027, 6, 4, 5, 30, tzinfo=timezone.utc)) is True


def test_no_rule_for_the_day_means_unknown():
    assert is_open([], at(2026, 11, 27, 12, 0)) is None
    old = {"serviceHourType": "DaysOfTheWeek", "validFrom": "2025-01-01", "validTo": "2025-12-31",
           "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "08:00", "to": "16:00"}]}
    assert is_open(hours(old), at(2026, 11, 27, 12, 0)) is None


@pytest.mark.parametrize("entry", [
    {"serviceHourType": "Sometimes"},
    {"serviceHourType": "DaysOfTheWeek", "openingHour": [{"dayFrom": "Funday", "from": "08:00", "to": "10:00"}]},
    {"serviceHourType": "DaysOfTheWeek", "openingHour": [{"dayFrom": "Monday", "from": "25:00", "to": "10:00"}]},
    {"serviceHourType": "Exceptional", "validFrom": "2026-12-24", "validTo": "2026-12-20"},
])
def test_nonsense_hours_are_refused(entry):
    with pytest.raises(BadHours):
        normalise_service_hours([entry])


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        is_open(hours(WEEKDAYS_8_16), datetime(2026, 11, 27, 12, 0))


def test_raw_ptv_service_hours_are_understood_too():
    assert is_open([WEEKDAYS_8_16, CHRISTMAS_CLOSED], at(2026, 11, 27, 14, 0)) is True
    assert is_open([WEEKDAYS_8_16, CHRISTMAS_CLOSED], at(2026, 12, 24, 14, 0)) is False
