"""Training runs as background jobs, with a stand-in worker (tests/studio/fake_worker.py; the real one is
in tests/e2e/test_studio_models.py): progress in the page, one run at a time, a dead run marked failed,
the gate's verdict, publishing and restoring with their audit entries, and who may do what."""
from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console.audit import AuditEntry
from bot.db import session_scope
from bot.handoff.queue import utcnow
from bot.rasa.models import model_path_for
from bot.studio import progress
from bot.studio import training_runs as training
from bot.studio.model_store import FAILED, ModelPublication, TrainingRun
from tests.console.support import make_adviser
from tests.handoff.support import RunningApp, app_settings
from tests.studio.models_support import free_lease, model_env, tiny_source

FIGURES = {"clean_f1": 0.9, "near_miss": 0.8, "false_rejection": 0.05, "per_intent": {"funding": 0.9}}
WORSE = {**FIGURES, "clean_f1": 0.7, "per_intent": {"funding": 0.2}}


def _report(candidate) -> str:  # type: ignore[no-untyped-def]
    return json.dumps({"candidate": {"en": candidate}, "running": {"en": FIGURES}, "running_model": "bot-x.tar.gz",
                       "seconds": 3.0, "train_seconds": 2.0})


@pytest.fixture
async def models_app(db_url, rasa, factory, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(training, "WORKER", "tests.studio.fake_worker")
    monkeypatch.setenv("FAKE_SECONDS", "1.5")
    monkeypatch.setenv("FAKE_REPORT", _report(FIGURES))
    await free_lease(factory)
    await make_adviser(factory, "eeva", role="editor")
    await make_adviser(factory, "pia", role="publisher")
    settings = app_settings(db_url, rasa.url, **model_env(tmp_path, tiny_source(tmp_path)))
    local = model_path_for(settings.project_root, settings.models_dir)  # the model `make model` trained
    local.parent.mkdir(parents=True)
    local.write_bytes(b"the local model")
    async with RunningApp(settings) as running:
        yield running


async def _until_done(client, run_id: int) -> dict:  # type: ignore[no-untyped-def]
    seen = []
    for _ in range(200):
        response, body = await client.get(f"/console/api/studio/runs/{run_id}", headers={"Accept": "application/json"})
        status = json.loads(body)
        seen.append(status["percent"])
        if status["state"] != "running":
            status["seen"] = seen
            return status
        await asyncio.sleep(0.1)
    raise AssertionError("the run did not end")


async def _start(client) -> int:  # type: ignore[no-untyped-def]
    response, _ = await client.post("/console/studio/models/train")
    assert response.status == 303
    return int(re.search(r"run=(\d+)", response.headers["Location"]).group(1))


async def test_a_run_trains_in_the_background_and_a_publisher_publishes_it(models_app, connect, factory):
    editor, publisher = connect(models_app.url), connect(models_app.url)
    await editor.login("eeva")
    await publisher.login("pia")
    run_id = await _start(editor)
    response, _ = await editor.post("/console/studio/models/train")  # one run at a time
    assert response.headers["Location"].endswith("note=models_busy")
    _, page = await editor.get(f"/console/studio/models?run={run_id}")
    assert 'id="run-bar"' in page and "studio_models.js" in page and "disabled" in page
    status = await _until_done(editor, run_id)
    assert status["state"] == "finished" and status["allowed"] is True and status["percent"] == 100
    assert any(0 < p < 100 for p in status["seen"])  # progress from the log while it ran
    assert "Finished training component" in status["log"]
    _, page = await editor.get(f"/console/studio/models?run={run_id}")
    assert 'id="comparison"' in page and "can be published" in page
    assert 'id="publish"' not in page and "Only a publisher can publish" in page
    response, _ = await editor.post(f"/console/studio/models/runs/{run_id}/publish")
    assert response.status == 403
    _, log = await editor.get(f"/console/studio/models/runs/{run_id}/log")
    assert "[studio] stage done" in log

    _, page = await publisher.get(f"/console/studio/models?run={run_id}")
    assert 'id="publish"' in page
    response, _ = await publisher.post(f"/console/studio/models/runs/{run_id}/publish")
    assert response.headers["Location"].endswith("note=models_published_note")
    async with session_scope(factory) as session:
        published = (await session.scalars(select(ModelPublication))).all()
        actions = [e.action for e in (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()]
    assert [(p.kind, p.run_id) for p in published] == [("publish", run_id)]
    assert (models_app.settings.published_models_dir / published[0].file_name).read_bytes() == b"candidate of run-%d" % run_id
    assert actions == ["model.train", "model.publish"]
    _, page = await publisher.get("/console/studio/models")
    assert published[0].file_name in page and 'id="restore"' in page

    response, _ = await publisher.post("/console/studio/models/restore")
    assert response.headers["Location"].endswith("note=models_restored")
    async with session_scope(factory) as session:
        newest = (await session.scalars(select(ModelPublication).order_by(ModelPublication.id.desc()))).first()
        last = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()))).first()
    assert (newest.kind, newest.file_name) == ("restore", "")  # back to the model `make model` trained
    assert last.action == "model.restore"


