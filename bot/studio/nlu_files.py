"""Rasa's NLU training files (data/nlu/**.yml) read and written line by line, so that a file read
and written again without a change stays byte for byte the same (comments, blank lines, order).

A file is a header (comments, `version:`, `nlu:`) and blocks: `- intent: X`, an optional
`metadata:` with `question:` (the specific questions of data/nlu/questions/<lang>/), then
`examples: |` and one `    - text` line per example. `apply` puts the staff's edits on top.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from bot.config import LANGUAGES

EXAMPLE = "    - "
INTENT = "- intent: "
QUESTION = "    question: "
EXAMPLES = "  examples: |"


@dataclass
class Block:
    """One intent block: its lines up to `examples: |`, the example texts, the lines after them."""

    intent: str
    question: Optional[str]
    head: List[str]
    examples: List[str] = field(default_factory=list)
    tail: List[str] = field(default_factory=list)


@dataclass
class NluFile:
    """One training file: `path` relative to the NLU folder (fi.yml, questions/fi/funding.yml)."""

    path: str
    header: List[str]
    blocks: List[Block]

    @property
    def language(self) -> str:
        return language_of(self.path)

    def text(self) -> str:
        lines = list(self.header)
        for block in self.blocks:
            lines.extend(block.head)
            lines.extend(EXAMPLE + text for text in block.examples)
            lines.extend(block.tail)
        return "\n".join(lines)

    def block(self, intent: str, question: Optional[str]) -> Optional[Block]:
        return next((b for b in self.blocks if b.intent == intent and b.question == question), None)

    def add(self, intent: str, question: Optional[str], text: str) -> None:
        """Append an example to its block (a new block at the end when the intent has none here)."""
        found = self.block(intent, question)
        if found is None:
            head = [INTENT + intent] + (["  metadata:", QUESTION + question] if question else []) + [EXAMPLES]
            found = Block(intent, question, head, [], [""])
            if not self.blocks and (not self.header or self.header[-1] == ""):
                self.header = [line for line in self.header if line] or ['version: "3.1"', "nlu:"]
            self.blocks.append(found)
        if text not in found.examples:
            found.examples.append(text)

    def remove(self, intent: str, question: Optional[str], text: str) -> bool:
        """Remove an example; whether it was there."""
        found = self.block(intent, question)
        if found is None or text not in found.examples:
            return False
        found.examples.remove(text)
        return True


def language_of(path: str) -> str:
    """The language of a training file: questions/<lang>/…, <lang>.yml or …_<lang>.yml."""
    parts = path.split("/")
    if len(parts) == 3 and parts[1] in LANGUAGES:
        return parts[1]
    last = parts[-1].rsplit(".", 1)[0].rsplit("_", 1)[-1]
    return last if last in LANGUAGES else ""


def parse(path: str, text: str) -> NluFile:
    """A training file's text as an NluFile (ValueError for a line this layout does not know)."""
    header: List[str] = []
    blocks: List[Block] = []
    current: Optional[Block] = None
    in_examples = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(INTENT):
            current = Block(line[len(INTENT):].strip(), None, [line])
            blocks.append(current)
            in_examples = False
        elif current is None:
            header.append(line)
        elif not in_examples and not current.tail:
            current.head.append(line)
            if line.startswith(QUESTION):
                current.question = line[len(QUESTION):].strip()
            in_examples = line == EXAMPLES
        elif line.startswith(EXAMPLE) and in_examples:
            current.examples.append(line[len(EXAMPLE):])
        elif line.strip() and not line.lstrip().startswith("#"):
            raise ValueError(f"{path}:{number}: not an example line: {line[:60]!r}")
        else:
            in_examples = False
            current.tail.append(line)
    return NluFile(path, header, blocks)


def read_folder(folder: Path) -> Dict[str, NluFile]:
    """Every training file under `folder` (the NLU folder), by relative path, in a fixed order."""
    found: Dict[str, NluFile] = {}
    for file in sorted(folder.rglob("*.yml")):
        relative = file.relative_to(folder).as_posix()
        found[relative] = parse(relative, file.read_text(encoding="utf-8"))
    return found


def write_folder(files: Iterable[NluFile], folder: Path) -> List[str]:
    """Write the files under `folder` (only those whose text changed); their relative paths."""
    written = []
    for nlu in files:
        target = folder / nlu.path
        text = nlu.text()
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(nlu.path)
    return written


def examples(files: Dict[str, NluFile]) -> Iterator[Tuple[str, Block, str]]:
    """(path, block, text) of every example, in file order."""
    for path, nlu in files.items():
        for block in nlu.blocks:
            for text in block.examples:
                yield path, block, text


def general_file(language: str) -> str:
    """The file a new example of `language` goes to (not a question's)."""
    return f"{language}.yml"
