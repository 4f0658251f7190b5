from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.content.figures import Figure, FigureError, fill_figures, format_figure, load_figures


def figure(value, unit):
    return Figure("x", Decimal(str(value)), unit, "", "https://www.vero.fi/", date(2026, 11, 30))


@pytest.mark.parametrize("value, unit, fi, en", [
    (20000, "eur", "20\u00a0000\u00a0€", "€20,000"),
    (37.21, "eur", "37,21\u00a0€", "€37.21"),
    (0.5, "eur", "0,50\u00a0€", "€0.50"),
    (25.5, "percent", "25,5\u00a0%", "25.5%"),
    (24, "percent", "24\u00a0%", "24%"),
    (1234567, "number", "1\u00a0234\u00a0567", "1,234,567"),
])
def test_each_language_writes_numbers_its_own_way(value, unit, fi, en):
    assert format_figure(figure(value, unit), "fi") == fi
    assert format_figure(figure(value, unit), "sv") == fi
    assert format_figure(figure(value, unit), "en") == en


def test_figures_are_filled_into_texts_and_unknown_ones_refused():
    figures = {"vat_threshold": figure(20000, "eur")}
    assert fill_figures("Raja on {vat_threshold}.", figures, "fi") == "Raja on 20\u00a0000\u00a0€."
    with pytest.raises(FigureError):
        fill_figures("{no_such_figure}", figures, "fi")


@pytest.mark.parametrize("entry", [
    "x: {value: 1, unit: dollars, source: 'https://a', checked: 2026-11-30}",
    "x: {value: many, unit: eur, source: 'https://a', checked: 2026-11-30}",
    "x: {value: 1, unit: eur, source: 'http://a', checked: 2026-11-30}",
    "x: {value: 1, unit: eur, source: 'https://a'}",
])
def test_a_figure_without_unit_value_source_or_date_is_refused(tmp_path: Path, entry):
    path = tmp_path / "figures.yml"
    path.write_text(entry)
    with pytest.raises(FigureError):
        load_figures(path)


def test_a_year_is_written_without_a_thousands_space():
    year = Figure("y", Decimal("2026"), "year", "", "https://www.espoo.fi/", date(2026, 12, 1))
    assert format_figure(year, "fi") == format_figure(year, "en") == "2026"


def test_a_text_figure_is_written_in_each_language(tmp_path: Path):
    path = tmp_path / "figures.yml"
    path.write_text("hours: {value: {fi: 'ma–pe klo 9–15', sv: 'mån–fre kl. 9–15', en: 'Mon–Fri 9–15'},"
                    " unit: text, source: 'https://a', checked: 2026-12-01}\n", encoding="utf-8")
    hours = load_figures(path)["hours"]
    assert [format_figure(hours, lang) for lang in ("fi", "sv", "en")] == ["ma–pe klo 9–15", "mån–fre kl. 9–15", "Mon–Fri 9–15"]
    assert fill_figures("Soita {hours}.", {"hours": hours}, "sv") == "Soita mån–fre kl. 9–15."


@pytest.mark.parametrize("entry", [
    "x: {value: {fi: a, sv: b}, unit: text, source: 'https://a', checked: 2026-12-01}",
    "x: {value: abc, unit: text, source: 'https://a', checked: 2026-12-01}",
    "x: {value: 2026.5, unit: year, source: 'https://a', checked: 2026-12-01}",
])
def test_a_text_figure_without_every_language_or_a_broken_year_is_refused(tmp_path: Path, entry):
    path = tmp_path / "figures.yml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(FigureError):
        load_figures(path)


def test_topic_answers_get_their_figures_and_refuse_unknown_names(tmp_path: Path):
    from bot.content.responses import ResponseCatalog, ResponseFileError

    (tmp_path / "figures.yml").write_text(
        "grant: {value: 37.21, unit: eur, source: 'https://a', checked: 2026-12-01}\n", encoding="utf-8")
    for language, text in (("fi", "Se on {grant} päivässä."), ("sv", "Den är {grant} per dag."), ("en", "It is {grant} a day.")):
        (tmp_path / f"{language}.yml").write_text(
            f"utter_startup_grant:\n  - text: \"{text}\"\nutter_events_none:\n  - text: \"x{{criteria}}\"\n", encoding="utf-8")
    catalog = ResponseCatalog.from_directory(tmp_path)
    assert catalog.variations("utter_startup_grant", "en")[0]["text"] == "It is €37.21 a day."
    assert catalog.variations("utter_startup_grant", "fi")[0]["text"] == "Se on 37,21\u00a0€ päivässä."
    assert catalog.variations("utter_events_none", "sv")[0]["text"] == "x{criteria}"  # filled when sent
    (tmp_path / "sv.yml").write_text("utter_startup_grant:\n  - text: \"{grnat}\"\n", encoding="utf-8")
    with pytest.raises(ResponseFileError):
        ResponseCatalog.from_directory(tmp_path)
