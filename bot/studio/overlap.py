"""Warnings for a new or changed example: a near duplicate of an example of another intent, the same
example twice, or an example of the held-out test data (which must never be trained on).

Texts are compared as bot/content/question_examples.py `normalised` folds them (case, accents,
punctuation), the same folding the training data tests use; "near" is a character similarity
(difflib's ratio) of at least NEAR. The held-out data: tests/nlu/**.yml and the fingerprints of
shared/eval's dev and test sets (tests/nlu/heldout_eval_fingerprints.txt, see tests/test_training_data.py).
All of it is blocking work: call `warnings` off the event loop.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import FrozenSet, List, Optional, Sequence, Tuple

from bot.content.question_examples import evaluation_texts, normalised, read_examples

NEAR = 0.88
MAX_SHOWN = 3
FINGERPRINTS = Path("tests") / "nlu" / "heldout_eval_fingerprints.txt"
DUPLICATE, NEAR_DUPLICATE, SAME_INTENT, HELD_OUT = "duplicate", "near_duplicate", "same_intent", "held_out"


@dataclass(frozen=True)
class Warning:
    """One reason to think twice: `kind`, and the example it is about (text and intent), if any."""

    kind: str
    text: str = ""
    intent: str = ""


def fingerprint(text: str) -> str:
    """The fingerprint of an example as heldout_eval_fingerprints.txt lists them (SHA-1 of the normalised
    text, first 16 hex digits)."""
    return hashlib.sha1(normalised(text).encode()).hexdigest()[:16]


def _signature(root: Path) -> Tuple[float, ...]:
    folder = root / "tests" / "nlu"
    return tuple(path.stat().st_mtime for path in sorted(folder.rglob("*")) if path.is_file())


@functools.lru_cache(maxsize=4)
def _held_out(root: Path, signature: Tuple[float, ...]) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    texts = {normalised(text) for text in evaluation_texts(root)}
    for by_language in read_examples(root / "tests" / "nlu" / "questions").values():
        texts.update(normalised(text) for found in by_language.values() for text in found)
    prints = root / FINGERPRINTS
    lines = prints.read_text(encoding="utf-8").splitlines() if prints.exists() else []
    return frozenset(texts), frozenset(line for line in lines if line and not line.startswith("#"))


def is_held_out(root: Path, text: str) -> bool:
    """Whether `text` is (normalised) an example of the held-out tests or of shared/eval's dev/test sets."""
    texts, prints = _held_out(root, _signature(root))
    return normalised(text) in texts or fingerprint(text) in prints


def similar(a: str, b: str, matcher: Optional[SequenceMatcher] = None) -> bool:
    """Two normalised texts that differ by a few characters at most (`matcher`: one already holding `b`
    as its second sequence, which difflib indexes once)."""
    if matcher is None:
        matcher = SequenceMatcher(None, "", b, autojunk=False)
    matcher.set_seq1(a)
    return matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR and matcher.ratio() >= NEAR


def warnings(root: Path, examples: Sequence[Tuple[str, str, str]], intent: str, text: str,
             ignore: Optional[str] = None) -> List[Warning]:
    """What is wrong with `text` as an example of `intent`, given the other examples of its language
    as (id, intent, text); `ignore` is the id of the example being edited."""
    key = normalised(text)
    found: List[Warning] = []
    if is_held_out(root, text):
        found.append(Warning(HELD_OUT))
    near = 0
    matcher = SequenceMatcher(None, "", key, autojunk=False)
    for example_id, other_intent, other_text in examples:
        if example_id == ignore:
            continue
        other = normalised(other_text)
        if other == key:
            found.append(Warning(SAME_INTENT if other_intent == intent else DUPLICATE, other_text, other_intent))
        elif other_intent != intent and near < MAX_SHOWN and similar(other, key, matcher):
            found.append(Warning(NEAR_DUPLICATE, other_text, other_intent))
            near += 1
    return found
