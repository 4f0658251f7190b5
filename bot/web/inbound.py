"""The one path of a user message into the assistant, for the chat API and the WebSocket.

bot/web/chat.py (POST /api/messages) and bot/web/gateway.py (a "message" frame) read their
own framing (a JSON body, a frame with a client-made id), then both call:

- `accept`: the checks of the message itself, in one order: text that is not a string
  (error_malformed), no known conversation (error_unknown_conversation), empty after
  stripping (error_empty), longer than BOT_MAX_MESSAGE_CHARS (error_too_long), over a rate
  limit (error_rate_limited). It returns an `Accepted` message (stripped text, Rasa
  metadata: language, page URL, message id) or the `Refusal` (its text's code (chat.<code> in data/locale), HTTP
  status and placeholder values); the channel words the refusal as its own reply.
- `deliver`: the way to Rasa: personal data masked (bot/handoff/contact_drafts.py), a typed
  "/intent" neutralised unless it is a quick reply just offered (bot/web/quick_replies.py),
  the message sent, the buttons of the answers remembered.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Union

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot import locale
from bot.handoff.contact_drafts import text_for_rasa
from bot.rasa import events, transcript
from bot.rasa.client import RasaClient, RasaUnavailable
from bot.web.limits import Limits
from bot.web.quick_replies import Events, QuickReplies, outgoing_metadata

MAX_PAGE_URL_CHARS = 2000


@dataclass(frozen=True)
class Refusal:
    """Why a message was not accepted: a text code (data/locale chat.<code>), its HTTP status and placeholder values."""

    code: str
    status: int
    values: Mapping[str, object] = field(default_factory=dict)

    def message(self, language: str) -> str:
        """The refusal in words, in `language`."""
        return locale.text(language, f"chat.{self.code}", **self.values)


MALFORMED = Refusal("error_malformed", 400)
UNKNOWN_CONVERSATION = Refusal("error_unknown_conversation", 403)
EMPTY = Refusal("error_empty", 422)
RATE_LIMITED = Refusal("error_rate_limited", 429)
UNAVAILABLE = Refusal("error_unavailable", 503)  # Rasa could not be reached (the API's answer)


def too_long(limit: int) -> Refusal:
    """The refusal of a message over `limit` characters (the text names the limit)."""
    return Refusal("error_too_long", 413, {"limit": limit})


@dataclass(frozen=True)
class Accepted:
    """A user message that passed every check, ready for `deliver`."""

    conversation_id: str
    text: str
    metadata: Dict[str, Any]


def page_url(value: object) -> str:
    """The page the chat is on, as the metadata may carry it ("" when missing or too long)."""
    return value if isinstance(value, str) and len(value) <= MAX_PAGE_URL_CHARS else ""


async def accept(
    *,
    conversation_id: Optional[str],
    text: object,
    language: str,
    max_chars: int,
    limits: Optional[Limits],
    address: str,
    page: str = "",
    message_id: Optional[str] = None,
) -> Union[Accepted, Refusal]:
    """Check one user message of `conversation_id` (None: not a conversation of ours) from `address`.

    A message that passes is counted against the rate limits; `page` (see `page_url`) and
    `message_id` (the widget's id) go into the metadata with the language.
    """
    if not isinstance(text, str):
        return MALFORMED
    if conversation_id is None:
        return UNKNOWN_CONVERSATION
    text = text.strip()
    if not text:
        return EMPTY
    if len(text) > max_chars:
        return too_long(max_chars)
    if limits is not None and not await limits.allow_message(conversation_id, address):
        return RATE_LIMITED
    metadata: Dict[str, Any] = {"language": language}
    if message_id:
        metadata[events.MESSAGE_ID_KEY] = message_id
    if page:
        metadata["page_url"] = page
    return Accepted(conversation_id, text, metadata)


@dataclass(frozen=True)
class Delivered:
    """What Rasa made of an accepted message."""

    shown: str  # the user's text as the transcript shows it (a quick reply: the button's title)
    answers: List[Dict[str, Any]]  # Rasa's messages as its REST channel gave them
    replies: List[transcript.Entry]  # the same as transcript entries


async def deliver(
    rasa: RasaClient,
    database: "sessionmaker[AsyncSession]",
    quick_replies: QuickReplies,
    message: Accepted,
    fetch_events: Optional[Callable[[], Awaitable[Events]]] = None,
) -> Delivered:
    """Send `message` to Rasa (masked, "/" neutralised unless an offered quick reply); RasaUnavailable
    when Rasa cannot be reached. `fetch_events` reads the conversation's tracker (default: from Rasa);
    `database` keeps a contact the form asked for (bot/handoff/contact_drafts.py)."""
    conversation_id = message.conversation_id
    fetch = fetch_events or partial(rasa.events, conversation_id)
    text = await text_for_rasa(rasa, conversation_id, message.text, database)  # personal data masked
    outgoing = await quick_replies.resolve(conversation_id, text, fetch)
    answers = await rasa.send_message(conversation_id, outgoing.text, outgoing_metadata(message.metadata, outgoing))
    if not answers:
        _confirm_logged(await fetch(), message.metadata.get(events.MESSAGE_ID_KEY), outgoing.text)
    replies = transcript.from_answers(answers, time.time())
    quick_replies.remember(conversation_id, replies)
    return Delivered(outgoing.shown, answers, replies)


def _confirm_logged(tracker_events: Events, message_id: Optional[str], text: str) -> None:
    """No answer is Rasa's answer only when it logged the message (a paused conversation, in a
    handoff); its REST channel also answers an empty 200 when it failed inside (lock store or tracker
    store away, issue 14): RasaUnavailable then, so the user is told and the message is retried."""
    users = [e for e in tracker_events if events.kind(e) == "user"]
    if message_id:
        logged = any(events.message_id(e) == message_id for e in users)
    else:
        logged = bool(users) and events.text(users[-1]) == text
    if not logged:
        raise RasaUnavailable("Rasa answered nothing and did not log the message (it failed inside)")
