"""The studio's check of an answer before it is saved: each problem says what is wrong and where,
in the editor's console language (locale `studio.answers_problem_<code>`).

A document that passes builds into the NLG's catalogue (bot/studio/answer_docs.py build_catalog):
the save runs that build too, so no save can break the running assistant.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional

from bot import locale
from bot.config import LANGUAGES
from bot.content.figures import Figure, FigureError, fill_figures, placeholders
from bot.content.questions import (
    LIVE_PLACEHOLDERS, MAX_LABEL_CHARS, MAX_TITLE_CHARS, QuestionFileError, question_book,
)
from bot.content.responses import FILLED_WHEN_SENT, MAX_ANSWER_CHARS
from bot.studio.answer_docs import Doc, question_entry, question_key
from bot.yaml_files import read_mapping

_HTTP = re.compile(r"http://[^\s<>\"']+", re.IGNORECASE)
_PAYLOAD = re.compile(r"^/([A-Za-z_][A-Za-z0-9_]*)(\{.*\})?$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """One problem: its code, the language and the field it is in ("" for the whole answer)."""

    code: str
    language: str = ""
    where: str = ""  # the form field's name, so the page can point at it
    values: Mapping[str, Any] = field(default_factory=dict)

    def message(self, console_language: str) -> str:
        """The problem explained in `console_language`."""
        names = locale.language_names()
        return locale.text(console_language, f"studio.answers_problem_{self.code}",
                           in_language=names.get(self.language, self.language), **self.values)


@functools.lru_cache(maxsize=4)
def domain_intents(domain_file: Path) -> FrozenSet[str]:
    """The intents of domain.yml (a name, or a mapping of one name to its options)."""
    listed = read_mapping(domain_file, ValueError, "a Rasa domain").get("intents") or []
    return frozenset(next(iter(item)) if isinstance(item, dict) else str(item) for item in listed)


def _text_problems(text: str, lang: str, where: str, allowed: FrozenSet[str],
                   figures: Mapping[str, Figure]) -> List[Problem]:
    found: List[Problem] = []
    if not text.strip():
        return [Problem("missing_language", lang, where)]
    for name in dict.fromkeys(placeholders(text)):
        if name not in figures and name not in allowed:
            found.append(Problem("unknown_placeholder", lang, where, {"name": "{" + name + "}"}))
    for url in dict.fromkeys(_HTTP.findall(text)):
        found.append(Problem("not_https", lang, where, {"url": url}))
    return found


def _length(text: str, lang: str, where: str, figures: Mapping[str, Figure], keep: FrozenSet[str]) -> List[Problem]:
    unknown = {name for name in placeholders(text) if name not in figures}  # told as unknown_placeholder
    try:
        shown = fill_figures(text, figures, lang, keep=keep | unknown)
    except FigureError:
        return []  # a figure's name used for a value filled when sending: told by the build
    if len(shown) > MAX_ANSWER_CHARS:
        return [Problem("too_long", lang, where, {"count": len(shown), "limit": MAX_ANSWER_CHARS})]
    return []


def _button_problems(buttons: List[Mapping[str, str]], lang: str, prefix: str,
                     intents: FrozenSet[str], free_text: bool) -> List[Problem]:
    """A payload is /intent (entities may follow in {}) of the domain; a form's question (utter_ask_*)
    may also offer a plain text that the user's message then is (suomi, svenska…)."""
    found: List[Problem] = []
    for j, button in enumerate(buttons):
        where = f"{prefix}.{j}"
        title, payload = button.get("title", "").strip(), button.get("payload", "").strip()
        if not title:
            found.append(Problem("button_title", lang, f"{where}.title", {"number": j + 1}))
        match = _PAYLOAD.match(payload)
        if free_text and payload and not payload.startswith("/"):
            continue
        if match is None or match.group(1) not in intents:
            found.append(Problem("unknown_intent", lang, f"{where}.payload", {"payload": payload or "–"}))
    return found


def _payloads(variation: Mapping[str, Any]) -> List[str]:
    return [b.get("payload", "").strip() for b in variation.get("buttons") or []]


def _response_problems(name: str, doc: Doc, intents: FrozenSet[str], figures: Mapping[str, Figure]) -> List[Problem]:
    found: List[Problem] = []
    counts = {lang: len(doc["languages"].get(lang) or []) for lang in LANGUAGES}
    most = max(counts.values())
    for lang in LANGUAGES:
        variations = doc["languages"].get(lang) or []
        for i in range(most):
            where = f"text.{lang}.{i}"
            if i >= len(variations):
                found.append(Problem("missing_language", lang, where))
                continue
            text = variations[i].get("text", "")
            found += _text_problems(text, lang, where, FILLED_WHEN_SENT, figures)
            found += _length(text, lang, where, figures, FILLED_WHEN_SENT)
            found += _button_problems(variations[i].get("buttons") or [], lang, f"button.{lang}.{i}", intents,
                                      name.startswith("utter_ask_"))
            reference = doc["languages"][LANGUAGES[0]][i] if i < counts[LANGUAGES[0]] else {}
            if lang != LANGUAGES[0] and _payloads(variations[i]) != _payloads(reference):
                found.append(Problem("buttons_differ", lang, f"button.{lang}.{i}.0.payload"))
    return found


def _question_problems(name: str, doc: Doc, figures: Mapping[str, Figure]) -> List[Problem]:
    found: List[Problem] = []
    for lang in LANGUAGES:
        part = doc["languages"][lang]
        title, text, link = part["title"].strip(), part["text"], part["link"]
        if not title:
            found.append(Problem("missing_language", lang, f"title.{lang}"))
        elif len(title) > MAX_TITLE_CHARS:
            found.append(Problem("title_too_long", lang, f"title.{lang}", {"limit": MAX_TITLE_CHARS}))
        found += _text_problems(text, lang, f"text.{lang}", LIVE_PLACEHOLDERS, figures)
        if "https://" in text:
            found.append(Problem("url_in_text", lang, f"text.{lang}"))
        label, url = link["label"].strip(), link["url"].strip()
        if not label or len(label) > MAX_LABEL_CHARS:
            found.append(Problem("link_label", lang, f"link_label.{lang}", {"limit": MAX_LABEL_CHARS}))
        if not url.startswith("https://") or any(c.isspace() for c in url):
            found.append(Problem("not_https", lang, f"link_url.{lang}", {"url": url or "–"}))
    if found:
        return found
    key = question_key(name)
    try:
        book = question_book({key.split("/", 1)[0]: {key: question_entry(doc)}}, figures)
    except QuestionFileError as exc:
        problem = "checked" if "checked" in str(exc) else "live_placeholders"
        return [Problem(problem, "", "checked" if problem == "checked" else "")]
    for lang in LANGUAGES:
        found += _length(book.answers[key].render(lang), lang, f"text.{lang}", figures, LIVE_PLACEHOLDERS)
    return found


def check(name: str, doc: Doc, *, domain_file: Path, figures: Optional[Mapping[str, Figure]]) -> List[Problem]:
    """Every problem of the answer `name` with the content `doc` (nothing: it may be saved)."""
    figures = figures or {}
    if doc.get("kind") == "question":
        return _question_problems(name, doc, figures)
    return _response_problems(name, doc, domain_intents(domain_file), figures)


def messages(problems: List[Problem], console_language: str) -> List[Dict[str, str]]:
    """The problems as the page and the JSON check show them."""
    return [{"code": p.code, "language": p.language, "where": p.where, "message": p.message(console_language)}
            for p in problems]
