"""The answer editor's form: its fields from a document, a document from its posted fields, and what
the preview script needs (the figures and the checked line as the widget will show them).

Field names: `text.<lang>.<i>` and `button.<lang>.<i>.<j>.title|payload` of a topic answer's
variations (the form has one empty variation more, to add one; a variation emptied in every language
is removed); `title.<lang>`, `text.<lang>`, `link_label.<lang>`, `link_url.<lang>` and `checked`
of a specific answer. Problems (bot/studio/answer_check.py) name the same fields.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from bot import locale
from bot.config import LANGUAGES
from bot.content.figures import Figure, format_figure
from bot.studio.answer_docs import Doc, question_key

MAX_BUTTONS = 6  # quick replies per answer the form offers (the widget wraps them in rows)
SPARE_BUTTONS = 1  # empty rows under the buttons of a variation, to add one


def _clean(value: Any) -> str:
    """A posted text as stored: Unix line ends, no spaces around it."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def doc_from_form(form: Mapping[str, Any], shape: Doc) -> Doc:
    """The document the posted `form` describes; `shape` (the answer's current document) gives its kind
    and its number of variations."""
    if shape["kind"] == "question":
        languages = {lang: {"title": _clean(form.get(f"title.{lang}")),
                            "text": " ".join(_clean(form.get(f"text.{lang}")).split()),  # one paragraph, as read
                            "link": {"label": _clean(form.get(f"link_label.{lang}")),
                                     "url": _clean(form.get(f"link_url.{lang}"))}}
                     for lang in LANGUAGES}
        return {"kind": "question", "checked": _clean(form.get("checked")), "languages": languages}
    count = variation_count(shape) + 1  # the form's spare variation
    result: Dict[str, List[Dict[str, Any]]] = {lang: [] for lang in LANGUAGES}
    for i in range(count):
        variation = {lang: _posted_variation(form, lang, i) for lang in LANGUAGES}
        if any(item["text"] or item.get("buttons") for item in variation.values()):
            for lang in LANGUAGES:
                result[lang].append(variation[lang])
    if not result[LANGUAGES[0]]:  # every variation emptied: one empty one, which the check refuses
        result = {lang: [{"text": ""}] for lang in LANGUAGES}
    return {"kind": "response", "languages": result}


def _posted_variation(form: Mapping[str, Any], lang: str, i: int) -> Dict[str, Any]:
    item: Dict[str, Any] = {"text": _clean(form.get(f"text.{lang}.{i}"))}
    buttons = []
    for j in range(MAX_BUTTONS):
        title = _clean(form.get(f"button.{lang}.{i}.{j}.title"))
        payload = _clean(form.get(f"button.{lang}.{i}.{j}.payload"))
        if title or payload:
            buttons.append({"title": title, "payload": payload})
    if buttons:
        item["buttons"] = buttons
    return item


def variation_count(doc: Doc) -> int:
    """How many variations a topic answer has (the most of any language)."""
    return max(len(doc["languages"].get(lang) or []) for lang in LANGUAGES)


def rows(doc: Doc) -> List[Dict[str, Any]]:
    """A topic answer's variations for the template: [{number, spare, langs: {lang: {text, buttons}}}],
    each language's buttons padded with SPARE_BUTTONS empty rows (at most MAX_BUTTONS), and one empty
    variation more (`spare`), to add one."""
    count = variation_count(doc)
    found = []
    for i in range(count + 1):
        langs = {}
        for lang in LANGUAGES:
            variations = doc["languages"].get(lang) or []
            item = variations[i] if i < len(variations) else {"text": ""}
            buttons = list(item.get("buttons") or [])
            spare = max(0, min(SPARE_BUTTONS, MAX_BUTTONS - len(buttons)))
            langs[lang] = {"text": item.get("text", ""), "buttons": buttons + [{"title": "", "payload": ""}] * spare}
        found.append({"number": i, "spare": i == count, "langs": langs})
    return found


def preview_config(name: str, doc: Doc, figures: Optional[Mapping[str, Figure]],
                   topic_buttons: Mapping[str, List[Dict[str, str]]]) -> Dict[str, Any]:
    """What bot/web/static/console/studio_answers.js needs to show the answer as the widget will: each
    figure written in each language, the checked line's template and the topic's quick replies."""
    figures = figures or {}
    written = {lang: {figure.name: format_figure(figure, lang) for figure in figures.values()} for lang in LANGUAGES}
    config: Dict[str, Any] = {"figures": written, "kind": doc["kind"], "name": name}
    if doc["kind"] == "question":
        config["checked"] = {lang: locale.text(lang, "questions.checked", date="{date}") for lang in LANGUAGES}
        config["topic"] = question_key(name).split("/", 1)[0]
        config["buttons"] = dict(topic_buttons)
    return config
