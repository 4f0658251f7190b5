"""Conversation tokens expire BOT_CONVERSATION_TOKEN_HOURS after their last use, on both channels
(the real web app in front of the fake Rasa; bot/web/conversations.py)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import pytest

from bot.web.conversations import new_conversation_token
from tests.handoff.support import FakeRasa, RunningApp
from tests.web_support import rasa, running_app  # noqa: F401  (fixture)
from tests.ws_client import conversation_id, widget_client

SECRET = "test-secret"  # tests/handoff/support.py's app_settings
HOURS = 2


@pytest.fixture
async def web_app(tmp_path: Path, rasa: FakeRasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    async with running_app(tmp_path, rasa.url, BOT_CONVERSATION_TOKEN_HOURS=str(HOURS)) as running:
        yield running


def token_issued(hours_ago: float, conversation: str = "a" * 32) -> str:
    return new_conversation_token(SECRET, conversation, now=time.time() - hours_ago * 3600)


async def post(http: aiohttp.ClientSession, url: str, token: str) -> tuple:
    async with http.post(f"{url}/api/messages", json={"conversation": token, "text": "hello"}) as response:
        return response.status, await response.json()


async def test_the_api_refuses_an_expired_token_and_renews_a_live_one(web_app, rasa):  # noqa: F811
    async with aiohttp.ClientSession() as http:
        status, answer = await post(http, web_app.url, token_issued(HOURS + 0.1, "e" * 32))
        assert (status, answer["error"]) == (403, "error_unknown_conversation")
        old = token_issued(HOURS - 0.1)
        status, answer = await post(http, web_app.url, old)
        assert status == 200
        assert answer["conversation"] != old and conversation_id(answer["conversation"]) == "a" * 32
        status, _ = await post(http, web_app.url, answer["conversation"])
        assert status == 200
    assert not rasa.trackers.get("e" * 32)  # the expired token's message never reached Rasa
    assert any(e["event"] == "user" for e in rasa.trackers["a" * 32])


async def test_the_widget_starts_afresh_with_an_expired_token_and_renews_a_live_one(web_app):
    ws_url = web_app.url.replace("http", "ws") + "/ws"
    async with aiohttp.ClientSession() as http:
        async with widget_client(http, ws_url, web_app.url, "en") as client:
            welcome = await client.hello(token_issued(HOURS + 0.1, "b" * 32), language="en")
            assert welcome["reset"] is True and conversation_id(welcome["conversation"]) != "b" * 32
        async with widget_client(http, ws_url, web_app.url, "en") as client:
            live = token_issued(HOURS - 0.1, "c" * 32)
            welcome = await client.hello(live, language="en")
            assert welcome["reset"] is False
            assert welcome["conversation"] != live and conversation_id(welcome["conversation"]) == "c" * 32
