"""Fixtures of the insights tests: both app databases (emptied), a tracker store of their own, a fake Rasa."""
from __future__ import annotations

from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from sqlalchemy import delete

from bot.db import make_engine, make_sessionmaker
from bot.handoff.models import JobLease
from bot.insights.models import DailyCount, MonthlyCount, OpenConversation, Progress, ShownItem, Vote
from tests.handoff.support import database_urls, db_url, engine, factory, rasa  # noqa: F401

INSIGHTS_TABLES = (DailyCount.__table__, MonthlyCount.__table__, Progress.__table__, OpenConversation.__table__, Vote.__table__,
                   ShownItem.__table__, JobLease.__table__)


@pytest.fixture
async def clean(engine) -> None:  # noqa: F811
    """The insights tables (and the job leases) emptied."""
    async with engine.begin() as connection:
        for table in INSIGHTS_TABLES:
            await connection.execute(delete(table))


@pytest.fixture
async def tracker(tmp_path: Path) -> AsyncIterator[Any]:
    """A session factory on a tracker store of this test (SQLite, like Rasa's in endpoints.yml)."""
    made = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'tracker.db'}")
    yield make_sessionmaker(made)
    await made.dispose()
