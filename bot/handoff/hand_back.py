"""Ending a handoff in Rasa: the assistant resumes and says what follows (a rating question, ...).

The answers run through Rasa's /execute, so they are written to the tracker in the
conversation's language (NLG endpoint) and the dialogue continues from them (the rules
answer the rating and the contact request offer). The widget gets them as live pushes
(bot/handoff/live.py).
"""
from __future__ import annotations

from typing import Dict, Tuple

from bot.rasa.client import RasaClient, RasaUnavailable

# What the assistant says when a handoff ends, by how it ended.
FOLLOW_UPS: Dict[str, Tuple[str, ...]] = {
    "handoff_finished": ("utter_ask_rating",),
    "handoff_closed": ("utter_handoff_closed", "utter_ask_rating"),
    "handoff_timeout": ("utter_handoff_timeout", "utter_offer_contact_request"),
}


async def _follow_up(rasa: RasaClient, conversation_id: str, name: str) -> None:
    for action in FOLLOW_UPS[name]:
        await rasa.execute(conversation_id, action)
    # /execute predicts nothing after the action: without the listen the rules would not
    # recognise the user's answer (the rating, the reply to the contact request offer).
    await rasa.listen(conversation_id)


async def hand_back(rasa: RasaClient, conversation_id: str, name: str) -> None:
    """Resume the conversation, then run the follow-up `name` (a key of FOLLOW_UPS).

    If that fails the conversation is paused again (best effort), so that Rasa does
    not answer a conversation the adviser still holds; RasaUnavailable is raised.
    """
    await rasa.resume(conversation_id)
    try:
        await _follow_up(rasa, conversation_id, name)
    except RasaUnavailable:
        try:
            await rasa.pause(conversation_id)
        except RasaUnavailable:
            pass
        raise
