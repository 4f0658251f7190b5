"""What names a conversation for an adviser, read from its tracker events: when it started,
its first question and the intents its messages were understood as.

The sweeper stores these on the review row (bot/handoff/sweeper.py); the console reads them
from there for its lists and from the events themselves on a conversation's page.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Mapping, Optional, Sequence

from bot.rasa import events

MAX_QUESTION = 500
# A message of this intent with at most this many words says nothing about what was asked.
_SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny"})
_SMALL_TALK_WORDS = 3

Event = Mapping[str, object]


def _typed(event: Event) -> bool:
    """A user message the company wrote (not a button's payload, not an intent the app triggered)."""
    text = events.text(event).strip()
    return events.kind(event) == "user" and not events.is_external(event) and bool(text) and not text.startswith("/")


def first_question(tracker_events: Sequence[Event]) -> str:
    """The first message the company typed that is more than a greeting ("" when none)."""
    typed = [e for e in tracker_events if _typed(e)]
    for event in typed:
        text = " ".join(events.text(event).split())
        if events.intent_name(event) not in _SMALL_TALK or len(text.split()) > _SMALL_TALK_WORDS:
            return text[:MAX_QUESTION]
    return " ".join(events.text(typed[0]).split())[:MAX_QUESTION] if typed else ""


def started_at(tracker_events: Sequence[Event]) -> Optional[datetime]:
    """When the conversation began: the time of its first event with one (UTC), None when none has."""
    for event in tracker_events:
        stamp = events.timestamp(event)
        if stamp > 0:
            return datetime.fromtimestamp(stamp, timezone.utc)
    return None


def intents_seen(tracker_events: Sequence[Event]) -> List[str]:
    """The intents of the company's messages and pressed buttons, first seen first."""
    seen: List[str] = []
    for event in tracker_events:
        if events.kind(event) != "user" or events.is_external(event):
            continue
        name = events.intent_name(event)
        if name and name not in seen:
            seen.append(name)
    return seen


def shorten(text: str, limit: int = 70) -> str:
    """`text` on one line, cut at a word boundary with "…" when longer than `limit`."""
    line = " ".join((text or "").split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "…"
