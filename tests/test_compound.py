"""bot/rasa/compound.py: the question after the small talk of a message."""
from typing import Dict, List, Sequence

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.compound import clauses, find_focus
from bot.rasa.nlu import FOCUS_TEXT_KEY, TfidfIntentClassifier, build_pipeline

# A keyword classifier standing in for the trained one: the first keyword found decides.
KEYWORDS = {"moi": "greet", "hej": "greet", "kiitos": "thank", "englantia": "change_language",
            "anniskelu": "permits", "rahoitu": "funding", "sää": "out_of_scope"}


def classify(texts: Sequence[str]) -> List[List[Dict[str, object]]]:
    rankings = []
    for text in texts:
        found = next((intent for word, intent in KEYWORDS.items() if word in text.lower()), "nlu_fallback")
        rankings.append([{"name": found, "confidence": 0.9}, {"name": "help", "confidence": 0.1}])
    return rankings


def test_clauses_split_at_punctuation_and_conjunctions():
    assert clauses("moi, meillä on kahvila ja kysyisin anniskelusta") == ["moi", "meillä on kahvila", "kysyisin anniskelusta"]
    assert clauses("Hej! Vi har ett café och undrar") == ["Hej", "Vi har ett café", "undrar"]
    assert clauses("rahoitus") == ["rahoitus"]


def test_the_question_after_a_greeting_is_the_focus():
    focus = find_focus("moi, meillä on kahvila tapiolassa ja kysyisin anniskeluluvasta", classify, 0.3)
    assert focus is not None
    assert focus.ranking[0]["name"] == "permits" and focus.small_talk == ["greet"]
    assert focus.text == "meillä on kahvila tapiolassa kysyisin anniskeluluvasta" and focus.language is None


def test_a_language_request_before_a_question_names_the_language():
    focus = find_focus("voidaanko puhua englantia, haluaisin kysyä rahoituksesta", classify, 0.3)
    assert focus is not None and focus.ranking[0]["name"] == "funding" and focus.language == "en"


@pytest.mark.parametrize("text", [
    "moi",  # one clause
    "moi, kiitos",  # only small talk
    "moi, millainen sää on huomenna",  # the rest is not a business question
    "rahoitus, anniskelu",  # no small talk to drop
])
def test_no_focus_without_small_talk_and_a_question(text):
    assert find_focus(text, classify, 0.3) is None


def test_a_doubtful_rest_is_no_focus():
    assert find_focus("moi, anniskelu", lambda texts: [[{"name": "permits", "confidence": 0.2}]
                                                      if "anniskelu" == t else classify([t])[0] for t in texts], 0.3) is None


@pytest.fixture(scope="module")
def classifier() -> TfidfIntentClassifier:
    """The real classifier trained on a few examples per intent."""
    examples = {
        "greet": ["moi", "hei", "hyvää päivää", "moikka", "terve"],
        "thank": ["kiitos", "kiitos paljon", "kiitti", "kiitos avusta", "thanks"],
        "permits": ["anniskelulupa", "tarvitsenko anniskeluluvan", "alkoholin anniskelu kahvilassa",
                    "lupa myydä olutta", "anniskeluluvan hakeminen"],
        "funding": ["rahoitus yritykselle", "mistä saan rahoitusta", "lainaa yritykselle", "rahoitusta kasvuun",
                    "yrityksen rahoitus"],
    }
    component = TfidfIntentClassifier({}, None, None)  # type: ignore[arg-type]
    pipeline = build_pipeline(component.config)
    texts = [t for ts in examples.values() for t in ts]
    pipeline.fit(texts, [intent for intent, ts in examples.items() for _ in ts])
    component.pipeline = pipeline
    return component


def test_the_classifier_answers_the_question_not_the_greeting(classifier):
    text = "moi hei terve moikka, anniskelulupa"
    assert classifier.rank([text])[0][0]["name"] == "greet"  # the whole message reads as a greeting
    [message] = classifier.process([Message(data={TEXT: text})])
    assert message.get(INTENT)["name"] == "permits" and message.get(FOCUS_TEXT_KEY) == "anniskelulupa"
    [plain] = classifier.process([Message(data={TEXT: "moi"})])
    assert plain.get(INTENT)["name"] == "greet" and plain.get(FOCUS_TEXT_KEY) is None and not plain.get(ENTITIES)
