"""The second step of recognition: which specific question of the recognised topic was asked.

Runs after the intent classifier and the FallbackClassifier. One TF-IDF + logistic
regression model over every training example, labelled with its specific question
(`metadata: {question: <topic>/<key>}` in data/nlu/questions/) or else its intent. For a
message whose intent is a topic with specific questions, the probabilities of that
topic's labels are compared: the best question is chosen only when it has at least
`threshold` of the topic's probability and beats the topic's general examples, so a
doubtful message keeps the topic answer (with the likeliest questions as quick
replies) rather than get a wrong specific one. Output: `specific_question` =
{"name": key or None, "confidence": share, "ranking": [{"name", "confidence"}...]}.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline

from bot.nlu import build_pipeline, load_pipeline, save_pipeline

OUTPUT_KEY = "specific_question"  # read by bot.nlg
_FILE = "specific_question_selector.skops"


def question_label(message: Message) -> Optional[str]:
    """The example's specific question ('<topic>/<key>') from its intent metadata, if any."""
    metadata = message.get(METADATA) or {}
    question = (metadata.get(METADATA_INTENT) or {}).get("question")
    intent = message.get(INTENT)
    if isinstance(question, str) and intent and question.startswith(f"{intent}/"):
        return question
    return None


def select(ranking: Dict[str, float], topic: str, threshold: float, length: int) -> Dict[str, Any]:
    """Choose among the topic's labels: `ranking` maps labels to probabilities."""
    ours = {label: p for label, p in ranking.items() if label == topic or label.startswith(f"{topic}/")}
    total = sum(ours.values()) or 1.0
    shares = sorted(((label, p / total) for label, p in ours.items() if label != topic), key=lambda x: -x[1])
    general = ours.get(topic, 0.0) / total
    best_name, best_share = shares[0] if shares else (None, 0.0)
    chosen = best_name if best_share >= threshold and best_share > general else None
    return {
        "name": chosen,
        "confidence": best_share,
        "general": general,
        "ranking": [{"name": label, "confidence": share} for label, share in shares[:length]],
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SpecificQuestionSelector(GraphComponent):
    """Picks the specific question within the recognised topic (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 50.0, "word_ngrams": [1, 2], "char_ngrams": [2, 5], "max_iter": 3000,
                "threshold": 0.5, "ranking_length": 3}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 pipeline: Optional[Pipeline] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        self.topics: set = set()
        if pipeline is not None:
            self.topics = {str(label).split("/", 1)[0] for label in pipeline.classes_ if "/" in str(label)}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SpecificQuestionSelector":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = [question_label(e) or e.get(INTENT) for e in examples]
        if not any("/" in label for label in labels):
            return self._resource  # no specific questions: nothing to learn
        pipeline = build_pipeline(self.config)
        pipeline.fit([e.get(TEXT) for e in examples], labels)
        self.pipeline = pipeline
        save_pipeline(pipeline, self._model_storage, self._resource, _FILE)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SpecificQuestionSelector":
        return cls(config, model_storage, resource, load_pipeline(model_storage, resource, _FILE))

    def process(self, messages: List[Message]) -> List[Message]:
        if self.pipeline is None:
            return messages
        asked = [m for m in messages if (m.get(INTENT) or {}).get("name") in self.topics]
        if not asked:
            return messages
        probabilities = self.pipeline.predict_proba([m.get(TEXT) or "" for m in asked])
        classes = [str(c) for c in self.pipeline.classes_]
        for message, row in zip(asked, probabilities):
            ranking = dict(zip(classes, (float(p) for p in row)))
            topic = message.get(INTENT)["name"]
            message.set(OUTPUT_KEY, select(ranking, topic, self.config["threshold"], self.config["ranking_length"]),
                        add_to_output=True)
        return messages
