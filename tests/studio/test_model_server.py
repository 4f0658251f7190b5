"""GET /model on the internal site, as Rasa's model server pulls it: the current model with an ETag,
304 for If-None-Match of that ETag, a new ETag for every publication, the token, and Rasa's side
(bot/rasa/model_pull.py): the local model first, under the ETag the web app gives it."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import AsyncIterator, Tuple

import aiohttp
import pytest
from aiohttp import web
from multidict import CIMultiDict

from bot.config import Settings
from bot.db import session_scope
from bot.rasa import model_pull
from bot.rasa.models import model_path_for
from bot.studio import model_store
from tests.handoff.support import app_settings
from tests.test_supervisor import free_port

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
TOKEN = "model-token"


@pytest.fixture
async def internal(db_url, tmp_path: Path) -> AsyncIterator[Tuple[str, Settings]]:
    from bot.web.app import create_internal_app

    settings = app_settings(db_url, "http://127.0.0.1:9", NLG_TOKEN=TOKEN, BOT_MODELS_DIR=str(tmp_path / "models"),
                            BOT_PUBLISHED_MODELS_DIR=str(tmp_path / "published"))
    runner = web.AppRunner(create_internal_app(settings))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/model", settings
    await runner.cleanup()


async def _get(url: str, etag: str = "", token: str = TOKEN) -> Tuple[int, CIMultiDict, bytes]:
    headers = {"If-None-Match": etag} if etag else {}
    async with aiohttp.ClientSession() as http:
        async with http.get(url, params={"token": token}, headers=headers) as response:
            return response.status, response.headers.copy(), await response.read()  # case-insensitive, like Rasa


async def _publish(factory, settings: Settings, name: str, content: bytes) -> model_store.ModelPublication:  # type: ignore[no-untyped-def]
    settings.published_models_dir.mkdir(parents=True, exist_ok=True)
    (settings.published_models_dir / name).write_bytes(content)
    async with session_scope(factory) as session:
        row = model_store.add_publication(session, "pia", "publish", 1, name, hashlib.sha256(content).hexdigest(), NOW)
        await session.flush()
    return row


async def test_the_current_model_with_its_etag_and_304_when_rasa_already_runs_it(internal, factory):
    url, settings = internal
    status, _, _ = await _get(url)
    assert status == 404  # no model at all yet
    local = model_path_for(settings.project_root, settings.models_dir)
    local.parent.mkdir(parents=True)
    local.write_bytes(b"the model make model trained")
    status, headers, body = await _get(url)
    assert status == 200 and body == b"the model make model trained"
    local_etag = model_pull.model_etag("local", hashlib.sha256(body).hexdigest())
    assert headers["ETag"] == local_etag and headers["filename"] == local.name
    status, headers, body = await _get(url, local_etag)
    assert (status, body, headers["ETag"]) == (304, b"", local_etag)
    assert (await _get(url, f"W/{local_etag}"))[0] == 304

    first = await _publish(factory, settings, "run-1-aaaa.tar.gz", b"a new model")
    status, headers, body = await _get(url, local_etag)
    assert status == 200 and body == b"a new model" and headers["filename"] == "run-1-aaaa.tar.gz"
    assert headers["ETag"] == first.etag != local_etag
    assert (await _get(url, first.etag))[0] == 304
    again = await _publish(factory, settings, "run-1-aaaa.tar.gz", b"a new model")  # the same file published again
    status, headers, _ = await _get(url, first.etag)
    assert status == 200 and headers["ETag"] == again.etag != first.etag


async def test_the_model_needs_the_token(internal):
    url, _ = internal
    assert (await _get(url, token="wrong"))[0] == 401
    assert (await _get(url, token=""))[0] == 401


def test_the_model_argument_of_a_rasa_command_line():
    assert model_pull.model_argument(["--enable-api", "--model", "m.tar.gz", "--port", "1"]) == "m.tar.gz"
    assert model_pull.model_argument(["--model=x.tar.gz"]) == "x.tar.gz"
    assert model_pull.model_argument(["--enable-api"]) is None


async def test_rasa_loads_its_local_model_first_and_keeps_it_when_the_web_app_is_down(tmp_path, monkeypatch):
    from rasa.core import agent as agent_module
    from rasa.utils.endpoints import EndpointConfig

    local = tmp_path / "local.tar.gz"
    local.write_bytes(b"model bytes")
    asked = []

    async def original(agent, model_server):  # type: ignore[no-untyped-def]
        asked.append((agent.fingerprint, model_server.kwargs["wait_time_between_pulls"]))
        return agent

    class FakeAgent:
        fingerprint = None

        def load_model(self, path: str, fingerprint: str) -> None:
            self.loaded, self.fingerprint = path, fingerprint

    monkeypatch.setattr(agent_module, "load_from_server", original)
    model_pull.install(str(local))
    server = EndpointConfig("http://127.0.0.1:9/model", wait_time_between_pulls="5")
    agent = await agent_module.load_from_server(FakeAgent(), server)
    etag = model_pull.model_etag("local", hashlib.sha256(b"model bytes").hexdigest())
    assert agent.loaded == str(local) and asked == [(etag, 5)]  # then Rasa asks with If-None-Match: etag
