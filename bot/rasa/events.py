"""The one reader of Rasa's tracker events (and REST answers): kinds, texts, buttons, metadata.

Tracker events are JSON objects as Rasa's HTTP API and rasa_sdk's `tracker.events` give
them. Everything here tolerates missing or malformed fields: a reader never raises on an
event, it reads what is there. The widget's entries (bot/rasa/transcript.py), the live push
(bot/handoff/live.py), the console's transcript (bot/console/transcript.py), the quick
replies (bot/web/quick_replies.py) and the actions read events through this module.
"""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

Event = Mapping[str, Any]
Button = Dict[str, str]  # {"title": ..., "payload": ...}

# Keys of the metadata the web app sends with every user message to Rasa.
MESSAGE_ID_KEY = "client_message_id"
SHOWN_TEXT_KEY = "shown_text"
# Keys of the metadata of an adviser's message written to the tracker (bot/handoff/notices.py).
ADVISER_KEY = "adviser"
# Rasa marks the user event of an external intent (/trigger_intent) with this metadata key.
EXTERNAL_KEY = "is_external"


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_buttons(raw: object) -> List[Button]:
    """Buttons as {"title", "payload"} strings; anything that is not a button with a title is left out."""
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw
        if isinstance(b, Mapping) and b.get("title")
    ]


def kind(event: Event) -> str:
    """The event's type: "user", "bot", "action", "slot", "pause", "resume", ... ("" when missing)."""
    value = event.get("event")
    return value if isinstance(value, str) else ""


def metadata(event: Event) -> Mapping[str, Any]:
    """The event's metadata ({} when missing)."""
    return _mapping(event.get("metadata"))


def timestamp(event: Event) -> float:
    """The event's time in seconds since the epoch (0.0 when missing)."""
    value = event.get("timestamp")
    return float(value) if isinstance(value, (int, float)) else 0.0


def text(event: Event) -> str:
    """The text of a user or bot event ("" when it has none)."""
    value = event.get("text")
    return value if isinstance(value, str) else ""


def buttons(event: Event) -> List[Button]:
    """The buttons of a bot event (Rasa keeps them under "data")."""
    return parse_buttons(_mapping(event.get("data")).get("buttons"))


def custom(event: Event) -> Mapping[str, Any]:
    """The custom part of a bot event (Rasa keeps it under "data") or of a REST answer (top level);
    the NLG puts the answer's name and its /go/ links there (bot/insights/links.py)."""
    return _mapping(event.get("custom")) or _mapping(_mapping(event.get("data")).get("custom"))


def adviser(event: Event) -> Optional[str]:
    """The adviser's name when a bot event is a message of an adviser, else None."""
    value = metadata(event).get(ADVISER_KEY)
    return str(value) if value else None


def is_external(event: Event) -> bool:
    """True for the user event of an intent the web app triggered (not typed by the user)."""
    return bool(metadata(event).get(EXTERNAL_KEY))


def intent(event: Event) -> Tuple[Optional[str], Optional[float]]:
    """The intent name and confidence of a user event (None for what it lacks)."""
    found = _mapping(_mapping(event.get("parse_data")).get("intent"))
    name, confidence = found.get("name"), found.get("confidence")
    return (
        name if isinstance(name, str) else None,
        float(confidence) if isinstance(confidence, (int, float)) else None,
    )


def intent_name(event: Event) -> Optional[str]:
    """The intent name of a user event, or None."""
    return intent(event)[0]


def message_id(event: Event) -> Optional[str]:
    """The client's message id of a user event the web app sent, or None."""
    value = metadata(event).get(MESSAGE_ID_KEY)
    return value if isinstance(value, str) else None


def shown_text(event: Event) -> str:
    """What the user saw as their message: a quick reply's title rather than its payload."""
    shown = metadata(event).get(SHOWN_TEXT_KEY)
    return shown if isinstance(shown, str) and shown else text(event)


def out_of_band(events: Sequence[Event]) -> Iterator[Tuple[int, Event]]:
    """The bot events no request of the widget got as its answer, with their indexes.

    These are the adviser's messages and the answers to what the web app triggered: an
    external intent, or the resume of a hand back (what the assistant says when it ends).
    """
    triggered = False
    for index, event in enumerate(events):
        name = kind(event)
        if name == "user":
            triggered = is_external(event)
        elif name == "resume":
            triggered = True
        elif name == "bot" and (triggered or adviser(event)):
            yield index, event
