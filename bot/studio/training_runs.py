"""Training runs as background jobs: a `nice`d subprocess (bot/studio/train_worker.py) per run, watched
by the web app process that started it, with the run's state in the app's database (any instance shows it).

One run at a time, on every instance: the lease row `model_training` of `job_leases`
(bot/handoff/privacy.py take_lease), which the watcher renews while its run lives. The watcher
writes the stage and percentage (bot/studio/progress.py) and a heartbeat every TICK_SECONDS; a run
whose heartbeat is older than STALE_SECONDS (its web app died) is marked failed by whoever looks
next. When the worker ends, the gate (bot/studio/gate.py) judges its report.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional, Set

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import Settings, rasa_telemetry_env
from bot.console import audit
from bot.db import session_scope
from bot.handoff.models import JobLease
from bot.handoff.privacy import process_holder, take_lease
from bot.handoff.queue import utcnow
from bot.ports import child_exit_guard
from bot.studio import gate, progress
from bot.studio.model_server import served_model
from bot.studio.model_store import FAILED, FINISHED, RUNNING, TrainingRun, log_path, run_dir

JOB = "model_training"
LEASE_SECONDS = 30.0
TICK_SECONDS = 1.0
STALE_SECONDS = LEASE_SECONDS  # a run without a heartbeat this long has lost its lease too: its web app is gone
NICENESS = "10"
WORKER = "bot.studio.train_worker"  # the module the subprocess runs (`python -m`)
TRAINING_FILES = ("config.yml", "domain.yml")
TRAINING_DATA = ("nlu", "rules", "stories")
Factory = "sessionmaker[AsyncSession]"


def _copy_training_files(source: Path, target: Path) -> None:
    """config.yml, domain.yml and data/{nlu,rules,stories} of `source` into `target` (blocking)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in TRAINING_FILES:
        shutil.copyfile(source / name, target / name)
    for name in TRAINING_DATA:
        if (source / "data" / name).exists():
            if (source / "data" / name).is_dir():
                shutil.copytree(source / "data" / name, target / "data" / name, dirs_exist_ok=True)
            else:
                (target / "data").mkdir(exist_ok=True)
                shutil.copyfile(source / "data" / name, target / "data" / name)


async def prepare_training_dir(settings: Settings, factory: Factory, target: Path) -> None:
    """Write what a run trains on into `target`: config.yml, domain.yml and data/ of BOT_TRAINING_SOURCE
    (default the project root), its data/nlu with the staff's edits (bot/studio/training.py)."""
    from bot.studio.training import write_training_data

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, _copy_training_files, settings.training_source, target)
    async with session_scope(factory) as session:
        await write_training_data(session, target / "data" / "nlu", settings.training_source / "data" / "nlu")


