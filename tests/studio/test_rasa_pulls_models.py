"""REAL RASA: one `rasa run` as the supervisor starts it (bot/supervisor.py rasa_process, with the
project's endpoints.yml) follows the model the web app's internal site publishes, without a restart.

It starts before the web app is up (and serves its --model), gets 304s while nothing new is
published, loads a newly published copy of the same model (a new ETag) within a few seconds,
and goes back on a restore. The tiny assistant of tests/studio/tiny keeps it to seconds of training
(STUDIO_RASA_MODEL=PATH uses that model instead). Prints the time from publishing to the first parse
by the new model (a figure of the note).
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import List

import aiohttp
import pytest
from aiohttp import web

from bot.db import make_engine, make_sessionmaker, session_scope
from bot.rasa.models import model_path_for
from bot.studio import model_store
from tests.handoff.support import app_settings, empty_tables
from tests.studio.models_support import real_rasa, tiny_source, train_tiny, wait_for_rasa_model
from tests.test_supervisor import free_port

pytestmark = pytest.mark.real_rasa
TOKEN = "rasa-pull-token"
START_TIMEOUT = 240


async def _publish(factory, file_name: str, sha256: str) -> None:  # type: ignore[no-untyped-def]
    async with session_scope(factory) as session:
        model_store.add_publication(session, "pia", "publish", None, file_name, sha256, datetime.now(timezone.utc))


async def test_rasa_follows_published_models_without_a_restart(database_urls, tmp_path: Path):
    from bot.web.app import create_internal_app

    settings = app_settings(
        database_urls["sqlite"], f"http://127.0.0.1:{free_port()}", RASA_TOKEN=TOKEN, NLG_TOKEN="nlg-token",
        BOT_INTERNAL_PORT=str(free_port()), RASA_MODEL_PULL_SECONDS="1", BOT_MODELS_DIR=str(tmp_path / "models"),
        BOT_PUBLISHED_MODELS_DIR=str(tmp_path / "published"), TRACKER_DB=str(tmp_path / "tracker.db"))
    local = model_path_for(settings.project_root, settings.models_dir)
    local.parent.mkdir(parents=True)
    given = os.environ.get("STUDIO_RASA_MODEL")  # a model already trained (the full one, for the note's figure)
    shutil.copyfile(Path(given) if given else train_tiny(tmp_path, tiny_source(tmp_path)), local)
    engine = make_engine(settings.database_url)
    await empty_tables(engine)
    factory = make_sessionmaker(engine)
    answers: List[int] = []
    runner = None
    try:
        async with real_rasa(settings, local, tmp_path / "rasa.log") as rasa, aiohttp.ClientSession() as http:
            # 1. The web app is not up: Rasa starts anyway, with its --model.
            await wait_for_rasa_model(settings, local.name, START_TIMEOUT)

            # 2. The web app comes up with nothing published: Rasa's pulls get 304, it keeps its model.
            @web.middleware
            async def count(request: web.Request, handler):  # type: ignore[no-untyped-def]
                response = await handler(request)
                if request.path == "/model":
                    answers.append(response.status)
                return response

            app = create_internal_app(settings)
            app.middlewares.append(count)
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", settings.internal_port).start()
            for _ in range(100):
                if len(answers) >= 2:
                    break
                await asyncio.sleep(0.1)
            assert answers[:2] == [304, 304], answers

            # 3. A copy of the same model is published (a new ETag): Rasa loads it without a restart.
            copy = settings.published_models_dir / "run-77-copy.tar.gz"
            copy.parent.mkdir(parents=True)
            shutil.copyfile(local, copy)
            published_at = time.monotonic()
            await _publish(factory, copy.name, hashlib.sha256(copy.read_bytes()).hexdigest())
            await wait_for_rasa_model(settings, copy.name, 30)
            async with http.post(f"{settings.rasa_url}/model/parse", params={"token": TOKEN},
                                 json={"text": "where can I get funding for my company"}) as response:
                parsed = await response.json()
            first_answer = time.monotonic() - published_at
            assert parsed["intent"]["name"] == "funding"
            assert 200 in answers and rasa.returncode is None  # pulled once, never restarted
            print(f"\npublish -> first parse by the new model: {first_answer:.1f} s (pull interval 1 s)")

            # 4. Restore: back to the model `make model` trained, under yet another ETag.
            await _publish(factory, "", hashlib.sha256(local.read_bytes()).hexdigest())
            await wait_for_rasa_model(settings, local.name, 30)
            assert rasa.returncode is None
    finally:
        if runner is not None:
            await runner.cleanup()
        await engine.dispose()
