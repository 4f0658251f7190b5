"""Texts of the adviser console in Finnish, Swedish and English (the adviser's choice)."""
from __future__ import annotations

from typing import Dict

from bot.console.texts_en import EN
from bot.console.texts_fi import FI
from bot.console.texts_sv import SV

CONSOLE_TEXT: Dict[str, Dict[str, str]] = {"fi": FI, "sv": SV, "en": EN}
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def texts(language: str) -> Dict[str, str]:
    """The console texts of `language` (Finnish for an unknown one)."""
    return CONSOLE_TEXT.get(language, FI)


def text(language: str, key: str, **values: object) -> str:
    """One console text, with {placeholders} filled."""
    template = texts(language)[key]
    return template.format(**values) if values else template