async def test_a_run_the_gate_refuses_cannot_be_published(models_app, connect, factory, monkeypatch):
    monkeypatch.setenv("FAKE_REPORT", _report(WORSE))
    publisher = connect(models_app.url)
    await publisher.login("pia")
    run_id = await _start(publisher)
    status = await _until_done(publisher, run_id)
    assert status["state"] == "finished" and status["allowed"] is False
    _, page = await publisher.get(f"/console/studio/models?run={run_id}")
    assert "The new model cannot be published" in page and 'id="publish"' not in page
    assert "macro-F1 on the test sentences 0.700 vs. 0.900 of the model in use, 0.200 lower (allowed: 0.010)" in page
    assert "<code>funding</code> 0.90 → 0.20" in page
    response, _ = await publisher.post(f"/console/studio/models/runs/{run_id}/publish")
    assert response.headers["Location"].endswith("note=models_refused_publish")
    async with session_scope(factory) as session:
        assert (await session.scalars(select(ModelPublication))).all() == []


async def test_a_worker_that_fails_fails_the_run_and_frees_the_next(models_app, connect, monkeypatch):
    monkeypatch.setenv("FAKE_EXIT", "1")
    editor = connect(models_app.url)
    await editor.login("eeva")
    status = await _until_done(editor, await _start(editor))
    assert status["state"] == FAILED and status["error"] == "rasa train exited with 1"
    monkeypatch.delenv("FAKE_EXIT")
    assert (await _until_done(editor, await _start(editor)))["state"] == "finished"


async def test_a_run_whose_watcher_died_is_marked_failed(models_app, connect, factory):
    stale = utcnow() - timedelta(seconds=training.STALE_SECONDS + 5)
    async with session_scope(factory) as session:
        session.add(TrainingRun(created_at=stale, actor="eeva", state="running", stage="training", percent=40,
                                holder="gone:1:x", heartbeat_at=stale))
    editor = connect(models_app.url)
    await editor.login("eeva")
    _, page = await editor.get("/console/studio/models")
    assert "The run failed" in page and "its web app is gone" in page
    async with session_scope(factory) as session:
        assert (await session.scalars(select(TrainingRun.state))).all() == [FAILED]


async def test_advisers_see_nothing_of_it(models_app, connect, factory):
    await make_adviser(factory, "anna", role="adviser")
    adviser = connect(models_app.url)
    await adviser.login("anna")
    for path in ("/console/studio/models", "/console/studio/models/runs/1/log", "/console/api/studio/runs/1"):
        assert (await adviser.get(path))[0].status == 403
    for path in ("/console/studio/models/train", "/console/studio/models/runs/1/publish",
                 "/console/studio/models/restore"):
        assert (await adviser.post(path))[0].status == 403


def test_progress_from_the_log():
    assert progress.parse("") == progress.Progress("preparing", 0)
    component = "x - Starting to train component 'A'.\nx - Finished training component 'A'.\n"
    log = "[studio] components 4\n[studio] stage training\n" + component * 2
    assert progress.parse(log) == progress.Progress("training", 5 + 35)
    assert progress.parse(log + "Your Rasa model is trained and saved at x\n").percent == 75
    started = "x - Starting to train component 'B'.\n"  # a long component counts half while it trains
    assert progress.parse(log + started).percent == 5 + int(70 * 2.5 / 4)
    assert progress.parse(log + "[studio] stage evaluating\n\x1b[0m[studio] progress 90\n").percent == 90
    assert progress.parse(log + "[studio] error rasa train exited with 2\n").error == "rasa train exited with 2"
    assert progress.parse("[studio] stage done\n").percent == 100


async def test_a_run_trains_on_the_staff_s_edits(factory, tmp_path):  # noqa: F811
    """prepare_training_dir: the repository's files with the training data's edits and inbox corrections."""
    from bot.console.audit import Actor
    from bot.studio.training import add_example

    settings = app_settings("sqlite+aiosqlite:///unused.db", "http://127.0.0.1:9",
                            **model_env(tmp_path, tiny_source(tmp_path)))
    async with session_scope(factory) as session:
        await add_example(session, Actor(1, "eeva"), "en", "funding", "could the city lend my bakery some money")
    await training.prepare_training_dir(settings, factory, tmp_path / "run")
    written = (tmp_path / "run" / "data" / "nlu" / "en.yml").read_text(encoding="utf-8")
    assert "could the city lend my bakery some money" in written
    assert (tmp_path / "run" / "config.yml").exists() and (tmp_path / "run" / "domain.yml").exists()
    source = (tmp_path / "source" / "data" / "nlu" / "en.yml").read_text(encoding="utf-8")
    assert "could the city lend my bakery some money" not in source  # the repository's copy is untouched
