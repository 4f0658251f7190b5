"""Training runs and published models in the app's database; the model files themselves live on disk.

A run's files (its training data, log, candidate model and evaluation report) are under
BOT_TRAINING_DIR/run-<id>/; a published model is copied to BOT_PUBLISHED_MODELS_DIR and named by its
publication. The newest row of `model_publications` is the model every Rasa server pulls
(bot/studio/model_server.py); without any row it is the model `make model` trained.
"""
from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import Boolean, Column, Float, Index, Integer, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db import Base, UTCDateTime
from bot.rasa.model_pull import file_sha256, model_etag

RUNNING, FINISHED, FAILED = "running", "finished", "failed"
PUBLISH, RESTORE = "publish", "restore"


class TrainingRun(Base):
    """One training run: who started it, how far it is, and its evaluation and the gate's verdict."""

    __tablename__ = "training_runs"
    id = Column(Integer, primary_key=True)
    created_at = Column(UTCDateTime, nullable=False)
    actor = Column(String(80), nullable=False)
    state = Column(String(16), nullable=False, default=RUNNING)  # running, finished, failed
    stage = Column(String(24), nullable=False, default="preparing")  # preparing, training, evaluating, done
    percent = Column(Integer, nullable=False, default=0)
    holder = Column(String(64), nullable=False, default="")  # the web app process that watches it
    heartbeat_at = Column(UTCDateTime, nullable=False)
    finished_at = Column(UTCDateTime)
    seconds = Column(Float)  # from start to the evaluated model
    report = Column(Text)  # JSON: the evaluation of the candidate and of the running model
    allowed = Column(Boolean)  # the gate's verdict (None until evaluated)
    reasons = Column(Text)  # JSON list of the gate's reasons to refuse
    error = Column(Text)
    __table_args__ = (Index("ix_training_runs_state", "state"),)

    def figures(self) -> Dict[str, Any]:
        return json.loads(self.report) if self.report else {}

    def refusals(self) -> List[Dict[str, Any]]:
        return json.loads(self.reasons) if self.reasons else []


class ModelPublication(Base):
    """A model made current: the newest row is what every Rasa server runs."""

    __tablename__ = "model_publications"
    id = Column(Integer, primary_key=True)
    published_at = Column(UTCDateTime, nullable=False)
    actor = Column(String(80), nullable=False)
    kind = Column(String(16), nullable=False, default=PUBLISH)  # publish, restore
    run_id = Column(Integer)  # None: the model `make model` trained
    file_name = Column(String(200), nullable=False, default="")  # "" : the model `make model` trained
    sha256 = Column(String(64), nullable=False)
    __table_args__ = (Index("ix_model_publications_published_at", "published_at"),)

    @property
    def etag(self) -> str:
        return model_etag(str(self.id), self.sha256)


def run_dir(settings: Settings, run_id: int) -> Path:
    return settings.training_dir / f"run-{run_id}"


def candidate_path(settings: Settings, run_id: int) -> Path:
    return run_dir(settings, run_id) / "candidate.tar.gz"


def log_path(settings: Settings, run_id: int) -> Path:
    return run_dir(settings, run_id) / "train.log"


async def current(session: AsyncSession) -> Optional[ModelPublication]:
    """The newest publication (None: nothing has been published)."""
    return (await session.scalars(select(ModelPublication).order_by(ModelPublication.id.desc()).limit(1))).first()


async def history(session: AsyncSession, limit: int = 10) -> List[ModelPublication]:
    return list((await session.scalars(
        select(ModelPublication).order_by(ModelPublication.id.desc()).limit(limit))).all())


async def previous(session: AsyncSession) -> Optional[ModelPublication]:
    """What a restore brings back: the newest publication of another model than the current one
    (None: the model `make model` trained)."""
    rows = await history(session, 50)
    for row in rows[1:]:
        if row.sha256 != rows[0].sha256:
            return row
    return None


async def runs(session: AsyncSession, limit: int = 10) -> List[TrainingRun]:
    return list((await session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit))).all())


@dataclass(frozen=True)
class PublishedFile:
    """A model file copied to the published directory."""

    file_name: str
    sha256: str


def _copy_published(source: Path, target_dir: Path, run_id: int) -> PublishedFile:
    """Copy a candidate into the published directory (atomically: a reader never sees half a file)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    sha = file_sha256(source)
    name = f"run-{run_id}-{sha[:12]}.tar.gz"
    target = target_dir / name
    if not target.exists():
        partial = target_dir / f".{name}.part"
        shutil.copyfile(source, partial)
        partial.replace(target)
    return PublishedFile(name, sha)


async def copy_candidate(settings: Settings, run_id: int) -> PublishedFile:
    """The run's candidate in the published directory (copied off the event loop)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        None, _copy_published, candidate_path(settings, run_id), settings.published_models_dir, run_id)


def add_publication(session: AsyncSession, actor: str, kind: str, run_id: Optional[int], file_name: str,
                    sha256: str, now: datetime) -> ModelPublication:
    row = ModelPublication(published_at=now, actor=actor[:80], kind=kind, run_id=run_id, file_name=file_name,
                           sha256=sha256)
    session.add(row)
    return row


def describe(row: Optional[ModelPublication]) -> Dict[str, Any]:
    """A publication for the audit log (None: the `make model` model)."""
    if row is None:
        return {"model": "make model"}
    return {"publication": row.id, "run": row.run_id, "file": row.file_name or "make model", "sha256": row.sha256}
