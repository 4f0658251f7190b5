"""Short follow-ups keep the topic of the conversation: "paljonko se maksaa mulle kaikkinensa?".

A follow-up names no topic of its own ("it", "that", "what if..."), so on its words alone the
classifier does not know what it is about. bot/rasa/context.py gives each message the topic
the conversation was on (`metadata.context.topic`, from the tracker); this component, after the
FallbackClassifier and before the specific-question selector, makes that topic the intent when
the message is short and either reads as a follow-up or was not understood, unless the words
themselves name another topic with confidence. The selector then picks the specific question
within the topic from the words ("paljonko ... maksaa" after YEL: what YEL costs).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.compound import NOT_A_QUESTION

CONTEXT_KEY = "context"  # in a message's metadata, set by bot/rasa/context.py
FOLLOW_UP_KEY = "follow_up"  # in the parse data: the topic a follow-up was taken to be about

# Words that refer back or continue: pronouns, "what about", "what if", "also", "in total".
_MARKERS = re.compile(
    r"^(entä|entäs|mites|mitä jos|ja jos|mutta jos|och om|men om|vad om|and if|what if|what about|how about)\b"
    r"|\b(se|sen|sitä|siitä|siihen|sillä|siinä|ne|niitä|niistä|niihin|tuo|tuon|tota|tää|tämä|tämän|tätä"
    r"|kaikkinensa|yhteensä|myös|entä|entäs"
    r"|det|den|dem|dess|detta|denna|också|totalt|sammanlagt"
    r"|it|its|that|this|those|them|they|also|total|altogether)\b",
    re.IGNORECASE,
)


def reads_as_follow_up(text: str) -> bool:
    """Whether the words refer back to what was said before (fi/sv/en)."""
    return bool(_MARKERS.search(" ".join(text.lower().split())))


def follow_up_topic(text: str, intent: Mapping[str, Any], context: Mapping[str, Any], *,
                    max_words: int, sure: float, short: int) -> Optional[str]:
    """The conversation's topic when `text` (classified as `intent`) is a follow-up of it, else None.

    A follow-up: at most `max_words` words that refer back (or two to `short` words that were
    not understood: "paljonko maksaa?"), while the classifier is below `sure` of any other business topic."""
    topic = context.get("topic")
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if not isinstance(topic, str) or not topic or name == topic or text.startswith("/"):
        return None
    words = len(text.split())
    if words > max_words:
        return None
    not_understood = name in NOT_A_QUESTION - {"change_language"}
    if reads_as_follow_up(text) and (not_understood or confidence < sure):
        return topic
    if 2 <= words <= short and name in ("nlu_fallback", "out_of_scope"):
        return topic
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FollowUpResolver(GraphComponent):
    """Gives a short follow-up the conversation's topic (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_words": 12, "sure": 0.5, "short_words": 4, "confidence": 0.5}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FollowUpResolver":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            context = (message.get("metadata") or {}).get(CONTEXT_KEY) or {}
            intent = message.get(INTENT) or {}
            topic = follow_up_topic(message.get(TEXT) or "", intent, context, max_words=self.config["max_words"],
                                    sure=self.config["sure"], short=self.config["short_words"])
            if topic is None:
                continue
            ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != topic]
            own = next((e["confidence"] for e in message.get(INTENT_RANKING_KEY) or [] if e.get("name") == topic), 0.0)
            # the topic is known from the conversation, not from the words: at least `confidence`
            chosen = {"name": topic, "confidence": max(float(own), self.config["confidence"])}
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
            message.set(FOLLOW_UP_KEY, topic, add_to_output=True)
        return messages
