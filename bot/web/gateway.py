"""The chat gateway: the widget's WebSocket (/ws) on the public web app.

Frames are JSON objects with a "type". The widget sends:

- hello {conversation: token|null, language, page_url}: join a conversation (a new one when the
  token is missing or not ours); answered by welcome {conversation, history, typing, reset,
  language, greeting}: `language` is the conversation's (its language slot, else the page's),
  `greeting` the assistant's opening entry, never sent to Rasa (bot/web/greeting.py).
- message {id, text, retry?}: one user message with a client-made id, checked as the chat API
  checks it (bot/web/inbound.py); answered by ack {id}, then by reply {id, user, messages,
  language?}, or by delayed/failed {id, code, message} when Rasa is down, or by error {id, code,
  message} when it is refused. A quick reply is sent as its payload; only a payload of the buttons
  the assistant just offered in this conversation reaches Rasa as an intent, and reply.user.text
  is then the button's own title (bot/web/quick_replies.py). A "title" field is ignored.
- new {language?}: start a new conversation (welcome again), in `language` when given. ping: pong.
- feedback {answer, helpful}: a thumb under an answer; answered by feedback {answer, counted}.

Anything else is answered by error {code: "error_malformed"} and the connection stays open.
Origins, message length and rate limits come from bot/config.py.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, AsyncIterator, Dict, List, Optional, Set, Tuple

from aiohttp import WSMsgType, web

from bot.insights import feedback
from bot.rasa import transcript
from bot.config import Settings
from bot.web.conversations import conversation_id_from_token, new_conversation_token
from bot.web import greeting
from bot.handoff.live import LiveCursor
from bot.language import normalise_language
from bot.web.keys import (
    ANSWER_LANGUAGES_KEY, DB_KEY, GATEWAY_KEY, HTTP_KEY, LIMITS_KEY, QUICK_REPLIES_KEY, REDIS_KEY, SECRET_KEY,
    SETTINGS_KEY,
)
from bot.web.claims import MessageClaims
from bot.web.limits import Limits, limits_context
from bot.web import inbound
from bot.web.origins import origin_allowed
from bot.rasa.client import RasaUnavailable
from bot.web.relay import ConversationRelay, Frame, Relay, UserMessage
from bot import locale

logger = logging.getLogger(__name__)

WS_PATH = "/ws"
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_QUEUED_FRAMES = 500
# Close code (application range) telling the widget to wait longer before reconnecting.
CLOSE_TOO_MANY_CONNECTIONS = 4008


class Gateway:
    """The state of the gateway in this process: relay, limits and open connections."""

    def __init__(self, relay: Relay, settings: Settings, secret: str, limits: Limits) -> None:
        self.relay = relay
        self.settings = settings
        self.token_lifetime = settings.conversation_token_hours * 3600  # seconds
        self.secret = secret
        self.limits = limits
        self.open: Set["Connection"] = set()


class Connection:
    """One widget's WebSocket: frames go out in order through one writer task."""

    def __init__(self, ws: web.WebSocketResponse, language: str, address: str) -> None:
        self.ws = ws
        self.language = language
        self.address = address
        self.page_url = ""
        self.conversation: Optional[ConversationRelay] = None
        self.live = LiveCursor()  # human handoff: what bot/handoff/live.py pushed to it
        self._held: Optional[List[Frame]] = None
        self._frames: "asyncio.Queue[Optional[Frame]]" = asyncio.Queue()
        self._writer = asyncio.create_task(self._write())

    def post(self, frame: Frame) -> None:
        """Queue `frame`; frames of the conversation wait while a welcome is being prepared."""
        if frame.get("type") == "reply" and frame.get("language"):
            self.language = frame["language"]  # the conversation's language changed
        if self._held is not None:
            self._held.append(frame)
        else:
            self._push(frame)

    def _push(self, frame: Optional[Frame]) -> None:
        if self._writer.done():
            return
        if self._frames.qsize() >= MAX_QUEUED_FRAMES:  # a client that does not read
            self._writer.cancel()
            asyncio.create_task(self.ws.close(code=1008, message=b"not reading"))
            return
        self._frames.put_nowait(frame)

    def hold(self) -> None:
        """Keep conversation frames back until `welcome` is sent."""
        self._held = []

    def welcome(self, frame: Frame) -> None:
        """Send `frame`, then whatever was held back."""
        held, self._held = self._held or [], None
        self._push(frame)
        for item in held:
            self._push(item)

    def error(self, code: str, message_id: Optional[str] = None, **values: object) -> None:
        """Queue an error frame in the connection's language."""
        frame: Frame = {"type": "error", "code": code, "message": locale.text(self.language, f"chat.{code}", **values)}
        if message_id:
            frame["id"] = message_id
        self._push(frame)

    def refuse(self, refusal: inbound.Refusal, message_id: str) -> None:
        """Queue the error frame of a refused message."""
        self.error(refusal.code, message_id, **refusal.values)

    async def _write(self) -> None:
        while True:
            frame = await self._frames.get()
            if frame is None or self.ws.closed:
                return
            try:
                await self.ws.send_str(json.dumps(frame, ensure_ascii=False))
            except (ConnectionError, RuntimeError):
                return

    async def finish(self) -> None:
        """Stop the writer after what is queued (bounded), or at once."""
        self._push(None)
        try:
            await asyncio.wait_for(asyncio.shield(self._writer), 2)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            self._writer.cancel()


