"""Which texts may reach Rasa as "/intent{...}": only the quick replies the assistant offered.

Rasa reads a user message that starts with "/" (after `str.strip()`) as an intent with
entities and slot values, bypassing the NLU (RegexMessageHandler, `INTENT_MESSAGE_PREFIX`).
A company must not trigger intents or set slots by typing that syntax, so:

- a text equal to the payload of a button of the latest bot messages of the same
  conversation (those since the user's last message) goes to Rasa as it is, and the
  transcript shows the button's own title;
- any other text starting with "/" goes with an invisible WORD JOINER in front: Rasa's check
  fails, the NLU reads the words, the transcript shows what the company typed.

The buttons are remembered per conversation in this process (bounded, least recently used
first out). A payload that is not there (another process answered, a hand back pushed the
rating question, a restart) is looked up in the conversation's tracker, the one source of truth.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence


from bot.rasa import events, transcript

INTENT_PREFIX = "/"  # rasa.shared.constants.INTENT_MESSAGE_PREFIX
NEUTRALISER = "\u2060"  # WORD JOINER: not whitespace for str.strip(), invisible, no word of its own
MAX_CONVERSATIONS = 10_000
Buttons = Dict[str, str]  # payload -> title
Events = List[Dict[str, Any]]


@dataclass(frozen=True)
class Outgoing:
    """A user message as it goes to Rasa and as the transcript shows it."""

    text: str
    shown: str
    quick_reply: bool = False


def neutralise(text: str) -> str:
    """`text` such that Rasa never reads it as an intent (unchanged unless it starts with "/")."""
    return NEUTRALISER + text if text.strip().startswith(INTENT_PREFIX) else text


def latest_buttons(entries: Sequence[Mapping[str, Any]]) -> Buttons:
    """The buttons of the bot entries after the last user entry (transcript entries)."""
    buttons: Buttons = {}
    for entry in entries:
        if entry.get("who") == "user":
            buttons = {}
            continue
        for button in entry.get("buttons") or ():
            payload, title = button.get("payload"), button.get("title")
            if isinstance(payload, str) and payload and isinstance(title, str) and title:
                buttons.setdefault(payload, title)
    return buttons


class QuickReplies:
    """The latest offered buttons of each conversation of this process."""

    def __init__(self, max_conversations: int = MAX_CONVERSATIONS) -> None:
        self.max_conversations = max_conversations
        self._buttons: "OrderedDict[str, Buttons]" = OrderedDict()

    def remember(self, conversation_id: str, entries: Sequence[Mapping[str, Any]]) -> None:
        """What the assistant just said (the entries after a user message, or a whole history)."""
        self._buttons[conversation_id] = latest_buttons(entries)
        self._buttons.move_to_end(conversation_id)
        while len(self._buttons) > self.max_conversations:
            self._buttons.popitem(last=False)

    def title(self, conversation_id: str, payload: str) -> Optional[str]:
        """The title of the remembered button with `payload`, if any."""
        return self._buttons.get(conversation_id, {}).get(payload)

    async def resolve(
        self, conversation_id: str, text: str, fetch_events: Callable[[], Awaitable[Events]]
    ) -> Outgoing:
        """How to send `text` (already stripped); reads the tracker only for an unknown "/" text."""
        if not text.startswith(INTENT_PREFIX):
            return Outgoing(text, text)
        title = self.title(conversation_id, text)
        if title is None:
            self.remember(conversation_id, transcript.history(await fetch_events()))
            title = self.title(conversation_id, text)
        if title is None:
            return Outgoing(neutralise(text), text)
        return Outgoing(text, title, quick_reply=True)



def outgoing_metadata(metadata: Mapping[str, Any], outgoing: Outgoing) -> Dict[str, Any]:
    """`metadata` plus the shown text when it differs from what Rasa gets."""
    result = dict(metadata)
    if outgoing.shown != outgoing.text:
        result[events.SHOWN_TEXT_KEY] = outgoing.shown
    return result
