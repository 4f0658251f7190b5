"""The opening times of one Helsinki date and of a week (Mon-Sun), with is_open's precedence."""
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.catalog.hours import is_open, normalise_service_hours, opening_times, week_of, week_opening_times
from bot.config import HELSINKI

WEEKDAYS_9_16 = {"serviceHourType": "DaysOfTheWeek", "validForNow": True, "isClosed": False,
                 "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00:00", "to": "16:00:00"}]}
CHRISTMAS_CLOSED = {"serviceHourType": "Exceptional", "validFrom": "2026-12-24T00:00:00",
                    "validTo": "2026-12-26T00:00:00", "isClosed": True, "openingHour": []}
SUMMER = {"serviceHourType": "DaysOfTheWeek", "validFrom": "2027-06-01", "validTo": "2027-08-31", "isClosed": False,
          "openingHour": [{"dayFrom": "Monday", "dayTo": "Thursday", "from": "09:00", "to": "12:00"}]}
NINE_TO_FOUR = [("09:00", "16:00")]


def hours(*entries):
    return normalise_service_hours(entries)


def week(rules, day):
    return [slots for _, slots in week_opening_times(rules, day)]


def test_a_weekly_schedule_gives_each_day_its_times_and_closes_the_others():
    rules = hours(WEEKDAYS_9_16)
    assert opening_times(rules, date(2026, 11, 27)) == NINE_TO_FOUR  # Friday
    assert opening_times(rules, date(2026, 11, 28)) == []  # Saturday: closed, not unknown
    assert week(rules, date(2026, 12, 2)) == [NINE_TO_FOUR] * 5 + [[], []]


def test_a_holiday_exception_closes_the_day_in_the_middle_of_the_week():
    rules = hours(WEEKDAYS_9_16, CHRISTMAS_CLOSED)
    assert opening_times(rules, date(2026, 12, 24)) == []
    assert opening_times(rules, date(2026, 12, 23)) == NINE_TO_FOUR
    assert week(rules, date(2026, 12, 27)) == [NINE_TO_FOUR] * 3 + [[], [], [], []]
    assert week(rules, date(2026, 12, 28)) == [NINE_TO_FOUR] * 5 + [[], []]  # the next week is as usual


def test_exceptional_opening_hours_replace_the_day_even_on_a_weekend():
    short_day = {"serviceHourType": "Exceptional", "validFrom": "2026-12-31", "isClosed": False,
                 "openingHour": [{"from": "09:00", "to": "12:00"}]}
    saturday = {"serviceHourType": "Exceptional", "validFrom": "2026-11-28", "validTo": "2026-11-28",
                "isClosed": False, "openingHour": [{"from": "10:00:00", "to": "14:00:00"}]}
    rules = hours(WEEKDAYS_9_16, short_day, saturday)
    assert opening_times(rules, date(2026, 12, 31)) == [("09:00", "12:00")]
    assert opening_times(rules, date(2026, 11, 28)) == [("10:00", "14:00")]
    assert opening_times(rules, date(2026, 11, 29)) == []


def test_a_closed_exception_wins_over_an_open_one_the_same_day():
    open_day = {"serviceHourType": "Exceptional", "validFrom": "2026-12-24", "isClosed": False,
                "openingHour": [{"from": "10:00", "to": "12:00"}]}
    assert opening_times(hours(WEEKDAYS_9_16, open_day, CHRISTMAS_CLOSED), date(2026, 12, 24)) == []


def test_a_summer_schedule_wins_over_the_standing_one_within_its_dates():
    rules = hours(WEEKDAYS_9_16, SUMMER)
    assert week(rules, date(2027, 6, 16)) == [[("09:00", "12:00")]] * 4 + [[], [], []]  # Friday closed in summer
    assert week(rules, date(2027, 5, 26)) == [NINE_TO_FOUR] * 5 + [[], []]  # before 1 June
    assert week(rules, date(2027, 9, 8)) == [NINE_TO_FOUR] * 5 + [[], []]  # after 31 August
    # the week the summer starts: Monday 31 May is still the standing schedule
    assert week(rules, date(2027, 6, 1))[:2] == [NINE_TO_FOUR, [("09:00", "12:00")]]


def test_a_closed_summer_weekly_rule_closes_every_day():
    closed = {**SUMMER, "isClosed": True, "openingHour": []}
    assert week(hours(WEEKDAYS_9_16, closed), date(2027, 7, 7)) == [[]] * 7


