"""Rasa's tracker copies and debug-line copies made cheaper in the Rasa server, with the same results.

`DialogueStateTracker.copy` (rasa 3.6) makes a new tracker and replays every event of the session
into it; the processor copies the tracker before every action it runs (`_run_action`), so each
action cost a replay of the whole conversation: 11 % of the Rasa server's CPU at turns 150-200 of a
conversation (issue 14). A tracker's state is what its events made of it, so `copy_tracker` takes
that state as it is: the same events (the same objects, as a replay appends them), copies of the
slots and of the state's mutable parts, and what a replay would leave unset left unset (`init_copy`
carries no model id, assistant id or sender source). tests/test_tracker_copy.py compares it with
Rasa's copy on every prefix of many conversations, rewinds, forms and restarts included.

MemoizationPolicy and RulePolicy deep-copy every dialogue state of the conversation for a debug
line on every prediction, written or not (9.5 % at those turns). `DebugLineCopy` stands in for the
`copy` module in those two modules, whose only use of it is for debug lines: it copies only when
the module's logger would write the line (structlog's `filter_by_level` asks that same logger).
"""
from __future__ import annotations

import copy
import logging
from types import ModuleType
from typing import Any, Optional

from rasa.shared.core.trackers import DialogueStateTracker

DEBUG_LINE_MODULES = ("rasa.core.policies.memoization", "rasa.core.policies.rule_policy")


def copy_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The same as `tracker.copy()` in Rasa 3.6, without replaying the events."""
    new = tracker.init_copy()
    new.events.extend(tracker.events)
    new.slots = {name: copy.copy(slot) for name, slot in tracker.slots.items()}
    new._paused = tracker._paused
    new.followup_action = tracker.followup_action
    new.latest_action = dict(tracker.latest_action) if tracker.latest_action is not None else None
    new.latest_message = tracker.latest_message
    new.latest_bot_utterance = tracker.latest_bot_utterance
    new.active_loop = copy.copy(tracker.active_loop)  # a dataclass whose flags change in place (or None)
    return new


class DebugLineCopy:
    """The `copy` module for a policy module: `deepcopy` only when that module's debug lines are written."""

    def __init__(self, module: str) -> None:
        self._logger = logging.getLogger(module)

    def deepcopy(self, value: Any, memo: Optional[dict] = None) -> Any:
        return copy.deepcopy(value, memo) if self._logger.isEnabledFor(logging.DEBUG) else value

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> None:
    """Use both in this process (the Rasa server's; never in training)."""
    import importlib

    if not getattr(DialogueStateTracker.copy, "_cheap", False):
        def cheap_copy(self: DialogueStateTracker) -> DialogueStateTracker:
            return copy_tracker(self)

        cheap_copy._cheap = True  # type: ignore[attr-defined]
        DialogueStateTracker.copy = cheap_copy  # type: ignore[method-assign]
    for name in DEBUG_LINE_MODULES:
        module: ModuleType = importlib.import_module(name)
        if isinstance(module.copy, ModuleType):  # type: ignore[attr-defined]
            module.copy = DebugLineCopy(name)  # type: ignore[attr-defined]