class TrainingJobs:
    """The runs this web app process watches (their tasks end with the app)."""

    def __init__(self, settings: Settings, factory: Factory) -> None:
        self.settings = settings
        self.factory = factory
        self.holder = process_holder()
        self.tasks: Set["asyncio.Task[None]"] = set()

    async def start(self, actor: audit.Actor, now: Optional[datetime] = None) -> Optional[int]:
        """Start a run; its id, or None when another run holds the lease."""
        now = now or utcnow()
        await fail_dead_runs(self.factory, now)
        if not await take_lease(self.factory, JOB, self.holder, LEASE_SECONDS, now):
            return None
        async with session_scope(self.factory) as session:
            run = TrainingRun(created_at=now, actor=actor.username[:80], state=RUNNING, stage="preparing", percent=0,
                              holder=self.holder[:64], heartbeat_at=now)
            session.add(run)
            await session.flush()
            run_id = int(run.id)
            await audit.record(session, actor, "model.train", f"run {run_id}", None, {"run": run_id}, now=now)
        task = asyncio.create_task(self._watch(run_id))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return run_id

    async def _watch(self, run_id: int) -> None:
        """Prepare, start and follow the worker of run `run_id` to its end."""
        directory = run_dir(self.settings, run_id)
        process: Optional[asyncio.subprocess.Process] = None
        try:
            await prepare_training_dir(self.settings, self.factory, directory)
            running = await served_model(self.settings, self.factory)
            process = await self._spawn(directory, running.path if running else None)
            while True:
                try:
                    await asyncio.wait_for(process.wait(), TICK_SECONDS)
                    break
                except asyncio.TimeoutError:
                    await self._tick(run_id)
            await self._finish(run_id, process.returncode or 0)
        except asyncio.CancelledError:
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()
            await asyncio.shield(self._fail(run_id, "stopped with the web app"))
            raise
        except Exception as exc:  # noqa: BLE001  (a run that cannot start is a failed run, not a dead app)
            await self._fail(run_id, f"{type(exc).__name__}: {exc}")
        finally:
            await asyncio.shield(self._release())

    async def _spawn(self, directory: Path, running: Optional[Path]) -> asyncio.subprocess.Process:
        settings = self.settings
        command = ["nice", "-n", NICENESS, sys.executable, "-m", WORKER,
                   "--run-dir", str(directory), "--root", str(settings.project_root),
                   "--eval-dir", str(settings.model_eval_dir)]
        if running is not None:
            command += ["--running", str(running)]
        log = await asyncio.get_running_loop().run_in_executor(None, _open_log, directory / "train.log")
        try:
            return await asyncio.create_subprocess_exec(
                *command, cwd=settings.project_root, stdout=log, stderr=asyncio.subprocess.STDOUT,
                env={**os.environ, **rasa_telemetry_env(), "PYTHONUNBUFFERED": "1"}, start_new_session=True,
                **child_exit_guard())
        finally:
            log.close()

    async def _tick(self, run_id: int) -> None:
        """The run's progress and heartbeat, and the lease renewed."""
        now = utcnow()
        text = await asyncio.get_running_loop().run_in_executor(None, progress.read_tail, log_path(self.settings, run_id))
        found = progress.parse(text)
        async with session_scope(self.factory) as session:
            await session.execute(update(TrainingRun).where(TrainingRun.id == run_id, TrainingRun.state == RUNNING)
                                  .values(stage=found.stage, percent=found.percent, heartbeat_at=now))
            await session.execute(update(JobLease).where(JobLease.name == JOB, JobLease.holder == self.holder)
                                  .values(expires_at=now + timedelta(seconds=LEASE_SECONDS)))

    async def _finish(self, run_id: int, code: int) -> None:
        """The worker ended: the gate's verdict on its report, or the run failed."""
        loop = asyncio.get_running_loop()
        text = await loop.run_in_executor(None, progress.read_tail, log_path(self.settings, run_id))
        report_file = run_dir(self.settings, run_id) / "report.json"
        report = await loop.run_in_executor(None, _read_json, report_file)
        if code != 0 or report is None:
            await self._fail(run_id, progress.parse(text).error or f"the training process exited with {code}")
            return
        verdict = gate.judge(report.get("candidate") or {}, report.get("running") or {},
                             self.settings.model_gate_tolerance,
                             intent_tolerance=self.settings.model_gate_intent_tolerance)
        now = utcnow()
        async with session_scope(self.factory) as session:
            await session.execute(update(TrainingRun).where(TrainingRun.id == run_id).values(
                state=FINISHED, stage="done", percent=100, heartbeat_at=now, finished_at=now,
                seconds=report.get("seconds"), report=json.dumps(report), allowed=verdict.allowed,
                reasons=json.dumps(verdict.reasons)))

    async def _fail(self, run_id: int, error: str) -> None:
        now = utcnow()
        async with session_scope(self.factory) as session:
            await session.execute(update(TrainingRun).where(TrainingRun.id == run_id, TrainingRun.state == RUNNING)
                                  .values(state=FAILED, error=error[:2000], finished_at=now, heartbeat_at=now))

    async def _release(self) -> None:
        async with session_scope(self.factory) as session:
            await session.execute(update(JobLease).where(JobLease.name == JOB, JobLease.holder == self.holder)
                                  .values(expires_at=utcnow()))

    async def close(self) -> None:
        """Stop the runs this process watches (the app is stopping): they are marked failed."""
        for task in list(self.tasks):
            task.cancel()
        for task in list(self.tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def fail_dead_runs(factory: Factory, now: Optional[datetime] = None) -> int:
    """Mark failed the runs whose watcher stopped writing (its web app died); how many."""
    now = now or utcnow()
    async with session_scope(factory) as session:
        result = await session.execute(
            update(TrainingRun).where(TrainingRun.state == RUNNING,
                                      TrainingRun.heartbeat_at < now - timedelta(seconds=STALE_SECONDS))
            .values(state=FAILED, error="the training process stopped (its web app is gone)", finished_at=now))
    return int(result.rowcount or 0)


def _open_log(path: Path):  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("ab")


def _read_json(path: Path) -> Optional[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
