"""The examples of the specific questions: training (data/nlu/questions/<lang>/) and
held-out (tests/nlu/questions/<lang>/), read and checked against the specific answers."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Dict, List


from bot.yaml_files import read_mapping
from bot.config import LANGUAGES
from bot.content.questions import QuestionBook

MIN_TRAINING = 8
MIN_HELD_OUT = 2
Examples = Dict[str, Dict[str, List[str]]]  # question key -> language -> texts
EVALUATION_SETS = ("near_miss", "messy")  # tests/nlu/<set>/<lang>.yml: evaluation only (bench/nlu.py)


def normalised(text: str) -> str:
    """Case, accents and punctuation folded away: 'Mitä?' and 'mita' are the same example."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[\W_]+", " ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def _texts(block: Dict) -> List[str]:
    """The example texts of one `nlu:` block."""
    return [line[2:].strip() for line in str(block.get("examples", "")).splitlines() if line.startswith("- ")]


def read_examples(folder: Path) -> Examples:
    """Question examples under `folder`/<lang>/*.yml, by question key and language."""
    found: Examples = {}
    for language in LANGUAGES:
        for path in sorted((folder / language).glob("*.yml")):
            data = read_mapping(path)
            for block in data.get("nlu") or []:
                question = (block.get("metadata") or {}).get("question")
                if not isinstance(question, str) or not question.startswith(f"{block.get('intent')}/"):
                    raise ValueError(f"{path}: block of {block.get('intent')} names no question of its intent")
                found.setdefault(question, {}).setdefault(language, []).extend(_texts(block))
    return found


def read_topic_examples(folder: Path) -> List[str]:
    """The texts of every intent block of the general training files `folder`/*.yml."""
    texts: List[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = read_mapping(path)
        for block in data.get("nlu") or []:
            texts.extend(_texts(block))
    return texts


def evaluation_texts(root: Path) -> List[str]:
    """Every evaluation-only text: the held-out topic examples (tests/nlu/*.yml), the near-miss
    out-of-scope set and the messy in-scope set (tests/nlu/<set>/*.yml)."""
    folder = root / "tests" / "nlu"
    texts = read_topic_examples(folder)
    for name in EVALUATION_SETS:
        texts.extend(read_topic_examples(folder / name))
    return texts


def problems(root: Path, book: QuestionBook) -> List[str]:
    """Questions without enough examples per language, examples of unknown questions, leaks."""
    training = read_examples(root / "data" / "nlu" / "questions")
    held_out = read_examples(root / "tests" / "nlu" / "questions")
    found: List[str] = []
    for key in book.answers:
        for language in LANGUAGES:
            trained = len(training.get(key, {}).get(language, []))
            tested = len(held_out.get(key, {}).get(language, []))
            if trained < MIN_TRAINING:
                found.append(f"{key}: {trained} training examples in {language}, at least {MIN_TRAINING} needed")
            if tested < MIN_HELD_OUT:
                found.append(f"{key}: {tested} held-out examples in {language}, at least {MIN_HELD_OUT} needed")
    for key in sorted((set(training) | set(held_out)) - set(book.answers)):
        found.append(f"{key}: examples of a question that has no answer")
    owner: Dict[str, str] = {}
    for key, by_lang in training.items():
        for texts in by_lang.values():
            for text in texts:
                if owner.setdefault(normalised(text), key) != key:
                    found.append(f"{key}: {text!r} is also an example of {owner[normalised(text)]}")
    trained_texts = set(owner) | {normalised(t) for t in read_topic_examples(root / "data" / "nlu")}
    held_out_topic_texts = {normalised(t) for t in evaluation_texts(root)}
    found.extend(f"evaluation example is trained on: {t!r}" for t in sorted(held_out_topic_texts & trained_texts))
    for key, by_lang in training.items():
        for texts in by_lang.values():
            found.extend(f"{key}: training example is a held-out topic example: {t!r}" for t in texts
                         if normalised(t) in held_out_topic_texts)
    for key, by_lang in held_out.items():
        for texts in by_lang.values():
            found.extend(f"{key}: held-out example is trained on: {t!r}" for t in texts
                         if normalised(t) in trained_texts)
    return found
