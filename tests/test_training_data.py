"""The training data keeps the intent contract and the held-out tests stay held out."""
import hashlib
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.config import LANGUAGES
from bot.content.intents import ALL_INTENTS, BUSINESS_INTENTS, CONVERSATION_INTENTS
from bot.content.question_examples import normalised
from tests.conftest import ROOT


def examples(path: Path) -> Dict[str, List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: Dict[str, List[str]] = {}
    for block in data["nlu"]:
        lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
        found.setdefault(block["intent"], []).extend(lines)
    return found


key = normalised  # one folding of case, accents and punctuation (bot/content/question_examples.py)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_has_enough_training_examples(language):
    found = examples(ROOT / "data" / "nlu" / f"{language}.yml")
    assert set(found) == set(ALL_INTENTS)
    for path in (ROOT / "data" / "nlu" / "questions" / language).glob("*.yml"):
        for intent, texts in examples(path).items():
            found[intent].extend(texts)  # a topic's specific questions are examples of the topic too
    for intent in BUSINESS_INTENTS:
        assert len(found[intent]) >= 25, (language, intent)
    for intent in CONVERSATION_INTENTS:
        assert len(found[intent]) >= 12, (language, intent)


@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_tests_cover_every_intent_and_are_not_trained_on(language):
    tests = examples(ROOT / "tests" / "nlu" / f"{language}.yml")
    assert set(tests) == set(ALL_INTENTS)
    assert all(len(tests[intent]) >= 6 for intent in ALL_INTENTS)
    trained = {key(t) for path in (ROOT / "data" / "nlu").rglob("*.yml") for ts in examples(path).values() for t in ts}
    leaked = [t for ts in tests.values() for t in ts if key(t) in trained]
    assert not leaked


def test_no_example_has_two_intents():
    seen: Dict[str, str] = {}
    clashes = []
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        for intent, texts in examples(path).items():
            for text in texts:
                previous = seen.setdefault(key(text), intent)
                if previous != intent:
                    clashes.append((text, previous, intent))
    assert not clashes


def test_evaluation_only_data_is_never_trained_on():
    """No training example is a line of shared/eval's dev or test files (kept as fingerprints)."""
    fingerprints = ROOT / "tests" / "nlu" / "heldout_eval_fingerprints.txt"
    held = {line for line in fingerprints.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert len(held) > 2000
    trained = {hashlib.sha1(key(t).encode()).hexdigest()[:16]
               for path in (ROOT / "data" / "nlu").rglob("*.yml") for ts in examples(path).values() for t in ts}
    assert not held & trained
    evaluation = ROOT.parent / "shared" / "eval" / "clinc_oos_dev.txt"
    if evaluation.exists():  # beside a checkout: the fingerprints are those of the real file
        line = next(l for l in evaluation.read_text(encoding="utf-8").splitlines() if l.strip())
        assert hashlib.sha1(key(line).encode()).hexdigest()[:16] in held


@pytest.mark.parametrize("language", LANGUAGES)
def test_own_evaluation_sets_are_big_enough_and_never_trained_on(language):
    """tests/nlu/near_miss (100+ messages that must be rejected) and tests/nlu/messy (5+ chat-style
    messages per business intent): evaluation only, so none may be a training example."""
    near_miss = examples(ROOT / "tests" / "nlu" / "near_miss" / f"{language}.yml")
    assert set(near_miss) <= {"resident_matter", "out_of_scope"}
    assert sum(len(texts) for texts in near_miss.values()) >= 100
    messy = examples(ROOT / "tests" / "nlu" / "messy" / f"{language}.yml")
    assert set(messy) == set(BUSINESS_INTENTS)
    assert all(len(texts) >= 5 for texts in messy.values())
    trained = {key(t) for path in (ROOT / "data" / "nlu").rglob("*.yml") for ts in examples(path).values() for t in ts}
    leaked = [t for found in (near_miss, messy) for ts in found.values() for t in ts if key(t) in trained]
    assert not leaked


def test_domain_lists_the_contract_intents():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == set(ALL_INTENTS)


def test_every_intent_has_a_rule():
    rules = yaml.safe_load((ROOT / "data" / "rules" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    ruled = {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    assert set(ALL_INTENTS) | {"nlu_fallback"} == ruled


@pytest.mark.parametrize("language", LANGUAGES)
def test_conversation_tests_cover_the_required_flows(language):
    data = yaml.safe_load((ROOT / "tests" / f"test_conversations_{language}.yml").read_text(encoding="utf-8"))
    steps = [step for story in data["stories"] for step in story["steps"]]
    intents = {step.get("intent") for step in steps}
    actions = {step.get("action") for step in steps}
    assert {"greet", "change_language", "out_of_scope", "request_human", "find_events",
            "find_recruitment_offers", "find_service"} <= intents
    assert {"utter_offer_human", "utter_language_changed", "action_find_events"} <= actions


def test_every_specific_question_has_its_examples_and_none_leaks():
    """At least 8 training and 2 held-out examples per language, none in both, none under two questions."""
    from bot.__main__ import question_problems
    from bot.content.questions import load_question_book

    assert len(load_question_book(ROOT / "data" / "responses").answers) >= 150
    assert question_problems(ROOT) == []
