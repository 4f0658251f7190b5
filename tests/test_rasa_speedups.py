"""bot/rasa/speedups.py: the action server's replies validated as Rasa does, the schema checked once."""
from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa import speedups

STOCK_VALIDATION = RemoteAction._validate_action_result  # Rasa's own, before any install()
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
    speedups.action_result_validator.cache_clear()
    for _ in range(5):
        action._validate_action_result(VALID)
    assert len(checks) == 1
    speedups.action_result_validator.cache_clear()