def test_a_slot_past_midnight_is_listed_on_the_day_it_starts():
    night = {"serviceHourType": "DaysOfTheWeek", "validForNow": True,
             "openingHour": [{"dayFrom": "Friday", "dayTo": "Saturday", "from": "22:00", "to": "04:00"}]}
    rules = hours(night)
    assert week(rules, date(2026, 11, 27)) == [[], [], [], [], [("22:00", "04:00")], [("22:00", "04:00")], []]
    # is_open agrees: Sunday 03:00 is still Saturday night's slot
    assert is_open(rules, datetime(2026, 11, 29, 3, 0, tzinfo=HELSINKI)) is True


def test_several_slots_and_special_hours_come_in_order_without_repeats():
    split = {"serviceHourType": "DaysOfTheWeek", "validForNow": True, "openingHour": [
        {"dayFrom": "Monday", "dayTo": "Friday", "from": "13:00", "to": "16:00"},
        {"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00", "to": "11:30"},
        {"dayFrom": "Wednesday", "from": "09:00", "to": "11:30"}]}
    evening = {"serviceHourType": "Special", "validForNow": True,
               "openingHour": [{"dayFrom": "Wednesday", "from": "17:00", "to": "19:00"}]}
    closed_special = {"serviceHourType": "Special", "isClosed": True,
                      "openingHour": [{"dayFrom": "Thursday", "from": "17:00", "to": "19:00"}]}
    rules = hours(split, evening, closed_special)
    assert opening_times(rules, date(2026, 12, 2)) == [("09:00", "11:30"), ("13:00", "16:00"), ("17:00", "19:00")]
    assert opening_times(rules, date(2026, 12, 3)) == [("09:00", "11:30"), ("13:00", "16:00")]


def test_no_rules_or_no_rule_valid_that_day_is_unknown_not_closed():
    assert opening_times([], date(2026, 12, 1)) is None
    assert week([], date(2026, 12, 1)) == [None] * 7
    ended = {**WEEKDAYS_9_16, "validForNow": False, "validFrom": "2025-01-01", "validTo": "2025-12-31"}
    assert opening_times(hours(ended), date(2026, 12, 1)) is None
    assert is_open(hours(ended), datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)) is None
    # a holiday is known to be closed even when no weekly rule is
    assert opening_times(hours(CHRISTMAS_CLOSED), date(2026, 12, 24)) == []


def test_raw_ptv_service_hours_are_read_as_well():
    assert opening_times([WEEKDAYS_9_16, CHRISTMAS_CLOSED], date(2026, 12, 24)) == []
    assert week([WEEKDAYS_9_16], date(2026, 12, 1))[0] == NINE_TO_FOUR


def test_the_week_runs_monday_to_sunday_in_helsinki():
    assert week_of(date(2026, 12, 6)) == [date(2026, 11, 30) + timedelta(days=i) for i in range(7)]  # a Sunday
    # Sunday 22:30 UTC is Monday 00:30 in Helsinki: the next week
    assert week_of(datetime(2026, 12, 6, 22, 30, tzinfo=timezone.utc))[0] == date(2026, 12, 7)
    with pytest.raises(ValueError):
        week_of(datetime(2026, 12, 6, 22, 30))
    with pytest.raises(TypeError):
        opening_times([], datetime(2026, 12, 6, 12, 0, tzinfo=HELSINKI))


def _covered(rules, moment):
    """Whether some listed slot covers `moment` (today's, or yesterday's past midnight)."""
    minute = moment.hour * 60 + moment.minute
    today = opening_times(rules, moment.date()) or []
    yesterday = opening_times(rules, moment.date() - timedelta(days=1)) or []

    def minutes(clock):
        return int(clock[:2]) * 60 + int(clock[3:])

    for start, end in today:
        if start == end == "00:00" or (start == "00:00" and end == "23:59"):
            return True
        if minutes(start) <= minute < (minutes(end) if minutes(end) > minutes(start) else 24 * 60):
            return True
    return any(minutes(end) <= minutes(start) and minute < minutes(end) for start, end in yesterday)


def test_the_listed_times_agree_with_is_open_hour_by_hour():
    night = {"serviceHourType": "Special", "validForNow": True,
             "openingHour": [{"dayFrom": "Saturday", "from": "22:00", "to": "02:00"}]}
    rules = hours(WEEKDAYS_9_16, CHRISTMAS_CLOSED, night,
                  {"serviceHourType": "Exceptional", "validFrom": "2026-12-23", "isClosed": False,
                   "openingHour": [{"from": "10:00", "to": "12:00"}]})
    start = datetime(2026, 12, 21, 0, 30, tzinfo=HELSINKI)
    for step in range(14 * 24):
        moment = start + timedelta(hours=step)
        assert bool(is_open(rules, moment)) == _covered(rules, moment), moment
