"""Delivery of user messages to Rasa, one conversation strictly in order, never twice.

Each conversation that has a connection or pending messages in this process has a
`ConversationRelay`: a queue worked by one task, so fast typing never reorders. A
message that may already have reached Rasa (a resend after a reconnect, a retry
after a failure) is first looked up in the conversation's tracker by its client
message id; if Rasa has it, the bot messages that followed it are replayed instead
of sending it again. The tracker is the only shared state: any web app process can
serve any conversation.

A message goes to Rasa by the path the chat API uses too (bot/web/inbound.py `deliver`):
personal data masked, a quick reply the assistant offered sent as its payload (shown as
the button's title), any other leading "/" neutralised so that Rasa never reads it as an intent.

Each reply says the conversation's language (Rasa's language slot) for the widget's labels.

With several instances (REDIS_URL) a message is delivered by the instance that holds its claim
(bot/web/claims.py); another that gets the same message (a widget that reconnected there) waits for
its answer in the tracker instead of sending it twice.

When Rasa is down the relay says so ("delayed"), keeps the message and retries with
backoff until `rasa_retry_seconds` after the message was accepted, then gives up
("failed") so the user can send it again.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Deque, Dict, List, Optional, Protocol, Set, Tuple

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.rasa import transcript
from bot.config import Settings
from bot.web import greeting, inbound
from bot.web.answer_languages import AnswerLanguages
from bot.web.claims import MessageClaims
from bot.web.quick_replies import QuickReplies
from bot.rasa.client import RasaClient, RasaUnavailable
from bot import locale

logger = logging.getLogger(__name__)

Frame = Dict[str, Any]
FIRST_RETRY_SECONDS = 0.5
CLAIM_POLL_SECONDS = 0.5
MAX_RETRY_SECONDS = 8.0


class Subscriber(Protocol):
    """A connection that wants the frames of a conversation."""

    def post(self, frame: Frame) -> None:
        """Queue one frame for sending; never blocks."""


@dataclass
class UserMessage:
    """A user message accepted by the gateway and not yet answered."""

    id: str
    text: str
    language: str
    metadata: Dict[str, Any]
    may_be_known: bool = False
    accepted_at: float = field(default_factory=time.monotonic)
    accepted_wall: float = field(default_factory=time.time)


class ConversationRelay:
    """The ordered queue of one conversation and the connections that follow it."""

    def __init__(self, conversation_id: str, relay: "Relay") -> None:
        self.conversation_id = conversation_id
        self.relay = relay
        self.subscribers: Set[Subscriber] = set()
        self._queue: Deque[UserMessage] = deque()
        self._ids: Set[str] = set()
        self._task: Optional["asyncio.Task[None]"] = None
        self.typing = False

    @property
    def idle(self) -> bool:
        """No connection follows it and nothing waits."""
        return not self.subscribers and not self._queue

    def submit(self, message: UserMessage) -> bool:
        """Queue `message`; False if a message with its id is already waiting here."""
        if message.id in self._ids:
            return False
        self._ids.add(message.id)
        self._queue.append(message)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._work())
        return True

    def broadcast(self, frame: Frame) -> None:
        """Send `frame` to every connection of this conversation."""
        for subscriber in list(self.subscribers):
            subscriber.post(frame)

    def _set_typing(self, on: bool) -> None:
        if self.typing != on:
            self.typing = on
            self.broadcast({"type": "typing", "on": on})

    async def _work(self) -> None:
        try:
            while self._queue:
                message = self._queue[0]
                try:
                    await self._deliver(message)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a bug must not stop the conversation's queue
                    logger.exception("message %s of %s failed", message.id, self.conversation_id)
                    self._failed(message)
                finally:
                    self._queue.popleft()
                    self._ids.discard(message.id)
        finally:
            self._set_typing(False)
            self.relay.forget_if_idle(self)

    async def _deliver(self, message: UserMessage) -> None:
        settings = self.relay.settings
        delay = FIRST_RETRY_SECONDS
        told = False
        self._set_typing(True)
        while True:
            sent_at = time.monotonic()
            try:
                user, replies = await self._attempt(message)
            except RasaUnavailable as exc:
                message.may_be_known = True  # a timeout or an error may come after Rasa logged it
                left = message.accepted_at + settings.rasa_retry_seconds - time.monotonic()
                logger.warning("message %s of %s not processed yet (%s)", message.id, self.conversation_id, exc)
                if left <= 0:
                    self._failed(message)
                    return
                if not told:
                    told = True
                    self._set_typing(False)
                    self.broadcast(_notice("delayed", "error_delayed", message))
                await asyncio.sleep(min(delay, left))
                delay = min(delay * 2, MAX_RETRY_SECONDS)
                continue
            reply: Frame = {"type": "reply", "id": message.id, "user": user, "messages": replies}
            language = await self._language(sent_at)
            if language:
                reply["language"] = language
            self._set_typing(False)
            self.broadcast(reply)
            return

    async def _known(self, message: UserMessage) -> Optional[Tuple[transcript.Entry, List[transcript.Entry]]]:
        """The message and its answers when the tracker has them."""
        known = transcript.replies_to(await self.relay.rasa.events(self.conversation_id), message.id)
        if known:
            self.relay.quick_replies.remember(self.conversation_id, known[1])
        return known

    async def _attempt(self, message: UserMessage) -> Tuple[transcript.Entry, List[transcript.Entry]]:
        rasa = self.relay.rasa
        claims = self.relay.claims
        known = await self._known(message) if message.may_be_known else None
        while known is None and claims is not None and not await claims.take(self.conversation_id, message.id):
            await asyncio.sleep(CLAIM_POLL_SECONDS)  # another instance delivers it: its answer comes to the tracker
            known = await self._known(message)
        if known:
            return known
        accepted = inbound.Accepted(self.conversation_id, message.text, message.metadata)
        try:
            delivered = await inbound.deliver(rasa, self.relay.database, self.relay.quick_replies, accepted,
                                              partial(rasa.events, self.conversation_id))
        finally:
            if claims is not None:
                await claims.release(self.conversation_id, message.id)
        user = {"who": "user", "id": message.id, "text": delivered.shown, "time": message.accepted_wall}
        return user, delivered.replies

    async def _language(self, sent_at: float) -> Optional[str]:
        """The conversation's language after an answer: the language this process's NLG wrote the
        answer in, else Rasa's language slot (None when Rasa does not say)."""
        noted = self.relay.answer_languages.since(self.conversation_id, sent_at)
        if noted:
            return noted
        try:
            tracker = await self.relay.rasa.tracker(self.conversation_id, "NONE")  # slots, no events
        except RasaUnavailable:
            return None
        return greeting.slot_language(tracker.get("slots"))

    def _failed(self, message: UserMessage) -> None:
        self.broadcast(_notice("failed", "error_not_processed", message))


