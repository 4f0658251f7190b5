"""Every interface text, from data/locale/<language>.yml, looked up one way.

A language file holds groups of texts ("page", "chat", "widget", "demo", "console",
"catalog", "handoff", "questions", "language"); a text is named "group.key". The files
are read once per process. An unknown language falls back to the configured default
language (bot.language.language_or_default); a key missing in a language is an error,
not silently replaced (tests/test_locale.py checks that every file has the same keys
and placeholders). The assistant's answers are not here: they live in data/responses/.

A text that shows a count comes in two forms, "key_one" for exactly one and "key_other" for
any other count ("1 keskustelu", "2 keskustelua"); `plural` picks the form and fills {count}.
Finnish, Swedish and English all use these two forms for whole numbers.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict, Mapping, Optional


from bot.yaml_files import read_mapping
from bot.config import LANGUAGES, PROJECT_ROOT
from bot.language import language_or_default

LOCALE_DIR = PROJECT_ROOT / "data" / "locale"
Groups = Dict[str, Dict[str, str]]  # group -> key -> text


class LocaleFileError(ValueError):
    """A locale file that cannot be used."""


def load_locale_file(path: Path) -> Groups:
    """One language's texts by group; every group is a mapping and every text a string."""
    data = read_mapping(path, LocaleFileError, "a mapping of groups")
    for group, entries in data.items():
        if not isinstance(group, str) or not isinstance(entries, dict) or not entries:
            raise LocaleFileError(f"{path}: group {group!r} must be a mapping of texts")
        for key, value in entries.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise LocaleFileError(f"{path}: {group}.{key} must be a text")
    return data


@functools.lru_cache(maxsize=1)
def tables() -> Mapping[str, Groups]:
    """Every language's texts, read once per process."""
    return {language: load_locale_file(LOCALE_DIR / f"{language}.yml") for language in LANGUAGES}


def text(language: Optional[str], key: str, **values: object) -> str:
    """The text `key` ("group.key") in `language`, with its {placeholders} filled from `values`."""
    group, _, name = key.partition(".")
    template = tables()[language_or_default(language)][group][name]
    return template.format(**values) if values else template


PLURAL_FORMS = ("one", "other")


def plural_form(count: int) -> str:
    """'one' for exactly 1, 'other' for 0, 2, 3... (the same rule in fi, sv and en)."""
    return "one" if count == 1 else "other"


def plural(language: Optional[str], key: str, count: int, **values: object) -> str:
    """The text `key` ("group.key", stored as key_one and key_other) in the form that fits
    `count`, with {count} and the other placeholders filled."""
    return text(language, f"{key}_{plural_form(count)}", count=count, **values)


def texts(language: Optional[str], *groups: str) -> Dict[str, str]:
    """The texts of `groups` in `language` in one new mapping, keyed without the group
    (what a template or a script gets: the console's `t`, the widget's texts)."""
    table = tables()[language_or_default(language)]
    found: Dict[str, str] = {}
    for group in groups:
        found.update(table[group])
    return found


def language_names() -> Dict[str, str]:
    """Each language's name in itself: {"fi": "Suomi", "sv": "Svenska", "en": "English"}."""
    return {language: text(language, "language.name") for language in LANGUAGES}
