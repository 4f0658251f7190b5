"""Every interface text, from data/locale/<language>.yml, looked up one way.

The files hold groups of texts ("page", "chat", "widget", "demo", "console", "catalog",
"handoff", "questions", "language"); a text is named "group.key". They are read once per
process. An unknown language falls back to the configured default language
(BOT_DEFAULT_LANGUAGE); a key missing in a language is an error, not silently replaced
(tests/test_locale.py checks that every file has the same keys and placeholders).
The assistant's answers are not here: they live in data/responses/.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict, Mapping, Optional

import yaml

from bot.config import LANGUAGES, PROJECT_ROOT, load_settings

LOCALE_DIR = PROJECT_ROOT / "data" / "locale"
Table = Dict[str, str]  # "group.key" -> text


class LocaleFileError(ValueError):
    """A locale file that cannot be used."""


def load_locale_file(path: Path) -> Table:
    """One language's texts, flattened to {"group.key": text}; every text must be a string."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LocaleFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise LocaleFileError(f"{path}: expected a mapping of groups")
    table: Table = {}
    for group, entries in data.items():
        if not isinstance(group, str) or not isinstance(entries, dict):
            raise LocaleFileError(f"{path}: group {group!r} must be a mapping of texts")
        for key, value in entries.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise LocaleFileError(f"{path}: {group}.{key} must be a text")
            table[f"{group}.{key}"] = value
    return table


@functools.lru_cache(maxsize=1)
def tables() -> Mapping[str, Table]:
    """Every language's texts, read once per process."""
    return {language: load_locale_file(LOCALE_DIR / f"{language}.yml") for language in LANGUAGES}


def resolve_language(language: Optional[str]) -> str:
    """`language` when it is one of LANGUAGES, else the configured default language."""
    return language if language in LANGUAGES else load_settings().default_language  # type: ignore[return-value]


def text(language: Optional[str], key: str, **values: object) -> str:
    """The text `key` ("group.key") in `language`, with its {placeholders} filled from `values`."""
    template = tables()[resolve_language(language)][key]
    return template.format(**values) if values else template


def texts(language: Optional[str], *groups: str) -> Dict[str, str]:
    """The texts of `groups` in `language`, keyed without the group prefix (for templates and JS)."""
    table = tables()[resolve_language(language)]
    found: Dict[str, str] = {}
    for group in groups:
        prefix = f"{group}."
        selected = {key[len(prefix):]: value for key, value in table.items() if key.startswith(prefix)}
        if not selected:
            raise KeyError(f"no locale group {group!r}")
        found.update(selected)
    return found


def language_names() -> Dict[str, str]:
    """Each language's name in itself: {"fi": "Suomi", "sv": "Svenska", "en": "English"}."""
    return {language: text(language, "language.name") for language in LANGUAGES}
