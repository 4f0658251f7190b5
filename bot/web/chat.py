"""The chat API of the public web app: start a conversation, send a message.

POST /api/messages {conversation, text, language?, page_url?} answers {conversation, user: {text},
messages}: `conversation` is the same conversation's token renewed (bot/web/conversations.py).
A quick reply is sent as its payload; only a payload of the buttons the assistant just
offered in the conversation reaches Rasa as an intent, and user.text is then the button's
own title (bot/web/quick_replies.py). The checks and the way to Rasa are those of the
WebSocket too: bot/web/inbound.py.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List

from aiohttp import web

from bot.web.conversations import conversation_id_from_token, new_conversation_token
from bot.language import normalise_language
from bot.web import inbound
from bot.web.keys import DB_KEY, HTTP_KEY, LIMITS_KEY, QUICK_REPLIES_KEY, SECRET_KEY, SETTINGS_KEY
from bot.rasa.client import RasaClient, RasaUnavailable
from bot.rasa import transcript

logger = logging.getLogger(__name__)


def _refused(refusal: inbound.Refusal, language: str) -> web.Response:
    """The JSON error answer of `refusal`, in `language`."""
    return web.json_response(
        {"error": refusal.code, "message": refusal.message(language)}, status=refusal.status
    )


def _outgoing(entries: List[transcript.Entry]) -> List[Dict[str, Any]]:
    """Only what the page shows of the answers: text, quick replies, and an answer's name and
    links (its thumbs and /go/ links, bot/insights/)."""
    return [{key: entry[key] for key in ("text", "buttons", "answer", "links") if key in entry} for entry in entries]


async def start_conversation(request: web.Request) -> web.Response:
    """POST /api/conversations: a new signed conversation token."""
    return web.json_response({"conversation": new_conversation_token(request.app[SECRET_KEY])}, status=201)


async def post_message(request: web.Request) -> web.Response:
    """POST /api/messages: forward one user message to Rasa and return the answers."""
    settings = request.app[SETTINGS_KEY]
    language = normalise_language(request.query.get("lang")) or settings.default_language
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _refused(inbound.too_long(settings.max_message_chars), language)
    except ValueError:
        return _refused(inbound.MALFORMED, language)
    if not isinstance(body, dict):
        return _refused(inbound.MALFORMED, language)
    language = normalise_language(body.get("language")) or language
    limits = request.app.get(LIMITS_KEY)
    message = await inbound.accept(
        conversation_id=conversation_id_from_token(
            request.app[SECRET_KEY], body.get("conversation"), settings.conversation_token_hours * 3600
        ),
        text=body.get("text"), language=language, max_chars=settings.max_message_chars,
        limits=limits, address=limits.address(request) if limits else "", page=inbound.page_url(body.get("page_url")),
    )
    if isinstance(message, inbound.Refusal):
        return _refused(message, language)
    rasa = RasaClient(request.app[HTTP_KEY], settings)
    try:
        delivered = await inbound.deliver(rasa, request.app[DB_KEY], request.app[QUICK_REPLIES_KEY], message)
    except RasaUnavailable as exc:
        logger.warning("message of %s not processed: %s", message.conversation_id, exc)
        return _refused(inbound.UNAVAILABLE, language)
    renewed = new_conversation_token(request.app[SECRET_KEY], message.conversation_id)  # the lifetime starts again
    return web.json_response({
        "conversation": renewed, "user": {"text": delivered.shown}, "messages": _outgoing(delivered.replies),
    })
