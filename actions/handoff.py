"""Escalation to a business adviser and the rating after the adviser hands back."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import database
from actions.language import slot_language
from bot.content.intents import BUSINESS_INTENTS
from bot.rasa import events as tracker_events

logger = logging.getLogger(__name__)
_RATING = re.compile(r"(?<!\d)([1-5])(?!\d)")
_RATING_WORDS = {
    "yksi": 1, "ykkönen": 1, "kaksi": 2, "kaks": 2, "kakkonen": 2, "kolme": 3, "kolmonen": 3,
    "neljä": 4, "nelonen": 4, "nelosen": 4, "viisi": 5, "vitonen": 5, "vitosen": 5,
    "etta": 1, "två": 2, "tvåa": 2, "tre": 3, "trea": 3, "fyra": 4, "fyran": 4, "fem": 5, "femma": 5,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
}


def topics_seen(events: List[Dict[str, Any]]) -> List[str]:
    """The business intents of the conversation's user messages, in first-seen order."""
    seen: List[str] = []
    for event in events:
        if tracker_events.kind(event) != "user":
            continue
        intent = tracker_events.intent_name(event)
        if intent in BUSINESS_INTENTS and intent not in seen:
            seen.append(intent)
    return seen


def escalation_reason(events: List[Dict[str, Any]], topics: List[str]) -> str:
    """'fallback' when the user accepted a person after misunderstandings, else why they need one."""
    last_user = max((i for i, e in enumerate(events) if tracker_events.kind(e) == "user"), default=-1)
    before = [e.get("name") for e in events[:max(last_user, 0)] if tracker_events.kind(e) == "action"
              and e.get("name") not in ("action_listen", "action_extract_slots")]
    if before and before[-1] == "utter_offer_human":
        return "fallback"
    return "business_in_difficulty" if "business_in_difficulty" in topics else "requested"


def rating_from(slot_value: Any, text: str) -> Optional[int]:
    """A 1-5 rating from the button's entity or the words of the message."""
    try:
        if slot_value is not None and 1 <= int(float(slot_value)) <= 5:
            return int(float(slot_value))
    except (TypeError, ValueError):
        pass
    match = _RATING.search(text)
    if match:
        return int(match.group(1))
    # The last number word wins: "I'd rate this one a four" is a four.
    words = [_RATING_WORDS[w] for w in re.findall(r"\w+", text.lower()) if w in _RATING_WORDS]
    return words[-1] if words else None


class ActionEscalate(Action):
    """Queues the conversation for an adviser and pauses Rasa, or says nobody is available."""

    def name(self) -> Text:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        from bot.handoff import advisers_available, enqueue

        language = slot_language(tracker)
        topics = topics_seen(tracker.events)
        reason = escalation_reason(tracker.events, topics)
        try:
            async with database.session() as session:
                if not await advisers_available(session, datetime.now(timezone.utc)):
                    return [SlotSet("handoff_status", "unavailable")]
                ticket = await enqueue(session, tracker.sender_id, language, topics, reason)
        except (SQLAlchemyError, OSError) as exc:
            logger.error("handoff of %s failed: %r", tracker.sender_id, exc)
            return [SlotSet("handoff_status", "failed")]
        dispatcher.utter_message(
            response="utter_handoff_queued",
            waiting_ahead=ticket.waiting_ahead,
            wait_minutes=ticket.estimated_wait_minutes,
        )
        return [SlotSet("handoff_status", "queued"), ConversationPaused()]


class ActionSaveRating(Action):
    """Stores the 1-5 rating given after a handoff; without one that an adviser took, nothing is
    stored and the assistant says it did not understand (there was nothing to rate)."""

    def name(self) -> Text:
        return "action_save_rating"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        from bot.handoff import handoff_happened, save_rating

        rating = rating_from(tracker.get_slot("rating"), tracker.latest_message.get("text") or "")
        try:
            async with database.session() as session:
                if not await handoff_happened(session, tracker.sender_id):
                    dispatcher.utter_message(response="utter_default")
                    return [SlotSet("rating", None)]
                if rating is None:
                    dispatcher.utter_message(response="utter_ask_rating")
                    return []
                await save_rating(session, tracker.sender_id, rating)
        except (SQLAlchemyError, OSError) as exc:
            logger.error("rating of %s not stored: %r", tracker.sender_id, exc)
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return [SlotSet("rating", None)]
