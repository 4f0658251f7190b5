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
