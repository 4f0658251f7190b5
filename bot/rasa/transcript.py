"""What the widget shows of a conversation: Rasa's answers and tracker events as chat entries.

An entry is a dict: who ("user", "assistant" or "adviser"), text, time (seconds since
the epoch), buttons (bot entries) and id (user entries: the client's message id).
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

# Keys of the metadata the gateway sends with every user message to Rasa.
MESSAGE_ID_KEY = "client_message_id"
SHOWN_TEXT_KEY = "shown_text"
HISTORY_LIMIT = 200

Entry = Dict[str, Any]


def _buttons(raw: object) -> List[Dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw
        if isinstance(b, Mapping) and b.get("title")
    ]


def bot_entry(text: object, buttons: object, time: float, metadata: object = None) -> Optional[Entry]:
    """A bot message as an entry; None when it has neither text nor buttons."""
    shown_buttons = _buttons(buttons)
    if not isinstance(text, str):
        text = ""
    if not text and not shown_buttons:
        return None
    adviser = isinstance(metadata, Mapping) and metadata.get("adviser")
    return {"who": "adviser" if adviser else "assistant", "text": text, "buttons": shown_buttons, "time": time}


def from_answers(messages: Sequence[Mapping[str, Any]], time: float) -> List[Entry]:
    """Rasa REST channel answers as entries."""
    entries = []
    for message in messages:
        entry = bot_entry(message.get("text"), message.get("buttons"), time)
        if entry:
            entries.append(entry)
    return entries


def _time(event: Mapping[str, Any]) -> float:
    value = event.get("timestamp")
    return float(value) if isinstance(value, (int, float)) else 0.0


def user_entry(event: Mapping[str, Any]) -> Entry:
    """A tracker user event as an entry (the shown text of a quick reply, not its payload)."""
    metadata = event.get("metadata") if isinstance(event.get("metadata"), Mapping) else {}
    shown = metadata.get(SHOWN_TEXT_KEY)
    text = shown if isinstance(shown, str) and shown else event.get("text")
    entry: Entry = {"who": "user", "text": text if isinstance(text, str) else "", "time": _time(event)}
    message_id = metadata.get(MESSAGE_ID_KEY)
    if isinstance(message_id, str):
        entry["id"] = message_id
    return entry


def _event_entry(event: Mapping[str, Any]) -> Optional[Entry]:
    if event.get("event") == "user":
        return user_entry(event)
    if event.get("event") == "bot":
        data = event.get("data") if isinstance(event.get("data"), Mapping) else {}
        return bot_entry(event.get("text"), data.get("buttons"), _time(event), event.get("metadata"))
    return None


def history(events: Sequence[Mapping[str, Any]], limit: int = HISTORY_LIMIT) -> List[Entry]:
    """The user and bot messages of a tracker, oldest first, at most the last `limit`."""
    entries = [entry for entry in map(_event_entry, events) if entry]
    return entries[-limit:]


def replies_to(events: Sequence[Mapping[str, Any]], message_id: str) -> Optional[Tuple[Entry, List[Entry]]]:
    """The user message with `message_id` and the bot messages that followed it, if Rasa has it."""
    for index, event in enumerate(events):
        if event.get("event") != "user":
            continue
        metadata = event.get("metadata")
        if not isinstance(metadata, Mapping) or metadata.get(MESSAGE_ID_KEY) != message_id:
            continue
        replies: List[Entry] = []
        for later in events[index + 1:]:
            if later.get("event") == "user":
                break
            entry = _event_entry(later)
            if entry:
                replies.append(entry)
        return user_entry(event), replies
    return None
