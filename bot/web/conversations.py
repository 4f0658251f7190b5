"""Conversation tokens handed out by the web app: signed, so that unknown senders are refused,
and dated, so that a token left behind on a shared computer stops opening the conversation.

A token is '<id>.<issued>.<signature>': the conversation id (32 hex digits), the Unix time it
was issued (hex) and an HMAC of both with BOT_SECRET_KEY. It is valid for
BOT_CONVERSATION_TOKEN_HOURS after it was issued; every use renews it (the widget's welcome and
each answer of the chat API carry a fresh token of the same conversation), so the lifetime
counts from the company's last visit, not from the first message.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid
from typing import Optional

_ID = re.compile(r"^[0-9a-f]{32}$")
_ISSUED = re.compile(r"^[0-9a-f]{1,12}$")


def _signature(secret: str, conversation_id: str, issued: str) -> str:
    return hmac.new(secret.encode(), f"{conversation_id}.{issued}".encode(), hashlib.sha256).hexdigest()[:32]


def new_conversation_token(secret: str, conversation_id: Optional[str] = None, now: Optional[float] = None) -> str:
    """A token for `conversation_id` (a fresh conversation when None), issued `now`."""
    conversation_id = conversation_id or uuid.uuid4().hex
    issued = format(int(time.time() if now is None else now), "x")
    return f"{conversation_id}.{issued}.{_signature(secret, conversation_id, issued)}"


def conversation_id_from_token(
    secret: str, token: object, max_age_seconds: float, now: Optional[float] = None
) -> Optional[str]:
    """The conversation id of a valid token not older than `max_age_seconds`, None for anything else."""
    if not isinstance(token, str) or token.count(".") != 2:
        return None
    conversation_id, issued, signature = token.split(".")
    if not _ID.match(conversation_id) or not _ISSUED.match(issued):
        return None
    if not hmac.compare_digest(signature, _signature(secret, conversation_id, issued)):
        return None
    age = (time.time() if now is None else now) - int(issued, 16)
    if not -60 <= age <= max_age_seconds:  # a minute of clock skew between instances
        return None
    return conversation_id
