"""`make bench-nlu`: our pipeline against Rasa's stock pipeline on the same data.

Trains both NLU models on data/nlu/, then prints per language the intent
accuracy and macro-F1 on the held-out tests/nlu/<lang>.yml, and the share of
shared/eval/clinc_oos_dev.txt rejected (top intent not a business intent).

For our pipeline it also prints the specific answers (bot/rasa/question_selector.py) on the
held-out tests/nlu/questions/<lang>/: the share answered with the right specific answer,
with a wrong specific answer, with the topic answer (and whether the right question was
among its quick replies), and the rest; and how often a general held-out question of a
topic got a specific answer it did not ask for.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import LANGUAGES  # noqa: E402
from bot.content.intents import BUSINESS_INTENTS  # noqa: E402
from bot.content.question_examples import read_examples  # noqa: E402

DEV_OOS = Path(os.environ.get("BENCH_OOS_FILE", ROOT.parent / "shared" / "eval" / "clinc_oos_dev.txt"))
OUT = ROOT / "var" / "bench"
PIPELINES = {"ours": ROOT / "config.yml", "stock": ROOT / "bench" / "stock_config.yml"}
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
SELECTOR_MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def load_test_examples(language: str) -> List[Tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "tests" / "nlu" / f"{language}.yml"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def train(name: str, config: Path) -> Tuple[Path, float]:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config), "--nlu", "data/nlu",
         "--out", str(OUT), "--fixed-model-name", name],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    return OUT / f"{name}.tar.gz", time.monotonic() - started


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def top_real_intent(parsed: Dict) -> Tuple[str, float]:
    """The best intent other than nlu_fallback and its confidence (for the threshold sweep)."""
    for candidate in parsed.get("intent_ranking") or []:
        if candidate["name"] != "nlu_fallback":
            return candidate["name"], candidate["confidence"]
    return "nlu_fallback", 0.0


async def evaluate(model: Path) -> Dict[str, object]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    results: Dict[str, object] = {}
    raw: List[Tuple[str, str, float]] = []  # (gold or '', best real intent, confidence)
    for language in LANGUAGES:
        examples = load_test_examples(language)
        gold, predicted = [], []
        for text, intent in examples:
            parsed = await agent.parse_message(text)
            gold.append(intent)
            predicted.append(parsed["intent"]["name"])
            raw.append((intent, *top_real_intent(parsed)))
        accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
        results[language] = (len(gold), accuracy, macro_f1(gold, predicted))
    oos = [line.strip() for line in DEV_OOS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rejected = 0
    for text in oos:
        parsed = await agent.parse_message(text)
        rejected += parsed["intent"]["name"] not in BUSINESS_INTENTS
        raw.append(("", *top_real_intent(parsed)))
    results["rejection"] = (len(oos), rejected / len(oos))
    results["raw"] = raw
    results["specific"] = await evaluate_specific(agent)
    return results


def outcome(parsed: Dict, question: str) -> str:
    """right / wrong (another specific answer) / topic (+suggested) / other, for a question's example."""
    selection = parsed.get("specific_question") or {}
    chosen = selection.get("name")
    if chosen:
        return "right" if chosen == question else "wrong"
    if parsed["intent"]["name"] == question.split("/", 1)[0]:
        suggested = question in [r["name"] for r in selection.get("ranking") or []]
        return "suggested" if suggested else "topic"
    return "other"


async def evaluate_specific(agent) -> Dict[str, Dict[str, object]]:
    """Outcomes per language on the held-out question examples and the general topic examples."""
    held_out = read_examples(ROOT / "tests" / "nlu" / "questions")
    per_language: Dict[str, Dict[str, object]] = {}
    for language in LANGUAGES:
        outcomes: List[str] = []
        selections: List[Tuple[str, Dict]] = []
        for question, by_language in sorted(held_out.items()):
            for text in by_language.get(language, []):
                parsed = await agent.parse_message(text)
                outcomes.append(outcome(parsed, question))
                selections.append((question, parsed.get("specific_question") or {}))
        general = [(t, i) for t, i in load_test_examples(language) if i in BUSINESS_INTENTS]
        specific_for_general = 0
        for text, _ in general:
            parsed = await agent.parse_message(text)
            specific_for_general += bool((parsed.get("specific_question") or {}).get("name"))
        per_language[language] = {"outcomes": outcomes, "selections": selections,
                                  "general": (len(general), specific_for_general)}
    return per_language


