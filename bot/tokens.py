"""The shared secrets of the three processes: configured, or made once and kept under var/."""
from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

from bot.config import Settings


def load_or_create_secret(configured: str, path: Path) -> str:
    """`configured` if set, else the secret kept in `path` (made on first use, readable by the owner only)."""
    if configured:
        return configured
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_hex(32)
        # O_EXCL: two processes starting at once keep one secret, never a half-written file.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret)
        return secret


def with_tokens(settings: Settings) -> Settings:
    """`settings` with the Rasa, NLG and action tokens filled in (never a fixed default)."""
    var = settings.project_root / "var"
    return dataclasses.replace(
        settings,
        rasa_token=load_or_create_secret(settings.rasa_token, var / "rasa.token"),
        nlg_token=load_or_create_secret(settings.nlg_token, var / "nlg.token"),
        action_token=load_or_create_secret(settings.action_token, var / "action.token"),
    )
