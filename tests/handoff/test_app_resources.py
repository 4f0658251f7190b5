"""The public web app owns its databases and starts the handoff's background work itself:
chat and handoff work with the adviser console not mounted."""
from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import enqueue
from bot.handoff.models import TIMED_OUT, HandoffRequest
from bot.web.app import create_public_app
from bot.web.keys import DB_KEY, GATEWAY_KEY, TRACKER_DB_KEY
from tests.handoff.support import OPEN_NOW, app_settings


async def test_without_the_console_chat_and_handoff_work(db_url, factory, rasa):
    rasa.user_says("late", "ihminen kiitos", intent="request_human")
    rasa.append("late", {"event": "pause"})
    async with session_scope(factory) as session:  # waiting since long ago: the sweeper times it out
        await enqueue(session, "late", "fi", ["request_human"], "requested", now=OPEN_NOW)
    app = create_public_app(app_settings(db_url, rasa.url, HANDOFF_QUEUE_TIMEOUT_SECONDS="300"), console=False)
    assert DB_KEY not in app  # no engine before the app starts
    async with TestClient(TestServer(app)) as client:
        assert DB_KEY in app and TRACKER_DB_KEY in app and GATEWAY_KEY in app
        assert (await client.get("/console/login")).status == 404
        token = (await (await client.post("/api/conversations", json={})).json())["conversation"]
        sent = await client.post("/api/messages", json={"conversation": token, "text": "Hei", "language": "fi"})
        assert sent.status == 200
        for _ in range(100):
            if ("late", "utter_handoff_timeout") in rasa.executed:
                break
            await asyncio.sleep(0.1)
    assert ("late", "utter_handoff_timeout") in rasa.executed
    async with session_scope(factory) as session:
        assert await session.scalar(select(HandoffRequest.status)) == TIMED_OUT


async def test_with_the_console_its_pages_are_served(db_url, rasa):
    app = create_public_app(app_settings(db_url, rasa.url))
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/console/login")).status == 200
