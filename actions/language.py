"""Actions that keep the conversation in the right language."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.config import load_settings
from bot.language import language_after_message, language_or_default, normalise_language, requested_language


def slot_language(tracker: Tracker) -> str:
    """The conversation's language (the `language` slot), else the configured default language."""
    return language_or_default(tracker.get_slot("language"))


class ActionDetectLanguage(Action):
    """Fills the `language` slot after every user message (custom slot mapping). Rasa started by
    bot.rasa.launcher decides it in its own process (bot/rasa/speedups.py) and does not call this."""

    def name(self) -> Text:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        current = tracker.get_slot("language")
        language = language_after_message(current, tracker.latest_message or {}, load_settings().default_language)
        return [] if language == current else [SlotSet("language", language)]


class ActionCheckLanguageRequest(Action):
    """Sets `language_request` to 'named' or 'unnamed'; the rules confirm or ask which language."""

    def name(self) -> Text:
        return "action_check_language_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        named = any(
            normalise_language(entity.get("value"))
            for entity in message.get("entities") or []
            if entity.get("entity") == "language"
        ) or requested_language(message.get("text") or "")
        return [SlotSet("language_request", "named" if named else "unnamed")]
