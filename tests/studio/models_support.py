"""What the studio's model tests share: a web app whose runs train the tiny assistant of
tests/studio/tiny (a few English intents, seconds to train) into the test's own directories."""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import AsyncIterator, Dict

import aiohttp

from sqlalchemy import delete

from bot.db import session_scope
from bot.handoff.models import JobLease
from bot.studio.training_runs import JOB
from bot.supervisor import rasa_process

TINY = Path(__file__).resolve().parent / "tiny"


def tiny_source(tmp: Path) -> Path:
    """A copy of the tiny assistant (config.yml, domain.yml, data/) that a test may damage."""
    source = tmp / "source"
    shutil.copytree(TINY, source, ignore=shutil.ignore_patterns("eval"))
    return source


def damage(source: Path) -> None:
    """Label the funding examples as premises: the model no longer knows funding, its macro-F1 falls."""
    path = source / "data" / "nlu" / "en.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- intent: funding", "- intent: premises"), encoding="utf-8")


def model_env(tmp: Path, source: Path) -> Dict[str, str]:
    """Settings that keep a test's runs, models and evaluation sets in its own directories."""
    return {
        "BOT_TRAINING_SOURCE": str(source), "BOT_TRAINING_DIR": str(tmp / "runs"),
        "BOT_PUBLISHED_MODELS_DIR": str(tmp / "published"), "BOT_MODELS_DIR": str(tmp / "models"),
        "BOT_MODEL_EVAL_DIR": str(TINY / "eval"),
    }


async def free_lease(factory) -> None:  # type: ignore[no-untyped-def]
    """No training lease left by an earlier test."""
    async with session_scope(factory) as session:
        await session.execute(delete(JobLease).where(JobLease.name == JOB))


def train_tiny(tmp: Path, source: Path) -> Path:
    """The tiny assistant trained by the real worker (nice'd, as the web app starts it): its model file."""
    run = tmp / "tiny-run"
    shutil.copytree(source, run)
    root = Path(__file__).resolve().parent.parent.parent
    subprocess.run(["nice", "-n", "10", sys.executable, "-m", "bot.studio.train_worker", "--run-dir", str(run),
                    "--root", str(root), "--eval-dir", str(TINY / "eval")], cwd=root, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return run / "candidate.tar.gz"


async def rasa_model_file(http: aiohttp.ClientSession, settings, token: str) -> str:  # type: ignore[no-untyped-def]
    """The model file Rasa's /status names ("" while Rasa does not answer)."""
    try:
        async with http.get(f"{settings.rasa_url}/status", params={"token": token},
                            timeout=aiohttp.ClientTimeout(total=5)) as response:
            return (await response.json()).get("model_file", "") if response.status == 200 else ""
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return ""


async def wait_for_rasa_model(settings, name: str, timeout: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds until Rasa's /status names the model file `name`."""
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:
        while time.monotonic() - started < timeout:
            if await rasa_model_file(http, settings, settings.rasa_token) == name:
                return time.monotonic() - started
            await asyncio.sleep(0.2)
        raise AssertionError(f"Rasa did not load {name}: it names {await rasa_model_file(http, settings, settings.rasa_token)!r}")


@contextlib.asynccontextmanager
async def real_rasa(settings, model: Path, log: Path) -> AsyncIterator[asyncio.subprocess.Process]:  # type: ignore[no-untyped-def]
    """One `rasa run` as the supervisor starts it (the project's endpoints.yml: NLG and model pulls from
    the web app's internal site at settings.internal_port), with `model`; stopped at the end."""
    spec = rasa_process(settings, model)
    with log.open("wb") as out:
        rasa = await asyncio.create_subprocess_exec(*spec.argv, cwd=settings.project_root, env={**os.environ, **spec.env},
                                                    stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True)
        try:
            yield rasa
        finally:
            if rasa.returncode is None:
                os.killpg(rasa.pid, signal.SIGTERM)
                try:
                    await asyncio.wait_for(rasa.wait(), 20)
                except asyncio.TimeoutError:
                    os.killpg(rasa.pid, signal.SIGKILL)
                    await rasa.wait()
