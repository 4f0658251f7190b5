"""Counts misunderstandings so that the rules can offer a person after the second in a row."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.rasa import events as tracker_events

MISUNDERSTOOD_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
OFFER_HUMAN_AFTER = 2


def misunderstandings_in_a_row(events: Iterable[Mapping[str, Any]]) -> int:
    """How many of the latest user messages, counted back from the newest, were not understood."""
    count = 0
    for event in reversed(list(events)):
        kind = tracker_events.kind(event)
        if kind in ("restart", "session_started"):
            break
        if kind != "user":
            continue
        if tracker_events.intent_name(event) not in MISUNDERSTOOD_INTENTS:
            break
        count += 1
    return count


class ActionCountMisunderstanding(Action):
    """Sets `misunderstanding` to 'first' or 'repeated'; the rules choose the answer."""

    def name(self) -> Text:
        return "action_count_misunderstanding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        repeated = misunderstandings_in_a_row(tracker.events) >= OFFER_HUMAN_AFTER
        return [SlotSet("misunderstanding", "repeated" if repeated else "first")]
