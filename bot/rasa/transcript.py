"""What the widget shows of a conversation: Rasa's answers and tracker events as chat entries.

An entry is a dict: who ("user", "assistant" or "adviser"), text, time (seconds since
the epoch), buttons (bot entries) and id (user entries: the client's message id); an
assistant's answer also names itself (answer, on its last entry: the widget's thumbs) and
maps each of its answer links to a /go/ path (links: {url: path}, bot/insights/links.py).
Events are read through bot/rasa/events.py.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.rasa import events
from bot.rasa.events import Button, Event

HISTORY_LIMIT = 200

Entry = Dict[str, Any]


def _bot(text: str, buttons: List[Button], time: float, adviser: Optional[str]) -> Optional[Entry]:
    if not text and not buttons:
        return None
    return {"who": "adviser" if adviser else "assistant", "text": text, "buttons": buttons, "time": time}


def _annotate(entries: List[Entry], custom: Mapping[str, Any]) -> None:
    """The answer's name on the last of its entries and its /go/ links on each entry that shows them."""
    links = custom.get("links")
    if isinstance(links, Mapping):
        for entry in entries:
            shown = {url: path for url, path in links.items()
                     if isinstance(url, str) and isinstance(path, str) and path.startswith("/go/") and url in entry["text"]}
            if shown:
                entry["links"] = shown
    answer = custom.get("answer")
    if isinstance(answer, str) and entries and entries[-1]["who"] == "assistant":
        entries[-1]["answer"] = answer


def bot_entry(event: Event) -> Optional[Entry]:
    """A tracker bot event as an entry; None when it has neither text nor buttons."""
    entry = _bot(events.text(event), events.buttons(event), events.timestamp(event), events.adviser(event))
    if entry is not None and entry["who"] == "assistant":
        _annotate([entry], events.custom(event))
    return entry


def from_answers(messages: Sequence[Mapping[str, Any]], time: float) -> List[Entry]:
    """Rasa REST channel answers as entries (their buttons are at the top level). An answer's custom
    part comes as a message of its own after the parts of its text (or with its text): it annotates them."""
    entries: List[Entry] = []
    group: List[Entry] = []
    for message in messages:
        entry = _bot(events.text(message), events.parse_buttons(message.get("buttons")), time, None)
        if entry:
            entries.append(entry)
            group.append(entry)
        if events.custom(message):
            _annotate(group, events.custom(message))
            group = []
    return entries


def user_entry(event: Event) -> Entry:
    """A tracker user event as an entry (the shown text of a quick reply, not its payload)."""
    entry: Entry = {"who": "user", "text": events.shown_text(event), "time": events.timestamp(event)}
    message_id = events.message_id(event)
    if message_id is not None:
        entry["id"] = message_id
    return entry


def _event_entry(event: Event) -> Optional[Entry]:
    kind = events.kind(event)
    if kind == "user":
        return user_entry(event)
    if kind == "bot":
        return bot_entry(event)
    return None


def history(tracker_events: Sequence[Event], limit: int = HISTORY_LIMIT) -> List[Entry]:
    """The user and bot messages of a tracker, oldest first, at most the last `limit`."""
    entries = [entry for entry in map(_event_entry, tracker_events) if entry]
    return entries[-limit:]


def replies_to(tracker_events: Sequence[Event], message_id: str) -> Optional[Tuple[Entry, List[Entry]]]:
    """The user message with `message_id` and the bot messages that followed it, if Rasa has it."""
    for index, event in enumerate(tracker_events):
        if events.kind(event) != "user" or events.message_id(event) != message_id:
            continue
        replies: List[Entry] = []
        for later in tracker_events[index + 1:]:
            if events.kind(later) == "user":
                break
            entry = _event_entry(later)
            if entry:
                replies.append(entry)
        return user_entry(event), replies
    return None
