"""The incremental past states give exactly Rasa's own states, at every step of a conversation."""
from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Callable, List, Optional

import pytest
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActionExecutionRejected, ActionReverted, ActiveLoop, Event, FollowupAction, Restarted,
    SessionStarted, SlotSet, UserUttered, UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.state_history import StateHistories, install

DOMAIN = Domain.load(str(Path(__file__).resolve().parent.parent / "domain.yml"))
FORM = "contact_request_form"
RULE_ONLY = {"slots": ["language_request"], "active_loops": [FORM]}
# (omit_unset_slots, ignore_rule_only_turns, rule_only_data) as the policies ask for them
REQUESTS = [(False, False, None), (False, True, RULE_ONLY), (True, False, None), (False, True, None)]


def user(intent: str, text: str = "", entities: Optional[list] = None) -> UserUttered:
    return UserUttered(text or intent.replace("_", " "), {"name": intent, "confidence": 0.9}, entities or [])


def action(name: str, hidden: bool = False, policy: str = "RulePolicy") -> ActionExecuted:
    return ActionExecuted(name, policy=policy, confidence=1.0, hide_rule_turn=hidden)


def session_start() -> List[Event]:
    return [action("action_session_start"), SessionStarted(), SlotSet("language", "fi"), action("action_listen")]


def turn(intent: str, answer: str, hidden: bool = True) -> List[Event]:
    return [user(intent), action(answer, hidden), action("action_listen", hidden)]


def contact_form() -> List[Event]:
    """A contact request: the form runs, asks, is interrupted by a question, then completes."""
    return [
        user("contact_request"), action(FORM), ActiveLoop(FORM), SlotSet("requested_slot", "company_name"),
        action("action_ask_company_name"), action("action_listen"),
        user("inform", "Kahvila Aalto Oy"), action(FORM), SlotSet("company_name", "Kahvila Aalto Oy"),
        SlotSet("requested_slot", "business_id"), action("action_listen"),
        user("funding"), ActionExecutionRejected(FORM), action("utter_funding", True), action(FORM),
        SlotSet("requested_slot", "business_id"), action("action_listen"),
        user("deny"), action(FORM), SlotSet("business_id", "none"), SlotSet("requested_slot", "consent"),
        action("action_listen"), user("affirm"), action(FORM), SlotSet("consent", True),
        ActiveLoop(None), SlotSet("requested_slot", None), action("action_submit_contact_request"),
        action("action_listen"),
    ]


def fallback_rewind() -> List[Event]:
    return [user("nlu_fallback", "asdf qwer"), action("action_default_fallback"), UserUtteranceReverted(),
            action("action_listen")]


CONVERSATIONS: List[Callable[[], List[Event]]] = [
    lambda: session_start() + turn("greet", "utter_greet") + turn("funding", "utter_funding", False)
    + turn("start_business", "utter_start_business") * 30,
    lambda: session_start() + turn("greet", "utter_greet") + contact_form() + turn("thank", "utter_thank"),
    lambda: session_start() + turn("funding", "utter_funding") + fallback_rewind() + turn("premises", "utter_premises")
    + [FollowupAction("utter_help"), action("utter_help"), action("action_listen")]
    + [user("funding"), action("utter_funding"), ActionReverted(), action("action_listen")]
    + [SlotSet("language_request", "named"), user("greet"), action("utter_greet"), action("action_listen")],
    lambda: session_start() + turn("greet", "utter_greet") + [Restarted()] + session_start()
    + turn("funding", "utter_funding") + contact_form() + session_start() + turn("thank", "utter_thank"),
]


def random_conversation(seed: int) -> List[Event]:
    """A long mix of turns, forms, rewinds, follow-ups and restarts."""
    rng = random.Random(seed)
    events = session_start()
    pieces = [
        lambda: turn(rng.choice(["funding", "premises", "greet", "thank", "start_business"]),
                     rng.choice(["utter_funding", "utter_premises", "utter_greet"]), rng.random() < 0.7),
        contact_form, fallback_rewind,
        lambda: [SlotSet("language_request", rng.choice(["named", "unnamed", None]))],
        lambda: [FollowupAction("utter_help"), action("utter_help"), action("action_listen")],
        lambda: [Restarted()] + session_start(),
    ]
    weights = [20, 2, 2, 2, 1, 1]
    for _ in range(40):
        events += rng.choices(pieces, weights)[0]()
    return events


