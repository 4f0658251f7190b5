"""Answers as documents: one JSON-able mapping per answer with its three languages side by side.

A topic answer (data/responses/{fi,sv,en}.yml) is
`{"kind": "response", "languages": {lang: [{"text": ..., "buttons": [{"title", "payload"}]}]}}`;
a specific answer (data/responses/questions/<topic>.yml) is
`{"kind": "question", "checked": "YYYY-MM-DD", "languages": {lang: {"title", "text", "link": {"label", "url"}}}}`.
Their names are those of the NLG: `utter_<topic>` and `utter_<topic>/<key>`. Placeholders stay
unfilled in a document; the catalogue (`build_catalog`) writes the figures in.
"""
from __future__ import annotations

import copy
import threading
from datetime import date
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

from bot.config import LANGUAGES
from bot.content.figures import Figure
from bot.content.questions import read_questions
from bot.content.responses import ResponseCatalog, ResponseFileError, read_figures
from bot.yaml_files import read_mapping

Doc = Dict[str, Any]
QUESTION_PREFIX = "utter_"


def is_question(name: str) -> bool:
    """Whether `name` is a specific answer (utter_<topic>/<key>)."""
    return "/" in name


def question_key(name: str) -> str:
    """utter_funding/finnvera_loans -> funding/finnvera_loans."""
    return name[len(QUESTION_PREFIX):]


def response_doc(per_language: Mapping[str, Any]) -> Doc:
    """A topic answer's document from its variations in each language."""
    languages = {}
    for lang in LANGUAGES:
        variations = []
        for variation in per_language.get(lang) or []:
            item: Dict[str, Any] = {"text": str(variation.get("text") or "")}
            buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                       for b in variation.get("buttons") or []]
            if buttons:
                item["buttons"] = buttons
            variations.append(item)
        languages[lang] = variations
    return {"kind": "response", "languages": languages}


def question_doc(entry: Mapping[str, Any]) -> Doc:
    """A specific answer's document from its entry in questions/<topic>.yml."""
    checked = entry.get("checked")
    languages = {}
    for lang in LANGUAGES:
        part = entry.get(lang) or {}
        link = part.get("link") or {}
        text = " ".join(str(part.get("text") or "").split())  # one paragraph, as the answer shows it
        languages[lang] = {"title": str(part.get("title") or ""), "text": text,
                           "link": {"label": str(link.get("label") or ""), "url": str(link.get("url") or "")}}
    return {"kind": "question", "checked": checked.isoformat() if isinstance(checked, date) else str(checked or ""),
            "languages": languages}


def question_entry(doc: Doc) -> Dict[str, Any]:
    """The entry of questions/<topic>.yml that a specific answer's document stands for."""
    try:
        checked: Any = date.fromisoformat(doc.get("checked", ""))
    except ValueError:
        checked = doc.get("checked")
    entry: Dict[str, Any] = {"checked": checked}
    for lang in LANGUAGES:
        part = doc["languages"][lang]
        entry[lang] = {"title": part["title"], "text": part["text"],
                       "link": {"label": part["link"]["label"], "url": part["link"]["url"]}}
    return entry


def raw_variations(doc: Doc, lang: str) -> list:
    """A topic answer's variations in `lang` as the YAML file holds them."""
    return [dict(copy.deepcopy(v)) for v in doc["languages"][lang]]


def read_docs(directory: Path) -> Dict[str, Doc]:
    """Every answer of `directory` as a document: the topic answers in fi.yml's order, then the specific ones."""
    raw = {lang: read_mapping(directory / f"{lang}.yml", ResponseFileError, "a mapping of response names")
           for lang in LANGUAGES}
    names = list(raw[LANGUAGES[0]]) + [n for lang in LANGUAGES[1:] for n in raw[lang] if n not in raw[LANGUAGES[0]]]
    docs = {name: response_doc({lang: raw[lang].get(name) for lang in LANGUAGES}) for name in dict.fromkeys(names)}
    for data in read_questions(directory).values():
        for key, entry in data.items():
            docs[f"{QUESTION_PREFIX}{key}"] = question_doc(entry if isinstance(entry, dict) else {})
    return docs


def to_sources(docs: Mapping[str, Doc]) -> Tuple[Dict[str, Dict[str, Any]], Dict[str, Dict[str, Any]]]:
    """The parsed files that `docs` stand for: ({lang: {name: variations}}, {topic: {key: entry}})."""
    tables: Dict[str, Dict[str, Any]] = {lang: {} for lang in LANGUAGES}
    questions: Dict[str, Dict[str, Any]] = {}
    for name, doc in docs.items():
        if doc["kind"] == "question":
            key = question_key(name)
            questions.setdefault(key.split("/", 1)[0], {})[key] = question_entry(doc)
        else:
            for lang in LANGUAGES:
                if doc["languages"].get(lang):
                    tables[lang][name] = raw_variations(doc, lang)
    return tables, questions


def build_catalog(docs: Mapping[str, Doc], figures: Optional[Mapping[str, Figure]],
                  default_language: str = "fi") -> ResponseCatalog:
    """The NLG's catalogue of `docs` (the figures written in); raises ResponseFileError and friends."""
    tables, questions = to_sources(docs)
    return ResponseCatalog.from_raw(tables, questions, figures, default_language)


class BaseAnswers:
    """The answers of the repository's files, read again only when a file changed (thread-safe)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._stamp: Optional[Tuple[float, ...]] = None
        self._docs: Dict[str, Doc] = {}
        self._figures: Optional[Dict[str, Figure]] = None

    def _mtimes(self) -> Tuple[float, ...]:
        paths = sorted(self.directory.glob("*.yml")) + sorted((self.directory / "questions").glob("*.yml"))
        return tuple(path.stat().st_mtime_ns for path in paths) + (len(paths),)

    def load(self) -> Tuple[Dict[str, Doc], Optional[Dict[str, Figure]]]:
        """(documents, figures) of the files: copies the caller may change."""
        with self._lock:
            stamp = self._mtimes()
            if stamp != self._stamp:
                self._docs, self._figures = read_docs(self.directory), read_figures(self.directory)
                self._stamp = stamp
            return copy.deepcopy(self._docs), self._figures


_BASES: Dict[Path, BaseAnswers] = {}


def base_answers(directory: Path) -> BaseAnswers:
    """The one BaseAnswers of `directory` in this process."""
    return _BASES.setdefault(directory, BaseAnswers(directory))
