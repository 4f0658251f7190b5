"""Training examples that come too close to evaluation-only text (a check before committing new examples).

`python bench/similar.py [--changed] [--threshold 0.8]` compares by character similarity
(difflib's ratio on the normalised text, bot.content.question_examples.normalised) the training
examples of data/nlu/ (the question examples and the topic examples) with every evaluation-only
text: the held-out question paraphrases (tests/nlu/questions/), the held-out topic, near-miss and
messy sets (tests/nlu/) and the lines of ../shared/eval/*.txt. It prints each pair at or above the
threshold, most similar first, and exits 1 when there is one. `--changed` checks only the training
lines the working tree adds against git HEAD (the examples you just wrote).
"""
from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from pathlib import Path
from typing import List, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.question_examples import evaluation_texts, normalised, read_examples, read_topic_examples  # noqa: E402


def evaluation_only() -> List[str]:
    """Every text that must never be trained on, normalised."""
    texts = list(evaluation_texts(ROOT))
    texts += [t for by in read_examples(ROOT / "tests" / "nlu" / "questions").values() for ts in by.values() for t in ts]
    shared = ROOT.parent / "shared" / "eval"
    for path in sorted(shared.glob("*.txt")) if shared.exists() else []:
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted({normalised(t) for t in texts})


def training() -> List[str]:
    """Every training example under data/nlu/, normalised."""
    texts = read_topic_examples(ROOT / "data" / "nlu")
    texts += [t for by in read_examples(ROOT / "data" / "nlu" / "questions").values() for ts in by.values() for t in ts]
    return sorted({normalised(t) for t in texts})


def added_lines() -> Set[str]:
    """The example lines (normalised) that the working tree adds under data/nlu/ against HEAD."""
    diff = subprocess.run(["git", "diff", "-U0", "HEAD", "--", "data/nlu"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    return {normalised(line[1:].strip()[2:]) for line in diff.splitlines()
            if line.startswith("+") and line[1:].strip().startswith("- ")}


def close_pairs(candidates: List[str], held: List[str], threshold: float) -> List[Tuple[float, str, str]]:
    """(ratio, training text, evaluation text) for each pair at or above `threshold`."""
    found = []
    for text in candidates:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(text)
        for other in held:
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    found.append((ratio, text, other))
    return sorted(found, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--changed", action="store_true", help="only the example lines added against HEAD")
    args = parser.parse_args()
    candidates = sorted(added_lines()) if args.changed else training()
    pairs = close_pairs(candidates, evaluation_only(), args.threshold)
    for ratio, text, other in pairs:
        print(f"{ratio:.2f}  trained: {text!r}\n      held-out: {other!r}")
    print(f"{len(candidates)} training texts checked, {len(pairs)} at or above {args.threshold}")
    return 1 if pairs else 0


if __name__ == "__main__":
    sys.exit(main())
