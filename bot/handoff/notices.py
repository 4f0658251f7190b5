"""What the widget shows the company when an adviser joins (in the conversation's language)."""
from __future__ import annotations

from bot import locale
from bot.rasa.events import ADVISER_KEY


def adviser_joined(language: str, name: str) -> str:
    """'Adviser Anna has joined the conversation.' in `language` (the default language when unknown)."""
    return locale.text(language, "handoff.adviser_joined", name=name)


def adviser_metadata(adviser_id: int, name: str, notice: str = "") -> dict:
    """The metadata that marks a bot event as written by an adviser."""
    metadata = {ADVISER_KEY: name, "adviser_id": adviser_id}
    if notice:
        metadata["notice"] = notice
    return metadata
