"""bot/rasa/follow_up.py and bot/rasa/context.py: a short follow-up keeps the conversation's topic."""
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa import context
from bot.rasa.context import conversation_topic, with_context
from bot.rasa.follow_up import FOLLOW_UP_KEY, FollowUpResolver, follow_up_topic, reads_as_follow_up

LIMITS = dict(max_words=12, sure=0.5, short=4)
ON_YEL = {"topic": "entrepreneur_insurance"}


def intent(name: str, confidence: float) -> Dict[str, Any]:
    return {"name": name, "confidence": confidence}


@pytest.mark.parametrize("text", [
    "paljonko se maksaa mulle kaikkinensa?", "entä jos perustan osakeyhtiön?", "kuinka pitkään sitä saa?",
    "vad kostar det?", "och om jag vill ha en terass?", "what does it cost?", "what about a summer worker?",
])
def test_words_that_refer_back(text):
    assert reads_as_follow_up(text)


@pytest.mark.parametrize("text", ["miten haen starttirahaa?", "hur grundar jag ett företag", "I need funding"])
def test_a_question_of_its_own_is_no_follow_up(text):
    assert not reads_as_follow_up(text)


@pytest.mark.parametrize("text, classified, expected", [
    ("paljonko se maksaa mulle kaikkinensa?", intent("nlu_fallback", 0.15), "entrepreneur_insurance"),
    ("vad kostar det?", intent("funding", 0.3), "entrepreneur_insurance"),  # unsure of another topic
    ("paljonko maksaa?", intent("nlu_fallback", 0.15), "entrepreneur_insurance"),  # short and not understood
    ("what does it cost to register a company?", intent("company_registration", 0.9), None),  # a new topic
    ("miten haen starttirahaa?", intent("startup_grant", 0.4), None),  # no follow-up words
    ("kiitos", intent("thank", 0.99), None),
    ("hmm", intent("nlu_fallback", 0.15), None),  # one word not understood is no follow-up
    ("/affirm", intent("affirm", 1.0), None),  # a button
    ("entä se " + "sana " * 12, intent("nlu_fallback", 0.15), None),  # too long to be a follow-up
])
def test_follow_up_topic(text, classified, expected):
    assert follow_up_topic(text, classified, ON_YEL, **LIMITS) == expected


def test_no_topic_without_a_context():
    assert follow_up_topic("paljonko se maksaa?", intent("nlu_fallback", 0.15), {}, **LIMITS) is None


def message(text: str, top: Dict[str, Any], topic: Optional[str]) -> Message:
    metadata = {"context": {"topic": topic}} if topic else {}
    return Message(data={TEXT: text, INTENT: top, INTENT_RANKING_KEY: [top, intent("entrepreneur_insurance", 0.05)],
                         "metadata": metadata})


def test_the_component_makes_the_topic_the_intent():
    resolver = FollowUpResolver.create({}, None, None, None)  # type: ignore[arg-type]
    followed, fresh = resolver.process([
        message("paljonko se maksaa mulle kaikkinensa?", intent("nlu_fallback", 0.15), "entrepreneur_insurance"),
        message("paljonko se maksaa mulle kaikkinensa?", intent("nlu_fallback", 0.15), None),
    ])
    assert followed.get(INTENT) == intent("entrepreneur_insurance", 0.5)
    assert [e["name"] for e in followed.get(INTENT_RANKING_KEY)] == ["entrepreneur_insurance", "nlu_fallback"]
    assert followed.get(FOLLOW_UP_KEY) == "entrepreneur_insurance"
    assert fresh.get(INTENT)["name"] == "nlu_fallback" and fresh.get(FOLLOW_UP_KEY) is None


def user(name: str) -> UserUttered:
    return UserUttered("text", intent(name, 0.9))


@pytest.mark.parametrize("events, expected", [
    ([user("entrepreneur_insurance"), BotUttered("YEL")], "entrepreneur_insurance"),
    ([user("entrepreneur_insurance"), user("thank")], "entrepreneur_insurance"),  # past small talk
    ([user("entrepreneur_insurance"), user("funding")], "funding"),  # the latest topic
    ([user("entrepreneur_insurance"), user("bot_challenge")], None),  # the conversation moved on
    ([user("permits"), user("thank"), user("greet"), user("thank")], None),  # too far back
    ([user("find_events")], None),  # a look-up starts afresh
    ([ActionExecuted("action_listen")], None),
])
def test_conversation_topic(events: List[Any], expected):
    assert conversation_topic(events) == expected


def test_the_context_goes_on_a_copy_of_the_message():
    original = UserMessage("paljonko se maksaa?", sender_id="c", metadata={"language": "fi"}, message_id="m1")
    copy = with_context(original, "entrepreneur_insurance")
    assert copy.metadata == {"language": "fi", "context": {"topic": "entrepreneur_insurance"}}
    assert original.metadata == {"language": "fi"}
    assert (copy.text, copy.sender_id, copy.message_id) == ("paljonko se maksaa?", "c", "m1")
    assert with_context(original, None) is original


async def test_installed_rasa_parses_with_the_conversation_topic(monkeypatch: pytest.MonkeyPatch):
    seen: List[Any] = []

    async def stock_parse(self, message, tracker=None, only_output_properties=True):
        seen.append(message.metadata)
        return {}

    monkeypatch.setattr(MessageProcessor, "parse_message", stock_parse)
    context.install()
    context.install()  # a second install does not wrap twice

    class Tracker:
        events = [user("startup_grant"), BotUttered("...")]

    processor = object.__new__(MessageProcessor)
    await processor.parse_message(UserMessage("kuinka pitkään sitä saa?", metadata={"language": "fi"}), Tracker())
    await processor.parse_message(UserMessage("hei"))  # no tracker (the parse API): no context
    assert seen == [{"language": "fi", "context": {"topic": "startup_grant"}}, None]
