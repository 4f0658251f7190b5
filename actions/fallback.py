"""What the assistant says when it did not understand or the question is out of scope."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

MISUNDERSTOOD_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
OFFER_HUMAN_AFTER = 2


def misunderstandings_in_a_row(events: Iterable[Mapping[str, Any]]) -> int:
    """How many of the latest user messages, counted back from the newest, were not understood."""
    count = 0
    for event in reversed(list(events)):
        if event.get("event") == "restart" or event.get("event") == "session_started":
            break
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in MISUNDERSTOOD_INTENTS:
            break
        count += 1
    return count


class ActionHandleMisunderstanding(Action):
    """Says what the assistant can do; after two misunderstandings in a row offers a person."""

    def name(self) -> Text:
        return "action_handle_misunderstanding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if misunderstandings_in_a_row(tracker.events) >= OFFER_HUMAN_AFTER:
            dispatcher.utter_message(response="utter_offer_human")
        elif (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
