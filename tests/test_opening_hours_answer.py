"""Answers with opening hours: the placeholders filled when answering ({hours_today},
{hours_week}) are checked when the files are read, and generate() fills them from the values
it is given, or with the fallback sentence, never showing a raw placeholder."""
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot import locale
from bot.catalog.hours import normalise_service_hours
from bot.catalog.hours_text import hours_values
from bot.config import HELSINKI, LANGUAGES
from bot.content.questions import QuestionFileError, load_question_book
from bot.content.responses import ResponseCatalog
from bot.rasa.nlg import generate, plan
from tests.conftest import ROOT
from tests.test_questions import question, write

HOURS_TEXT = {"fi": "{hours_today} {hours_week} Verot {vat_threshold} asti.",
              "sv": "{hours_today} {hours_week} Skatter upp till {vat_threshold}.",
              "en": "{hours_today} {hours_week} Taxes up to {vat_threshold}."}
WEEKDAYS_9_16 = {"serviceHourType": "DaysOfTheWeek", "validForNow": True,
                 "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00", "to": "16:00"}]}
TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)
REAL = ResponseCatalog.from_directory(ROOT / "data" / "responses")


def with_hours(texts=HOURS_TEXT):
    entry = question("taxes_and_accounting/vat_threshold")
    for language, text in texts.items():
        entry["taxes_and_accounting/vat_threshold"][language]["text"] = text
    return entry


@pytest.fixture
def catalog(tmp_path: Path) -> ResponseCatalog:
    return ResponseCatalog.from_directory(write(tmp_path, with_hours()))


def body(language, name="taxes_and_accounting/vat_threshold", topic="taxes_and_accounting"):
    latest = {"intent": {"name": topic}, "entities": [], "text": "...",
              "specific_question": {"name": name, "confidence": 0.9, "ranking": []}}
    return {"response": f"utter_{topic}", "arguments": {}, "tracker": {"slots": {"language": language}, "latest_message": latest}}


def test_the_hours_placeholders_are_kept_for_answering_and_figures_are_written_in(catalog):
    text = catalog.questions.answers["taxes_and_accounting/vat_threshold"].texts["fi"]
    assert text == "{hours_today} {hours_week} Verot 20\u00a0000\u00a0€ asti."


@pytest.mark.parametrize("texts, message", [
    ({**HOURS_TEXT, "sv": "Skatter upp till {vat_threshold}."}, "same of"),  # sv lacks the hours
    ({**HOURS_TEXT, "en": "{hours_today} {hours_tomorrow} Taxes."}, "unknown figure"),  # still an error
])
def test_answers_must_use_the_hours_placeholders_alike_and_only_known_ones(tmp_path: Path, texts, message):
    write(tmp_path, with_hours(texts))
    with pytest.raises(QuestionFileError, match=message):
        load_question_book(tmp_path)


def test_a_figure_cannot_take_the_name_of_a_value_filled_when_answering(tmp_path: Path):
    write(tmp_path, with_hours())
    with (tmp_path / "figures.yml").open("a") as figures:
        figures.write("hours_today: {value: 1, unit: number, note: x, source: 'https://www.vero.fi/', checked: 2026-11-30}\n")
    with pytest.raises(QuestionFileError, match="both a figure"):
        load_question_book(tmp_path)


@pytest.mark.parametrize("language, start", [
    ("fi", "Tänään tiistaina 1.12. neuvonta palvelee klo 9–16. Tällä viikolla: ma–pe klo 9–16, la–su suljettu. "
           "Verot 20\u00a0000\u00a0€ asti.\n"),
    ("sv", "I dag, tisdag 1.12, har rådgivningen öppet kl. 9–16. Den här veckan: mån–fre kl. 9–16, lör–sön stängt. "
           "Skatter upp till 20\u00a0000\u00a0€.\n"),
    ("en", "Today, Tuesday 1 December, the advice service is open 9 am–4 pm. This week: Mon–Fri 9 am–4 pm, "
           "Sat–Sun closed. Taxes up to €20,000.\n"),
])
def test_generate_fills_the_hours_it_is_given(catalog, language, start):
    values = hours_values(normalise_service_hours([WEEKDAYS_9_16]), TUESDAY, language)
    answer = generate(catalog, body(language), values)
    assert answer["text"].startswith(start)
    assert answer["answer"] == "utter_taxes_and_accounting/vat_threshold"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("live", [None, {}, {"hours_today": "Tänään auki."}])
def test_generate_without_the_hours_gives_the_fallback_and_no_raw_placeholder(catalog, language, live):
    answer = generate(catalog, body(language), live)
    fallback = locale.text(language, "catalog.hours_fallback")
    assert answer["text"].startswith(f"{fallback} ")
    assert "{" not in answer["text"] and "  " not in answer["text"]


def test_an_answer_without_hours_needs_no_lookup_and_keeps_its_spacing(catalog):
    assert plan(catalog, {"response": "utter_taxes_and_accounting", "tracker": {"slots": {"language": "fi"}}}).live == []
    assert plan(catalog, body("fi")).live == ["hours_today", "hours_week"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_real_opening_hours_answer_reads_whole_with_and_without_the_hours(language):
    request = body(language, "contact_info/opening_hours", "contact_info")
    assert plan(REAL, request).live == ["hours_today", "hours_week"]
    values = hours_values(normalise_service_hours([WEEKDAYS_9_16]), TUESDAY, language)
    filled = generate(REAL, request, values)["text"]
    unknown = generate(REAL, request)["text"]
    for text in (filled, unknown):
        assert "{" not in text and "  " not in text and "https://www.espoo.fi/" in text
    hours = values["hours_today"] + " " + values["hours_week"] + " "
    fallback = locale.text(language, "catalog.hours_fallback") + " "
    assert filled.startswith(hours) and unknown.startswith(fallback)
    assert filled[len(hours):] == unknown[len(fallback):]  # the rest of the answer is the same
