"""Rasa's own work made cheaper inside our Rasa process, with the same results.

`RemoteAction._validate_action_result` (rasa 3.6) calls `jsonschema.validate` on every reply
of the action server. That checks the response schema against the JSON Schema meta-schema
and builds a new validator each time: about 20 ms per custom action on 2 cores, the largest
single cost of a message in a profile of the Rasa server (issue 14). The schema is a constant,
so it is checked once here and its validator reused; a reply that breaks the schema raises
the same ValidationError, with Rasa's own hint appended, as before. The NLG callback's
`validate_response` does the same with every answer the NLG endpoint gives (7 % of the Rasa
server's CPU under `make bench-load`): its validator is built once too, with Rasa's same error.

The `language` slot's custom mapping names `action_detect_language`, so after every user
message Rasa's `action_extract_slots` called the action server over HTTP (about 42 % of the
Rasa server's CPU in that profile) for a decision that needs nothing but the message and the
slot. It is made here, in the Rasa process, by the same function the action server's action
uses (bot.language.language_after_message); every other custom mapping still goes to the
action server.

Rasa turns every stored event back into an object by its type name with
`Event.resolve_by_type`, which walks the whole tree of Event subclasses for each event: about
17 % of the Rasa server's CPU in a profile of a 200-turn conversation, where each message
reloads the tracker's events. The classes are looked up in a table here, built from the same
walk in the same order (the first class of a name wins, as before) and rebuilt when a name is
missing, in case a class was imported later.

Rasa's NLG callback sends the whole tracker with every answer it asks for
(`current_state(EventVerbosity.ALL)`: every event of the session, JSON-encoded; 16 % of the
Rasa server's CPU at turn 150 of a conversation). The project's NLG endpoint (bot/rasa/nlg.py)
reads the tracker's sender id, slots and latest message only, so the request carries the
tracker's state without its events.

Rasa also sends every event of the session to the action server with every custom action's call
(`RemoteAction._action_call_format`, `EventVerbosity.ALL`): about 700 kB of JSON at turn 200, built,
sent and read again for a look-up that reads none of them. Our actions read only the latest turns
(the misunderstandings in a row, the slots a form's validation checks), except `action_escalate`,
which gathers the topics of the whole session: it gets every event as before; the others get the
events since the `RECENT_USER_TURNS`-th last user message. The tracker's state (slots, latest
message, active loop, paused, latest action) is sent whole, as Rasa builds it.

Tracker copies and the policies' debug-line copies: bot/rasa/tracker_copy.py.

The policies' dialogue states are worked out incrementally per conversation
(bot/rasa/state_history.py): 41 % of the Rasa server's CPU at turns 140-200 of a long chat.
RulePolicy then turns every state of the conversation into text for a debug log line, whether
debug logging is on or not (4 % at those turns, growing with the conversation): here only when
its logger would write it.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Dict, List, Optional

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_response_format_spec
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy
import rasa
import rasa.core.nlg.callback
import rasa.shared.utils.common
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.exceptions import RasaException

from bot.rasa import state_history, tracker_copy

_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@functools.lru_cache(maxsize=None)
def schema_validator(schema_of: Callable[[], Dict[str, Any]]) -> Validator:
    """The validator of the constant schema `schema_of()` gives, the schema checked once per process."""
    schema = schema_of()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def action_result_validator() -> Validator:
    """The validator of the action server's reply."""
    return schema_validator(RemoteAction.action_response_format_spec)


def _validate_nlg_response(content: Optional[Dict[str, Any]]) -> bool:
    """CallbackNaturalLanguageGenerator.validate_response with a validator built once."""
    if content is None or content == "":  # the endpoint did not want to say anything
        return True
    error = best_match(schema_validator(nlg_response_format_spec).iter_errors(content))
    if error is not None:
        raise RasaException(
            f"{error.message}. Failed to validate NLG response from API, make sure your response from the NLG "
            "endpoint is valid. For more information about the format please consult the "
            "`nlg_response_format_spec` function from this same module: "
            "https://github.com/RasaHQ/rasa/blob/main/rasa/core/nlg/callback.py")
    return True


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(action_result_validator().iter_errors(result))
    if error is not None:
        error.message += _HINT
        raise error
    return True


