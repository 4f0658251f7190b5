"""The chat API of the public web app: start a conversation, send a message.

POST /api/messages {conversation, text, language?, page_url?} answers {user: {text}, messages}.
A quick reply is sent as its payload; only a payload of the buttons the assistant just
offered in the conversation reaches Rasa as an intent, and user.text is then the button's
own title (bot/web/quick_replies.py).
"""
from __future__ import annotations

import logging
from functools import partial
from typing import Any, Dict, List, Mapping

from aiohttp import web

from bot.web.conversations import conversation_id_from_token, new_conversation_token
from bot.handoff.contact_drafts import text_for_rasa
from bot.language import normalise_language
from bot.web.keys import DB_KEY, HTTP_KEY, LIMITS_KEY, QUICK_REPLIES_KEY, SECRET_KEY, SETTINGS_KEY
from bot.web.quick_replies import outgoing_metadata
from bot.rasa.client import RasaClient, RasaUnavailable
from bot.rasa.events import parse_buttons
from bot.rasa.transcript import from_answers
from bot import locale

logger = logging.getLogger(__name__)


def _error(status: int, code: str, language: str, **values: object) -> web.Response:
    return web.json_response(
        {"error": code, "message": locale.text(language, f"chat.{code}", **values)}, status=status
    )


def _outgoing(messages: List[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Only the parts of Rasa's messages the page shows: text and quick replies."""
    shown: List[Dict[str, Any]] = []
    for message in messages:
        text = message.get("text")
        buttons = parse_buttons(message.get("buttons"))
        if isinstance(text, str) or buttons:
            shown.append({"text": text if isinstance(text, str) else "", "buttons": buttons})
    return shown


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
        return _error(413, "error_too_long", language, limit=settings.max_message_chars)
    except ValueError:
        return _error(400, "error_malformed", language)
    if not isinstance(body, dict):
        return _error(400, "error_malformed", language)
    language = normalise_language(body.get("language")) or language
    sender = conversation_id_from_token(request.app[SECRET_KEY], body.get("conversation"))
    if sender is None:
        return _error(403, "error_unknown_conversation", language)
    text = body.get("text")
    if not isinstance(text, str):
        return _error(400, "error_malformed", language)
    text = text.strip()
    if not text:
        return _error(422, "error_empty", language)
    if len(text) > settings.max_message_chars:
        return _error(413, "error_too_long", language, limit=settings.max_message_chars)
    limits = request.app.get(LIMITS_KEY)
    if limits and not limits.allow_message(sender, limits.address(request)):
        return _error(429, "error_rate_limited", language)
    metadata = {"language": language}
    page_url = body.get("page_url")
    if isinstance(page_url, str) and len(page_url) <= 2000:
        metadata["page_url"] = page_url
    rasa = RasaClient(request.app[HTTP_KEY], settings)
    quick_replies = request.app[QUICK_REPLIES_KEY]
    try:
        text = await text_for_rasa(rasa, sender, text, request.app[DB_KEY])  # personal data masked
        outgoing = await quick_replies.resolve(sender, text, partial(rasa.events, sender))
        answers = await rasa.send_message(sender, outgoing.text, outgoing_metadata(metadata, outgoing))
    except RasaUnavailable as exc:
        logger.warning("message of %s not processed: %s", sender, exc)
        return _error(503, "error_unavailable", language)
    quick_replies.remember(sender, from_answers(answers, 0.0))
    return web.json_response({"user": {"text": outgoing.shown}, "messages": _outgoing(answers)})