async def handle_ws(request: web.Request) -> web.StreamResponse:
    """GET /ws: the widget's WebSocket."""
    gateway = request.app[GATEWAY_KEY]
    settings = gateway.settings
    if not origin_allowed(request.headers.get("Origin"), settings):
        raise web.HTTPForbidden(text="origin not allowed")
    language = normalise_language(request.query.get("lang")) or settings.default_language
    # No per-message compression: chat frames are small and deflate would cost more than it saves.
    ws = web.WebSocketResponse(
        heartbeat=30, compress=False, max_msg_size=max(64 * 1024, settings.max_message_chars * 8)
    )
    await ws.prepare(request)
    address = gateway.limits.address(request)
    lease = await gateway.limits.open_connection(address)
    if lease is None:
        await ws.send_str(json.dumps({
            "type": "error", "code": "error_too_many_connections",
            "message": locale.text(language, "chat.error_too_many_connections"),
        }, ensure_ascii=False))
        await ws.close(code=CLOSE_TOO_MANY_CONNECTIONS, message=b"too many connections")
        return ws
    connection = Connection(ws, language, address)
    gateway.open.add(connection)
    try:
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                try:
                    await _handle_frame(gateway, connection, frame.data)
                except Exception:  # a bug must not end the connection
                    logger.exception("frame from %s not handled", connection.address)
                    connection.error("error_unavailable")
            elif frame.type == WSMsgType.BINARY:
                connection.error("error_malformed")
    finally:
        gateway.open.discard(connection)
        await gateway.limits.close_connection(address, lease)
        if connection.conversation:
            gateway.relay.leave(connection.conversation, connection)
        await connection.finish()
    return ws


async def _handle_frame(gateway: Gateway, connection: Connection, data: str) -> None:
    try:
        frame = json.loads(data)
    except ValueError:
        frame = None
    kind = frame.get("type") if isinstance(frame, dict) else None
    if kind == "message":
        await _handle_message(gateway, connection, frame)
    elif kind == "hello":
        await _handle_hello(gateway, connection, frame)
    elif kind == "new":
        connection.language = normalise_language(frame.get("language")) or connection.language
        await _join(gateway, connection, None)
    elif kind == "ping":
        connection.post({"type": "pong"})
    elif kind == "feedback":  # bot/insights/feedback.py
        found = connection.conversation.conversation_id if connection.conversation else None
        answer = await feedback.vote_frame(gateway.relay.database, gateway.secret, gateway.settings.responses_dir,
                                           found, connection.language, frame, gateway.limits, connection.address)
        connection.post(answer) if answer else connection.error("error_malformed")
    else:
        connection.error("error_malformed")


