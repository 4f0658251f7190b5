"""Publishing a run's model, and restoring the previous one: a new row of `model_publications`, which
every Rasa server pulls within RASA_MODEL_PULL_SECONDS (bot/studio/model_server.py). Each change
goes to the audit log in the same unit of work."""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Optional

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.console import audit
from bot.db import session_scope
from bot.handoff.queue import utcnow
from bot.studio import model_store
from bot.studio.model_server import cached_sha256, local_model_path
from bot.studio.model_store import FINISHED, PUBLISH, RESTORE, ModelPublication, TrainingRun

Factory = "sessionmaker[AsyncSession]"


class NotPublishable(Exception):
    """The run has no model the gate allowed (its key names the locale text of the reason)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


async def publish_run(settings: Settings, factory: Factory, run_id: int, actor: audit.Actor,
                      now: Optional[datetime] = None) -> ModelPublication:
    """Make run `run_id`'s model the current one; NotPublishable unless the gate allowed it."""
    async with session_scope(factory) as session:
        run = await session.get(TrainingRun, run_id)
        if run is None:
            raise NotPublishable("models_no_run")
        if run.state != FINISHED or not run.allowed:
            raise NotPublishable("models_refused_publish")
    if not model_store.candidate_path(settings, run_id).is_file():
        raise NotPublishable("models_no_file")
    copied = await model_store.copy_candidate(settings, run_id)
    now = now or utcnow()
    async with session_scope(factory) as session:
        before = model_store.describe(await model_store.current(session))
        row = model_store.add_publication(session, actor.username, PUBLISH, run_id, copied.file_name, copied.sha256, now)
        await session.flush()
        await audit.record(session, actor, "model.publish", f"run {run_id}", before, model_store.describe(row), now=now)
    return row


async def restore_previous(settings: Settings, factory: Factory, actor: audit.Actor,
                           now: Optional[datetime] = None) -> Optional[ModelPublication]:
    """Make the previous model current again (the `make model` model when no other was published);
    None when nothing has been published."""
    loop = asyncio.get_running_loop()
    path = await loop.run_in_executor(None, local_model_path, settings)
    local_sha = await loop.run_in_executor(None, cached_sha256, path) if path.is_file() else ""
    now = now or utcnow()
    async with session_scope(factory) as session:
        current = await model_store.current(session)
        if current is None:
            return None
        back = await model_store.previous(session)
        if back is None and (not local_sha or current.sha256 == local_sha):
            return None
        row = model_store.add_publication(
            session, actor.username, RESTORE, back.run_id if back else None, back.file_name if back else "",
            back.sha256 if back else local_sha, now)
        await session.flush()
        await audit.record(session, actor, "model.restore", f"publication {current.id}",
                           model_store.describe(current), model_store.describe(row), now=now)
    return row
