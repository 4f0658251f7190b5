"""Adviser messages reach the widget live over the real gateway, once, also across reloads."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import aiohttp
import pytest

from bot.handoff import enqueue
from bot.db import session_scope
from bot.handoff.live import LiveCursor, Pusher, history_cursor, pushed_entries
from tests.handoff.support import RunningApp, app_settings
from tests.tracker_events import HANDOFF_EVENTS
from tests.ws_client import conversation_id, widget_client


def test_pushed_entries_use_timestamps_as_cursor():
    entries, newest = pushed_entries(HANDOFF_EVENTS, 0.0)
    assert [(e["who"], e["text"]) for e in entries] == [("adviser", "Hei, olen Anna."), ("assistant", "Arvioi 1-5")]
    assert entries[1]["buttons"] == [{"title": "5", "payload": "/rate"}] and entries[1]["time"] == 6.2
    assert newest == 7.1
    assert pushed_entries(HANDOFF_EVENTS, 4.0)[0][0]["text"] == "Arvioi 1-5"
    assert pushed_entries(HANDOFF_EVENTS, 7.1) == ([], 7.1)


def test_history_cursor_is_the_newest_entry_shown():
    assert history_cursor([{"time": 2.0}, {"time": 4.0}, {"who": "user"}]) == 4.0
    assert history_cursor([]) == 0.0 and history_cursor(None) == 0.0


def test_a_cursor_holds_during_a_welcome_and_follows_its_history():
    cursor = LiveCursor(3.0)
    cursor.hold()
    assert cursor.since is None
    cursor.follow([{"time": 2.0}, {"time": 4.0}])
    assert cursor.since == 4.0
    before = time.time()
    cursor.follow(None)  # the history failed: only what comes from now on
    assert cursor.since >= before


async def _no_push(client, seconds: float = 1.2) -> None:
    with pytest.raises(asyncio.TimeoutError):
        await client.next("push", timeout=seconds)


def _adviser_says(rasa, cid: str, text: str) -> None:
    rasa.append(cid, {"event": "bot", "text": text, "metadata": {"adviser": "Anna", "adviser_id": 1}})


async def test_pushes_in_a_handoff_only_and_never_twice(db_url, factory, rasa):
    settings = app_settings(db_url, rasa.url)
    async with RunningApp(settings) as app, aiohttp.ClientSession() as http:
        ws_url = app.url.replace("http", "ws") + "/ws"
        async with widget_client(http, ws_url, app.url, "fi") as client:
            await client.hello(language="fi")
            reply = await client.say("haluan ihmisen")
            cid = conversation_id(client.conversation)
            assert reply["messages"][0]["text"] == "answer to haluan ihmisen"
            _adviser_says(rasa, cid, "not in a handoff yet")
            await _no_push(client)
            async with session_scope(factory) as session:
                await enqueue(session, cid, "fi", ["request_human"], "requested", settings=settings,
                              now=datetime.now(timezone.utc))
            rasa.append(cid, {"event": "pause"})
            push = await client.next("push", timeout=5)
            # The message written before the handoff is newer than the widget's history: it comes too.
            assert [m["text"] for m in push["messages"]] == ["not in a handoff yet"]
            _adviser_says(rasa, cid, "Hei, olen Anna. <b>Miten voin auttaa?</b>")
            push = await client.next("push", timeout=5)
            assert push["messages"] == [{"who": "adviser", "text": "Hei, olen Anna. <b>Miten voin auttaa?</b>",
                                         "buttons": [], "time": push["messages"][0]["time"]}]
            # While paused the user's messages go to the tracker and Rasa answers nothing.
            assert (await client.say("Kiitos, odotan"))["messages"] == []
            token = client.conversation
        # A reload: the history has everything, nothing is pushed again.
        async with widget_client(http, ws_url, app.url, "fi") as again:
            welcome = await again.hello(token, language="fi")
            texts = [entry["text"] for entry in welcome["history"]]
            assert texts[-2:] == ["Hei, olen Anna. <b>Miten voin auttaa?</b>", "Kiitos, odotan"]
            await _no_push(again)
            _adviser_says(rasa, cid, "Toinen viesti")
            assert [m["text"] for m in (await again.next("push", timeout=5))["messages"]] == ["Toinen viesti"]
            # The hand back: what the assistant says after the resume reaches the widget.
            rasa.append(cid, {"event": "resume"})
            await http.post(f"{rasa.url}/conversations/{cid}/execute?token=test-rasa-token",
                            json={"name": "utter_ask_rating"})
            push = await again.next("push", timeout=5)
            assert push["messages"][0]["who"] == "assistant"
            assert push["messages"][0]["text"] == "answer of utter_ask_rating"
            assert [b["title"] for b in push["messages"][0]["buttons"]] == ["1", "2", "3", "4", "5"]
            await _no_push(again)


class _Connection:
    def __init__(self, cid: str, cursor) -> None:
        self.conversation = type("C", (), {"conversation_id": cid})()
        self.live = LiveCursor(cursor)
        self.frames = []

    def post(self, frame) -> None:
        self.frames.append(frame)


async def test_connections_still_waiting_for_their_welcome_get_nothing(factory, rasa):
    settings = app_settings("unused", rasa.url)
    async with session_scope(factory) as session:
        await enqueue(session, "conv", "fi", [], "requested", settings=settings)
    _adviser_says(rasa, "conv", "hello")
    waiting, ready = _Connection("conv", None), _Connection("conv", 0.0)
    async with aiohttp.ClientSession() as http:
        pusher = Pusher(factory, http, settings, lambda: [waiting, ready])
        assert await pusher.tick() == 1
        assert await pusher.tick() == 0
    assert waiting.frames == [] and len(ready.frames) == 1