async def _handle_hello(gateway: Gateway, connection: Connection, frame: Dict[str, Any]) -> None:
    connection.language = normalise_language(frame.get("language")) or connection.language
    page_url = frame.get("page_url")
    if isinstance(page_url, str) and len(page_url) <= inbound.MAX_PAGE_URL_CHARS:
        connection.page_url = page_url
    await _join(gateway, connection, frame.get("conversation"))


async def _join(gateway: Gateway, connection: Connection, token: object) -> None:
    """Follow the conversation of `token` (a new one if it is not valid) and send its history."""
    if not await gateway.limits.allow_join(connection.address):
        connection.error("error_rate_limited")
        return
    conversation_id = conversation_id_from_token(gateway.secret, token, gateway.token_lifetime)
    fresh = conversation_id is None
    reset = fresh and token is not None
    token = new_conversation_token(gateway.secret, conversation_id)  # renewed at every visit
    conversation_id = conversation_id or token.split(".")[0]
    if connection.conversation:
        gateway.relay.leave(connection.conversation, connection)
    connection.hold()
    connection.live.hold()  # human handoff: no live pushes until this history is sent
    connection.conversation = gateway.relay.join(conversation_id, connection)
    history, language = ([], None) if fresh else await _history(gateway, conversation_id)
    connection.language = language or connection.language
    opening = greeting.greeting(gateway.settings.responses_dir, connection.language)
    if history is not None:  # the greeting's topics are offered until the first user message
        gateway.relay.quick_replies.remember(conversation_id, [opening, *history])
    connection.welcome({
        "type": "welcome", "conversation": token, "history": history, "typing": connection.conversation.typing,
        "reset": reset, "language": connection.language, "greeting": opening,
    })
    connection.live.follow(history)  # human handoff: push adviser messages after it
    if history is None:
        connection.error("error_history_unavailable")


async def _history(gateway: Gateway, conversation_id: str) -> Tuple[Optional[List[transcript.Entry]], Optional[str]]:
    """The conversation's entries and language (None, None when Rasa does not answer)."""
    try:
        tracker_events = await gateway.relay.rasa.events(conversation_id)
    except RasaUnavailable as exc:
        logger.warning("history of %s unavailable: %s", conversation_id, exc)
        return None, None
    return transcript.history(tracker_events), greeting.events_language(tracker_events)


async def _handle_message(gateway: Gateway, connection: Connection, frame: Dict[str, Any]) -> None:
    message_id = frame.get("id")
    if not isinstance(message_id, str) or not MESSAGE_ID.match(message_id):
        connection.error("error_malformed")
        return
    conversation = connection.conversation
    message = await inbound.accept(
        conversation_id=conversation.conversation_id if conversation else None, text=frame.get("text"),
        language=connection.language, max_chars=gateway.settings.max_message_chars, limits=gateway.limits,
        address=connection.address, page=connection.page_url, message_id=message_id,
    )
    if isinstance(message, inbound.Refusal):
        connection.refuse(message, message_id)
        return
    assert conversation is not None  # accepted: the connection follows a conversation
    conversation.submit(UserMessage(
        id=message_id, text=message.text, language=connection.language,
        metadata=message.metadata, may_be_known=frame.get("retry") is True,
    ))
    connection.post({"type": "ack", "id": message_id})


async def _gateway_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS_KEY]
    claims = MessageClaims.of_settings(app.get(REDIS_KEY), settings)
    relay = Relay(app[HTTP_KEY], settings, app[DB_KEY], app[QUICK_REPLIES_KEY], app[ANSWER_LANGUAGES_KEY], claims)
    gateway = Gateway(relay, settings, app[SECRET_KEY], app[LIMITS_KEY])
    app[GATEWAY_KEY] = gateway
    greeting.preload(settings.responses_dir)
    yield
    await gateway.relay.close()


async def _close_connections(app: web.Application) -> None:
    for connection in list(app[GATEWAY_KEY].open):
        await connection.ws.close(code=1001, message=b"server shutdown")


def setup(app: web.Application) -> None:
    """Add the gateway to the public app (after its HTTP session, database and Redis contexts)."""
    app.cleanup_ctx.append(limits_context)
    app.cleanup_ctx.append(_gateway_context)
    app.on_shutdown.append(_close_connections)
    app.router.add_get(WS_PATH, handle_ws)
