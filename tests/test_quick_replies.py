"""Typed "/intent{...}" never reaches Rasa as an intent; offered quick replies do, over /ws and /api.

The web app runs on loopback in front of a fake Rasa (tests/handoff/fake_rasa.py) that logs
what it received; Rasa's own RegexMessageHandler check shows what Rasa 3.6 would make of it.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Optional, Protocol, Tuple

import aiohttp
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.web.quick_replies import NEUTRALISER, QuickReplies, latest_buttons, neutralise
from tests.handoff.fake_rasa import FakeRasa
from tests.web_support import rasa, web_app  # noqa: F401  (fixtures)
from tests.ws_client import conversation_id, widget_client

ROOT = Path(__file__).resolve().parent.parent
RATE_5 = '/rate{"rating":"5"}'
# "/premises": a topic that the widget's greeting does not offer (it offers the main topics of
# utter_greet until the first message, bot/web/greeting.py).
TYPED = [RATE_5, '/rate{"rating": 5}', "/restart", "/session_start", '/change_language{"language":"en"}',
         "  /restart  ", "/premises"]
FUNDING = {"title": "Rahoitus", "payload": "/funding"}
PREMISES = {"title": "Toimitilat", "payload": "/premises"}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def rasa_intent(text: str, domain: Domain) -> Optional[str]:
    """The intent Rasa 3.6 takes from the text itself, without the NLU (None: the NLU decides)."""
    message = YAMLStoryReader.unpack_regex_message(Message({TEXT: text}), domain)
    return (message.get(INTENT) or {}).get("name")


@pytest.mark.parametrize("text", TYPED)
def test_rasa_reads_a_neutralised_text_as_words(domain, text):
    assert rasa_intent(text, domain) is not None  # what an attacker would get without the fix
    sent = neutralise(text.strip())
    assert rasa_intent(sent, domain) is None
    assert sent == NEUTRALISER + text.strip() and sent.strip() == sent


@pytest.mark.parametrize("text", ["hei", "1/2 of the cost", "5"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


def test_only_the_buttons_after_the_last_user_message_count():
    entries = [
        {"who": "assistant", "text": "a", "buttons": [FUNDING]},
        {"who": "user", "text": "Rahoitus"},
        {"who": "assistant", "text": "b", "buttons": [{"title": "5", "payload": RATE_5}]},
        {"who": "adviser", "text": "c", "buttons": []},
    ]
    assert latest_buttons(entries) == {RATE_5: "5"}
    memory = QuickReplies(max_conversations=2)
    for name in ("c1", "c2", "c3"):
        memory.remember(name, entries)
    assert memory.title("c1", RATE_5) is None and memory.title("c3", RATE_5) == "5"


class Channel(Protocol):
    """One conversation through the widget's WebSocket or the chat API."""

    cid: str

    async def say(self, text: str, **extra: Any) -> Tuple[str, List[Dict[str, Any]]]:
        """Send `text`; the shown user text and the answers."""


class WsChannel:
    def __init__(self, client: Any) -> None:
        self.client = client

    async def say(self, text: str, **extra: Any) -> Tuple[str, List[Dict[str, Any]]]:
        reply = await self.client.say(text, **extra)
        return reply["user"]["text"], reply["messages"]

    @property
    def cid(self) -> str:
        return conversation_id(self.client.conversation)


class ApiChannel:
    def __init__(self, http: aiohttp.ClientSession, url: str, token: str) -> None:
        self.http, self.url, self.token = http, url, token

    async def say(self, text: str, **extra: Any) -> Tuple[str, List[Dict[str, Any]]]:
        body = {"conversation": self.token, "text": text, "language": "fi", **extra}
        async with self.http.post(f"{self.url}/api/messages", json=body, headers={"Origin": self.url}) as response:
            assert response.status == 200, await response.text()
            answer = await response.json()
        return answer["user"]["text"], answer["messages"]

    @property
    def cid(self) -> str:
        return conversation_id(self.token)


