"""Tracker events as the console's transcript items (events are read through bot/rasa/events.py).

The cursor of an item is its index into the conversation's full event list (Rasa's tracker
store only appends), so a poll after a reload continues exactly where the last one ended.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot.console.naming import action_label, intent_label, payload_label
from bot.rasa import events
from bot.rasa.events import Button, Event

Item = Dict[str, Any]

# Actions that are plumbing, not lookups worth showing to an adviser.
_QUIET_ACTIONS = frozenset({
    "action_listen", "action_session_start", "action_restart", "action_back", "action_default_fallback",
    "action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation",
    "action_default_ask_rephrase", "action_two_stage_fallback", "action_unlikely_intent",
    "action_extract_slots", "action_detect_language", "action_count_misunderstanding", "action_check_language_request",
})
_MAX_SLOT_CHARS = 300


def _slot_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_SLOT_CHARS else text[: _MAX_SLOT_CHARS - 1] + "…"


def _pressed(event: Event, offered: Sequence[Button], language: str) -> Optional[str]:
    """The title of the button a "/intent{...}" message came from: the buttons the assistant offered
    before it, else the title the widget showed, else a word for the intent; None for typed text."""
    payload = events.text(event).strip()
    if not payload.startswith("/"):
        return None
    for button in reversed(offered):
        if button["payload"].strip() == payload:
            return button["title"]
    shown = events.shown_text(event).strip()
    return shown if shown and shown != payload else payload_label(language, payload)


def _user_item(index: int, event: Event, offered: Sequence[Button], language: str) -> Item:
    intent, confidence = events.intent(event)
    title = None if events.is_external(event) else _pressed(event, offered, language)
    return {
        "i": index, "ts": event.get("timestamp"), "type": "user",
        "text": title if title is not None else events.text(event), "pressed": title is not None,
        "intent": intent, "intent_label": intent_label(language, intent),
        "confidence": round(confidence, 2) if confidence is not None else None,
        "external": events.is_external(event),
    }


def _bot_item(index: int, event: Event) -> Item:
    return {
        "i": index, "ts": event.get("timestamp"), "type": "bot", "text": events.text(event),
        "adviser": events.adviser(event), "buttons": events.buttons(event),
    }


def console_items(tracker_events: Sequence[Event], language: str = "en") -> List[Item]:
    """The whole transcript: messages with intent and confidence (a pressed button by its title),
    lookups with their slots, pauses; words in the console's `language`."""
    items: List[Item] = []
    lookup: Optional[Item] = None
    offered: List[Button] = []  # the buttons of the assistant's messages since the last user message
    for index, event in enumerate(tracker_events):
        kind = events.kind(event)
        if kind == "slot" and lookup is not None:
            lookup["slots"].append({"name": str(event.get("name")), "value": _slot_value(event.get("value"))})
            continue
        lookup = None
        if kind == "user":
            items.append(_user_item(index, event, offered, language))
            offered = []
        elif kind == "bot":
            items.append(_bot_item(index, event))
            offered.extend(items[-1]["buttons"])
        elif kind == "action":
            name = str(event.get("name") or "")
            if name.startswith("action_") and name not in _QUIET_ACTIONS and not name.startswith("action_ask_"):
                lookup = {"i": index, "ts": event.get("timestamp"), "type": "lookup",
                          "name": action_label(language, name), "slots": []}
                items.append(lookup)
        elif kind in ("pause", "resume", "session_started", "restart"):
            items.append({"i": index, "ts": event.get("timestamp"), "type": kind})
    return items


def items_after(items: Sequence[Item], cursor: int) -> List[Item]:
    """Items of events at or after index `cursor`."""
    return [item for item in items if item["i"] >= cursor]


def page_before(items: Sequence[Item], before: Optional[int], size: int) -> Tuple[List[Item], Optional[int]]:
    """The last `size` items before event index `before` (None: the end) and the cursor of the page before it."""
    selected = [item for item in items if before is None or item["i"] < before]
    page = selected[-size:]
    earlier = page[0]["i"] if len(selected) > len(page) and page else None
    return list(page), earlier
