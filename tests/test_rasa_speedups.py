"""bot/rasa/speedups.py: the action server's replies validated as Rasa does, the schema checked once."""
from __future__ import annotations

import logging
from typing import Any, Dict, Iterator, List

import pytest
import rasa.core.nlg.callback
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.exceptions import RasaException
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa import speedups

STOCK_VALIDATION = RemoteAction._validate_action_result  # Rasa's own, before any install()
STOCK_NLG_FORMAT = rasa.core.nlg.callback.nlg_request_format
STOCK_NLG_CHECK = CallbackNaturalLanguageGenerator.validate_response
VALID = {
    "events": [{"event": "slot", "name": "language", "value": "fi", "timestamp": None}],
    "responses": [{"response": "utter_greet"}, {"text": "Hei!", "buttons": []}],
}
INVALID = [
    {"events": [{"name": "language"}]},  # an event without its "event" key
    {"events": "slot"},  # events that are not a list
    {"events": [{"event": "slot", "timestamp": "yesterday"}]},  # a timestamp that is not a number
]


@pytest.fixture
def action(monkeypatch: pytest.MonkeyPatch) -> Iterator[RemoteAction]:
    """A RemoteAction with the speed-ups installed (Rasa's own method restored afterwards)."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", STOCK_VALIDATION)
    monkeypatch.setattr(RemoteAction, "_action_call_format", speedups._STOCK_CALL_FORMAT)
    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", ActionExtractSlots._run_custom_action)  # restored
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    monkeypatch.setattr(rasa.core.nlg.callback, "nlg_request_format", STOCK_NLG_FORMAT)
    monkeypatch.setattr(CallbackNaturalLanguageGenerator, "validate_response", staticmethod(STOCK_NLG_CHECK))
    monkeypatch.setattr(DialogueStateTracker, "past_states", DialogueStateTracker.past_states)
    monkeypatch.setattr(RulePolicy, "format_tracker_states", staticmethod(Policy.format_tracker_states))
    speedups.install()
    assert RemoteAction._validate_action_result is not STOCK_VALIDATION
    yield RemoteAction("action_anything", None)


def test_a_valid_reply_passes(action: RemoteAction) -> None:
    assert action._validate_action_result(VALID) is True
    assert action._validate_action_result({}) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_reply_is_refused_as_rasa_refuses_it(action: RemoteAction, result: Dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as stock:
        STOCK_VALIDATION(action, result)
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(result)
    assert ours.value.message == stock.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_the_schema_is_checked_once(action: RemoteAction, monkeypatch: pytest.MonkeyPatch) -> None:
    checks = []
    cls = type(speedups.action_result_validator())
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda klass, schema, *a, **k: checks.append(schema)))
    speedups.schema_validator.cache_clear()
    for _ in range(5):
        action._validate_action_result(VALID)
        CallbackNaturalLanguageGenerator.validate_response({"text": "Hei!"})
    assert len(checks) == 2  # the action server's schema and the NLG's, once each
    speedups.schema_validator.cache_clear()


NLG_INVALID = [{"text": 5}, {"buttons": "none"}, {"text": "x", "elements": "none"}, {"image": 3}]


@pytest.mark.parametrize("content", [None, "", {"text": "Hei!", "buttons": [{"title": "a", "payload": "/b"}]},
                                     {"text": "x", "custom": {"links": {}}}, {}, *NLG_INVALID])
def test_an_nlg_answer_is_judged_as_rasa_judges_it(action: RemoteAction, content: Any) -> None:
    def verdict(check: Any) -> str:
        try:
            return str(check(content))
        except RasaException as error:
            return f"refused: {error}"

    ours, stock = verdict(CallbackNaturalLanguageGenerator.validate_response), verdict(STOCK_NLG_CHECK)
    assert ours == stock
    assert ours.startswith("refused") == (content in NLG_INVALID)


@pytest.fixture
def extract_slots(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[str]]:
    """ActionExtractSlots with the speed-ups installed over a stock step that records its calls."""
    remote: List[str] = []

    async def stock(self: Any, custom_action: str, *args: Any) -> list:
        remote.append(custom_action)
        return []

    monkeypatch.setattr(RemoteAction, "_validate_action_result", STOCK_VALIDATION)
    monkeypatch.setattr(RemoteAction, "_action_call_format", speedups._STOCK_CALL_FORMAT)
    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", stock)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    monkeypatch.setattr(rasa.core.nlg.callback, "nlg_request_format", STOCK_NLG_FORMAT)
    monkeypatch.setattr(CallbackNaturalLanguageGenerator, "validate_response", staticmethod(STOCK_NLG_CHECK))
    monkeypatch.setattr(DialogueStateTracker, "past_states", DialogueStateTracker.past_states)
    monkeypatch.setattr(RulePolicy, "format_tracker_states", staticmethod(Policy.format_tracker_states))
    speedups.install()
    speedups.install()  # a second install does not wrap twice
    yield remote


def tracker_after(text: str, intent: str, slot: Any = None, page: str = "fi") -> DialogueStateTracker:
    events = [SlotSet("language", slot)] if slot else []
    events.append(UserUttered(text, {"name": intent, "confidence": 0.9}, metadata={"language": page}))
    return DialogueStateTracker.from_events("c", events)


@pytest.mark.parametrize("text, intent, slot, expected", [
    ("Kan vi tala svenska?", "change_language", "fi", [SlotSet("language", "sv")]),
    ("Where can my company get funding?", "funding", "fi", [SlotSet("language", "en")]),
    ("ok", "affirm", "sv", []),  # too short to tell: the conversation's language stays
    ("ok", "affirm", None, [SlotSet("language", "fi")]),  # a new conversation: the page's language
])
async def test_the_language_slot_is_decided_in_rasa_without_the_action_server(extract_slots, text, intent, slot,
                                                                            expected):
    action = ActionExtractSlots(None)
    events = await action._run_custom_action("action_detect_language", None, None, tracker_after(text, intent, slot),
                                             None)
    assert events == expected and extract_slots == []
    await action._run_custom_action("action_other", None, None, tracker_after(text, intent, slot), None)
    assert extract_slots == ["action_other"]  # every other custom mapping still goes to the action server


def test_events_resolve_to_the_same_classes_as_in_stock_rasa(action: RemoteAction) -> None:
    stock = speedups._STOCK_RESOLVE
    names = sorted({cls.type_name for cls in all_subclasses(Event)})
    assert len(names) > 20
    assert [Event.resolve_by_type(name) for name in names] == [stock(name) for name in names]
    assert Event.resolve_by_type("topic") is None and Event.resolve_by_type("nope", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'nope'"):
        Event.resolve_by_type("nope")
    event = Event.from_parameters({"event": "slot", "name": "language", "value": "sv"})
    assert event == SlotSet("language", "sv")


def test_the_nlg_request_carries_the_tracker_state_without_its_events(action: RemoteAction, tmp_path) -> None:
    from bot.content.responses import ResponseCatalog
    from bot.rasa.nlg import generate
    from tests.conftest import ROOT

    tracker = tracker_after("Kan vi tala svenska?", "change_language", "sv")
    stock = STOCK_NLG_FORMAT("utter_language_changed", tracker, "rest", response_id="r1", name="x")
    ours = rasa.core.nlg.callback.nlg_request_format("utter_language_changed", tracker, "rest", response_id="r1",
                                                     name="x")
    assert stock["tracker"]["events"] and ours["tracker"]["events"] is None
    assert {k: v for k, v in ours.items() if k != "tracker"} == {k: v for k, v in stock.items() if k != "tracker"}
    for key in ("sender_id", "slots", "latest_message"):
        assert ours["tracker"][key] == stock["tracker"][key]
    catalog = ResponseCatalog.from_directory(ROOT / "data" / "responses")
    answer = generate(catalog, ours)
    assert answer == generate(catalog, stock)  # the NLG answers the same without the events
    assert answer["text"] in {v["text"] for v in catalog.tables["sv"]["utter_language_changed"]}


def test_rule_policy_formats_its_states_only_when_its_debug_line_is_written(caplog) -> None:
    states = [{}, {"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]
    logger = logging.getLogger("rasa.core.policies.rule_policy")
    with caplog.at_level(logging.INFO, logger=logger.name):
        assert speedups.format_states_when_logged(states) == ""
    with caplog.at_level(logging.DEBUG, logger=logger.name):
        assert speedups.format_states_when_logged(states) == Policy.format_tracker_states(states)
        assert "user intent: greet" in speedups.format_states_when_logged(states)


def long_conversation(turns: int) -> DialogueStateTracker:
    """`turns` turns, some not understood, then an active form with slot candidates after the last message."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted

    events: List[Event] = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for turn in range(turns):
        intent = "nlu_fallback" if turn % 7 in (5, 6) else "funding"
        events += [UserUttered(f"message {turn}", {"name": intent, "confidence": 0.9}), SlotSet("language", "fi"),
                   ActionExecuted("utter_funding"), BotUttered(f"answer {turn}"), ActionExecuted("action_listen")]
    events += [UserUttered("Firma Oy", {"name": "inform", "confidence": 0.9}), ActiveLoop("contact_request_form"),
               SlotSet("company_name", "Firma Oy"), SlotSet("requested_slot", "company_name")]
    return DialogueStateTracker.from_events("long", events)


