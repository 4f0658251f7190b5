"""Fast check of the specific answers: trains the NLU components in-process, no Rasa model.

`python bench/questions.py` trains our intent classifier, the FallbackClassifier's decision and the
specific-question selector (bot/rasa/question_selector.py) with the settings of config.yml on
data/nlu/, then prints per language for the held-out tests/nlu/questions/<lang>/: the right / wrong
specific / topic answer shares (as `make bench-nlu` does) and the most frequent confusions (held-out
question -> answer given), and the clean intent F1, the near-miss rejection and the false rejection.
`--margin`, `--topic-confidence`, `--switch-topic-confidence` and `--selector-c` override the selector's
settings.
`--reuse-intents` keeps the intent classifier of the last run (var/bench/) and trains only the
selector (a few minutes less), for quick iterations on question examples. `make bench-nlu` (a real
Rasa model) stays the measurement of record.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import LANGUAGES  # noqa: E402
from bot.content.question_examples import read_examples  # noqa: E402
from bench.nlu_sets import SETS, load_set, scores  # noqa: E402

INTENTS_CACHE = ROOT / "var" / "bench" / "questions_intents.skops"  # our own file, from the last full run


def pipeline_config(path: Path) -> Dict[str, Dict[str, Any]]:
    """The config.yml settings of each pipeline component, by component name."""
    import yaml

    pipeline = yaml.safe_load(path.read_text(encoding="utf-8"))["pipeline"]
    return {entry["name"]: {k: v for k, v in entry.items() if k != "name"} for entry in pipeline}


class Components:
    """Our intent classifier, the fallback decision and the selector, trained on data/nlu."""

    def __init__(self, config: Dict[str, Dict[str, Any]], overrides: Dict[str, Any], reuse_intents: bool) -> None:
        from rasa.engine.storage.local_model_storage import LocalModelStorage
        from rasa.engine.storage.resource import Resource
        from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
        from rasa.shared.nlu.training_data.loading import load_data

        from bot.rasa.nlu import TfidfIntentClassifier
        from bot.rasa.question_selector import SpecificQuestionSelector

        storage = LocalModelStorage(Path(tempfile.mkdtemp(prefix="bench-questions-")))
        data = load_data(str(ROOT / "data" / "nlu"))
        self.intents = TfidfIntentClassifier.create(
            {**TfidfIntentClassifier.get_default_config(), **config["bot.rasa.nlu.TfidfIntentClassifier"]},
            storage, Resource("intents"), None)  # type: ignore[arg-type]
        if reuse_intents and INTENTS_CACHE.exists():
            import skops.io as sio

            self.intents.pipeline = sio.load(INTENTS_CACHE, trusted=sio.get_untrusted_types(file=INTENTS_CACHE))
        else:
            import skops.io as sio

            self.intents.train(data)
            INTENTS_CACHE.parent.mkdir(parents=True, exist_ok=True)
            sio.dump(self.intents.pipeline, INTENTS_CACHE)
        self.fallback = FallbackClassifier.create(
            {**FallbackClassifier.get_default_config(), **config["FallbackClassifier"]},
            storage, Resource("fallback"), None)  # type: ignore[arg-type]
        selector_config = {**config["bot.rasa.question_selector.SpecificQuestionSelector"], **overrides}
        trainer = SpecificQuestionSelector.create(selector_config, storage, Resource("selector"), None)  # type: ignore[arg-type]
        trainer.train(data)
        # as Rasa does after training: the trained component is loaded anew (it learns its topics then)
        self.selector = SpecificQuestionSelector(selector_config, storage, Resource("selector"), trainer.pipeline)

    def parse(self, texts: List[str]) -> List[Dict[str, Any]]:
        """Intent and specific question of each text, as the Rasa pipeline gives them."""
        from rasa.shared.nlu.training_data.message import Message

        messages = [Message(data={"text": t}) for t in texts]
        for step in (self.intents, self.fallback, self.selector):
            messages = step.process(messages)
        return [{"intent": m.get("intent"), "specific_question": m.get("specific_question") or {}} for m in messages]


def outcome(parsed: Dict[str, Any], question: str) -> Tuple[str, str]:
    """(right / wrong / suggested / topic / other, what was answered) for a question's example."""
    chosen = parsed["specific_question"].get("name")
    if chosen:
        return ("right" if chosen == question else "wrong"), chosen
    intent = parsed["intent"]["name"]
    if intent == question.split("/", 1)[0]:
        suggested = question in [r["name"] for r in parsed["specific_question"].get("ranking") or []]
        return ("suggested" if suggested else "topic"), f"{intent} (topic)"
    return "other", intent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--margin", type=float)
    parser.add_argument("--topic-confidence", type=float)
    parser.add_argument("--switch-topic-confidence", type=float)
    parser.add_argument("--selector-c", type=float, help="the selector's C")
    parser.add_argument("--top", type=int, default=12, help="confusions shown per language")
    parser.add_argument("--examples", action="store_true", help="print each wrong or missed held-out text")
    parser.add_argument("--reuse-intents", action="store_true",
                        help="reuse the intent classifier of the last run (only the selector is trained)")
    args = parser.parse_args()
    overrides = {k: v for k, v in (("margin", args.margin), ("topic_confidence", args.topic_confidence),
                                   ("switch_topic_confidence", args.switch_topic_confidence),
                                   ("C", args.selector_c)) if v is not None}
    components = Components(pipeline_config(args.config), overrides, args.reuse_intents)
    held_out = read_examples(ROOT / "tests" / "nlu" / "questions")
    for language in LANGUAGES:
        items = [(q, t) for q, by in sorted(held_out.items()) for t in by.get(language, [])]
        parsed = components.parse([t for _, t in items])
        counts: Counter = Counter()
        confusions: Counter = Counter()
        for (question, text), result in zip(items, parsed):
            kind, answered = outcome(result, question)
            counts[kind] += 1
            if kind != "right":
                confusions[(question, answered)] += 1
                if args.examples:
                    print(f"  {language} {kind:<9} {question} -> {answered}: {text}")
        n = max(len(items), 1)
        sets = {}
        for name in SETS:
            labelled = load_set(name, language)
            sets[name] = ([g for _, g in labelled], [p["intent"]["name"] for p in components.parse([t for t, _ in labelled])])
        figures = scores(sets)
        print(f"{language}: n {len(items)}  right {counts['right'] / n:.3f}  wrong {counts['wrong'] / n:.3f}  "
              f"topic+suggested {counts['suggested'] / n:.3f}  topic {counts['topic'] / n:.3f}  "
              f"other {counts['other'] / n:.3f} | clean F1 {figures['clean_f1']:.3f}  "
              f"near-miss {figures['near_miss']:.3f}  false rejection {figures['false_rejection']:.3f}")
        for (question, answered), count in confusions.most_common(args.top):
            print(f"    {count:>2}  {question} -> {answered}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
