"""A model's figures for the publishing gate, with the scoring of `make bench-nlu` (bench/nlu_sets.py).

Runs in the training subprocess (bot/studio/train_worker.py), never in the web app: it loads
the model with Rasa and parses every held-out message. Per language whose held-out file exists
in the evaluation directory (BOT_MODEL_EVAL_DIR, default tests/nlu/): the figures of
bench/nlu_sets.py `scores` (macro-F1 on <lang>.yml, on messy/<lang>.yml, the share of
near_miss/<lang>.yml rejected, the share of business messages falsely rejected) and F1 per intent
on the held-out file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

from bot.config import LANGUAGES


def _sets_of(directory: Path, language: str) -> Dict[str, List[Tuple[str, str]]]:
    """The labelled sets of one language; a missing messy set is the clean one (a missing language: {})."""
    from bench.nlu_sets import SETS, load_set

    if not (directory / SETS["clean"].format(lang=language)).is_file():
        return {}
    found = {}
    for name, pattern in SETS.items():
        path = directory / pattern.format(lang=language)
        found[name] = load_set(name, language, directory) if path.is_file() else []
    if not found["messy"]:
        found["messy"] = found["clean"]
    return found


async def evaluate_model(model: Path, directory: Path) -> Dict[str, Dict[str, Any]]:
    """{language: figures} of the model archive `model` on the sets in `directory`."""
    from rasa.core.agent import Agent

    from bench.nlu_sets import per_intent_f1, scores

    agent = Agent.load(str(model))
    figures: Dict[str, Dict[str, Any]] = {}
    for language in LANGUAGES:
        sets = _sets_of(directory, language)
        if not sets:
            continue
        parsed = {}
        for name, examples in sets.items():
            gold, predicted = [], []
            for text, intent in examples:
                result = await agent.parse_message(text)
                gold.append(intent)
                predicted.append(result["intent"]["name"])
            parsed[name] = (gold, predicted)
        figures[language] = {**scores(parsed), "per_intent": per_intent_f1(*parsed["clean"])}
    return figures
