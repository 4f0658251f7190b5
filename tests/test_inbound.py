"""One path for a user message: the chat API and the WebSocket refuse the same inputs the same way.

The unit tests check bot/web/inbound.py's `accept`; the others send the same bad messages over
/api/messages and /ws to the real web app (in front of the fake Rasa) and compare the answers.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Optional, Tuple

import aiohttp
import pytest

from bot.rasa.events import MESSAGE_ID_KEY
from bot.web import inbound
from bot.web.limits import Limits, SlidingWindow, ConnectionCounter
from tests.handoff.fake_rasa import FakeRasa
from tests.handoff.support import RunningApp
from tests.web_support import rasa, running_app  # noqa: F401  (fixture)
from tests.ws_client import widget_client

LIMIT = 50
UNKNOWN_TOKEN = "0" * 32 + "." + "1" * 32


async def check(text: object, conversation: Optional[str] = "c1", limits: Optional[Limits] = None, **extra: Any) -> Any:
    return await inbound.accept(conversation_id=conversation, text=text, language="sv", max_chars=LIMIT,
                          limits=limits, address="10.0.0.1", **extra)


@pytest.mark.parametrize("text, conversation, refusal", [
    (42, "c1", inbound.MALFORMED), (None, None, inbound.MALFORMED), ("hej", None, inbound.UNKNOWN_CONVERSATION),
    (" \n\t ", "c1", inbound.EMPTY), ("x" * (LIMIT + 1), "c1", inbound.too_long(LIMIT)),
])
async def test_each_fault_has_one_refusal(text, conversation, refusal):
    assert await check(text, conversation) == refusal


def test_the_refusals_carry_their_status_and_words():
    assert [r.status for r in (inbound.MALFORMED, inbound.UNKNOWN_CONVERSATION, inbound.EMPTY,
                               inbound.too_long(LIMIT), inbound.RATE_LIMITED)] == [400, 403, 422, 413, 429]
    assert "50" in inbound.too_long(LIMIT).message("en")


async def test_an_accepted_message_is_stripped_and_carries_its_metadata():
    accepted = await check(f"  {'x' * LIMIT}  ", page="https://www.espoo.fi/", message_id="abcdefgh")
    assert accepted == inbound.Accepted("c1", "x" * LIMIT, {
        "language": "sv", MESSAGE_ID_KEY: "abcdefgh", "page_url": "https://www.espoo.fi/",
    })
    assert (await check("hej")).metadata == {"language": "sv"}


def test_a_page_url_must_be_text_of_a_sane_length():
    assert inbound.page_url("https://x/") == "https://x/"
    assert inbound.page_url("https://x/" + "a" * 2000) == "" and inbound.page_url(42) == ""


async def test_only_an_accepted_message_counts_against_the_limits():
    limits = Limits(SlidingWindow(2), SlidingWindow(100), ConnectionCounter(1))
    assert isinstance(await check("", limits=limits), inbound.Refusal)
    assert isinstance(await check("one", limits=limits), inbound.Accepted)
    assert isinstance(await check("two", limits=limits), inbound.Accepted)
    assert await check("three", limits=limits) == inbound.RATE_LIMITED


@pytest.fixture
async def web_app(tmp_path: Path, rasa: FakeRasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    """The web app with short messages and three messages a minute per conversation."""
    async with running_app(tmp_path, rasa.url, BOT_MAX_MESSAGE_CHARS=str(LIMIT),
                           BOT_MESSAGES_PER_MINUTE="3") as running:
        yield running


async def over_api(http: aiohttp.ClientSession, url: str, token: str, text: object) -> Tuple[int, Dict[str, Any]]:
    body = {"conversation": token, "text": text, "language": "en"}
    async with http.post(f"{url}/api/messages", json=body) as response:
        return response.status, await response.json()


async def new_token(http: aiohttp.ClientSession, url: str) -> str:
    async with http.post(f"{url}/api/conversations", json={}) as response:
        return (await response.json())["conversation"]


BAD = [("not text", 42, True), ("blank", "  \n ", True), ("too long", "x" * (LIMIT + 1), True),
       ("no conversation", "hello", False)]


@pytest.mark.parametrize("name, text, joined", BAD, ids=[b[0] for b in BAD])
async def test_both_channels_refuse_a_bad_message_alike(web_app, rasa, name, text, joined):
    async with aiohttp.ClientSession() as http:
        token = await new_token(http, web_app.url) if joined else UNKNOWN_TOKEN
        status, answer = await over_api(http, web_app.url, token, text)
        async with widget_client(http, web_app.url.replace("http", "ws") + "/ws", web_app.url, "en") as client:
            if joined:
                await client.hello(language="en")
            message_id = uuid.uuid4().hex
            await client.send({"type": "message", "id": message_id, "text": text})
            frame = await client.next()
    assert frame == {"type": "error", "id": message_id, "code": answer["error"], "message": answer["message"]}
    expected = await check(text, "c" if joined else None)
    assert (status, answer["error"], answer["message"]) == (expected.status, expected.code, expected.message("en"))
    assert not any(e["event"] == "user" for events in rasa.trackers.values() for e in events)


async def test_both_channels_count_the_same_rate_limit(web_app, rasa):
    async with aiohttp.ClientSession() as http:
        token = await new_token(http, web_app.url)
        for _ in range(3):
            assert (await over_api(http, web_app.url, token, "hello"))[0] == 200
        status, answer = await over_api(http, web_app.url, token, "hello")
        assert (status, answer["error"]) == (429, "error_rate_limited")
        async with widget_client(http, web_app.url.replace("http", "ws") + "/ws", web_app.url, "en") as client:
            await client.hello(token, language="en")
            message_id = await client.post("hello")
            frame = await client.next("error")
    assert frame == {"type": "error", "id": message_id, "code": "error_rate_limited", "message": answer["message"]}
