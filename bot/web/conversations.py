"""Conversation ids handed out by the web app, signed so that unknown senders are refused."""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from typing import Optional

_ID = re.compile(r"^[0-9a-f]{32}$")


def _signature(secret: str, conversation_id: str) -> str:
    return hmac.new(secret.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()[:32]


def new_conversation_token(secret: str) -> str:
    """A token '<id>.<signature>' for a fresh conversation."""
    conversation_id = uuid.uuid4().hex
    return f"{conversation_id}.{_signature(secret, conversation_id)}"


def conversation_id_from_token(secret: str, token: object) -> Optional[str]:
    """The conversation id of a valid token, None for anything else."""
    if not isinstance(token, str) or token.count(".") != 1:
        return None
    conversation_id, signature = token.split(".")
    if not _ID.match(conversation_id):
        return None
    if not hmac.compare_digest(signature, _signature(secret, conversation_id)):
        return None
    return conversation_id
