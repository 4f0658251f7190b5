"""Each conversation's dialogue states worked out once, not again for every prediction.

Before each prediction Rasa's policies turn the conversation into a list of states, one per
action so far (`DialogueStateTracker.past_states`, `Domain.states_for_tracker_history`): the
tracker is replayed from its first event and every step's state is built anew. In a profile of
a 200-turn conversation that was 41 % of the Rasa server's CPU at turns 140-200 (issue 14), and
it grows with every turn, although the states of the earlier steps never change.

`StateHistories` keeps, for the conversations used most recently (RASA_LIVE_CONVERSATIONS, the
same number the tracker store keeps as objects) and per kind of request (the policy's flags and
its rule-only data), the replayed tracker, the states so far and the two values that Rasa's loop
carries from step to step. When the tracker asked about is the one seen before with events
only appended, the new events are replayed and the new steps' states added; the last state
(the one before the coming action) is built fresh every time, as Rasa builds it, and the caller
gets copies (Rasa's featurizers change the states they are given). Anything
else starts the conversation's history again from its first event:

- another tracker object, or fewer events than before, or the last event seen is not there;
- a new event that rewrites the applied events (`Restarted`, `SessionStarted`,
  `ActionReverted`, `UserUtteranceReverted`, a loop's name first seen in an `ActiveLoop`, or an
  action of a loop, whose repeated runs Rasa folds into one).

The states are the same as Rasa's own (tests/rasa/test_state_history.py compares them on every
prefix of many conversations, rules, forms and rewinds included); `install` puts this in front
of `past_states` of the Rasa server (bot/rasa/speedups.py), never in training.
"""
from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted, ActionReverted, ActiveLoop, Event, Restarted, SessionStarted, UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

_REWRITING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)


@dataclass
class _Progress:
    """How far one conversation's history has been worked out for one kind of request."""

    tracker: DialogueStateTracker  # the tracker asked about (compared by identity)
    seen: int  # how many of its events have been taken in
    last: Optional[Event]  # the last of them (compared by identity)
    replay: DialogueStateTracker  # a fresh tracker with the applied events replayed
    loops: Set[str]  # the loop names activated so far
    states: List[State] = field(default_factory=list)
    last_ml_action: Optional[Dict[str, Any]] = None
    turn_was_hidden: bool = False
    used: float = 0.0


