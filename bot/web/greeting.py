"""What the widget opens with: the assistant's greeting and the conversation's language.

The greeting starts every widget conversation (the first one and each "New conversation").
The gateway sends it in its welcome frame (bot/web/gateway.py); it is never sent to Rasa,
never written to the tracker and never a user turn, so a restored history does not repeat
it. Its text is `widget.greeting` of data/locale; its quick replies are the main topics that
the assistant offers when it is greeted (the buttons of `utter_greet` in data/responses),
which the gateway remembers as offered so that a click reaches Rasa as their intent.

The conversation's language is the `language` slot that Rasa sets after each user message
(bot/rasa/speedups.py, in Rasa's process); the widget's own labels follow it.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Tuple

from bot import locale
from bot.config import LANGUAGES
from bot.content.responses import load_language_file
from bot.language import normalise_language
from bot.rasa import events
from bot.rasa.events import Button
from bot.rasa.transcript import Entry

TOPICS_RESPONSE = "utter_greet"  # its buttons are the main topics
LANGUAGE_SLOT = "language"


@functools.lru_cache(maxsize=8)
def _topic_buttons(responses_dir: Path, language: str) -> Tuple[Tuple[str, str], ...]:
    path = responses_dir / f"{language}.yml"
    if not path.exists():  # a project without responses: a greeting without quick replies
        return ()
    variations = load_language_file(path).get(TOPICS_RESPONSE) or [{}]
    return tuple((b["title"], b["payload"]) for b in events.parse_buttons(variations[0].get("buttons")))


def topic_buttons(responses_dir: Path, language: str) -> list:
    """The main topics as quick replies in `language` (read once per process and language)."""
    return [{"title": title, "payload": payload} for title, payload in _topic_buttons(responses_dir, language)]


def preload(responses_dir: Path) -> None:
    """Read the topics of every language now, not on a visitor's first connection."""
    for language in LANGUAGES:
        _topic_buttons(responses_dir, language)


def greeting(responses_dir: Path, language: str) -> Entry:
    """The greeting entry in `language` (no time: it belongs to no moment of the tracker)."""
    buttons: Sequence[Button] = topic_buttons(responses_dir, language)
    return {"who": "assistant", "text": locale.text(language, "widget.greeting"), "buttons": list(buttons)}


def slot_language(slots: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The language slot of a tracker's `slots`, if set."""
    return normalise_language(slots.get(LANGUAGE_SLOT)) if isinstance(slots, Mapping) else None


def events_language(tracker_events: Sequence[events.Event]) -> Optional[str]:
    """The latest value the language slot got in `tracker_events`, if any."""
    for event in reversed(tracker_events):
        if events.kind(event) == "slot" and event.get("name") == LANGUAGE_SLOT:
            return normalise_language(event.get("value"))
    return None