@pytest.fixture(params=["ws", "api"])
async def chat(request, web_app) -> AsyncIterator[Channel]:
    """A new conversation over /ws or over /api."""
    async with aiohttp.ClientSession() as http:
        if request.param == "ws":
            ws_url = web_app.url.replace("http", "ws") + "/ws"
            async with widget_client(http, ws_url, web_app.url, "fi") as client:
                await client.hello(language="fi")
                yield WsChannel(client)
        else:
            async with http.post(f"{web_app.url}/api/conversations", json={}) as response:
                token = (await response.json())["conversation"]
            yield ApiChannel(http, web_app.url, token)


def received(rasa: FakeRasa, cid: str) -> List[str]:
    """The texts of the user messages Rasa got."""
    return [e["text"] for e in rasa.trackers[cid] if e["event"] == "user"]


@pytest.mark.parametrize("text", TYPED)
async def test_typed_intent_syntax_reaches_rasa_as_words(chat, rasa, domain, text):
    shown, _ = await chat.say(text, title="Kiitos, viisi tähteä")
    assert shown == text.strip()
    (sent,) = received(rasa, chat.cid)
    assert sent == NEUTRALISER + text.strip() and rasa_intent(sent, domain) is None
    assert rasa.trackers[chat.cid][0]["metadata"]["shown_text"] == text.strip()


async def test_an_offered_button_is_its_payload_shown_with_its_own_title(chat, rasa):
    rasa.offer = [FUNDING]
    _, answers = await chat.say("hei")
    assert answers[0]["buttons"] == [FUNDING]
    rasa.offer = []
    shown, _ = await chat.say("/funding", title="<b>client's own words</b>")
    assert shown == "Rahoitus"
    # Pressed once: the answer to it offered no buttons, so the same text is words again.
    shown, _ = await chat.say("/funding")
    assert shown == "/funding"
    assert received(rasa, chat.cid) == ["hei", "/funding", NEUTRALISER + "/funding"]
    metadata = [e["metadata"] for e in rasa.trackers[chat.cid] if e["event"] == "user"]
    assert metadata[1]["shown_text"] == "Rahoitus"


async def test_a_button_offered_only_in_the_tracker_counts(chat, rasa):
    """The rating question of a hand back reaches the tracker, not this process's memory."""
    await chat.say("hei")
    async with aiohttp.ClientSession() as http:
        url = f"{rasa.url}/conversations/{chat.cid}/execute?token=test-rasa-token"
        await http.post(url, json={"name": "utter_ask_rating"})
    shown, _ = await chat.say(RATE_5)
    assert shown == "5"
    assert received(rasa, chat.cid) == ["hei", RATE_5]


async def test_a_button_of_another_conversation_does_not_count(chat, rasa):
    rasa.offer = [PREMISES]
    other = uuid.uuid4().hex
    rasa.user_says(other, "hei")
    rasa.offer = []
    await chat.say("/premises")
    assert received(rasa, chat.cid) == [NEUTRALISER + "/premises"]


async def test_the_widget_greeting_offers_the_main_topics_until_the_first_message(web_app, rasa):
    async with aiohttp.ClientSession() as http:
        ws_url = web_app.url.replace("http", "ws") + "/ws"
        async with widget_client(http, ws_url, web_app.url, "fi") as client:
            welcome = await client.hello(language="fi")
            assert welcome["history"] == [] and welcome["language"] == "fi"
            assert FUNDING in welcome["greeting"]["buttons"] and welcome["greeting"]["text"]
            assert (await client.say("/funding"))["user"]["text"] == "Rahoitus"  # a click on a topic
            assert (await client.say("/start_business"))["user"]["text"] == "/start_business"  # offered no more
    cid = conversation_id(client.conversation)
    assert received(rasa, cid) == ["/funding", NEUTRALISER + "/start_business"]  # the greeting is no turn
