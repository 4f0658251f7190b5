"""Specific answers under the business topics: data/responses/questions/<topic>.yml.

One reader for that data shape: it checks every entry, writes the yearly figures into
the texts and renders an answer with its link and the date its facts were checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Dict, List, Mapping, Tuple


from bot import locale
from bot.catalog.hours_text import HOURS_PLACEHOLDERS
from bot.yaml_files import read_mapping
from bot.config import LANGUAGES
from bot.content.figures import Figure, FigureError, fill_figures, load_figures, placeholders
from bot.formatting import format_date

MAX_TITLE_CHARS = 40
MAX_LABEL_CHARS = 60
# Placeholders filled when the answer is sent, not when the file is read: the NLG endpoint
# (bot/rasa/nlg.py) gives them today's and this week's opening hours of the advice channel
# (bot/catalog/hours_text.py hours_values), or the locale's fallback sentence and nothing.
LIVE_PLACEHOLDERS = HOURS_PLACEHOLDERS


class QuestionFileError(ValueError):
    """A specific-answer file that cannot be used."""


@dataclass(frozen=True)
class SpecificAnswer:
    """One specific question of a topic with its answer in every language."""

    key: str  # "<topic>/<question>"
    checked: date
    titles: Mapping[str, str]
    texts: Mapping[str, str]  # figures already written in
    links: Mapping[str, Tuple[str, str]]  # language -> (label, url)

    @property
    def topic(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def response_name(self) -> str:
        return f"utter_{self.key}"

    def render(self, language: str) -> str:
        """The answer, then 'label: url', then the checked date, in `language`."""
        label, url = self.links[language]
        checked = locale.text(language, "questions.checked", date=format_date(self.checked, language))
        return f"{self.texts[language]}\n{label}: {url}\n{checked}"


@dataclass(frozen=True)
class QuestionBook:
    """Every specific answer, by key and by topic (in file order)."""

    answers: Mapping[str, SpecificAnswer]
    by_topic: Mapping[str, List[SpecificAnswer]] = field(init=False)

    def __post_init__(self) -> None:
        grouped: Dict[str, List[SpecificAnswer]] = {}
        for answer in self.answers.values():
            grouped.setdefault(answer.topic, []).append(answer)
        object.__setattr__(self, "by_topic", grouped)  # once, not on every NLG request

    def of_topic(self, topic: str) -> List[SpecificAnswer]:
        return self.by_topic.get(topic, [])

    @property
    def topics(self) -> List[str]:
        return sorted(self.by_topic)


def _entry(topic: str, key: str, raw: object, figures: Mapping[str, Figure]) -> SpecificAnswer:
    where = f"{topic}.yml: {key}"
    if not key.startswith(f"{topic}/") or not key.split("/", 1)[1].replace("_", "").isalnum():
        raise QuestionFileError(f"{where}: the key must be '{topic}/<snake_case>'")
    if not isinstance(raw, dict) or not isinstance(raw.get("checked"), date):
        raise QuestionFileError(f"{where}: needs 'checked: YYYY-MM-DD' and fi, sv, en")
    titles, texts, links = {}, {}, {}
    for language in LANGUAGES:
        part = raw.get(language)
        if not isinstance(part, dict):
            raise QuestionFileError(f"{where}: {language} is missing")
        title, text, link = part.get("title"), part.get("text"), part.get("link") or {}
        if not isinstance(title, str) or not 0 < len(title) <= MAX_TITLE_CHARS:
            raise QuestionFileError(f"{where}: {language} title must have 1-{MAX_TITLE_CHARS} characters")
        if not isinstance(text, str) or not text.strip():
            raise QuestionFileError(f"{where}: {language} has no text")
        if "http://" in text or "https://" in text:
            raise QuestionFileError(f"{where}: {language} text has a URL; put it in link")
        label, url = link.get("label"), link.get("url")
        if not isinstance(label, str) or not 0 < len(label) <= MAX_LABEL_CHARS:
            raise QuestionFileError(f"{where}: {language} link label must have 1-{MAX_LABEL_CHARS} characters")
        if not isinstance(url, str) or not url.startswith("https://") or any(c.isspace() for c in url):
            raise QuestionFileError(f"{where}: {language} link url must be an https address")
        try:
            texts[language] = fill_figures(" ".join(text.split()), figures, language, keep=LIVE_PLACEHOLDERS)
        except FigureError as exc:
            raise QuestionFileError(f"{where}: {language}: {exc}") from exc
        titles[language], links[language] = title, (label, url)
    live = {language: live_placeholders(text) for language, text in texts.items()}
    if len({frozenset(names) for names in live.values()}) > 1:
        raise QuestionFileError(f"{where}: every language must use the same of {sorted(LIVE_PLACEHOLDERS)}")
    return SpecificAnswer(key, raw["checked"], titles, texts, links)


def live_placeholders(text: str) -> List[str]:
    """The LIVE_PLACEHOLDERS that `text` uses (what the NLG endpoint must fill before sending it)."""
    return [name for name in placeholders(text) if name in LIVE_PLACEHOLDERS]


def read_questions(responses_dir: Path) -> Dict[str, Dict[str, object]]:
    """The parsed files questions/*.yml under `responses_dir`: {topic: {key: entry}} in file order."""
    folder = responses_dir / "questions"
    return {path.stem: read_mapping(path, QuestionFileError, "a mapping of question keys")
            for path in (sorted(folder.glob("*.yml")) if folder.is_dir() else [])}


def question_book(files: Mapping[str, Mapping[str, object]], figures: Mapping[str, Figure]) -> QuestionBook:
    """The specific answers of parsed question files (`read_questions`), every entry checked."""
    answers: Dict[str, SpecificAnswer] = {}
    for topic, data in files.items():
        for key, raw in data.items():
            if key in answers:
                raise QuestionFileError(f"{topic}.yml: {key} is defined twice")
            answers[key] = _entry(topic, str(key), raw, figures)
    return QuestionBook(answers)


def load_question_book(responses_dir: Path) -> QuestionBook:
    """Read questions/*.yml and figures.yml under `responses_dir` (no folder: no specific answers)."""
    figures_file = responses_dir / "figures.yml"
    figures = load_figures(figures_file) if figures_file.exists() else {}
    return question_book(read_questions(responses_dir), figures)
