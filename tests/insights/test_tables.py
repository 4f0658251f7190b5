"""Cells as each language writes them, CSV that a spreadsheet reads safely, charts as plain shapes."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup

from bot.insights import charts, html
from bot.insights.handoff_figures import wait_bucket
from bot.insights.tables import Column, Table, cell, to_csv
from bot.insights.tally import entry_page, search_words


def test_cells_in_each_language():
    assert cell(1234567, "int", "fi") == "1\u00a0234\u00a0567" and cell(1234567, "int", "en") == "1,234,567"
    assert cell(0.1234, "pct", "sv") == "12,3\u00a0%" and cell(0.1234, "pct", "en") == "12.3\u00a0%"
    assert cell(-0.012, "pp", "en") == "-1.2" and cell(0.02, "pp", "fi") == "+2,0"
    assert cell(None, "pct", "fi") == "–" and cell(4.25, "num", "fi") == "4,25"
    assert [cell(s, "seconds", "en") for s in (45, 190, 3900)] == ["45 s", "3 min 10 s", "1 h 5 min"]
    assert cell(date(2026, 11, 2), "day", "fi") == "2.11.2026" and cell(date(2026, 11, 2), "day", "en") == "2 Nov 2026"


def test_csv_is_raw_and_never_a_formula():
    table = Table("t", "T", [Column("Words", "text"), Column("Count"), Column("Share", "pct"),
                             Column("Code", "text", page=False)],
                  [["=HYPERLINK(\"x\")", 3, 0.5, "utter_a"], ["plain, with comma", 1, None, "utter_b"]])
    assert to_csv(table).splitlines() == [
        "Words,Count,Share,Code", "\"'=HYPERLINK(\"\"x\"\")\",3,0.5000,utter_a", "\"plain, with comma\",1,,utter_b"]
    body = html.table_body(table, "en")
    assert isinstance(body, Markup) and "utter_a" not in body and "&#34;" in body and "=HYPERLINK" in body


def test_a_chart_escapes_its_texts_and_scales_to_round_numbers():
    spec = charts.time_bars("<b>", ["1.11.", "2.11."], [3, 0], lambda v: f"{v:g}")
    assert spec["texts"][-1]["text"] == "4" and spec["bars"][1]["h"] == 0
    drawn = html.chart(spec, "t", "see <table>")
    assert "<b>" not in drawn and "&lt;b&gt;" in drawn and "&lt;table&gt;" in drawn
    bars = charts.category_bars("c", ["a", "b"], [2, 1], str)
    assert bars["bars"][0]["w"] > bars["bars"][1]["w"]


def test_pages_words_and_waits_hold_no_personal_data():
    assert entry_page("https://www.espoo.fi/fi/x?email=anna@example.fi#top") == "https://www.espoo.fi/fi/x"
    assert entry_page("http://user:secret@localhost:8080/demo?x=1") == "http://localhost:8080/demo"
    assert entry_page("javascript:alert(1)") == "" and entry_page(None) == "" and entry_page("http://h:99999/") == ""
    assert search_words("Kokki 040 1234567 anna@example.fi ESPOO kokki") == "kokki espoo"
    assert search_words("/find_events") == ""
    assert [wait_bucket(s) for s in (0, 14, 95, 250, 4000, 10 ** 6)] == [0, 0, 90, 240, 3600, 86400]
