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
    """`old` → `new` as segments of kept, removed and added words. Changes separated only by spaces
    are one change ("-free of charge" "+at no cost", not word against word)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    chunks: List[Tuple[str, str, str]] = []  # ("=", text, text) or ("~", removed, added)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag != "equal" and len(chunks) >= 2 and chunks[-1][0] == "=" and chunks[-1][1].isspace() \
                and chunks[-2][0] == "~":
            space = chunks.pop()[1]
            _, was, now = chunks.pop()
            removed, added = was + space + removed, now + space + added
        chunks.append(("=" if tag == "equal" else "~", removed, added))
    segments: List[Segment] = []
    for kind, removed, added in chunks:
        pieces = [("=", removed)] if kind == "=" else [("-", removed), ("+", added)]
        segments += [(op, text) for op, text in pieces if text]
    return segments


def diff(old: Doc, new: Doc) -> List[FieldChange]:
    """The fields that differ between `old` and `new`, in the order of `new` (removed fields last)."""
    before, after = fields(old), fields(new)
    order = list(after) + [key for key in before if key not in after]
    return [FieldChange(lang, label, number, words(before.get((lang, label, number), ""),
                                                   after.get((lang, label, number), "")))
            for lang, label, number in order
            if before.get((lang, label, number)) != after.get((lang, label, number))]