@pytest.mark.parametrize("turns", [3, 12, 200])
def test_an_action_gets_the_recent_events_and_the_whole_state(action: RemoteAction, turns: int) -> None:
    from rasa.shared.core.domain import Domain
    from rasa_sdk import Tracker

    from actions.fallback import misunderstandings_in_a_row

    domain = Domain.load("domain.yml")
    tracker = long_conversation(turns)
    lookup = RemoteAction("action_find_services", None)
    ours, stock = lookup._action_call_format(tracker, domain), speedups._STOCK_CALL_FORMAT(lookup, tracker, domain)
    events, all_events = ours["tracker"].pop("events"), stock["tracker"].pop("events")
    assert ours == stock  # the state, the action's name, the domain's presence: as Rasa sends them
    assert events == all_events[len(all_events) - len(events):]  # the newest events, unchanged
    users = sum(e["event"] == "user" for e in events)
    assert users == min(turns + 1, speedups.RECENT_USER_TURNS)
    assert (turns + 1 > speedups.RECENT_USER_TURNS) == (len(events) < len(all_events))
    ours_sdk = Tracker.from_dict({**ours["tracker"], "events": events})
    stock_sdk = Tracker.from_dict({**stock["tracker"], "events": all_events})
    for read in (lambda t: t.slots, lambda t: t.latest_message, lambda t: t.active_loop, lambda t: t.slots_to_validate(),
                 lambda t: misunderstandings_in_a_row(t.events), lambda t: t.get_intent_of_latest_message()):
        assert read(ours_sdk) == read(stock_sdk)
    escalate = RemoteAction("action_escalate", None)
    assert escalate._action_call_format(tracker, domain) == speedups._STOCK_CALL_FORMAT(escalate, tracker, domain)
