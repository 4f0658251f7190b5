"""What the studio's model tests share: a web app whose runs train the tiny assistant of
tests/studio/tiny (a few English intents, seconds to train) into the test's own directories."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

from sqlalchemy import delete

from bot.db import session_scope
from bot.handoff.models import JobLease
from bot.studio.training_runs import JOB

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
