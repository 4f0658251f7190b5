"""The second step of recognition: which specific question of the recognised topic was asked.

Runs after the intent classifier and the FallbackClassifier. One linear SVM over the TF-IDF
features of every training example, labelled with its specific question
(`metadata: {question: <topic>/<key>}` in data/nlu/questions/) or else its intent; it
trains in seconds. For a message whose intent is a topic with specific questions, the
decision scores of that topic's labels are compared: the best question is chosen only
when it leads both the runner-up question and the topic's general examples by at least
`margin` and the intent classifier gave the topic at least `topic_confidence`, so a
doubtful message keeps the topic answer (with the likeliest questions as
quick replies) rather than get a wrong specific one. When the best label of all is a
question of another topic that the intent classifier also found likely (at least
`switch_topic_confidence`), the intent becomes that topic; when it is not (the topic was less
likely) and that question scores more than `rival_gap` above the topic's best, nothing is chosen
(the two steps disagree: the topic answer with quick replies). A message the FallbackClassifier did
not understand (nlu_fallback) is rescued when the best label of all is a specific question that
leads every other label by `rescue_margin` with a positive score and the intent classifier ranked
its topic at least `rescue_confidence` (a margin of 0 turns this off). Output: `specific_question` =
{"name": key or None, "confidence": lead, "topic_sure": bool,
"ranking": [{"name", "confidence": score}...]}.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from bot.rasa.follow_up import FOLLOW_UP_KEY
from bot.rasa.nlu import FOCUS_TEXT_KEY, build_features, load_pipeline, save_pipeline

OUTPUT_KEY = "specific_question"  # read by bot.rasa.nlg
NOT_UNDERSTOOD = "nlu_fallback"  # the FallbackClassifier's intent
_FILE = "specific_question_selector.skops"


def question_label(message: Message) -> Optional[str]:
    """The example's specific question ('<topic>/<key>') from its intent metadata, if any."""
    metadata = message.get(METADATA) or {}
    question = (metadata.get(METADATA_INTENT) or {}).get("question")
    intent = message.get(INTENT)
    if isinstance(question, str) and intent and question.startswith(f"{intent}/"):
        return question
    return None


def select(scores: Dict[str, float], topic: str, margin: float, length: int,
           topic_is_sure: bool = True, rival_gap: float = float("inf")) -> Dict[str, Any]:
    """Choose among the topic's labels (`scores` maps labels to decision scores); nothing is
    chosen, only ranked, when the topic itself is not sure or a question of another topic scores
    more than `rival_gap` above the best of this one (the two steps disagree)."""
    ranked = sorted(((label, score) for label, score in scores.items() if label.startswith(f"{topic}/")),
                    key=lambda item: -item[1])
    general = scores.get(topic, float("-inf"))
    chosen, lead = None, 0.0
    if ranked:
        runner_up = ranked[1][1] if len(ranked) > 1 else float("-inf")
        lead = ranked[0][1] - max(runner_up, general)
        rival = max((score for label, score in scores.items() if "/" in label and not label.startswith(f"{topic}/")),
                    default=float("-inf"))
        agree = rival - ranked[0][1] <= rival_gap
        chosen = ranked[0][0] if lead >= margin and topic_is_sure and agree else None
    return {
        "name": chosen,
        "confidence": lead,
        "topic_sure": topic_is_sure,
        "ranking": [{"name": label, "confidence": score} for label, score in ranked[:length]],
    }


def switched_topic(scores: Dict[str, float], intent_ranking: List[Dict[str, Any]], topic: str,
                   least: float) -> Optional[Dict[str, Any]]:
    """The intent to use instead of `topic` when the best label of all is a specific question of
    another topic that the intent classifier ranked at least `least`; else None."""
    best = max(scores, key=scores.__getitem__)
    other = best.split("/", 1)[0]
    if "/" not in best or other == topic:
        return None
    for candidate in intent_ranking:
        if candidate.get("name") == other and candidate.get("confidence", 0.0) >= least:
            return {"name": other, "confidence": candidate["confidence"]}
    return None


def rescued_topic(scores: Dict[str, float], intent_ranking: List[Dict[str, Any]], margin: float,
                  least: float) -> Optional[Dict[str, Any]]:
    """The topic intent for a message that was not understood, when its best label is a specific
    question with a positive score leading every other label by `margin` and the intent classifier
    ranked that topic at least `least`; else None."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if margin <= 0 or len(ranked) < 2 or "/" not in ranked[0][0]:
        return None
    (best, score), runner_up = ranked[0], ranked[1][1]
    if score < 0 or score - runner_up < margin:
        return None
    topic = best.split("/", 1)[0]
    confidence = next((float(e.get("confidence", 0.0)) for e in intent_ranking if e.get("name") == topic), 0.0)
    return {"name": topic, "confidence": confidence} if confidence >= least else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SpecificQuestionSelector(GraphComponent):
    """Picks the specific question within the recognised topic (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 1.0, "word_ngrams": [1, 2], "char_ngrams": [2, 5], "margin": 0.2,
                "topic_confidence": 0.3, "switch_topic_confidence": 0.2, "ranking_length": 3,
                "rescue_margin": 0.0, "rescue_confidence": 0.1, "rival_gap": None}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 pipeline: Optional[Pipeline] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        gap = self.config["rival_gap"]
        self._rival_gap = float("inf") if gap is None else float(gap)
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
        pipeline = make_pipeline(build_features(self.config),
                                 LinearSVC(C=self.config["C"], class_weight="balanced", random_state=42))
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
        rescue = self.config["rescue_margin"] > 0
        asked = [m for m in messages if (m.get(INTENT) or {}).get("name") in self.topics
                 or (rescue and (m.get(INTENT) or {}).get("name") == NOT_UNDERSTOOD)]
        if not asked:
            return messages
        scores = self.pipeline.decision_function([m.get(FOCUS_TEXT_KEY) or m.get(TEXT) or "" for m in asked])
        classes = [str(c) for c in self.pipeline.classes_]
        for message, row in zip(asked, scores):
            by_label = dict(zip(classes, (float(s) for s in row)))
            topic = message.get(INTENT)["name"]
            if topic == NOT_UNDERSTOOD:
                found = rescued_topic(by_label, message.get(INTENT_RANKING_KEY) or [],
                                      self.config["rescue_margin"], self.config["rescue_confidence"])
                if found is None:
                    continue
                message.set(INTENT, found, add_to_output=True)
                topic, sure = found["name"], True  # the question itself leads clearly
            else:
                switched = None if message.get(FOLLOW_UP_KEY) else switched_topic(  # a follow-up keeps its topic
                    by_label, message.get(INTENT_RANKING_KEY) or [], topic, self.config["switch_topic_confidence"])
                if switched is not None:
                    message.set(INTENT, switched, add_to_output=True)
                    topic = switched["name"]
                sure = message.get(INTENT).get("confidence", 0.0) >= self.config["topic_confidence"]
            # A follow-up's topic comes from the conversation: another topic's question scoring higher on
            # the bare words ("how much does it cost?") is no disagreement.
            gap = float("inf") if message.get(FOLLOW_UP_KEY) else self._rival_gap
            message.set(OUTPUT_KEY, select(by_label, topic, self.config["margin"], self.config["ranking_length"], sure,
                                           gap), add_to_output=True)
        return messages
