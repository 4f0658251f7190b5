"""The assistant's answers, one YAML file per language under data/responses/."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence


from bot.yaml_files import read_mapping
from bot.config import LANGUAGES
from bot.content.figures import Figure, FigureError, fill_figures, load_figures
from bot.content.questions import LIVE_PLACEHOLDERS, QuestionBook, question_book, read_questions

Variation = Dict[str, Any]
ResponseTable = Dict[str, List[Variation]]

# Placeholders of the topic answers that are no figure: the actions fill them when they send the
# answer (the catalogue's results, the handoff queue). With a figures.yml beside the answers,
# every other {name} must be one of its figures, written in when the answers are read, so a
# mistyped name fails `responses check` (an answer that needs a slot's value: add it here).
FILLED_WHEN_SENT = frozenset({"results", "query", "criteria", "waiting_ahead", "wait_minutes"}) | LIVE_PLACEHOLDERS

# The longest answer text (figures written in; a specific answer with its link and date) the widget
# shows: the one limit of the studio's check (bot/studio/answer_check.py). Past it an answer no longer
# fits the widget's panel on a phone without scrolling past its start (the longest shipped one: ~1,000).
MAX_ANSWER_CHARS = 1200

# Keys of a response variation that Rasa understands and the web app forwards.
ALLOWED_KEYS = frozenset({"text", "buttons", "image", "custom", "attachment", "quick_replies"})


class ResponseFileError(ValueError):
    """A response file that cannot be used."""


def load_language_file(path: Path) -> ResponseTable:
    """Read one language's responses and check their shape."""
    return check_table(str(path), read_mapping(path, ResponseFileError, "a mapping of response names"))


def check_table(where: str, data: Mapping[Any, Any]) -> ResponseTable:
    """One language's parsed responses, their shape checked (a copy: the caller's data stays)."""
    table: ResponseTable = {}
    for name, variations in data.items():
        if not isinstance(name, str) or not name.startswith("utter_"):
            raise ResponseFileError(f"{where}: response name {name!r} must start with utter_")
        if not isinstance(variations, list) or not variations:
            raise ResponseFileError(f"{where}: {name} needs a list of variations")
        for variation in variations:
            if not isinstance(variation, dict) or not (
                isinstance(variation.get("text"), str) or "custom" in variation
            ):
                raise ResponseFileError(f"{where}: {name} has a variation without text")
            unknown = set(variation) - ALLOWED_KEYS
            if unknown:
                raise ResponseFileError(f"{where}: {name} has unknown keys {sorted(unknown)}")
        table[name] = list(variations)
    return table


def read_figures(directory: Path) -> Optional[Dict[str, Figure]]:
    """The figures of `directory`/figures.yml, None when there is no such file."""
    figures_file = directory / "figures.yml"
    return load_figures(figures_file) if figures_file.exists() else None


@dataclass(frozen=True)
class ResponseCatalog:
    """Responses of every language, looked up by name and language."""

    tables: Mapping[str, ResponseTable]
    default_language: str = "fi"
    questions: QuestionBook = field(default_factory=lambda: QuestionBook({}))

    @classmethod
    def from_directory(cls, directory: Path, default_language: str = "fi") -> "ResponseCatalog":
        """The answers of `directory`, the specific ones (questions/) included as utter_<topic>/<key>."""
        raw = {lang: read_mapping(directory / f"{lang}.yml", ResponseFileError, "a mapping of response names")
               for lang in LANGUAGES}
        return cls.from_raw(raw, read_questions(directory), read_figures(directory), default_language)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Mapping[str, Any]], questions: Mapping[str, Mapping[str, Any]],
                 figures: Optional[Mapping[str, Figure]], default_language: str = "fi") -> "ResponseCatalog":
        """The answers of parsed files: `raw` {language: {name: variations}}, `questions` {topic: {key:
        entry}} (bot/content/questions.py), `figures` (None: no figures.yml, placeholders stay)."""
        tables = {lang: check_table(f"{lang}.yml", raw[lang]) for lang in LANGUAGES}
        for lang, table in tables.items() if figures is not None else ():
            for name, variations in table.items():
                try:
                    table[name] = [
                        {**v, "text": fill_figures(v["text"], figures, lang, keep=FILLED_WHEN_SENT)}
                        if isinstance(v.get("text"), str) else v
                        for v in variations
                    ]
                except FigureError as exc:
                    raise ResponseFileError(f"{lang}.yml: {name}: {exc}") from exc
        book = question_book(questions, figures or {})
        for answer in book.answers.values():
            for lang, table in tables.items():
                topic = table.get(f"utter_{answer.topic}")
                if topic is None:
                    raise ResponseFileError(f"{answer.key}: no topic answer utter_{answer.topic} in {lang}")
                variation: Variation = {"text": answer.render(lang)}
                if topic[0].get("buttons"):
                    variation["buttons"] = topic[0]["buttons"]
                table[answer.response_name] = [variation]
        return cls(tables=tables, default_language=default_language, questions=book)

    def names(self, language: Optional[str] = None) -> List[str]:
        return sorted(self.tables[language or self.default_language])

    def variations(self, name: str, language: str) -> Sequence[Variation]:
        """Variations of `name` in `language`, else in the default language; [] if unknown."""
        table = self.tables.get(language) or self.tables[self.default_language]
        found = table.get(name)
        if found is None:
            found = self.tables[self.default_language].get(name, [])
        return found

    def choose(self, name: str, language: str, rng: Optional[random.Random] = None) -> Optional[Variation]:
        options = self.variations(name, language)
        if not options:
            return None
        return (rng or random).choice(list(options))

    def inconsistencies(self) -> List[str]:
        """Differences between languages: missing names, variation counts, button payloads."""
        problems: List[str] = []
        reference = self.tables[self.default_language]
        for lang, table in self.tables.items():
            for name in sorted(set(reference) ^ set(table)):
                where = lang if name not in table else self.default_language
                problems.append(f"{name} missing in {where}")
            for name in sorted(set(reference) & set(table)):
                ours, theirs = reference[name], table[name]
                if len(ours) != len(theirs):
                    problems.append(f"{name}: {len(theirs)} variations in {lang}, {len(ours)} in {self.default_language}")
                    continue
                for a, b in zip(ours, theirs):
                    if _payloads(a) != _payloads(b):
                        problems.append(f"{name}: buttons in {lang} differ from {self.default_language}")
        return problems


def _payloads(variation: Variation) -> List[str]:
    return [button.get("payload", "") for button in variation.get("buttons") or []]
