"""The one client for Rasa's HTTP API: token auth, the calls' addresses and bodies, every failure as RasaUnavailable."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import load_settings
from bot.rasa.client import RasaClient, RasaUnavailable

TOKEN = "t0ken"


class Recorder:
    """A stand-in Rasa that records each request: method, path, token and JSON body."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, str, Any, Any]] = []
        self.answer: Any = {"events": [{"event": "user", "text": "hei"}, "junk"], "slots": {}}
        self.status = 200

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        self.calls.append((request.method, request.raw_path, request.query.get("token"), body))
        if self.status != 200:
            return web.Response(status=self.status)
        if self.answer is ...:
            return web.Response(text="not json", content_type="application/json")
        return web.json_response(self.answer)


@pytest.fixture
async def rasa_stub():  # type: ignore[no-untyped-def]
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.handle)
    async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
        settings = load_settings({"RASA_URL": str(server.make_url("")).rstrip("/"), "RASA_TOKEN": TOKEN,
                                  "BOT_SECRET_KEY": "s"})
        yield recorder, RasaClient(http, settings)


async def test_calls_carry_the_token_except_the_rest_channel(rasa_stub):
    recorder, rasa = rasa_stub
    assert await rasa.events("a/b c") == [{"event": "user", "text": "hei"}]
    await rasa.all_events("c1")
    await rasa.append_bot_message("c1", "Hei", {"adviser": "Anna"})
    await rasa.execute("c1", "utter_ask_rating")
    await rasa.listen("c1")
    recorder.answer = [{"recipient_id": "c1", "text": "Moi"}]
    assert await rasa.send_message("c1", "hei", {"language": "fi"}) == [{"recipient_id": "c1", "text": "Moi"}]
    calls: List[Tuple[str, str, Any, Dict[str, Any]]] = recorder.calls
    assert calls == [
        ("GET", "/conversations/a%2Fb%20c/tracker?token=t0ken", TOKEN, None),
        ("GET", "/conversations/c1/tracker?token=t0ken&include_events=ALL", TOKEN, None),
        ("POST", "/conversations/c1/tracker/events?token=t0ken", TOKEN,
         {"event": "bot", "text": "Hei", "metadata": {"adviser": "Anna"}}),
        ("POST", "/conversations/c1/execute?token=t0ken", TOKEN, {"name": "utter_ask_rating"}),
        ("POST", "/conversations/c1/tracker/events?token=t0ken", TOKEN, {"event": "action", "name": "action_listen"}),
        ("POST", "/webhooks/rest/webhook", None, {"sender": "c1", "message": "hei", "metadata": {"language": "fi"}}),
    ]


async def test_every_failure_is_rasa_unavailable(rasa_stub):
    recorder, rasa = rasa_stub
    recorder.status = 500
    with pytest.raises(RasaUnavailable):
        await rasa.resume("c1")
    assert await rasa.model_is_loaded() is False
    recorder.status, recorder.answer = 200, ...
    with pytest.raises(RasaUnavailable):
        await rasa.events("c1")  # not JSON
    recorder.answer = {"sender_id": "c1"}
    with pytest.raises(RasaUnavailable):
        await rasa.events("c1")  # a tracker without events
    recorder.answer = {"messages": []}
    with pytest.raises(RasaUnavailable):
        await rasa.send_message("c1", "hei")  # not a list of messages
    recorder.answer = {"model_file": "models/bot.tar.gz"}
    assert await rasa.model_is_loaded() is True


async def test_an_unreachable_rasa_is_rasa_unavailable():
    settings = load_settings({"RASA_URL": "http://127.0.0.1:9", "RASA_TOKEN": TOKEN, "BOT_SECRET_KEY": "s",
                              "RASA_TIMEOUT_SECONDS": "2"})
    async with aiohttp.ClientSession() as http:
        with pytest.raises(RasaUnavailable):
            await RasaClient(http, settings).all_events("c1")
        assert await RasaClient(http, settings).model_is_loaded() is False
