"""Opening hours written out in Finnish, Finland-Swedish and English (bot/catalog/hours_text.py)."""
from datetime import date, datetime, timedelta, timezone

import pytest

from bot import locale
from bot.catalog.hours import normalise_service_hours
from bot.catalog.hours_text import (
    HOURS_PLACEHOLDERS, fallback_values, format_clock, format_slots, hours_values, today_sentence, week_list,
    week_sentence,
)
from bot.config import HELSINKI, LANGUAGES
from bot.content.questions import LIVE_PLACEHOLDERS

TUESDAY = date(2026, 12, 1)
NINE_FOUR = [("09:00", "16:00")]
USUAL_WEEK = [(TUESDAY - timedelta(days=1) + timedelta(days=i), NINE_FOUR if i < 5 else []) for i in range(7)]
WEEKDAYS_9_16 = {"serviceHourType": "DaysOfTheWeek", "validForNow": True,
                 "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00", "to": "16:00"}]}
CHRISTMAS_CLOSED = {"serviceHourType": "Exceptional", "validFrom": "2026-12-24", "validTo": "2026-12-26",
                    "isClosed": True}


@pytest.mark.parametrize("clock, end, fi, en", [
    ("09:00", False, "9", "9 am"),
    ("16:00", True, "16", "4 pm"),
    ("09:30", False, "9.30", "9:30 am"),
    ("12:00", False, "12", "12 pm"),
    ("12:15", True, "12.15", "12:15 pm"),
    ("00:00", True, "24", "midnight"),
    ("00:30", False, "0.30", "12:30 am"),
])
def test_clock_times_as_each_language_writes_them(clock, end, fi, en):
    assert format_clock(clock, "fi", end=end) == fi
    assert format_clock(clock, "sv", end=end) == fi  # Finland-Swedish writes them as Finnish does
    assert format_clock(clock, "en", end=end) == en


@pytest.mark.parametrize("slots, fi, sv, en", [
    (NINE_FOUR, "klo 9–16", "kl. 9–16", "9 am–4 pm"),
    ([("09:00", "11:30"), ("13:00", "16:00")], "klo 9–11.30 ja 13–16", "kl. 9–11.30 och 13–16",
     "9 am–11:30 am and 1 pm–4 pm"),
    ([("08:00", "10:00"), ("12:00", "14:00"), ("18:00", "00:00")], "klo 8–10, 12–14 ja 18–24",
     "kl. 8–10, 12–14 och 18–24", "8 am–10 am, 12 pm–2 pm and 6 pm–midnight"),
    ([("22:00", "04:00")], "klo 22–4", "kl. 22–4", "10 pm–4 am"),
    ([("00:00", "00:00")], "ympäri vuorokauden", "dygnet runt", "24 hours"),
    ([("00:00", "23:59")], "ympäri vuorokauden", "dygnet runt", "24 hours"),
])
def test_the_times_of_a_day(slots, fi, sv, en):
    assert [format_slots(slots, language) for language in LANGUAGES] == [fi, sv, en]


def test_today_open_closed_and_unknown_in_every_language():
    assert today_sentence(TUESDAY, NINE_FOUR, "fi") == "Tänään tiistaina 1.12. neuvonta palvelee klo 9–16."
    assert today_sentence(TUESDAY, NINE_FOUR, "sv") == "I dag, tisdag 1.12, har rådgivningen öppet kl. 9–16."
    assert today_sentence(TUESDAY, NINE_FOUR, "en") == (
        "Today, Tuesday 1 December, the advice service is open 9 am–4 pm.")
    saturday = date(2026, 12, 26)
    assert today_sentence(saturday, [], "fi") == "Tänään lauantaina 26.12. neuvonta on suljettu."
    assert today_sentence(saturday, [], "sv") == "I dag, lördag 26.12, är rådgivningen stängd."
    assert today_sentence(saturday, [], "en") == "Today, Saturday 26 December, the advice service is closed."
    assert today_sentence(saturday, None, "fi") is None
    assert today_sentence(date(2027, 1, 10), [], "fi").startswith("Tänään sunnuntaina 10.1. ")
    assert today_sentence(date(2027, 6, 2), NINE_FOUR, "en").startswith("Today, Wednesday 2 June,")


def test_the_week_as_a_compact_list():
    assert week_sentence(USUAL_WEEK, "fi") == "Tällä viikolla: ma–pe klo 9–16, la–su suljettu."
    assert week_sentence(USUAL_WEEK, "sv") == "Den här veckan: mån–fre kl. 9–16, lör–sön stängt."
    assert week_sentence(USUAL_WEEK, "en") == "This week: Mon–Fri 9 am–4 pm, Sat–Sun closed."


def test_days_with_other_hours_break_the_ranges_and_unknown_days_are_said():
    days = [day for day, _ in USUAL_WEEK]
    hours = [NINE_FOUR, NINE_FOUR, [("10:00", "12:00")], [], [], None, None]
    week = list(zip(days, hours))
    assert week_list(week, "fi") == "ma–ti klo 9–16, ke klo 10–12, to–pe suljettu, la–su ei tietoa"
    assert week_list(week, "sv") == "mån–tis kl. 9–16, ons kl. 10–12, tors–fre stängt, lör–sön uppgift saknas"
    assert week_list(week, "en") == "Mon–Tue 9 am–4 pm, Wed 10 am–12 pm, Thu–Fri closed, Sat–Sun not known"
    assert week_sentence(list(zip(days, [None] * 7)), "fi") is None


def test_hours_values_from_the_rules_at_a_moment():
    rules = normalise_service_hours([WEEKDAYS_9_16, CHRISTMAS_CLOSED])
    christmas_eve = datetime(2026, 12, 24, 8, 0, tzinfo=HELSINKI)
    assert hours_values(rules, christmas_eve, "fi") == {
        "hours_today": "Tänään torstaina 24.12. neuvonta on suljettu.",
        "hours_week": "Tällä viikolla: ma–ke klo 9–16, to–su suljettu.",
    }
    # 23:30 UTC on Monday 30 November is already Tuesday 1 December in Helsinki
    late = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)
    assert hours_values(rules, late, "en")["hours_today"].startswith("Today, Tuesday 1 December,")
    with pytest.raises(ValueError):
        hours_values(rules, datetime(2026, 12, 1, 10, 0), "fi")


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_hours_give_the_fallback_sentence_and_no_week(language):
    expected = {"hours_today": locale.text(language, "catalog.hours_fallback"), "hours_week": ""}
    now = datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)
    assert hours_values(None, now, language) == expected == fallback_values(language)
    assert hours_values([], now, language) == expected
    ended = normalise_service_hours([{**WEEKDAYS_9_16, "validForNow": False, "validTo": "2025-12-31"}])
    assert hours_values(ended, now, language) == expected  # today unknown: no week that may mislead
    assert "{" not in expected["hours_today"]


def test_the_values_are_the_placeholders_the_answers_may_use():
    now = datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)
    assert set(hours_values(normalise_service_hours([WEEKDAYS_9_16]), now, "sv")) == set(HOURS_PLACEHOLDERS)
    assert LIVE_PLACEHOLDERS == HOURS_PLACEHOLDERS
    assert set(fallback_values("xx")) == set(HOURS_PLACEHOLDERS)  # an unknown language: the default's texts
