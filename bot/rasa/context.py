"""The conversation's topic handed to the NLU with each message, for short follow-ups.

Rasa's NLU components see the message only, not the conversation. `install()` wraps
`MessageProcessor.parse_message` in this process so that, when Rasa parses a user message of
a conversation, the message's metadata for the NLU carries `context: {"topic": ...}`: the
business topic of the user's last question, looking back past small talk ("kiitos") at most
`LOOK_BACK` user messages. bot/rasa/follow_up.py reads it. The metadata stored in the tracker
stays what the channel sent: the context is added to a copy used for parsing only.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Reversible

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import UserUttered

from bot.content.intents import BUSINESS_INTENTS
from bot.rasa.compound import SMALL_TALK
from bot.rasa.follow_up import CONTEXT_KEY

# Topics answered from the answer book; look-ups and a request for a person start afresh.
FOLLOWABLE = frozenset(BUSINESS_INTENTS) - {"find_events", "find_recruitment_offers", "find_service", "request_human"}
LOOK_BACK = 3


def conversation_topic(events: Reversible[Any]) -> Optional[str]:
    """The topic of the latest user question among `events` (oldest first), past small talk."""
    seen = 0
    for event in reversed(events):  # the tracker's deque, newest first, without copying it
        if not isinstance(event, UserUttered):
            continue
        seen += 1
        intent = (event.intent or {}).get("name")
        if intent in FOLLOWABLE:
            return str(intent)
        if intent not in SMALL_TALK or seen >= LOOK_BACK:
            return None
    return None


def with_context(message: UserMessage, topic: Optional[str]) -> UserMessage:
    """A copy of `message` whose metadata carries the conversation's topic (the original is kept)."""
    if topic is None:
        return message
    metadata: Dict[str, Any] = {**(message.metadata or {}), CONTEXT_KEY: {"topic": topic}}
    return UserMessage(
        text=message.text, output_channel=message.output_channel, sender_id=message.sender_id,
        parse_data=message.parse_data, input_channel=message.input_channel, message_id=message.message_id,
        metadata=metadata,
    )


def install() -> None:
    """Hand the conversation's topic to the NLU in this Rasa process (call before Rasa starts)."""
    original = MessageProcessor.parse_message
    if getattr(original, "_adds_context", False):
        return

    async def parse_message(self: MessageProcessor, message: UserMessage, tracker: Any = None,
                            only_output_properties: bool = True) -> Dict[str, Any]:
        if tracker is not None:
            message = with_context(message, conversation_topic(tracker.events))
        return await original(self, message, tracker, only_output_properties)

    parse_message._adds_context = True  # type: ignore[attr-defined]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
