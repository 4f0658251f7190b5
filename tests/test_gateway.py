"""The WebSocket gateway against the real assistant (Rasa, actions, web app) over loopback."""
from __future__ import annotations

import asyncio
import uuid

import aiohttp
import pytest

from bot import locale
from tests.livestack import responses
from tests.ws_client import conversation_id, widget_client

GREETINGS = {"fi": "Moikka!", "sv": "Hej hej!", "en": "Hello there"}
# Questions (training examples) with one topic answer each: what fast typing must not reorder.
# Typed "/intent" texts are words to Rasa (bot/web/quick_replies.py), so the tests type questions.
SEQUENCE = [
    ("Where can my company get funding?", "utter_funding"),
    ("Can we get a pay subsidy or the Espoo supplement?", "utter_pay_subsidy"),
    ("How do I start my own company?", "utter_start_business"),
    ("I'm looking for office space in Espoo", "utter_premises"),
    ("Is there training for entrepreneurs?", "utter_training"),
    ("Do I need a permit for a terrace?", "utter_permits"),
    ("Can I get a startup grant?", "utter_startup_grant"),
    ("How does the summer job voucher work for employers?", "utter_summer_jobs"),
]
FUNDING_QUESTION = SEQUENCE[0][0]
PREMISES_FI = "Etsin toimitilaa yritykselleni Espoosta"


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as http:
        yield http


def user_events(live, token: str, message_id: str) -> list:
    return [
        e for e in live.tracker_events(conversation_id(token))
        if e["event"] == "user" and (e.get("metadata") or {}).get("client_message_id") == message_id
    ]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_chat_over_the_websocket_in_each_language(live, session, language):
    async with widget_client(session, live.ws_url, live.web_url, language) as client:
        welcome = await client.hello(language=language)
        assert welcome["history"] == [] and welcome["reset"] is False
        message_id = await client.post(GREETINGS[language])
        assert await client.next("ack") == {"type": "ack", "id": message_id}
        assert await client.next("typing") == {"type": "typing", "on": True}
        reply = await client.next("reply")
        assert reply["id"] == message_id
        assert reply["user"]["text"] == GREETINGS[language] and reply["user"]["time"] > 0
        greeting = reply["messages"][0]
        assert greeting["who"] == "assistant"
        assert greeting["text"] in responses(language)["utter_greet"]
        assert greeting["buttons"] and all(b["title"] and b["payload"] for b in greeting["buttons"])
        assert {"type": "typing", "on": False} in client.seen  # the indicator goes off with the answer


async def test_fast_typing_keeps_the_order(live, session):
    async with widget_client(session, live.ws_url, live.web_url, "en") as client:
        await client.hello(language="en")
        ids = [await client.post(text) for text, _ in SEQUENCE]  # no waiting between messages
        replies = [await client.next("reply") for _ in SEQUENCE]
    assert [r["id"] for r in replies] == ids
    texts = responses("en")
    for reply, (_, expected) in zip(replies, SEQUENCE):
        assert reply["messages"][0]["text"] in texts[expected]
    logged = [
        (e.get("metadata") or {}).get("client_message_id")
        for e in live.tracker_events(conversation_id(client.conversation)) if e["event"] == "user"
    ]
    assert logged == ids


async def test_a_resend_after_the_answer_is_replayed_from_the_tracker_not_sent_again(live, session):
    async with widget_client(session, live.ws_url, live.web_url, "sv") as client:
        await client.hello(language="sv")
        await client.say(GREETINGS["sv"])  # offers the quick reply "Finansiering" (/funding)
        first = await client.say("/funding", title="not what is shown")
        assert first["user"]["text"] == "Finansiering"
        token = client.conversation
    async with widget_client(session, live.ws_url, live.web_url, "sv") as again:
        welcome = await again.hello(token, language="sv")
        # the same conversation, its token renewed (a new issue time once a second has passed)
        assert conversation_id(welcome["conversation"]) == conversation_id(token)
        history = welcome["history"][2:]
        assert [h["who"] for h in history] == ["user", "assistant"]
        assert history[0]["text"] == "Finansiering" and history[0]["id"] == first["id"]
        assert history[1]["text"] == first["messages"][0]["text"] and history[1]["time"] >= history[0]["time"] > 0
        replayed = await again.say("/funding", message_id=first["id"], retry=True)
    shown = [(m["who"], m["text"], m["buttons"]) for m in replayed["messages"]]
    assert shown == [(m["who"], m["text"], m["buttons"]) for m in first["messages"]]
    assert len(user_events(live, token, first["id"])) == 1


async def test_a_resend_while_the_first_is_in_flight_is_processed_once(live, session):
    message_id = uuid.uuid4().hex
    async with widget_client(session, live.ws_url, live.web_url, "fi") as second:
        async with widget_client(session, live.ws_url, live.web_url, "fi") as first:
            await first.hello(language="fi")
            token = first.conversation
            await second.hello(token, language="fi")
            # The first connection sends and drops; the widget resends on another one at once.
            await first.post(PREMISES_FI, message_id=message_id)
            await second.post(PREMISES_FI, message_id=message_id, retry=True)
        reply = await second.next("reply")
        assert reply["id"] == message_id
        assert reply["messages"][0]["text"] in responses("fi")["utter_premises"]
        later = await second.say(GREETINGS["fi"])
    replies_to_first = [f for f in second.seen if f["type"] == "reply" and f["id"] == message_id]
    assert all(f["messages"] == reply["messages"] for f in replies_to_first)
    assert len(user_events(live, token, message_id)) == 1
    assert len(user_events(live, token, later["id"])) == 1


