"""The evaluation sets of `make bench-nlu` and what is measured on them (issue 12).

Per language: the clean held-out set tests/nlu/<lang>.yml, the messy chat-style set
tests/nlu/messy/<lang>.yml (business intents as people type them) and the near-miss
out-of-scope set tests/nlu/near_miss/<lang>.yml (a resident's or a private person's matters,
chit-chat that names business words). A message counts as rejected when its intent is not a
business intent (shared/design/intents.md): out_of_scope, resident_matter, nlu_fallback and the
conversation intents all reject.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bot.content.intents import BUSINESS_INTENTS

ROOT = Path(__file__).resolve().parent.parent
SETS = {"clean": "{lang}.yml", "messy": "messy/{lang}.yml", "near_miss": "near_miss/{lang}.yml"}
Labelled = List[Tuple[str, str]]  # (text, gold intent)


def load_set(name: str, language: str, directory: Path = ROOT / "tests" / "nlu") -> Labelled:
    """One set of one language (from `directory`: the studio's gate may evaluate on other files)."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(directory / SETS[name].format(lang=language)))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def per_intent_f1(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, float]:
    """F1 of each gold intent."""
    scores = {}
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    scores = list(per_intent_f1(gold, predicted).values())
    return sum(scores) / len(scores)


def rejected(predicted: Sequence[str]) -> float:
    """The share of `predicted` intents that are not business intents."""
    return sum(p not in BUSINESS_INTENTS for p in predicted) / max(len(predicted), 1)


def scores(parsed: Dict[str, Tuple[List[str], List[str]]]) -> Dict[str, float]:
    """One language's figures from {set: (gold, predicted)}."""
    clean_gold, clean_pred = parsed["clean"]
    messy_gold, messy_pred = parsed["messy"]
    business = [p for g, p in zip(clean_gold, clean_pred) if g in BUSINESS_INTENTS] + list(messy_pred)
    return {
        "n": len(clean_gold),
        "accuracy": sum(g == p for g, p in zip(clean_gold, clean_pred)) / max(len(clean_gold), 1),
        "clean_f1": macro_f1(clean_gold, clean_pred),
        "messy_f1": macro_f1(messy_gold, messy_pred),
        "near_miss": rejected(parsed["near_miss"][1]),
        "false_rejection": rejected(business),
    }


HEADER = "pipeline  language  n    accuracy  clean-F1  messy-F1  near-miss rejected  business falsely rejected"


def row(name: str, language: str, figures: Dict[str, float]) -> str:
    return (f"{name:<9} {language:<9} {int(figures['n']):<4} {figures['accuracy']:8.3f}  {figures['clean_f1']:8.3f}  "
            f"{figures['messy_f1']:8.3f}  {figures['near_miss']:18.3f}  {figures['false_rejection']:25.3f}")
