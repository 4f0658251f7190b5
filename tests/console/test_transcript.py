"""Tracker events as the console's transcript: understanding, lookups, the adviser, pauses; paging."""
from __future__ import annotations

from bot.console.transcript import console_items, items_after, page_before
from tests.tracker_events import HANDOFF_EVENTS as EVENTS


def test_console_items_show_understanding_lookups_adviser_and_pauses():
    items = console_items(EVENTS)
    kinds = [item["type"] for item in items]
    assert kinds == ["session_started", "user", "lookup", "bot", "user", "lookup", "bot", "pause", "bot", "user",
                     "resume", "user", "bot", "user", "bot"]
    first_user = items[1]
    assert (first_user["intent"], first_user["confidence"], first_user["text"]) == ("funding", 0.93, "Tarvitsen rahoitusta")
    lookup = items[2]
    assert lookup["name"] == "Search services"  # an action without a label: its words, not its code
    assert lookup["slots"] == [{"name": "services", "value": '[{"name": "Finnvera"}]'}]
    assert items[8]["adviser"] == "Anna" and items[6]["adviser"] is None
    assert items[11]["external"] is True and items[12]["buttons"] == [{"title": "5", "payload": "/rate"}]
    # Text stays text: the template and console.js escape it, nothing here turns it into markup.
    assert items[9]["text"] == "<img src=x onerror=alert(1)>"


def test_items_after_a_cursor_and_pages_before_an_index():
    items = console_items(EVENTS)
    assert [item["i"] for item in items_after(items, 12)] == [12, 13, 14, 15, 16, 17]
    page, earlier = page_before(items, None, 4)
    assert [item["i"] for item in page] == [14, 15, 16, 17] and earlier == 14
    page, earlier = page_before(items, 14, 4)
    assert [item["i"] for item in page] == [10, 11, 12, 13] and earlier == 10
    page, earlier = page_before(items, 2, 4)
    assert [item["i"] for item in page] == [0, 1] and earlier is None