def expected_states(tracker: DialogueStateTracker, omit: bool, ignore: bool, rule_only: Optional[dict]) -> list:
    return DOMAIN.states_for_tracker_history(tracker, omit_unset_slots=omit, ignore_rule_only_turns=ignore,
                                             rule_only_data=rule_only)


def grow_and_compare(events: List[Event], histories: StateHistories) -> int:
    """Append the events one by one to one tracker; after each, every request gives Rasa's states,
    also after a featurizer has changed the lists it was given (as the policies' featurizers do)."""
    tracker = DialogueStateTracker.from_events("someone", [], slots=DOMAIN.slots)
    featurizer = MaxHistoryTrackerFeaturizer(max_history=None)
    compared = 0
    for index, event in enumerate(events):
        tracker.update(event)
        for omit, ignore, rule_only in REQUESTS:
            expected = expected_states(tracker, omit, ignore, rule_only)
            got = histories.past_states(tracker, DOMAIN, omit, ignore, rule_only)
            assert got == expected, f"step {index} ({event}), request {(omit, ignore, rule_only)}"
            use_text = index % 2 == 0
            featurizer._choose_last_user_input([got], use_text)  # mutates, like a prediction does
            featurizer._choose_last_user_input([copy.deepcopy(expected)], use_text)
            compared += 1
    return compared


@pytest.mark.parametrize("build", CONVERSATIONS)
def test_the_states_are_rasas_at_every_step(build):
    assert grow_and_compare(build(), StateHistories()) > 60


@pytest.mark.parametrize("seed", range(3))
def test_the_states_are_rasas_in_long_random_conversations(seed):
    histories = StateHistories()
    compared = grow_and_compare(random_conversation(seed), histories)
    assert compared > 500
    assert histories.restarts < compared / 4  # most steps only added the new events


def test_a_conversation_that_only_grows_is_worked_out_once():
    histories = StateHistories()
    compared = grow_and_compare(CONVERSATIONS[0](), histories)
    assert compared > 300 and histories.restarts == 2 * len(REQUESTS)  # the first event, the session start


def test_a_reloaded_tracker_or_a_copy_starts_the_history_again():
    histories = StateHistories()
    events = CONVERSATIONS[0]()
    first = DialogueStateTracker.from_events("someone", events[:20], slots=DOMAIN.slots)
    histories.past_states(first, DOMAIN)
    reloaded = DialogueStateTracker.from_events("someone", events[:30], slots=DOMAIN.slots)
    assert histories.past_states(reloaded, DOMAIN) == expected_states(reloaded, False, False, None)
    shorter = DialogueStateTracker.from_events("someone", events[:10], slots=DOMAIN.slots)
    assert histories.past_states(shorter, DOMAIN) == expected_states(shorter, False, False, None)


def test_conversations_are_kept_apart_and_the_oldest_forgotten():
    histories = StateHistories(max_conversations=3)
    trackers = [DialogueStateTracker.from_events(f"c{i}", CONVERSATIONS[i % 4]()[:40], slots=DOMAIN.slots)
                for i in range(5)]
    for tracker in trackers:
        assert histories.past_states(tracker, DOMAIN) == expected_states(tracker, False, False, None)
    assert set(histories._progress) == {"c2", "c3", "c4"}
    histories.past_states(trackers[4], DOMAIN, omit_unset_slots=True)  # another kind of request: the same conversation
    assert set(histories._progress) == {"c2", "c3", "c4"} and len(histories._progress["c4"]) == 2


def test_install_answers_story_trackers_and_leaves_rule_trackers_to_rasa(monkeypatch):
    monkeypatch.setattr(DialogueStateTracker, "past_states", DialogueStateTracker.past_states)
    histories = install(StateHistories())
    story = DialogueStateTracker.from_events("story", CONVERSATIONS[1]()[:25], slots=DOMAIN.slots)
    rule = DialogueStateTracker("rule", DOMAIN.slots, is_rule_tracker=True)
    for event in CONVERSATIONS[1]()[:25]:
        rule.update(event)
    assert story.past_states(DOMAIN) == expected_states(story, False, False, None)
    assert rule.past_states(DOMAIN) == expected_states(rule, False, False, None)
    assert list(histories._progress) == ["story"]
