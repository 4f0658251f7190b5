"""The one reader of Rasa's tracker events: buttons, texts, metadata, intents, what the widget did not ask for."""
from __future__ import annotations

from bot.console.transcript import console_items
from bot.handoff.live import pushed_entries
from bot.rasa import events, transcript
from tests.tracker_events import HANDOFF_EVENTS

RAW_BUTTONS = [
    {"title": "Book", "payload": "/book_appointment"},
    "junk",
    {"payload": "/no_title"},
    {"title": "", "payload": "/empty_title"},
    {"title": 5, "payload": None},
]
PARSED = [{"title": "Book", "payload": "/book_appointment"}, {"title": "5", "payload": "None"}]


def test_buttons_are_title_and_payload_strings_and_untitled_ones_are_left_out():
    assert events.parse_buttons(RAW_BUTTONS) == PARSED
    assert events.parse_buttons(None) == [] and events.parse_buttons({"title": "x"}) == []
    assert events.buttons({"event": "bot", "data": {"buttons": RAW_BUTTONS}}) == PARSED
    assert events.buttons({"event": "bot"}) == [] and events.buttons({"event": "bot", "data": None}) == []


def test_every_reader_shows_the_same_buttons():
    bot = {"event": "bot", "timestamp": 9.0, "text": "Varaa", "metadata": {"adviser": "Anna"},
           "data": {"buttons": RAW_BUTTONS}}
    assert transcript.history([bot])[0]["buttons"] == PARSED  # the widget's history
    assert console_items([bot])[0]["buttons"] == PARSED  # the console's transcript
    assert pushed_entries([bot], 0.0)[0][0]["buttons"] == PARSED  # the live push
    answers = [{"recipient_id": "c", "text": "Varaa", "buttons": RAW_BUTTONS}]
    assert transcript.from_answers(answers, 1.0)[0]["buttons"] == PARSED  # Rasa's REST answers


def test_fields_of_an_event_tolerate_what_is_missing():
    user = {"event": "user", "text": "/funding", "timestamp": 3,
            "metadata": {"client_message_id": "m1", "shown_text": "Funding", "is_external": True},
            "parse_data": {"intent": {"name": "funding", "confidence": 0.5}}}
    assert events.kind(user) == "user" and events.timestamp(user) == 3.0
    assert events.text(user) == "/funding" and events.shown_text(user) == "Funding"
    assert events.message_id(user) == "m1" and events.is_external(user) is True
    assert events.intent(user) == ("funding", 0.5) and events.intent_name(user) == "funding"
    bare = {"event": "user", "text": None, "metadata": None, "parse_data": {"intent": None}}
    assert events.kind({}) == "" and events.timestamp(bare) == 0.0 and events.text(bare) == ""
    assert events.shown_text(bare) == "" and events.message_id(bare) is None and events.is_external(bare) is False
    assert events.intent(bare) == (None, None) and events.adviser(bare) is None
    assert events.adviser({"event": "bot", "metadata": {"adviser": "Anna"}}) == "Anna"


def test_out_of_band_is_what_the_widget_did_not_ask_for():
    found = list(events.out_of_band(HANDOFF_EVENTS))
    # The adviser's message, and the answer after the hand back (resume, external intent);
    # not the assistant's answers to the company's own messages.
    assert [(index, events.text(event)) for index, event in found] == [(11, "Hei, olen Anna."), (15, "Arvioi 1-5")]
    assert list(events.out_of_band([])) == []