async def test_an_invalid_token_starts_a_new_conversation(live, session):
    async with widget_client(session, live.ws_url, live.web_url, "en") as client:
        welcome = await client.hello("0" * 32 + "." + "1" * 32, language="en")
        assert welcome["reset"] is True and welcome["history"] == []
        assert not welcome["conversation"].startswith("0" * 32)
        assert (await client.say(FUNDING_QUESTION))["messages"]


async def test_new_conversation_frame_gives_a_fresh_conversation(live, session):
    async with widget_client(session, live.ws_url, live.web_url, "en") as client:
        await client.hello(language="en")
        await client.say(FUNDING_QUESTION)
        old = client.conversation
        await client.send({"type": "new"})
        welcome = await client.next("welcome")
        assert welcome["conversation"] != old and welcome["history"] == []


async def test_frames_tell_the_conversation_language_and_open_with_the_greeting(live, session):
    """The widget's labels follow the language slot Rasa sets; the greeting is no turn of Rasa's."""
    async with widget_client(session, live.ws_url, live.web_url, "fi") as client:
        welcome = await client.hello(language="fi")
        assert welcome["language"] == "fi" and welcome["history"] == []
        assert welcome["greeting"]["text"] == locale.text("fi", "widget.greeting")
        assert {"title": "Rahoitus", "payload": "/funding"} in welcome["greeting"]["buttons"]
        assert (await client.say("Moikka!"))["language"] == "fi"
        reply = await client.say("vaihda kieli englanniksi")
        assert reply["language"] == "en" and reply["messages"][0]["text"] in responses("en")["utter_language_changed"]
        token = client.conversation
        await client.send({"type": "new", "language": "en"})  # New conversation goes on in English
        fresh = await client.next("welcome")
        assert fresh["language"] == "en" and fresh["greeting"]["text"] == locale.text("en", "widget.greeting")
    async with widget_client(session, live.ws_url, live.web_url, "fi") as client:  # a reload of the Finnish page
        welcome = await client.hello(token, language="fi")
    assert welcome["language"] == "en"  # from the tracker's language slot
    assert welcome["greeting"]["text"] == locale.text("en", "widget.greeting")
    assert [e["who"] for e in welcome["history"]][:2] == ["user", "assistant"]  # the greeting is not in it
    said = [e["text"] for e in live.tracker_events(conversation_id(token)) if e["event"] == "user"]
    assert said == ["Moikka!", "vaihda kieli englanniksi"]


@pytest.mark.parametrize("frame", [
    "not json", "[]", "42", '{"no": "type"}', '{"type": "bogus"}',
    '{"type": "message", "text": "no id"}',
    '{"type": "message", "id": "bad id!", "text": "x"}',
    '{"type": "message", "id": "abcdefgh12", "text": 42}',
])
async def test_malformed_frames_are_answered_and_the_connection_stays_usable(live, session, frame):
    async with widget_client(session, live.ws_url, live.web_url, "en") as client:
        await client.hello(language="en")
        await client.send(frame)
        error = await client.next()
        assert error["type"] == "error" and error["code"] == "error_malformed"
        assert error["message"] == "The message could not be read."
        await client.ws.send_bytes(b"\x00\x01")
        assert (await client.next())["code"] == "error_malformed"
        reply = await client.say(FUNDING_QUESTION)
        assert reply["messages"][0]["text"] in responses("en")["utter_funding"]


async def test_refusals_name_the_message_and_the_limit(live, session):
    async with widget_client(session, live.ws_url, live.web_url, "fi") as client:
        message_id = await client.post("hei")  # before hello: no conversation yet
        assert (await client.next()) == {
            "type": "error", "code": "error_unknown_conversation", "id": message_id,
            "message": "Keskustelua ei tunnistettu. Aloita uusi keskustelu.",
        }
        await client.hello(language="fi")
        too_long = await client.post("x" * 2001)
        error = await client.next()
        assert error["id"] == too_long and error["code"] == "error_too_long" and "2000" in error["message"]
        empty = await client.post("   ")
        assert (await client.next())["id"] == empty
        assert (await client.say(FUNDING_QUESTION))["messages"]


@pytest.mark.parametrize("origin", ["http://evil.example", None])
async def test_other_origins_are_refused(live, session, origin):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with widget_client(session, live.ws_url, origin):
            pass
    assert refused.value.status == 403


async def test_ping_is_answered(live, session):
    async with widget_client(session, live.ws_url, live.web_url) as client:
        await client.send({"type": "ping"})
        assert await asyncio.wait_for(client.next(), 10) == {"type": "pong"}