def _notice(kind: str, code: str, message: UserMessage) -> Frame:
    return {"type": kind, "id": message.id, "code": code, "message": locale.text(message.language, f"chat.{code}")}


class Relay:
    """The conversations of this web app process."""

    def __init__(
        self, session: aiohttp.ClientSession, settings: Settings, database: "sessionmaker[AsyncSession]",
        quick_replies: Optional[QuickReplies] = None, answer_languages: Optional[AnswerLanguages] = None,
        claims: Optional[MessageClaims] = None,
    ) -> None:
        self.settings = settings
        self.claims = claims  # several instances: who delivers which message (bot/web/claims.py)
        self.answer_languages = answer_languages or AnswerLanguages()
        self.database = database  # the web app's (contact drafts)
        self.rasa = RasaClient(session, settings)
        self.quick_replies = quick_replies or QuickReplies()
        self._conversations: Dict[str, ConversationRelay] = {}

    def join(self, conversation_id: str, subscriber: Subscriber) -> ConversationRelay:
        """Follow a conversation's frames."""
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            conversation = self._conversations[conversation_id] = ConversationRelay(conversation_id, self)
        conversation.subscribers.add(subscriber)
        return conversation

    def leave(self, conversation: ConversationRelay, subscriber: Subscriber) -> None:
        """Stop following; the conversation's waiting messages are still delivered to Rasa."""
        conversation.subscribers.discard(subscriber)
        self.forget_if_idle(conversation)

    def forget_if_idle(self, conversation: ConversationRelay) -> None:
        """Drop a conversation nobody follows and nothing waits in."""
        if conversation.idle and self._conversations.get(conversation.conversation_id) is conversation:
            del self._conversations[conversation.conversation_id]

    def __len__(self) -> int:
        return len(self._conversations)

    async def close(self) -> None:
        """Stop every queue (their messages stay in the widgets' outboxes and are resent)."""
        tasks = [c._task for c in self._conversations.values() if c._task and not c._task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._conversations.clear()
