"""Dates spoken in fi/sv/en, anchored at a Friday, 27 November 2026 14:00 in Helsinki."""
from datetime import date, datetime

import pytest

from bot.catalog.dates import is_date_word, parse_date_range
from bot.config import HELSINKI

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=HELSINKI)


def span(text: str, language: str, now: datetime = NOW):
    found = parse_date_range(text, language, now)
    return None if found is None else (found[0].date(), found[1].date())


@pytest.mark.parametrize("text,language,expected", [
    ("next week", "en", (date(2026, 11, 30), date(2026, 12, 7))),
    ("ensi viikolla", "fi", (date(2026, 11, 30), date(2026, 12, 7))),
    ("nästa vecka", "sv", (date(2026, 11, 30), date(2026, 12, 7))),
    ("tomorrow", "en", (date(2026, 11, 28), date(2026, 11, 29))),
    ("huomenna", "fi", (date(2026, 11, 28), date(2026, 11, 29))),
    ("i morgon", "sv", (date(2026, 11, 28), date(2026, 11, 29))),
    ("i maj", "sv", (date(2027, 5, 1), date(2027, 6, 1))),
    ("toukokuussa", "fi", (date(2027, 5, 1), date(2027, 6, 1))),
    ("in May", "en", (date(2027, 5, 1), date(2027, 6, 1))),
    ("15.6.", "fi", (date(2027, 6, 15), date(2027, 6, 16))),
    ("15.6.2027", "fi", (date(2027, 6, 15), date(2027, 6, 16))),
    ("this weekend", "en", (date(2026, 11, 28), date(2026, 11, 30))),
    ("tällä viikolla", "fi", (date(2026, 11, 27), date(2026, 11, 30))),
    ("i helgen", "sv", (date(2026, 11, 28), date(2026, 11, 30))),
    ("tänä viikonloppuna", "fi", (date(2026, 11, 28), date(2026, 11, 30))),
    ("den här veckan", "sv", (date(2026, 11, 27), date(2026, 11, 30))),
    ("today", "en", (date(2026, 11, 27), date(2026, 11, 28))),
    ("ylihuomenna", "fi", (date(2026, 11, 29), date(2026, 11, 30))),
    ("tässä kuussa", "fi", (date(2026, 11, 27), date(2026, 12, 1))),
    ("ensi kuussa", "fi", (date(2026, 12, 1), date(2027, 1, 1))),
    ("next month", "en", (date(2026, 12, 1), date(2027, 1, 1))),
    ("joulukuussa", "fi", (date(2026, 12, 1), date(2027, 1, 1))),
    ("marraskuussa", "fi", (date(2026, 11, 27), date(2026, 12, 1))),
    ("in March 2028", "en", (date(2028, 3, 1), date(2028, 4, 1))),
    ("June 15th", "en", (date(2027, 6, 15), date(2027, 6, 16))),
    ("on 3 December", "en", (date(2026, 12, 3), date(2026, 12, 4))),
    ("15 juni", "sv", (date(2027, 6, 15), date(2027, 6, 16))),
    ("15. kesäkuuta", "fi", (date(2027, 6, 15), date(2027, 6, 16))),
    ("2027-03-02", "en", (date(2027, 3, 2), date(2027, 3, 3))),
    ("15.–20.6.", "fi", (date(2027, 6, 15), date(2027, 6, 21))),
    ("1.12.-3.12.", "fi", (date(2026, 12, 1), date(2026, 12, 4))),
    ("perjantaina", "fi", (date(2026, 11, 27), date(2026, 11, 28))),
    ("next Friday", "en", (date(2026, 12, 4), date(2026, 12, 5))),
    ("på måndag", "sv", (date(2026, 11, 30), date(2026, 12, 1))),
    ("onko ensi viikolla verkostoitumistapahtumia?", "fi", (date(2026, 11, 30), date(2026, 12, 7))),
    ("Are there funding events in May?", "en", (date(2027, 5, 1), date(2027, 6, 1))),
])
def test_spoken_dates(text, language, expected):
    assert span(text, language) == expected


@pytest.mark.parametrize("text", ["may I ask something", "rahoitus", "version 3.6 of the API", "", "tell me about events"])
def test_no_date_in_message(text):
    assert parse_date_range(text, "en", NOW) is None


def test_ranges_are_helsinki_midnights_across_daylight_saving():
    start, end = parse_date_range("maaliskuussa", "fi", NOW)
    assert start == datetime(2027, 3, 1, tzinfo=HELSINKI) and start.utcoffset().total_seconds() == 7200
    assert end == datetime(2027, 4, 1, tzinfo=HELSINKI) and end.utcoffset().total_seconds() == 10800


def test_weekend_asked_on_a_sunday_is_the_rest_of_it_and_new_year_rolls_over():
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=HELSINKI)
    assert span("this weekend", "en", sunday) == (date(2026, 11, 29), date(2026, 11, 30))
    december = datetime(2026, 12, 20, 10, 0, tzinfo=HELSINKI)
    assert span("next month", "en", december) == (date(2027, 1, 1), date(2027, 2, 1))
    assert span("5.1.", "fi", december) == (date(2027, 1, 5), date(2027, 1, 6))


def test_date_words_are_recognised_for_topic_search():
    assert all(is_date_word(w) for w in ("viikolla", "toukokuussa", "next", "helgen", "15.6.", "perjantaina"))
    assert not any(is_date_word(w) for w in ("rahoitus", "networking", "export"))
