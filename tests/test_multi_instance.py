"""Several web app instances through Redis (real Redis, PostgreSQL, HTTP and WebSockets on loopback):
the limits are the same whichever instance serves a client, and a live push written on one
instance reaches a widget connected to the other. Rasa is the fake of tests/handoff/fake_rasa.py.
"""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from typing import AsyncIterator, Dict, Iterator

import aiohttp
import pytest
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.db import make_engine, make_sessionmaker, session_scope
from bot.handoff import enqueue
from bot.rasa.client import RasaClient
from bot.web.keys import LIVE_BUS_KEY
from tests.handoff.fake_rasa import FakeRasa
from tests.handoff.support import RunningApp, _create_database, _drop_database, _migrate, app_settings
from tests.handoff.support import rasa  # noqa: F401  (fixture)
from tests.ws_client import conversation_id, widget_client

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database of this module's own, dropped at the end."""
    name = f"multi_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_create_database(name))
    url = str(make_url(load_settings().catalog_test_postgres_url).set(database=name))
    try:
        asyncio.run(_migrate(url))
        yield url
    finally:
        asyncio.run(_drop_database(name))


@pytest.fixture
async def redis_env() -> AsyncIterator[Dict[str, str]]:
    """REDIS_URL with a key prefix of this test's own (deleted afterwards)."""
    prefix = f"test-multi-{uuid.uuid4().hex[:8]}"
    yield {"REDIS_URL": REDIS_URL, "BOT_REDIS_PREFIX": prefix}
    client = Redis.from_url(REDIS_URL)
    keys = [key async for key in client.scan_iter(f"{prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.close()


def _ws(app: RunningApp) -> str:
    return app.url.replace("http", "ws") + "/ws"


async def _refused(client, text: str) -> str:  # type: ignore[no-untyped-def]
    message_id = await client.post(text)
    error = await client.next("error", "reply", timeout=10)
    assert error.get("id") == message_id
    return error.get("code", "accepted")


async def test_limits_are_the_same_on_both_instances(pg_url, redis_env, rasa: FakeRasa):  # noqa: F811
    env = {**redis_env, "BOT_MESSAGES_PER_MINUTE": "3", "BOT_CONNECTIONS_PER_ADDRESS": "2"}
    async with RunningApp(app_settings(pg_url, rasa.url, **env)) as a, \
            RunningApp(app_settings(pg_url, rasa.url, **env)) as b, aiohttp.ClientSession() as http:
        async with widget_client(http, _ws(a), a.url, "fi") as on_a:
            await on_a.hello(language="fi")
            for text in ("yksi", "kaksi"):
                assert (await on_a.say(text))["messages"]
            async with widget_client(http, _ws(b), b.url, "fi") as on_b:
                await on_b.hello(on_a.conversation, language="fi")  # the same conversation on the other instance
                assert (await on_b.say("kolme"))["messages"]
                assert await _refused(on_b, "neljä") == "error_rate_limited"
                assert await _refused(on_a, "viisi") == "error_rate_limited"
                # Two connections from this address are open (one on each): a third is refused on either.
                async with http.ws_connect(_ws(a), headers={"Origin": a.url}) as third:
                    frame = await third.receive_json(timeout=10)
                    assert frame["code"] == "error_too_many_connections"
            # One closed on b: a connects again (the lease was given back in Redis).
            async with widget_client(http, _ws(a), a.url, "fi") as again:
                assert (await again.hello(language="fi"))["type"] == "welcome"


async def test_without_redis_each_instance_counts_its_own(pg_url, rasa: FakeRasa):  # noqa: F811
    env = {"BOT_MESSAGES_PER_MINUTE": "2"}
    async with RunningApp(app_settings(pg_url, rasa.url, **env)) as a, \
            RunningApp(app_settings(pg_url, rasa.url, **env)) as b, aiohttp.ClientSession() as http:
        async with widget_client(http, _ws(a), a.url, "fi") as on_a, widget_client(http, _ws(b), b.url, "fi") as on_b:
            await on_a.hello(language="fi")
            await on_b.hello(on_a.conversation, language="fi")
            for client in (on_a, on_a, on_b, on_b):
                assert (await client.say("hei"))["messages"]


async def test_a_push_written_on_one_instance_reaches_a_widget_on_the_other(pg_url, redis_env, rasa):  # noqa: F811
    # Polling every 60 s: only the wake-up through Redis can bring the adviser's message in time.
    env = {**redis_env, "HANDOFF_POLL_SECONDS": "60"}
    engine = make_engine(pg_url)
    async with RunningApp(app_settings(pg_url, rasa.url, **env)) as a, \
            RunningApp(app_settings(pg_url, rasa.url, **env)) as b, aiohttp.ClientSession() as http:
        async with widget_client(http, _ws(b), b.url, "fi") as widget:
            await widget.hello(language="fi")
            await widget.say("haluan puhua ihmiselle")
            cid = conversation_id(widget.conversation)
            async with session_scope(make_sessionmaker(engine)) as session:
                await enqueue(session, cid, "fi", ["request_human"], "requested", settings=a.settings,
                              now=datetime.now(timezone.utc))
            # The adviser writes on instance a, as the console does (bot/console/guard.py `rasa`).
            adviser = RasaClient(http, a.settings, a.runner.app[LIVE_BUS_KEY].publish)
            await adviser.append_bot_message(cid, "Hei, olen Anna.", {"adviser": "Anna", "adviser_id": 1})
            push = await widget.next("push", timeout=5)
            assert [m["text"] for m in push["messages"]] == ["Hei, olen Anna."]
            assert push["messages"][0]["who"] == "adviser"
    await engine.dispose()


async def test_a_resend_on_the_other_instance_waits_for_the_first_delivery(pg_url, redis_env, rasa):  # noqa: F811
    rasa.delay = 1.5  # Rasa is still working on the message when the widget, reconnected to b, sends it again
    async with RunningApp(app_settings(pg_url, rasa.url, **redis_env)) as a, \
            RunningApp(app_settings(pg_url, rasa.url, **redis_env)) as b, aiohttp.ClientSession() as http:
        async with widget_client(http, _ws(a), a.url, "fi") as on_a, widget_client(http, _ws(b), b.url, "fi") as on_b:
            await on_a.hello(language="fi")
            await on_b.hello(on_a.conversation, language="fi")
            message_id = await on_a.post("mitä kuuluu")
            await asyncio.sleep(0.3)
            await on_b.post("mitä kuuluu", message_id, retry=True)
            replies = [await client.next("reply", timeout=20) for client in (on_a, on_b)]
    cid = conversation_id(on_a.conversation)
    user_events = [e for e in rasa.trackers[cid] if e["event"] == "user"]
    assert len(user_events) == 1
    assert all(r["id"] == message_id and r["messages"][0]["text"] == "answer to mitä kuuluu" for r in replies)
