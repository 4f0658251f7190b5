"""The web app's background work: queue timeouts (once, even with several processes) and indexing."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from unittest import mock

import aiohttp
from sqlalchemy import select

from bot.db import make_engine, make_sessionmaker, session_scope
from bot.config import load_settings
from bot.handoff import enqueue, save_rating
from bot.handoff.models import TIMED_OUT, WAITING, HandoffConversation, HandoffRequest
from bot.handoff.sweeper import TIMEOUT_FOLLOW_UP, Backoff, expire_waiting, index_changed, run_sweeper
from bot.rasa.client import RasaClient, RasaUnavailable
from tests.handoff.support import OPEN_NOW


def _settings(rasa_url: str, **extra: str):
    return load_settings({"RASA_URL": rasa_url, "RASA_TOKEN": "test-rasa-token",
                          "HANDOFF_QUEUE_TIMEOUT_SECONDS": "300", **extra})


async def _queue(factory, rasa, conversation_id: str, when) -> None:
    rasa.user_says(conversation_id, "ihminen kiitos", intent="request_human")
    rasa.append(conversation_id, {"event": "pause"})
    async with session_scope(factory) as session:
        await enqueue(session, conversation_id, "fi", ["request_human"], "requested",
                      settings=_settings(rasa.url), now=when)


async def test_a_timed_out_conversation_is_resumed_and_told_once(factory, rasa):
    settings = _settings(rasa.url)
    await _queue(factory, rasa, "late", OPEN_NOW)
    await _queue(factory, rasa, "recent", OPEN_NOW + timedelta(minutes=3))
    rasa.user_says("late", "onko siellä ketään?", intent="request_human")  # written while waiting
    async with aiohttp.ClientSession() as http:
        done = await expire_waiting(factory, http, settings, now=OPEN_NOW + timedelta(minutes=5, seconds=1))
        assert done == ["late"]
        assert await expire_waiting(factory, http, settings, now=OPEN_NOW + timedelta(minutes=6)) == []
    assert rasa.executed == [("late", "utter_handoff_timeout"), ("late", "utter_offer_contact_request")]
    kinds = [e["event"] for e in rasa.trackers["late"]]
    assert kinds[-6:] == ["resume", "action", "bot", "action", "bot", "action"]
    assert "onko siellä ketään?" in [e.get("text") for e in rasa.trackers["late"]]
    async with session_scope(factory) as session:
        statuses = dict((await session.execute(select(HandoffRequest.conversation_id, HandoffRequest.status))).all())
    assert statuses == {"late": TIMED_OUT, "recent": WAITING}


async def test_several_processes_sweeping_at_once_trigger_each_timeout_once(engine, factory, rasa):
    settings = _settings(rasa.url)
    for n in range(5):
        await _queue(factory, rasa, f"c{n}", OPEN_NOW)
    url = engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(3)]
    later = OPEN_NOW + timedelta(minutes=10)
    try:
        async with aiohttp.ClientSession() as http:
            results = await asyncio.gather(*(
                expire_waiting(make_sessionmaker(made), http, settings, now=later) for made in engines
            ))
    finally:
        for made in engines:
            await made.dispose()
    assert sorted(cid for result in results for cid in result) == [f"c{n}" for n in range(5)]
    assert sorted(c for c, a in rasa.executed if a == "utter_handoff_timeout") == [f"c{n}" for n in range(5)]


async def test_rasa_down_keeps_the_conversation_waiting_for_a_retry(factory, rasa):
    settings = _settings(rasa.url)
    await _queue(factory, rasa, "late", OPEN_NOW)
    rasa.fail = True
    async with aiohttp.ClientSession() as http:
        assert await expire_waiting(factory, http, settings, now=OPEN_NOW + timedelta(minutes=6)) == []
        async with session_scope(factory) as session:
            assert (await session.scalar(select(HandoffRequest.status))) == WAITING
        rasa.fail = False
        assert await expire_waiting(factory, http, settings, now=OPEN_NOW + timedelta(minutes=7)) == ["late"]


async def test_a_refused_trigger_repauses_and_backs_off(factory, rasa):
    settings = _settings(rasa.url)
    await _queue(factory, rasa, "late", OPEN_NOW)
    backoff = Backoff(first=60)

    def refused(*args, **kwargs):  # e.g. the intent is missing from the domain (HTTP 404)
        raise RasaUnavailable("Rasa answered HTTP 404")

    async with aiohttp.ClientSession() as http:
        with mock.patch.object(RasaClient, "execute", side_effect=refused):
            for minute in (6, 7):
                later = OPEN_NOW + timedelta(minutes=minute)
                assert await expire_waiting(factory, http, settings, now=later, backoff=backoff) == []
    kinds = [e["event"] for e in rasa.trackers["late"]]
    assert kinds[-3:] == ["pause", "resume", "pause"]  # paused again after the refusal
    assert kinds.count("resume") == 1  # and not retried at once
    async with session_scope(factory) as session:
        assert (await session.scalar(select(HandoffRequest.status))) == WAITING


async def test_the_search_text_follows_the_conversation(factory, rasa):
    settings = _settings(rasa.url)
    rasa.user_says("rated", "Miten saan starttirahaa?", intent="startup_grant")
    rasa.append("rated", {"event": "slot", "name": "language", "value": "sv"})
    async with session_scope(factory) as session:
        await save_rating(session, "rated", 3)
    async with aiohttp.ClientSession() as http:
        assert await index_changed(factory, http, settings) == 1
        assert await index_changed(factory, http, settings) == 0
    async with session_scope(factory) as session:
        row = await session.get(HandoffConversation, "rated")
        assert "starttirahaa" in row.search_text and row.language == "sv"


async def test_the_sweeper_loop_runs_until_stopped(factory, rasa):
    settings = _settings(rasa.url, HANDOFF_QUEUE_TIMEOUT_SECONDS="0", HANDOFF_POLL_SECONDS="1")
    await _queue(factory, rasa, "conv", OPEN_NOW)
    stop = asyncio.Event()
    async with aiohttp.ClientSession() as http:
        task = asyncio.create_task(run_sweeper(factory, http, settings, stop))
        for _ in range(50):
            if rasa.executed:
                break
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert rasa.executed == [("conv", "utter_handoff_timeout"), ("conv", "utter_offer_contact_request")]
