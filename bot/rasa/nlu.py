"""The assistant's own intent classifier (loaded by Rasa from config.yml).

TF-IDF of word 1-2-grams and character 2-5-grams with accents stripped (users
type "a" for "ä", Finnish inflects: "rahoitusta", "rahoituksen" share n-grams),
then a class-balanced logistic regression. It trains in seconds on two cores
and is measured against Rasa's stock DIET pipeline by `make bench-nlu`.

Saying no (issue 12): a message whose best intent is a business intent, but whose probability
mass on the two rejections (resident_matter and out_of_scope together) is at least
`rejection_ratio` times that intent's, is taken as the likelier rejection: a resident's dental
appointment spread over "book_appointment", "resident_matter" and "out_of_scope" is not a business
question. Its confidence is the rejections' sum, or the business intent's when that is higher, so
that the FallbackClassifier's ambiguity check keeps it (the resident gets the city's advice, not
"not understood"). 0 turns this off.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from bot.content.intents import BUSINESS_INTENTS
from bot.rasa.compact import compact, load_compact, save_compact
from bot.rasa.compound import SMALL_TALK, find_focus

logger = logging.getLogger(__name__)

FOCUS_TEXT_KEY = "focus_text"  # the question part of a message that opened with small talk

_FILE = "tfidf_intent_classifier.skops"
REJECTIONS = ("resident_matter", "out_of_scope")  # not business intents: what "saying no" chooses between
# Type prefixes a stored classifier may contain; anything else is refused at load.
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def build_features(config: Dict[str, Any]) -> Any:
    """The untrained TF-IDF features: word n-grams and character n-grams, accents stripped."""
    words = TfidfVectorizer(
        strip_accents="unicode", lowercase=True, sublinear_tf=True,
        ngram_range=tuple(config["word_ngrams"]), token_pattern=r"(?u)\b\w+\b",
    )
    chars = TfidfVectorizer(
        strip_accents="unicode", lowercase=True, sublinear_tf=True,
        analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]),
    )
    return make_union(words, chars)


def build_pipeline(config: Dict[str, Any]) -> Pipeline:
    """The untrained scikit-learn pipeline for `config`."""
    classifier = LogisticRegression(
        C=config["C"], class_weight="balanced", max_iter=config["max_iter"], random_state=42
    )
    return make_pipeline(build_features(config), classifier)


def save_pipeline(pipeline: Any, model_storage: ModelStorage, resource: Resource, filename: str) -> None:
    """Store a trained pipeline in the model: compact (bot/rasa/compact.py) when it has that form, else
    with skops (never pickle)."""
    import skops.io as sio

    with model_storage.write_to(resource) as directory:
        if not save_compact(pipeline, directory / f"{filename}.npz"):
            sio.dump(pipeline, directory / filename)


def load_pipeline(model_storage: ModelStorage, resource: Resource, filename: str) -> Optional[Any]:
    """The stored pipeline, compact where it can be (bot/rasa/compact.py), or None (logged) when there is
    none or it holds untrusted types."""
    import skops.io as sio

    try:
        with model_storage.read_from(resource) as directory:
            if (directory / f"{filename}.npz").exists():
                return load_compact(directory / f"{filename}.npz")
            path = directory / filename  # a model trained before the compact form
            untrusted = sio.get_untrusted_types(file=path)
            refused = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
            if refused:
                raise ValueError(f"refusing to load types {refused}")
            return compact(sio.load(path, trusted=untrusted))
    except (ValueError, FileNotFoundError, KeyError) as exc:
        logger.warning("%s not loaded (%s); it will predict nothing", filename, exc)
        return None


def prefer_rejection(ranking: List[Dict[str, Any]], ratio: float) -> List[Dict[str, Any]]:
    """`ranking` with the likelier rejection first when its top is a business intent and the
    rejections together have at least `ratio` times its confidence (see the module docstring)."""
    top = ranking[0] if ranking else None
    if ratio <= 0 or top is None or top["name"] not in BUSINESS_INTENTS:
        return ranking
    rejections = [entry for entry in ranking if entry["name"] in REJECTIONS]
    mass = sum(float(entry["confidence"]) for entry in rejections)
    if not rejections or mass < ratio * float(top["confidence"]):
        return ranking
    best = max(rejections, key=lambda entry: float(entry["confidence"]))
    chosen = {"name": best["name"], "confidence": max(mass, float(top["confidence"]))}
    return [chosen, *(e for e in ranking if e["name"] not in REJECTIONS)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    """Intent classification by TF-IDF n-grams and logistic regression."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 50.0, "word_ngrams": [1, 2], "char_ngrams": [2, 5], "max_iter": 3000, "ranking_length": 10,
                "focus_confidence": 0.3, "rejection_ratio": 0.0}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Optional[Pipeline] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TfidfIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.warning("TfidfIntentClassifier needs at least two intents; not trained")
            return self._resource
        pipeline = build_pipeline(self.config)
        pipeline.fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples])
        self.pipeline = pipeline
        self.persist()
        return self._resource

    def persist(self) -> None:
        save_pipeline(self.pipeline, self._model_storage, self._resource, _FILE)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfIntentClassifier":
        return cls(config, model_storage, resource, load_pipeline(model_storage, resource, _FILE))

    def rank(self, texts: Sequence[str]) -> List[List[Dict[str, Any]]]:
        """The intent ranking of each text, best first."""
        assert self.pipeline is not None
        classes = self.pipeline.classes_
        return [
            sorted(({"name": str(name), "confidence": float(p)} for name, p in zip(classes, row)),
                   key=lambda entry: -entry["confidence"])
            for row in self.pipeline.predict_proba(list(texts))
        ]

    def process(self, messages: List[Message]) -> List[Message]:
        if self.pipeline is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        for message, text, ranking in zip(messages, texts, self.rank(texts)):
            if ranking[0]["name"] in SMALL_TALK and not text.startswith("/"):
                focus = find_focus(text, self.rank, self.config["focus_confidence"])
                if focus is not None:
                    ranking = focus.ranking
                    message.set(FOCUS_TEXT_KEY, focus.text, add_to_output=True)
                    if focus.language:
                        entity = {"entity": "language", "value": focus.language, "extractor": type(self).__name__}
                        message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
            ranking = prefer_rejection(ranking, self.config["rejection_ratio"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages
