"""What changed between two versions of an answer, field by field and word by word.

`fields` flattens a document into readable (field, text) rows ("fi text", "sv button 2",
"en link"); `diff` compares two documents and gives, for each changed field, segments
("=", "-", "+") of whole words and the spaces between them, for <del>/<ins> in the page.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Dict, List, Tuple

from bot.config import LANGUAGES
from bot.studio.answer_docs import Doc

_TOKEN = re.compile(r"\s+|[\w{}]+|[^\w\s]", re.UNICODE)
Segment = Tuple[str, str]  # ("=" | "-" | "+", text)


@dataclass(frozen=True)
class FieldChange:
    """One changed field: where (language, label key, number) and its word-level segments."""

    language: str
    label: str  # text, title, link, button, checked
    number: int  # the variation or button number (1-based), 0 when there is one
    segments: List[Segment]


def fields(doc: Doc) -> Dict[Tuple[str, str, int], str]:
    """{(language, label, number): text} of a document; buttons as 'title → payload'."""
    rows: Dict[Tuple[str, str, int], str] = {}
    if doc.get("kind") == "question":
        rows[("", "checked", 0)] = str(doc.get("checked", ""))
        for lang in LANGUAGES:
            part = doc["languages"][lang]
            rows[(lang, "title", 0)] = part["title"]
            rows[(lang, "text", 0)] = part["text"]
            rows[(lang, "link", 0)] = f"{part['link']['label']} — {part['link']['url']}"
        return rows
    for lang in LANGUAGES:
        variations = doc["languages"].get(lang) or []
        several = len(variations) > 1
        number = 0
        for i, variation in enumerate(variations):
            rows[(lang, "text", i + 1 if several else 0)] = variation.get("text", "")
            for button in variation.get("buttons") or []:
                number += 1
                rows[(lang, "button", number)] = f"{button['title']} → {button['payload']}"
    return rows


def words(old: str, new: str) -> List[Segment]:
    """`old` → `new` as segments of kept, removed and added words (neighbours merged)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: List[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("=", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return segments


def diff(old: Doc, new: Doc) -> List[FieldChange]:
    """The fields that differ between `old` and `new`, in the order of `new` (removed fields last)."""
    before, after = fields(old), fields(new)
    order = list(after) + [key for key in before if key not in after]
    return [FieldChange(lang, label, number, words(before.get((lang, label, number), ""),
                                                   after.get((lang, label, number), "")))
            for lang, label, number in order
            if before.get((lang, label, number)) != after.get((lang, label, number))]