def selector_sweep(selections: List[Tuple[str, Dict]]) -> List[str]:
    """Right and wrong specific answers had the selector's margin been m (same model)."""
    lines = []
    for m in SELECTOR_MARGINS:
        right = wrong = 0
        for question, selection in selections:
            ranking = selection.get("ranking") or []
            if ranking and selection.get("topic_sure", True) and selection.get("confidence", 0.0) >= m:
                right += ranking[0]["name"] == question
                wrong += ranking[0]["name"] != question
        n = max(len(selections), 1)
        lines.append(f"  margin {m:.2f}: right {right / n:.3f}  wrong {wrong / n:.3f}")
    return lines


def print_specific(specific: Dict[str, Dict[str, object]]) -> None:
    print("\nspecific answers on tests/nlu/questions (our pipeline)")
    print("language  n     right  wrong  topic+suggested  topic  other   general asked -> specific")
    for language in LANGUAGES:
        entry = specific[language]
        outcomes: List[str] = entry["outcomes"]  # type: ignore[assignment]
        n = max(len(outcomes), 1)
        share = {k: outcomes.count(k) / n for k in ("right", "wrong", "suggested", "topic", "other")}
        general_n, general_specific = entry["general"]  # type: ignore[misc]
        print(f"{language:<9} {len(outcomes):<5} {share['right']:.3f}  {share['wrong']:.3f}  "
              f"{share['suggested']:15.3f}  {share['topic']:.3f}  {share['other']:.3f}   "
              f"{general_specific}/{general_n} ({general_specific / max(general_n, 1):.3f})")
    for language in LANGUAGES:
        print(f"\n{language}: what other selector margins would have given")
        print("\n".join(selector_sweep(specific[language]["selections"])))  # type: ignore[arg-type]


def sweep(raw: List[Tuple[str, str, float]]) -> List[str]:
    """Accuracy on tests/nlu and rejection of the OOS dev set had the fallback threshold been t."""
    lines = []
    for t in THRESHOLDS:
        labelled = [(g, p if c >= t else "nlu_fallback") for g, p, c in raw if g]
        oos = [p if c >= t else "nlu_fallback" for g, p, c in raw if not g]
        accuracy = sum(g == p for g, p in labelled) / len(labelled)
        rejection = sum(p not in BUSINESS_INTENTS for p in oos) / len(oos)
        lines.append(f"  threshold {t:.2f}: accuracy {accuracy:.3f}  OOS rejection {rejection:.3f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(PIPELINES), help="evaluate one pipeline only")
    parser.add_argument("--config", type=Path, help="evaluate this config file instead (for tuning)")
    args = parser.parse_args()
    names = [args.only] if args.only else list(PIPELINES)
    if args.config:
        PIPELINES["candidate"] = args.config
        names = ["candidate"]
    OUT.mkdir(parents=True, exist_ok=True)
    table: Dict[str, Dict[str, object]] = {}
    for name in names:
        model, seconds = train(name, PIPELINES[name])
        print(f"trained {name} in {seconds:.0f} s", flush=True)
        table[name] = asyncio.run(evaluate(model))
    print("\npipeline  language  n    accuracy  macro-F1")
    for name in names:
        for language in LANGUAGES:
            n, accuracy, f1 = table[name][language]  # type: ignore[misc]
            print(f"{name:<9} {language:<9} {n:<4} {accuracy:8.3f}  {f1:8.3f}")
    print("\npipeline  OOS dev n  rejected")
    for name in names:
        n, share = table[name]["rejection"]  # type: ignore[misc]
        print(f"{name:<9} {n:<10} {share:8.3f}")
    for name in names:
        print(f"\n{name}: what other fallback thresholds would have given")
        print("\n".join(sweep(table[name]["raw"])))  # type: ignore[arg-type]
    for name in names:
        if name != "stock":
            print_specific(table[name]["specific"])  # type: ignore[arg-type]
    if "ours" in table and "stock" in table:
        print("\nours / stock")
        for language in LANGUAGES:
            ours_f1, stock_f1 = table["ours"][language][2], table["stock"][language][2]  # type: ignore[index]
            print(f"  {language} macro-F1 ratio {ours_f1 / stock_f1:.3f}")
        ratio = table["ours"]["rejection"][1] / max(table["stock"]["rejection"][1], 1e-9)  # type: ignore[index]
        print(f"  OOS rejection ratio {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