_STOCK_RESOLVE = Event.resolve_by_type
_STOCK_CALL_FORMAT = RemoteAction._action_call_format
_EVENT_CLASSES: Dict[str, Any] = {}


def _event_classes() -> Dict[str, Any]:
    table: Dict[str, Any] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    return table


def resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Event.resolve_by_type with the subclass walk done once (again only for an unknown name)."""
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        _EVENT_CLASSES.clear()
        _EVENT_CLASSES.update(_event_classes())
        found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    return _STOCK_RESOLVE(type_name, default)  # Rasa's own answer: "topic", the default or its error


def nlg_request_format(utter_action: str, tracker: Any, output_channel: str, **kwargs: Any) -> Dict[str, Any]:
    """Rasa's NLG request body, with the tracker's state but not its events."""
    from rasa.shared.core.trackers import EventVerbosity

    response_id = kwargs.pop("response_id", None)
    return {
        "response": utter_action,
        "id": response_id,
        "arguments": kwargs,
        "tracker": tracker.current_state(EventVerbosity.NONE),
        "channel": {"name": output_channel},
    }


def format_states_when_logged(states: List[Dict[str, Any]]) -> str:
    """RulePolicy's states as text for its debug log line; nothing when that line is not written."""
    if not logging.getLogger(RulePolicy.__module__).isEnabledFor(logging.DEBUG):
        return ""
    return Policy.format_tracker_states(states)


LANGUAGE_ACTION = "action_detect_language"
FULL_HISTORY_ACTIONS = frozenset({"action_escalate"})  # reads every user message of the session
RECENT_USER_TURNS = 10


def recent_events(events: Any, user_turns: int = RECENT_USER_TURNS) -> List[Event]:
    """The events from the `user_turns`-th last user message on (all of them when there are fewer)."""
    taken: List[Event] = []
    users = 0
    for event in reversed(events):
        taken.append(event)
        if isinstance(event, UserUttered):
            users += 1
            if users == user_turns:
                break
    taken.reverse()
    return taken


def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> Dict[str, Any]:
    """Rasa's request to the action server, with only the recent events for actions that read no more."""
    from rasa.shared.core.trackers import EventVerbosity

    if self.name() in FULL_HISTORY_ACTIONS:
        return _STOCK_CALL_FORMAT(self, tracker, domain)
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
    result = {"next_action": self.name(), "sender_id": tracker.sender_id, "tracker": state,
              "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


def detect_language_events(tracker: Any, default: str) -> List[Event]:
    """The slot events of the language mapping for `tracker`'s latest user message."""
    from bot.language import language_after_message

    latest = tracker.latest_message
    message = {"intent": latest.intent, "text": latest.text, "entities": latest.entities,
               "metadata": latest.metadata} if latest is not None else {}
    current = tracker.get_slot("language")
    language = language_after_message(current, message, default)
    return [] if language == current else [SlotSet("language", language)]


def _local_custom_mapping(stock: Any, default: str) -> Any:
    async def run_custom_action(self: ActionExtractSlots, custom_action: str, output_channel: Any, nlg: Any,
                                tracker: Any, domain: Any) -> List[Event]:
        if custom_action == LANGUAGE_ACTION:
            return detect_language_events(tracker, default)
        return await stock(self, custom_action, output_channel, nlg, tracker, domain)

    run_custom_action._local = True  # type: ignore[attr-defined]
    return run_custom_action


def install() -> None:
    """Use the reusable validator in this process's RemoteAction and decide the language slot
    here, and work the dialogue states out incrementally (call before Rasa starts)."""
    from bot.config import load_settings

    state_history.install()
    tracker_copy.install()
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]
    CallbackNaturalLanguageGenerator.validate_response = staticmethod(_validate_nlg_response)  # type: ignore
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    rasa.core.nlg.callback.nlg_request_format = nlg_request_format
    RulePolicy.format_tracker_states = staticmethod(format_states_when_logged)  # type: ignore[method-assign]
    stock = ActionExtractSlots._run_custom_action
    if not getattr(stock, "_local", False):
        ActionExtractSlots._run_custom_action = _local_custom_mapping(  # type: ignore[method-assign]
            stock, load_settings().default_language)