class StateHistories:
    """Past states of live conversations, worked out incrementally (see the module's docstring)."""

    def __init__(self, max_conversations: int = 64, max_idle_seconds: float = 900) -> None:
        self.max_conversations = max_conversations
        self.max_idle_seconds = max_idle_seconds
        # sender id -> (kind of request -> progress), the conversation used longest ago first
        self._progress: "OrderedDict[str, Dict[Tuple[Any, ...], _Progress]]" = OrderedDict()
        self.restarts = 0  # histories worked out again from the first event

    def past_states(self, tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False,
                    rule_only_data: Optional[Dict[str, Any]] = None) -> List[State]:
        """The same list as `domain.states_for_tracker_history(tracker, ...)`."""
        kind = (id(domain), omit_unset_slots, ignore_rule_only_turns,
                json.dumps(rule_only_data, sort_keys=True, default=str))
        conversation = self._progress.pop(tracker.sender_id, {})
        progress = conversation.get(kind)
        events = tracker.events
        flags = (domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        new = _tail(events, len(events) - progress.seen) if progress and self._extends(progress, tracker) else None
        if new is None or any(_rewrites(event, progress.loops) for event in new):  # type: ignore[union-attr]
            progress = _Progress(tracker=tracker, seen=0, last=None, replay=tracker.init_copy(),
                                 loops={e.name for e in events if isinstance(e, ActiveLoop) and e.name})
            new = tracker.applied_events()
            self.restarts += 1
        self._take(progress, new, *flags)
        progress.seen, progress.last = len(events), (events[-1] if events else None)
        progress.used = time.monotonic()
        conversation[kind] = progress
        self._progress[tracker.sender_id] = conversation
        self._forget(progress.used)
        return self._with_final_state(progress, *flags)

    @staticmethod
    def _extends(progress: _Progress, tracker: DialogueStateTracker) -> bool:
        events = tracker.events
        if progress.tracker is not tracker or len(events) < progress.seen:
            return False
        return progress.seen == 0 or events[progress.seen - 1] is progress.last

    def _take(self, progress: _Progress, events: List[Event], domain: Domain, omit_unset_slots: bool,
              ignore_rule_only_turns: bool, rule_only_data: Optional[Dict[str, Any]]) -> None:
        """Replay `events`; before each action, the state of the step it ends."""
        for event in events:
            if isinstance(event, ActionExecuted):
                self._step(progress, progress.states, event.hide_rule_turn, domain, omit_unset_slots,
                           ignore_rule_only_turns, rule_only_data)
            progress.replay.update(event)

    @staticmethod
    def _step(progress: _Progress, states: List[State], hide_rule_turn: bool, domain: Domain,
              omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: Optional[Dict[str, Any]]) -> None:
        """One step of Rasa's loop over the prior trackers, on `progress.replay`."""
        replay = progress.replay
        if ignore_rule_only_turns:
            if not progress.turn_was_hidden:
                progress.last_ml_action = domain._get_prev_action_sub_state(replay)
            if not replay.followup_action and not replay.latest_action_name == replay.active_loop_name:
                progress.turn_was_hidden = hide_rule_turn
            if progress.turn_was_hidden:
                return
        state = domain.get_active_state(replay, omit_unset_slots=omit_unset_slots)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if progress.last_ml_action:
                state[PREVIOUS_ACTION] = progress.last_ml_action
        states.append(domain._clean_state(state))

    def _with_final_state(self, progress: _Progress, *flags: Any) -> List[State]:
        """The states so far and the one after the last event, without keeping the latter."""
        carried = (progress.last_ml_action, progress.turn_was_hidden)
        # Copies where Rasa changes what it gets: its featurizers drop the user's text, intent or entities
        # (tracker_featurizers.py, the only writes to states in prediction); the other parts are shared.
        states = [{**state, USER: dict(state[USER])} if USER in state else dict(state) for state in progress.states]
        self._step(progress, states, False, *flags)
        progress.last_ml_action, progress.turn_was_hidden = carried
        return states

    def _forget(self, now: float) -> None:
        while self._progress and (len(self._progress) > self.max_conversations or
                                  now - max(p.used for p in next(iter(self._progress.values())).values())
                                  > self.max_idle_seconds):
            self._progress.popitem(last=False)


def _tail(events: Any, count: int) -> List[Event]:
    """The last `count` events of a deque, without walking it from the start."""
    taken: List[Event] = []
    for event in reversed(events):
        if len(taken) == count:
            break
        taken.append(event)
    taken.reverse()
    return taken


def _rewrites(event: Event, loops: Set[str]) -> bool:
    """True when `event` changes which earlier events count (see the module's docstring)."""
    if isinstance(event, _REWRITING):
        return True
    if isinstance(event, ActiveLoop) and event.name and event.name not in loops:
        return True
    return isinstance(event, ActionExecuted) and event.action_name in loops


def install(histories: Optional[StateHistories] = None) -> StateHistories:
    """Answer `DialogueStateTracker.past_states` from `histories` in this process (story trackers
    only; rule trackers exist only in training); by default for RASA_LIVE_CONVERSATIONS conversations."""
    if histories is None:
        from bot.config import load_settings

        histories = StateHistories(load_settings().live_conversations)
    stock = DialogueStateTracker.past_states

    def past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False,
                    rule_only_data: Optional[Dict[str, Any]] = None) -> List[State]:
        if self.is_rule_tracker:
            return stock(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        return histories.past_states(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)

    past_states._stock = stock  # type: ignore[attr-defined]
    if not hasattr(stock, "_stock"):
        DialogueStateTracker.past_states = past_states  # type: ignore[method-assign]
    return histories
