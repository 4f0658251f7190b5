"""The gateway's limits, origins and Rasa outages, over real WebSockets on loopback.

Each test runs its own public web app (small limits) in front of the real Rasa of the
live stack; outages put a TCP proxy between them that is cut and restored.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Dict

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import load_settings
from bot.web.app import create_public_app
from tests.livestack import responses
from tests.tcp_proxy import TcpProxy
from tests.test_supervisor import free_port
from tests.ws_client import conversation_id, widget_client

# Questions, not "/intent" payloads: typed, those are words to Rasa (bot/web/quick_replies.py).
FUNDING = "Var kan mitt företag få finansiering?"
PREMISES = "Etsin toimitilaa yritykselleni Espoosta"


@asynccontextmanager
async def gateway(tmp_path, live, rasa_url: str = "", **env: str) -> AsyncIterator[Dict[str, str]]:
    """A public web app on a free loopback port; yields its ws URL and origin."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    settings = load_settings({
        "BOT_PROJECT_ROOT": str(tmp_path), "RASA_URL": rasa_url or live.rasa_url,
        "RASA_TOKEN": live.rasa_token, "RASA_TIMEOUT_SECONDS": "10", "BOT_PUBLIC_URL": origin, **env,
    })
    server = TestServer(create_public_app(settings), host="127.0.0.1", port=port)
    await server.start_server()
    try:
        yield {"ws": origin.replace("http", "ws") + "/ws", "origin": origin}
    finally:
        await server.close()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
def rasa_proxy(live):
    port = int(live.rasa_url.rsplit(":", 1)[1])
    proxy = TcpProxy(port).start()
    yield proxy
    proxy.stop()


async def test_messages_per_minute_per_conversation(tmp_path, live, session):
    async with gateway(tmp_path, live, BOT_MESSAGES_PER_MINUTE="3") as app:
        async with widget_client(session, app["ws"], app["origin"], "sv") as client:
            await client.hello(language="sv")
            for _ in range(3):
                await client.say(FUNDING)
            refused = await client.post(FUNDING)
            error = await client.next("error")
            assert error["id"] == refused and error["code"] == "error_rate_limited"
            assert error["message"].startswith("Du har skickat för många meddelanden")
            await client.send({"type": "ping"})
            assert await client.next("pong")  # still connected
            # Another conversation from the same address has its own count.
            await client.send({"type": "new"})
            await client.next("welcome")
            assert (await client.say(FUNDING))["messages"]


async def test_messages_per_minute_per_address(tmp_path, live, session):
    # Joining a conversation counts too: 2 joins + 3 messages fill the limit of 5.
    async with gateway(tmp_path, live, BOT_MESSAGES_PER_MINUTE_PER_ADDRESS="5") as app:
        async with widget_client(session, app["ws"], app["origin"], "en") as one, \
                widget_client(session, app["ws"], app["origin"], "en") as two:
            await one.hello(language="en")
            await two.hello(language="en")
            await one.say(FUNDING)
            await two.say(FUNDING)
            await one.say(FUNDING)
            await two.post(FUNDING)
            error = await two.next("error")
            assert error["code"] == "error_rate_limited"
            # In the conversation's language (Swedish, as typed), not the English page's.
            assert error["message"] == (
                "Du har skickat för många meddelanden på kort tid. Vänta en stund och försök sedan igen."
            )


async def test_connections_per_address(tmp_path, live, session):
    async with gateway(tmp_path, live, BOT_CONNECTIONS_PER_ADDRESS="2") as app:
        async with widget_client(session, app["ws"], app["origin"], "fi") as one:
            async with widget_client(session, app["ws"], app["origin"], "fi"):
                async with widget_client(session, app["ws"], app["origin"], "fi") as third:
                    error = await third.next()
                    assert error["code"] == "error_too_many_connections"
                    assert error["message"].startswith("Osoitteestasi on auki liian monta keskustelua")
                    message = await third.ws.receive()
                    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 4008
            # One closed: a new connection is accepted.
            async with widget_client(session, app["ws"], app["origin"], "fi") as fourth:
                await fourth.hello(language="fi")
            await one.hello(language="fi")


async def test_allowed_origins_are_configurable(tmp_path, live, session):
    async with gateway(tmp_path, live, BOT_ALLOWED_ORIGINS="https://www.businessespoo.fi, https://x.test") as app:
        async with widget_client(session, app["ws"], "https://www.businessespoo.fi", "en") as client:
            await client.hello(language="en")
        async with widget_client(session, app["ws"], app["origin"], "en") as own:  # its own pages too
            await own.hello(language="en")
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with widget_client(session, app["ws"], "https://businessespoo.fi.evil.test"):
                pass
        assert refused.value.status == 403


async def test_rasa_down_then_back_the_message_is_answered_once(tmp_path, live, session, rasa_proxy):
    rasa_proxy.cut()
    async with gateway(tmp_path, live, rasa_proxy.url, BOT_RASA_RETRY_SECONDS="60") as app:
        async with widget_client(session, app["ws"], app["origin"], "sv") as client:
            await client.hello(language="sv")
            message_id = await client.post(FUNDING)
            await client.next("ack")
            delayed = await client.next("delayed")
            assert delayed["id"] == message_id and delayed["code"] == "error_delayed"
            assert "har inte behandlats ännu" in delayed["message"]
            await asyncio.sleep(1.5)
            rasa_proxy.restore()
            reply = await client.next("reply", "failed")
            assert reply["type"] == "reply" and reply["id"] == message_id
            assert reply["user"]["text"] == FUNDING
            assert reply["messages"][0]["text"] in responses("sv")["utter_funding"]
    logged = [e for e in live.tracker_events(conversation_id(client.conversation)) if e["event"] == "user"]
    assert [(e.get("metadata") or {}).get("client_message_id") for e in logged] == [message_id]


async def test_rasa_down_too_long_the_user_is_told_it_was_not_processed(tmp_path, live, session, rasa_proxy):
    rasa_proxy.cut()
    async with gateway(tmp_path, live, rasa_proxy.url, BOT_RASA_RETRY_SECONDS="2") as app:
        async with widget_client(session, app["ws"], app["origin"], "en") as client:
            await client.hello(language="en")
            started = time.monotonic()
            first = await client.post(FUNDING)
            second = await client.post(PREMISES)
            assert (await client.next("delayed"))["id"] == first
            failed = [await client.next("failed"), await client.next("failed")]
            assert [f["id"] for f in failed] == [first, second]
            assert 1.5 < time.monotonic() - started < 10
            assert failed[0]["message"].startswith("Sorry, your message could not be processed")
            # When Rasa is back, the same connection goes on.
            rasa_proxy.restore()
            assert (await client.say(FUNDING))["messages"]
            token = client.conversation
    logged = [e for e in live.tracker_events(conversation_id(token)) if e["event"] == "user"]
    assert [e["text"] for e in logged] == [FUNDING]  # only the message sent after the outage


async def test_history_when_rasa_is_down(tmp_path, live, session, rasa_proxy):
    async with gateway(tmp_path, live, rasa_proxy.url) as app:
        async with widget_client(session, app["ws"], app["origin"], "fi") as client:
            await client.hello(language="fi")
            await client.say(FUNDING)
            token = client.conversation
        rasa_proxy.cut()
        async with widget_client(session, app["ws"], app["origin"], "fi") as again:
            welcome = await again.hello(token, language="fi")
            assert welcome["history"] is None
            assert conversation_id(welcome["conversation"]) == conversation_id(token)
            error = await again.next("error")
            assert error["code"] == "error_history_unavailable"
