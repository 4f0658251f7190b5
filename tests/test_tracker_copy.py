"""bot/rasa/tracker_copy.py: a tracker copy without a replay is Rasa's copy, and the policies'
debug-line copies are made only for debug lines that are written."""
from __future__ import annotations

import ast
import importlib
import inspect
import logging
from typing import Any, Dict, List

import pytest
from rasa.shared.core.events import ActionExecutionRejected, ActiveLoop, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.rasa.tracker_copy import DEBUG_LINE_MODULES, DebugLineCopy, copy_tracker
from tests.test_state_history import CONVERSATIONS, DOMAIN, random_conversation

STOCK_COPY = DialogueStateTracker.copy


def state_of(tracker: DialogueStateTracker) -> Dict[str, Any]:
    """Everything a tracker's state is made of, events by identity."""
    state = {k: v for k, v in vars(tracker).items() if k not in ("events", "slots")}
    state["events"] = [id(event) for event in tracker.events]
    state["slots"] = {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()}
    state["current"] = tracker.current_state(EventVerbosity.ALL)
    return state


@pytest.mark.parametrize("events", [make() for make in CONVERSATIONS] + [random_conversation(s) for s in range(3)])
def test_a_copy_is_rasas_copy_at_every_step(events: List[Event]) -> None:
    compared = 0
    for length in range(1, len(events) + 1, 3):
        tracker = DialogueStateTracker.from_events("c", events[:length], slots=DOMAIN.slots)
        tracker.model_id, tracker.assistant_id = "model-1", "assistant"  # the server sets them; a copy has neither
        ours, stock = copy_tracker(tracker), STOCK_COPY(tracker)
        assert state_of(ours) == state_of(stock)
        compared += 1
    assert compared > 5


def test_a_copy_changes_apart_from_its_original() -> None:
    events = CONVERSATIONS[1]()
    tracker = DialogueStateTracker.from_events("c", events[:12], slots=DOMAIN.slots)
    tracker.update(ActiveLoop("contact_request_form"))
    before = state_of(tracker)
    copied = copy_tracker(tracker)
    for event in (SlotSet("company_name", "Firma Oy"), ActionExecutionRejected("contact_request_form"),
                  ActiveLoop(None), SlotSet("language", "sv")):
        copied.update(event)
    assert state_of(tracker) == before and copied.active_loop_name is None


@pytest.mark.parametrize("name", DEBUG_LINE_MODULES)
def test_the_policies_copy_only_for_their_debug_lines(name: str, caplog: pytest.LogCaptureFixture) -> None:
    module = importlib.import_module(name)
    tree = ast.parse(inspect.getsource(module))
    uses = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "copy"]
    in_debug_lines = {id(node) for call in ast.walk(tree) if isinstance(call, ast.Call)
                      and isinstance(call.func, ast.Attribute) and call.func.attr == "debug"
                      and isinstance(call.func.value, ast.Name) and call.func.value.id == "structlogger"
                      for node in ast.walk(call)}
    assert uses and all(id(node) in in_debug_lines for node in uses)  # else DebugLineCopy would change results
    states = [{"user": {"intent": "greet"}}]
    shim = DebugLineCopy(name)
    with caplog.at_level(logging.INFO, logger=name):
        assert shim.deepcopy(states) is states
    with caplog.at_level(logging.DEBUG, logger=name):
        copied = shim.deepcopy(states)
        assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]
    assert shim.copy is importlib.import_module("copy").copy
