"""Tracker events as transcript items for the console and as live messages for the widget.

The cursor of both is an index into the conversation's full event list (Rasa's tracker
store only appends), so a poll after a reload continues exactly where the last one ended.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

# Actions that are plumbing, not lookups worth showing to an adviser.
_QUIET_ACTIONS = frozenset({
    "action_listen", "action_session_start", "action_restart", "action_back", "action_default_fallback",
    "action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation",
    "action_default_ask_rephrase", "action_two_stage_fallback", "action_unlikely_intent",
    "action_extract_slots", "action_detect_language",
})
_MAX_SLOT_CHARS = 300


def _metadata(event: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = event.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def _slot_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_SLOT_CHARS else text[: _MAX_SLOT_CHARS - 1] + "…"


def _buttons(event: Mapping[str, Any]) -> List[Dict[str, str]]:
    data = event.get("data")
    buttons = data.get("buttons") if isinstance(data, Mapping) else None
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in buttons or [] if isinstance(b, Mapping)
    ]


def _user_item(index: int, event: Mapping[str, Any]) -> Dict[str, Any]:
    parse = event.get("parse_data") if isinstance(event.get("parse_data"), Mapping) else {}
    intent = parse.get("intent") if isinstance(parse.get("intent"), Mapping) else {}
    confidence = intent.get("confidence")
    return {
        "i": index, "ts": event.get("timestamp"), "type": "user", "text": str(event.get("text") or ""),
        "intent": intent.get("name"),
        "confidence": round(float(confidence), 2) if isinstance(confidence, (int, float)) else None,
        "external": bool(_metadata(event).get("is_external")),
    }


def _bot_item(index: int, event: Mapping[str, Any]) -> Dict[str, Any]:
    adviser = _metadata(event).get("adviser")
    return {
        "i": index, "ts": event.get("timestamp"), "type": "bot", "text": str(event.get("text") or ""),
        "adviser": str(adviser) if adviser else None, "buttons": _buttons(event),
    }


def console_items(events: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The whole transcript: messages with intent and confidence, lookups with their slots, pauses."""
    items: List[Dict[str, Any]] = []
    lookup: Optional[Dict[str, Any]] = None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "slot" and lookup is not None:
            lookup["slots"].append({"name": str(event.get("name")), "value": _slot_value(event.get("value"))})
            continue
        lookup = None
        if kind == "user":
            items.append(_user_item(index, event))
        elif kind == "bot":
            items.append(_bot_item(index, event))
        elif kind == "action":
            name = str(event.get("name") or "")
            if name.startswith("action_") and name not in _QUIET_ACTIONS:
                lookup = {"i": index, "ts": event.get("timestamp"), "type": "lookup", "name": name, "slots": []}
                items.append(lookup)
        elif kind in ("pause", "resume", "session_started", "restart"):
            items.append({"i": index, "ts": event.get("timestamp"), "type": kind})
    return items


def items_after(items: Sequence[Dict[str, Any]], cursor: int) -> List[Dict[str, Any]]:
    """Items of events at or after index `cursor`."""
    return [item for item in items if item["i"] >= cursor]


def page_before(items: Sequence[Dict[str, Any]], before: Optional[int], size: int) -> Tuple[List[Dict[str, Any]], Optional[int]]:
    """The last `size` items before event index `before` (None: the end) and the cursor of the page before it."""
    selected = [item for item in items if before is None or item["i"] < before]
    page = selected[-size:]
    earlier = page[0]["i"] if len(selected) > len(page) and page else None
    return list(page), earlier


def widget_messages(events: Sequence[Mapping[str, Any]], cursor: int) -> Tuple[List[Dict[str, Any]], int]:
    """Bot messages the widget did not get as an answer to its own request, after `cursor`.

    These are the adviser's messages and the answers to intents the web app triggered
    (hand back, close, queue timeout). Returns them and the next cursor.
    """
    messages: List[Dict[str, Any]] = []
    triggered = False
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            triggered = bool(_metadata(event).get("is_external"))
        elif kind == "resume":
            triggered = True  # what the assistant says when the handoff ends
        elif kind == "bot" and index >= cursor:
            adviser = _metadata(event).get("adviser")
            if adviser or triggered:
                messages.append({
                    "i": index, "ts": event.get("timestamp"), "text": str(event.get("text") or ""),
                    "buttons": _buttons(event), "adviser": str(adviser) if adviser else None,
                })
    return messages, len(events)


def is_paused(events: Sequence[Mapping[str, Any]]) -> bool:
    """True when the latest pause of the conversation has not been resumed (or restarted)."""
    for event in reversed(events):
        kind = event.get("event")
        if kind == "pause":
            return True
        if kind in ("resume", "restart", "session_started"):
            return False
    return False
