"""`make bench-nlu`: our pipeline against Rasa's stock pipeline on the same data.

Trains both NLU models on data/nlu/, then prints per language (bench/nlu_sets.py): accuracy and
macro-F1 on the clean held-out tests/nlu/<lang>.yml, macro-F1 on the messy chat-style
tests/nlu/messy/<lang>.yml, the share of the near-miss out-of-scope tests/nlu/near_miss/<lang>.yml
rejected, the share of business messages (clean and messy) falsely rejected; and the share of
shared/eval/clinc_oos_dev.txt rejected (top intent not a business intent). `--model` evaluates a
model already trained (for a before/after comparison).

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
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import LANGUAGES  # noqa: E402
from bot.content.intents import BUSINESS_INTENTS  # noqa: E402
from bot.content.question_examples import read_examples  # noqa: E402
from bench.nlu_sets import HEADER, SETS, load_set, rejected, row, scores  # noqa: E402

DEV_OOS = Path(os.environ.get("BENCH_OOS_FILE", ROOT.parent / "shared" / "eval" / "clinc_oos_dev.txt"))
OUT = ROOT / "var" / "bench"
PIPELINES = {"ours": ROOT / "config.yml", "stock": ROOT / "bench" / "stock_config.yml"}
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
SELECTOR_MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def load_test_examples(language: str) -> List[Tuple[str, str]]:
    return load_set("clean", language)


def train(name: str, config: Path) -> Tuple[Path, float]:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config), "--nlu", "data/nlu",
         "--out", str(OUT), "--fixed-model-name", name],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    return OUT / f"{name}.tar.gz", time.monotonic() - started


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
    raw: Dict[str, List[Tuple[str, str, float]]] = {}  # language/set -> (gold, best real intent, confidence)
    for language in LANGUAGES:
        parsed_sets = {}
        for name in SETS:
            gold, predicted = [], []
            raw[f"{language}/{name}"] = found = []
            for text, intent in load_set(name, language):
                parsed = await agent.parse_message(text)
                gold.append(intent)
                predicted.append(parsed["intent"]["name"])
                found.append((intent, *top_real_intent(parsed)))
            parsed_sets[name] = (gold, predicted)
        results[language] = scores(parsed_sets)
    oos = [line.strip() for line in DEV_OOS.read_text(encoding="utf-8").splitlines() if line.strip()]
    raw["clinc"] = []
    predicted = []
    for text in oos:
        parsed = await agent.parse_message(text)
        predicted.append(parsed["intent"]["name"])
        raw["clinc"].append(("", *top_real_intent(parsed)))
    results["rejection"] = (len(oos), rejected(predicted))
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


def sweep(raw: Dict[str, List[Tuple[str, str, float]]]) -> List[str]:
    """Per language: clean accuracy, near-miss rejection and false rejection of business messages, and
    the CLINC dev rejection, had the fallback threshold been t (same model)."""
    lines = []
    for t in THRESHOLDS:
        cut = {key: [(g, p if c >= t else "nlu_fallback") for g, p, c in found] for key, found in raw.items()}
        parts = []
        for language in LANGUAGES:
            clean = cut[f"{language}/clean"]
            business = [p for g, p in clean + cut[f"{language}/messy"] if g in BUSINESS_INTENTS]
            accuracy = sum(g == p for g, p in clean) / max(len(clean), 1)
            parts.append(f"{language} acc {accuracy:.3f} near-miss {rejected([p for _, p in cut[f'{language}/near_miss']]):.3f} "
                         f"false {rejected(business):.3f}")
        lines.append(f"  threshold {t:.2f}: " + " | ".join(parts) + f" | CLINC dev {rejected([p for _, p in cut['clinc']]):.3f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(PIPELINES), help="evaluate one pipeline only")
    parser.add_argument("--config", type=Path, help="evaluate this config file instead (for tuning)")
    parser.add_argument("--model", type=Path, help="evaluate this trained model (no training)")
    args = parser.parse_args()
    names = [args.only] if args.only else list(PIPELINES)
    if args.config:
        PIPELINES["candidate"] = args.config
        names = ["candidate"]
    OUT.mkdir(parents=True, exist_ok=True)
    table: Dict[str, Dict[str, object]] = {}
    if args.model:
        names = [args.model.name.split(".")[0]]
        table[names[0]] = asyncio.run(evaluate(args.model))
    for name in [] if args.model else names:
        model, seconds = train(name, PIPELINES[name])
        print(f"trained {name} in {seconds:.0f} s", flush=True)
        table[name] = asyncio.run(evaluate(model))
    print("\n" + HEADER)
    for name in names:
        for language in LANGUAGES:
            print(row(name, language, table[name][language]))  # type: ignore[arg-type]
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
            ours_f1, stock_f1 = table["ours"][language]["clean_f1"], table["stock"][language]["clean_f1"]  # type: ignore[index]
            print(f"  {language} macro-F1 ratio {ours_f1 / stock_f1:.3f}")
        ratio = table["ours"]["rejection"][1] / max(table["stock"]["rejection"][1], 1e-9)  # type: ignore[index]
        print(f"  OOS rejection ratio {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
