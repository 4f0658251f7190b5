"""Tracker events as the console's transcript and as the widget's live messages."""
from __future__ import annotations

from bot.handoff.live import history_cursor, pushed_entries
from bot.handoff.transcript import console_items, is_paused, items_after, page_before, widget_messages

EVENTS = [
    {"event": "session_started", "timestamp": 1.0},
    {"event": "user", "timestamp": 2.0, "text": "Tarvitsen rahoitusta",
     "parse_data": {"intent": {"name": "funding", "confidence": 0.9312}}},
    {"event": "action", "timestamp": 2.1, "name": "action_detect_language"},
    {"event": "slot", "timestamp": 2.15, "name": "language", "value": "fi"},
    {"event": "action", "timestamp": 2.2, "name": "action_search_services"},
    {"event": "slot", "timestamp": 2.3, "name": "services", "value": [{"name": "Finnvera"}]},
    {"event": "bot", "timestamp": 2.4, "text": "Finnvera auttaa.", "metadata": {}},
    {"event": "user", "timestamp": 3.0, "text": "Haluan puhua ihmisen kanssa",
     "parse_data": {"intent": {"name": "request_human", "confidence": 0.88}}},
    {"event": "action", "timestamp": 3.1, "name": "action_escalate"},
    {"event": "bot", "timestamp": 3.2, "text": "Olet jonossa.", "metadata": {}},
    {"event": "pause", "timestamp": 3.3},
    {"event": "bot", "timestamp": 4.0, "text": "Hei, olen Anna.", "metadata": {"adviser": "Anna", "adviser_id": 1}},
    {"event": "user", "timestamp": 5.0, "text": "<img src=x onerror=alert(1)>",
     "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.3}}},
    {"event": "resume", "timestamp": 6.0},
    {"event": "user", "timestamp": 6.1, "text": "EXTERNAL: handoff_finished", "metadata": {"is_external": True},
     "parse_data": {"intent": {"name": "handoff_finished"}}},
    {"event": "bot", "timestamp": 6.2, "text": "Arvioi 1-5", "metadata": {},
     "data": {"buttons": [{"title": "5", "payload": "/rate"}]}},
    {"event": "user", "timestamp": 7.0, "text": "5", "parse_data": {"intent": {"name": "rate", "confidence": 0.99}}},
    {"event": "bot", "timestamp": 7.1, "text": "Kiitos!", "metadata": {}},
]


def test_console_items_show_understanding_lookups_adviser_and_pauses():
    items = console_items(EVENTS)
    kinds = [item["type"] for item in items]
    assert kinds == ["session_started", "user", "lookup", "bot", "user", "lookup", "bot", "pause", "bot", "user",
                     "resume", "user", "bot", "user", "bot"]
    first_user = items[1]
    assert (first_user["intent"], first_user["confidence"], first_user["text"]) == ("funding", 0.93, "Tarvitsen rahoitusta")
    lookup = items[2]
    assert lookup["name"] == "action_search_services"
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


def test_widget_gets_only_what_it_did_not_ask_for():
    messages, cursor = widget_messages(EVENTS, 0)
    assert [m["text"] for m in messages] == ["Hei, olen Anna.", "Arvioi 1-5"]
    assert cursor == len(EVENTS)
    assert widget_messages(EVENTS, 12)[0][0]["text"] == "Arvioi 1-5"


def test_pushed_entries_use_timestamps_as_cursor():
    entries, newest = pushed_entries(EVENTS, 0.0)
    assert [(e["who"], e["text"]) for e in entries] == [("adviser", "Hei, olen Anna."), ("assistant", "Arvioi 1-5")]
    assert newest == 7.1
    assert pushed_entries(EVENTS, 4.0)[0][0]["text"] == "Arvioi 1-5"
    assert pushed_entries(EVENTS, 7.1) == ([], 7.1)


def test_history_cursor_is_the_newest_entry_shown():
    assert history_cursor([{"time": 2.0}, {"time": 4.0}, {"who": "user"}]) == 4.0
    assert history_cursor([]) == 0.0 and history_cursor(None) == 0.0


def test_paused_until_resumed():
    assert is_paused(EVENTS[:12]) is True
    assert is_paused(EVENTS) is False
    assert is_paused([]) is False
