"""Words instead of codes: intent labels in every language, pressed buttons by their title,
conversations named by their first question, language and start (issue 9)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot import locale
from bot.config import LANGUAGES
from bot.console.naming import FALLBACK_INTENT, conversation_name, intent_label, intent_options, payload_label, topic_labels
from bot.console.transcript import console_items
from bot.console import transcript
from bot.content.intents import ALL_INTENTS
from bot.handoff import summary
from bot.yaml_files import read_mapping
from tests.conftest import ROOT
from tests.tracker_events import HANDOFF_EVENTS

OFFER = {"event": "bot", "timestamp": 10.0, "text": "Haluatko puhua neuvojan kanssa?", "metadata": {},
         "data": {"buttons": [{"title": "Kyllä, kiitos", "payload": "/affirm"}, {"title": "Ei", "payload": "/deny"}]}}


def _user(text: str, intent: str, at: float, **metadata) -> dict:
    return {"event": "user", "timestamp": at, "text": text, "metadata": metadata,
            "parse_data": {"intent": {"name": intent, "confidence": 0.97}}}


def _domain_intents() -> list:
    domain = read_mapping(ROOT / "domain.yml", ValueError, "the domain")
    return [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_of_the_domain_has_a_label_in_every_language(language):
    labels = locale.texts(language, "console_intents")
    intents = {*_domain_intents(), *ALL_INTENTS, FALLBACK_INTENT}
    assert len(intents) > 40
    missing = sorted(i for i in intents if not labels.get(i, "").strip())
    assert missing == [], f"{language}: no label for {missing}"
    assert all("_" not in label for label in labels.values())  # words, not codes
    assert sorted(set(labels) - intents) == []  # no label of an intent that does not exist


def test_labels_and_filter_options_are_words():
    assert intent_label("fi", "nlu_fallback") == "Ei ymmärretty"
    assert intent_label("sv", "bot_challenge") == "Bot eller människa?"
    assert intent_label("en", "some_new_intent") == "Some new intent"
    assert topic_labels("fi", ["greet", "funding", "permits", "affirm"]) == ["Rahoitus", "Luvat ja ilmoitukset"]
    groups = intent_options("fi")
    assert [g for g, _ in groups] == ["Aiheet", "Muut viestit"]
    shown = [label for _, options in groups for _, label in options]
    assert "Ei ymmärretty" in shown and not any("_" in label for label in shown)
    assert {value for _, options in groups for value, _ in options} == {*ALL_INTENTS, FALLBACK_INTENT}


def test_a_pressed_button_shows_its_title_never_its_payload():
    events = [_user("Tarvitsen rahoitusta", "funding", 9.0), OFFER, _user("/affirm", "affirm", 11.0),
              {**OFFER, "timestamp": 12.0}, _user("/deny", "deny", 13.0),
              _user("/affirm", "affirm", 14.0),  # no buttons offered before it: the word for the intent
              _user('/rate{"rating": "4"}', "rate", 15.0), _user("/no_such{", "nlu_fallback", 16.0),
              _user("/affirm", "affirm", 17.0, shown_text="Joo")]
    users = [item for item in console_items(events, "fi") if item["type"] == "user"]
    assert [(u["text"], u["pressed"]) for u in users] == [
        ("Tarvitsen rahoitusta", False), ("Kyllä, kiitos", True), ("Ei", True), ("Kyllä", True),
        ("Arvio (4)", True), ("Valinta", True), ("Joo", True)]
    assert users[0]["intent_label"] == "Rahoitus"
    assert payload_label("sv", "/affirm") == "Ja" and payload_label("en", "/whatever") == "An option"
    assert not any(u["text"].startswith("/") for u in users)


def test_a_conversation_is_named_by_its_first_question_language_and_start():
    events = [{"event": "session_started", "timestamp": 1_795_000_000.0}, _user("moi", "greet", 1_795_000_001.0),
              OFFER, _user("/affirm", "affirm", 1_795_000_002.0),
              _user("Miten saan   starttirahaa kahvilan perustamiseen Tapiolassa, ja mitä se vaatii minulta?",
                    "startup_grant", 1_795_000_003.0),
              _user("EXTERNAL: handoff_finished", "handoff_finished", 1_795_000_004.0, is_external=True)]
    question = summary.first_question(events)
    assert question == "Miten saan starttirahaa kahvilan perustamiseen Tapiolassa, ja mitä se vaatii minulta?"
    assert summary.intents_seen(events) == ["greet", "affirm", "startup_grant"]
    started = summary.started_at(events)
    assert started == datetime.fromtimestamp(1_795_000_000, timezone.utc)
    name = conversation_name("fi", "ab12cd34" + "0" * 24, question, "sv", started)
    assert name["question"].endswith("…") and len(name["question"]) <= 70 and " " not in name["question"][-3:-1]
    assert name["meta"] == "ruotsi · 18.11.2026 13.06"  # 11.06 UTC: Helsinki time
    assert name["id_text"] == "Tunniste ab12cd34" and name["title"].startswith(name["question"] + " – ruotsi, ")
    assert conversation_name("en", "x" * 32, "", None, None)["question"] == "No typed question"
    assert summary.first_question(HANDOFF_EVENTS) == "Tarvitsen rahoitusta"
    assert summary.first_question([_user("hei", "greet", 1.0)]) == "hei"  # nothing else: the greeting


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_action_shown_in_a_transcript_has_a_label_in_every_language(language):
    domain = read_mapping(ROOT / "domain.yml", ValueError, "the domain")
    shown = [
        name for name in domain["actions"]  # (the one with options, the form's validation, is no action_)
        if isinstance(name, str) and name.startswith("action_") and not name.startswith("action_ask_") and name not in transcript._QUIET_ACTIONS
    ]
    assert len(shown) >= 6
    labels = locale.texts(language, "console_actions")
    assert sorted(set(shown) - set(labels)) == [], language
    events = [{"event": "action", "name": name, "timestamp": 1.0} for name in shown]
    names = [item["name"] for item in transcript.console_items(events, language)]
    assert names == [labels[name] for name in shown] and not any("_" in name for name in names)
