"""The web app's calls to Rasa's HTTP API for the handoff (token auth, loopback only)."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import quote

import aiohttp

from bot.config import Settings
from bot.rasa.client import RasaUnavailable, fetch_tracker_events, request_json

__all__ = ["FOLLOW_UPS", "RasaUnavailable", "append_bot_message", "execute", "fetch_events", "follow_up", "hand_back",
           "resume"]

# What the assistant says when a handoff ends: answers run through Rasa's /execute, so
# they are written to the tracker in the conversation's language (NLG endpoint) and the
# dialogue continues from them (the rules answer the rating and the contact request offer).
FOLLOW_UPS: Dict[str, Tuple[str, ...]] = {
    "handoff_finished": ("utter_ask_rating",),
    "handoff_closed": ("utter_handoff_closed", "utter_ask_rating"),
    "handoff_timeout": ("utter_handoff_timeout", "utter_offer_contact_request"),
}


def _url(settings: Settings, conversation_id: str, tail: str) -> str:
    return f"{settings.rasa_url}/conversations/{quote(conversation_id, safe='')}/{tail}"


async def _request(
    http: aiohttp.ClientSession, method: str, url: str, settings: Settings,
    payload: Any = None, params: Optional[Mapping[str, str]] = None,
) -> Any:
    query = {"token": settings.rasa_token, **(params or {})}
    return await request_json(http, method, url, settings.rasa_timeout_seconds, params=query, payload=payload)


async def fetch_events(http: aiohttp.ClientSession, settings: Settings, conversation_id: str) -> List[Dict[str, Any]]:
    """Every event of the conversation, oldest first (the whole tracker, all sessions)."""
    return await fetch_tracker_events(
        http, settings.rasa_url, settings.rasa_token, conversation_id, settings.rasa_timeout_seconds, "ALL"
    )


async def append_bot_message(
    http: aiohttp.ClientSession, settings: Settings, conversation_id: str, text: str, metadata: Mapping[str, Any]
) -> None:
    """Write a message of an adviser to the tracker as a bot event marked with the adviser."""
    await _request(
        http, "POST", _url(settings, conversation_id, "tracker/events"), settings,
        payload={"event": "bot", "text": text, "metadata": dict(metadata)},
    )


async def resume(http: aiohttp.ClientSession, settings: Settings, conversation_id: str) -> None:
    """Append ConversationResumed: Rasa predicts again."""
    await _request(http, "POST", _url(settings, conversation_id, "tracker/events"), settings, payload={"event": "resume"})


async def execute(http: aiohttp.ClientSession, settings: Settings, conversation_id: str, action: str) -> None:
    """Run one action of the assistant in the conversation (its answers land in the tracker)."""
    await _request(http, "POST", _url(settings, conversation_id, "execute"), settings, payload={"name": action})


async def follow_up(http: aiohttp.ClientSession, settings: Settings, conversation_id: str, name: str) -> None:
    """Run the answers of FOLLOW_UPS[name] in order, then wait for the user as Rasa would."""
    for action in FOLLOW_UPS[name]:
        await execute(http, settings, conversation_id, action)
    # /execute predicts nothing after the action: without the listen the rules would not
    # recognise the user's answer (the rating, the reply to the contact request offer).
    await _request(
        http, "POST", _url(settings, conversation_id, "tracker/events"), settings,
        payload={"event": "action", "name": "action_listen"},
    )


async def hand_back(http: aiohttp.ClientSession, settings: Settings, conversation_id: str, intent: str) -> None:
    """Resume the conversation, then run the follow-up `intent` names (see FOLLOW_UPS).

    If that fails the conversation is paused again (best effort), so that Rasa does
    not answer a conversation the adviser still holds.
    """
    await resume(http, settings, conversation_id)
    try:
        await follow_up(http, settings, conversation_id, intent)
    except RasaUnavailable:
        try:
            await _request(http, "POST", _url(settings, conversation_id, "tracker/events"), settings,
                           payload={"event": "pause"})
        except RasaUnavailable:
            pass
        raise
