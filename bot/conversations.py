"""Conversation ids handed out by the web app, signed so that unknown senders are refused."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from pathlib import Path
from typing import Optional

_ID = re.compile(r"^[0-9a-f]{32}$")


def load_or_create_secret(configured: str, path: Path) -> str:
    """The signing secret: the configured one, else one kept in `path` (made on first start)."""
    if configured:
        return configured
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_hex(32)
        path.write_text(secret, encoding="ascii")
        path.chmod(0o600)
        return secret


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
