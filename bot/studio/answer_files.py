"""The repository stays the record: the answers as saved in the studio written back to data/responses/
in the files' own layout, and the files read into the database.

`write_answers` changes only the blocks of the answers that differ from the files (a block: the
answer's top-level key and its indented lines), in the layout the files use, so the comments, the
order and every untouched answer keep their bytes; a file with nothing to change is not written.
"""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Tuple

from bot.config import LANGUAGES
from bot.studio.answer_docs import Doc, question_key, read_docs

_KEY = re.compile(r"^([^\s#][^:]*):\s*$")
TEXT_WIDTH = 92  # the specific answers' folded texts wrap at this column


def _quoted(value: str) -> str:
    """A YAML scalar as the files quote it: in single quotes when it holds a double quote (a payload
    with entities), else in double quotes (JSON's escapes are YAML's)."""
    if '"' in value and "'" not in value and value.isprintable():
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def response_block(name: str, variations: List[Mapping[str, object]]) -> List[str]:
    """A topic answer in one language, as {fi,sv,en}.yml write it."""
    lines = [f"{name}:"]
    for variation in variations:
        lines.append(f"  - text: {_quoted(str(variation.get('text', '')))}")
        buttons = variation.get("buttons") or []
        if buttons:
            lines.append("    buttons:")
            for button in buttons:  # type: ignore[union-attr]
                lines.append(f"      - title: {_quoted(button['title'])}")
                lines.append(f"        payload: {_quoted(button['payload'])}")
    return lines


def question_block(key: str, doc: Doc) -> List[str]:
    """A specific answer, as questions/<topic>.yml write it (the text folded, >-)."""
    lines = [f"{key}:", f"  checked: {doc['checked']}"]
    for lang in LANGUAGES:
        part = doc["languages"][lang]
        folded = textwrap.wrap(" ".join(part["text"].split()), TEXT_WIDTH - 6, break_long_words=False,
                               break_on_hyphens=False)
        lines += [f"  {lang}:", f"    title: {_quoted(part['title'])}", "    text: >-"]
        lines += [f"      {line}" for line in folded]
        lines += ["    link:", f"      label: {_quoted(part['link']['label'])}",
                  f"      url: {_quoted(part['link']['url'])}"]
    return lines


def _blocks(lines: List[str]) -> Dict[str, Tuple[int, int]]:
    """{key: (first line, end)} of each top-level key; a block ends before the blank lines and
    column-0 comments that precede the next key."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _KEY.match(line))]
    found = {}
    for n, (start, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        found[key] = (start, end)
    return found


def splice(text: str, changed: Mapping[str, List[str]]) -> str:
    """`text` with the block of each key of `changed` replaced (a new key appended at the end)."""
    lines = text.split("\n")
    blocks = _blocks(lines)
    for key, (start, end) in sorted(((k, blocks[k]) for k in changed if k in blocks), key=lambda kv: -kv[1][0]):
        lines[start:end] = changed[key]
    added = [key for key in changed if key not in blocks]
    if added:
        while lines and not lines[-1].strip():
            lines.pop()
        for key in added:
            lines += [""] + list(changed[key])
        lines.append("")
    return "\n".join(lines)


def _rewrite(path: Path, changed: Mapping[str, List[str]]) -> bool:
    if not changed:
        return False
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    after = splice(before, changed)
    if after == before:
        return False
    path.write_text(after, encoding="utf-8")
    return True


def write_answers(directory: Path, docs: Mapping[str, Doc]) -> List[Path]:
    """Write `docs` (every answer, bot/studio/answer_docs.py) into the files of `directory`; the files
    changed."""
    on_file = read_docs(directory)
    written: List[Path] = []

    def differs(name: str, part: Callable[[Doc], object]) -> bool:
        return name not in on_file or part(on_file[name]) != part(docs[name])

    for lang in LANGUAGES:
        changed = {name: response_block(name, doc["languages"][lang]) for name, doc in docs.items()
                   if doc["kind"] == "response" and differs(name, lambda d: d["languages"].get(lang))}
        if _rewrite(directory / f"{lang}.yml", changed):
            written.append(directory / f"{lang}.yml")
    by_topic: Dict[str, Dict[str, List[str]]] = {}
    for name, doc in docs.items():
        if doc["kind"] == "question" and differs(name, lambda d: d):
            key = question_key(name)
            by_topic.setdefault(key.split("/", 1)[0], {})[key] = question_block(key, doc)
    for topic, changed in by_topic.items():
        path = directory / "questions" / f"{topic}.yml"
        if _rewrite(path, changed):
            written.append(path)
    return written
