"""The interface texts (data/locale/*.yml, bot/locale.py): complete in every language, every
key the code, the templates and the scripts use exists, one fallback rule."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import Dict, Iterator, Set, Tuple

import pytest

from bot import locale
from bot.config import LANGUAGES
from bot.console.queue_view import KNOWN_REASONS
from bot.handoff.models import KIND_CONTACT, KIND_LIVE, RATED_ONLY, ROLES, STATUSES
from bot.handoff.privacy import SELECTORS
from bot.web.page import PAGE_GROUPS
from bot.web.widget import WIDGET_GROUPS

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
GROUPS = ("language", "page", "chat", "widget", "demo", "console", "console_intents", "console_actions", "catalog", "handoff", "questions",
          "insights", "feedback", "studio")


def flat(language: str) -> Dict[str, str]:
    """{"group.key": text} of one language file."""
    return {f"{group}.{key}": value for group, entries in locale.tables()[language].items()
            for key, value in entries.items()}


def placeholders(template: str) -> Set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def python_files() -> Iterator[Path]:
    yield from sorted(BOT.rglob("*.py"))
    yield from sorted((ROOT / "actions").rglob("*.py"))


def used_keys() -> Iterator[Tuple[Path, str]]:
    """The key argument of every locale.text(language, key) call in bot/ and actions/: a
    literal ("chat.send"), each branch of a conditional, or the literal start of an f-string
    ("console.kind_" of f"console.kind_{kind}", checked as a prefix)."""
    def keys(node: ast.expr) -> Iterator[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.IfExp):
            yield from keys(node.body)
            yield from keys(node.orelse)
        elif isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
            yield f"{node.values[0].value}*"
        else:
            raise AssertionError(f"a key the test cannot read: {ast.dump(node)}")

    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "text"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "locale"):
                for key in keys(node.args[1]):
                    yield path, key


def test_files_are_in_data_locale_beside_the_answers():
    assert locale.LOCALE_DIR == ROOT / "data" / "locale"
    assert sorted(p.name for p in locale.LOCALE_DIR.glob("*.yml")) == sorted(f"{code}.yml" for code in LANGUAGES)


def test_every_language_has_the_same_groups_keys_and_placeholders():
    reference = flat("fi")
    assert set(locale.tables()["fi"]) == set(GROUPS)
    for language in LANGUAGES:
        table = flat(language)
        assert sorted(set(reference) ^ set(table)) == [], language
        for key, value in table.items():
            assert value.strip(), f"{language}: {key} is empty"
            assert placeholders(value) == placeholders(reference[key]), f"{language}: {key}"


def test_no_console_key_shadows_a_dict_method():
    # A template writes t.clear; a key named like a dict method would be the method instead.
    assert [key for key in locale.tables()["en"]["console"] if hasattr(dict, key)] == []


def test_read_once_per_process():
    assert locale.tables() is locale.tables()


def test_text_fills_placeholders_in_the_language_asked():
    assert locale.text("sv", "chat.error_too_long", limit=5) == "Meddelandet är för långt. Det får vara högst 5 tecken."
    assert locale.text("en", "handoff.adviser_joined", name="Anna") == "Adviser Anna has joined the conversation."
    assert locale.text("fi", "console.logout") == "Kirjaudu ulos"
    assert locale.texts("en", "chat", "widget")["widget_open"] == "Ask in the chat"
    assert locale.language_names() == {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def test_an_unknown_language_falls_back_to_the_configured_default(monkeypatch):
    assert locale.text("de", "chat.send") == locale.text("fi", "chat.send")  # default: fi
    assert locale.text(None, "chat.send") == "Lähetä"
    monkeypatch.setenv("BOT_DEFAULT_LANGUAGE", "sv")
    assert locale.text("de", "chat.send") == "Skicka"
    assert locale.texts("de", "console")["logout"] == locale.texts("sv", "console")["logout"]


def test_a_missing_key_is_an_error_not_another_text():
    with pytest.raises(KeyError):
        locale.text("en", "chat.no_such_text")
    with pytest.raises(KeyError):
        locale.texts("en", "no_such_group")


def test_a_broken_file_is_refused(tmp_path):
    path = tmp_path / "fi.yml"
    path.write_text("chat:\n  send: [not, a, text]\n", encoding="utf-8")
    with pytest.raises(locale.LocaleFileError):
        locale.load_locale_file(path)


def test_every_key_the_code_looks_up_exists():
    found = list(used_keys())
    assert len(found) > 20  # the scan sees the callers
    known = flat("fi")

    def exists(key: str) -> bool:
        return any(k.startswith(key[:-1]) for k in known) if key.endswith("*") else key in known

    assert [(str(path.relative_to(ROOT)), key) for path, key in found if not exists(key)] == []


def test_every_error_code_of_the_web_channel_has_a_text():
    chat = locale.tables()["fi"]["chat"]
    codes = set()
    for path in sorted((BOT / "web").glob("*.py")):
        codes |= set(re.findall(r'"(error_[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 10
    assert sorted(codes - set(chat)) == []


def test_every_console_message_key_exists():
    console = locale.tables()["fi"]["console"]
    used = set()
    for path in sorted((BOT / "console").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'error_response\(request, \d+, "([a-z_]+)"\)', source))
        used |= set(re.findall(r'AccountError\("([a-z_]+)"\)', source))
        used |= set(re.findall(r'[?&]msg=([a-z_]+)', source))
        used |= set(re.findall(r'\berror="([a-z_]+)"', source))
    assert {"forbidden", "csrf_failed", "not_found", "account_created", "privacy_invalid"} <= used
    dynamic = (
        {f"reason_{r}" for r in (*KNOWN_REASONS, "other")} | {f"kind_{k}" for k in (KIND_LIVE, KIND_CONTACT)}
        | {f"status_{s}" for s in (*STATUSES, RATED_ONLY)} | {f"role_{r}" for r in ROLES}
        | {f"privacy_by_{s}" for s in SELECTORS} | {"method_email", "method_phone"}
        | {f"event_{e}" for e in ("pause", "resume", "session_started", "restart")}
    )
    assert sorted((used | dynamic) - set(console)) == []


def test_every_text_the_console_templates_use_exists():
    console = locale.tables()["fi"]["console"]
    used = set()
    for path in sorted((BOT / "console" / "templates").glob("*.html")):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\.([a-z_0-9]+)", source))
        used |= set(re.findall(r"\bt\['([a-z_0-9]+)'\]", source))
    assert len(used) > 50
    assert sorted(used - set(console)) == []


@pytest.mark.parametrize("script, groups, name", [
    ("static/widget/*.js", WIDGET_GROUPS, "T"),
    ("static/chat.js", PAGE_GROUPS, "texts"),
    ("static/console/console.js", ("console",), "T"),
])
def test_every_text_a_script_uses_exists(script, groups, name):
    available = locale.texts("fi", *groups)
    used = set()
    for path in sorted((BOT / "web").glob(script)):
        used |= set(re.findall(rf"\b{name}\.([a-z_0-9]+)", path.read_text(encoding="utf-8")))
    assert used
    assert sorted(used - set(available)) == []


def test_a_count_takes_the_form_that_fits_it():
    assert locale.plural("fi", "console.results", 1) == "1 keskustelu"
    assert locale.plural("fi", "console.results", 2) == "2 keskustelua"
    assert locale.plural("fi", "console.results", 0) == "0 keskustelua"
    assert locale.plural("sv", "console.results", 1) == "1 konversation"
    assert locale.plural("sv", "console.results", 5) == "5 konversationer"
    assert locale.plural("en", "console.results", 1) == "1 conversation"
    assert locale.plural("en", "console.results", 21) == "21 conversations"
    assert locale.plural("en", "console.privacy_deleted", 1, total=9) == "Deleted 1 conversation (rows in all: 9)."


def test_every_count_text_has_both_forms_and_no_bracketed_plural():
    for language in LANGUAGES:
        table = flat(language)
        for key, value in table.items():
            assert not re.search(r"\w\((s|t|er|a)\)", value), f"{language}: {key} writes a plural in brackets"
            stem, _, form = key.rpartition("_")
            if form in locale.PLURAL_FORMS and (form == "one" or f"{stem}_one" in table):
                assert all(f"{stem}_{f}" in table for f in locale.PLURAL_FORMS), key
                # The "one" form may spell the number out ("in a minute"); the other shows it.
                assert form == "one" or "count" in placeholders(value), key
        # A number right before a noun needs the plural forms, not one fixed text.
        assert "console.results" not in table and "console.privacy_deleted" not in table


def test_every_plural_the_console_templates_use_exists():
    console = locale.tables()["fi"]["console"]
    used = set()
    for path in sorted((BOT / "console" / "templates").glob("*.html")):
        used |= set(re.findall(r"\bplural\('([a-z_0-9]+)'", path.read_text(encoding="utf-8")))
    assert {"results", "privacy_deleted", "privacy_confirm_intro"} <= used
    assert sorted(f"{key}_{form}" for key in used for form in locale.PLURAL_FORMS if f"{key}_{form}" not in console) == []
