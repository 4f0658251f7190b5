"""The web app on a tracker store with a generated month of traffic, once its job has counted it
(shared by the page tests and the browser tests)."""
from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, AsyncIterator

from sqlalchemy import func, select

from bot.config import load_settings
from bot.content.responses import ResponseCatalog
from bot.db import make_engine, make_sessionmaker, session_scope
from bot.insights.generator import Generator, write
from bot.insights.models import MonthlyCount
from bot.insights.store import local_day
from tests.handoff.support import RunningApp, app_settings


@contextlib.asynccontextmanager
async def generated_app(db_url: str, rasa_url: str, factory: Any, tmp: Path,
                        conversations: int = 400, days: int = 30) -> AsyncIterator[RunningApp]:
    tracker_path = tmp / "tracker.db"
    tracker = make_engine(f"sqlite+aiosqlite:///{tracker_path}")
    names = ResponseCatalog.from_directory(load_settings().responses_dir).names("fi")
    today = local_day(datetime.now(timezone.utc))
    await write(Generator(names, seed=7).year(today, conversations, days=days), factory, make_sessionmaker(tracker))
    await tracker.dispose()
    settings = app_settings(db_url, rasa_url, TRACKER_DB=str(tracker_path), INSIGHTS_INTERVAL_SECONDS="300")
    async with RunningApp(settings) as running:
        for _ in range(300):  # the job's first run, at the app's start, ends with the monthly sums
            async with session_scope(factory) as session:
                if await session.scalar(select(func.count()).select_from(MonthlyCount)):
                    break
            await asyncio.sleep(0.1)
        yield running
