"""Shared fixtures of the handoff and console tests: both databases, a fake Rasa, an adviser.

PostgreSQL: a database of its own per test session on the server of
CATALOG_TEST_POSTGRES_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/test),
migrated with the project's Alembic migrations, dropped at the end. If the server is
down these tests fail; they are never skipped.
"""
from __future__ import annotations

import asyncio
import dataclasses
import os
import tempfile
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, List

import asyncpg
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.console.audit import AuditEntry
from bot.db import make_engine, make_sessionmaker, migrate, session_scope
from bot.catalog.hours import normalise_service_hours
from bot.catalog.models import ServiceChannel
from bot.config import load_settings
from bot.handoff.models import (
    Adviser, ConsoleSession, ConversationNote, ConversationTag, HandoffConversation, HandoffRequest, LoginThrottle,
)
from bot.insights.models import OpenConversation, Vote
from bot.studio.models import InboxItem, InboxSignal, TrainingEdit
from bot.studio.answer_store import AnswerVersion
from bot.studio.model_store import ModelPublication, TrainingRun
from tests.handoff.fake_rasa import FakeRasa
from tests.test_supervisor import free_port

CHANNEL_ID = "test-advice-channel"
TEST_TRACKER_DB = Path(tempfile.gettempdir()) / f"handoff-test-tracker-{os.getpid()}.db"
# Friday 27 November 2026, 14:00 in Helsinki (12:00 UTC): the advice channel is open.
OPEN_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
TABLES = (LoginThrottle.__table__, ConversationNote.__table__, ConversationTag.__table__, HandoffRequest.__table__,
          HandoffConversation.__table__, ConsoleSession.__table__, Adviser.__table__, ServiceChannel.__table__,
          OpenConversation.__table__, Vote.__table__, AuditEntry.__table__, TrainingEdit.__table__,
          InboxItem.__table__, InboxSignal.__table__, AnswerVersion.__table__,
          TrainingRun.__table__, ModelPublication.__table__)
HOURS = [
    {"serviceHourType": "DaysOfTheWeek", "validForNow": True, "isClosed": False,
     "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00:00", "to": "16:00:00"}]},
    {"serviceHourType": "Exceptional", "validFrom": "2026-12-24T00:00:00", "validTo": "2026-12-26T00:00:00",
     "isClosed": True, "openingHour": []},
    {"serviceHourType": "Exceptional", "validFrom": "2026-12-31T00:00:00", "validTo": "2026-12-31T00:00:00",
     "isClosed": False, "openingHour": [{"dayFrom": "Thursday", "from": "09:00:00", "to": "12:00:00"}]},
]


def _server_dsn(database: str = "postgres") -> str:
    url = make_url(load_settings().catalog_test_postgres_url)
    return str(url.set(drivername="postgresql", database=database))


async def _create_database(name: str) -> None:
    connection = await asyncpg.connect(_server_dsn())
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_database(name: str) -> None:
    connection = await asyncpg.connect(_server_dsn())
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    engine = make_engine(url)
    await migrate(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, str]]:
    """{'sqlite': url, 'postgresql': url}, both migrated to head once per session."""
    sqlite_url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('handoff') / 'handoff.db'}"
    asyncio.run(_migrate(sqlite_url))
    name = f"handoff_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_create_database(name))
    pg_url = str(make_url(load_settings().catalog_test_postgres_url).set(database=name))
    try:
        asyncio.run(_migrate(pg_url))
        yield {"sqlite": sqlite_url, "postgresql": pg_url}
    finally:
        asyncio.run(_drop_database(name))


async def empty_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for table in TABLES:
            await connection.execute(delete(table))


async def add_channel(factory: Any, channel_id: str = CHANNEL_ID, hours: List[Dict[str, Any]] = HOURS) -> None:
    """The advice channel with weekday hours 9-16 and holiday exceptions."""
    async with session_scope(factory) as session:
        session.add(ServiceChannel(
            external_id=channel_id, source="test", channel_type="Phone", name={"en": "Advice"}, urls=[],
            phones=[], emails=[], service_hours=normalise_service_hours(hours), content_hash="x",
        ))
        await session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, database_urls: Dict[str, str]) -> AsyncIterator[str]:
    """The URL of an emptied, migrated database, once per database."""
    engine = make_engine(database_urls[request.param])
    await empty_tables(engine)
    await engine.dispose()
    yield database_urls[request.param]


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    made = make_engine(db_url)
    yield made
    await made.dispose()


@pytest.fixture
def factory(engine: AsyncEngine):  # type: ignore[no-untyped-def]
    """A session factory on `engine` (one session per unit of work)."""
    return make_sessionmaker(engine)


@pytest.fixture
async def rasa() -> AsyncIterator[FakeRasa]:
    fake = FakeRasa()
    await fake.start()
    yield fake
    await fake.stop()


def app_settings(db: str, rasa_url: str, **extra: str):  # type: ignore[no-untyped-def]
    """Settings of a web app on the test database and the fake Rasa."""
    from bot.config import load_settings

    return load_settings({
        "DATABASE_URL": db, "RASA_URL": rasa_url, "RASA_TOKEN": "test-rasa-token", "BOT_SECRET_KEY": "test-secret",
        "HANDOFF_POLL_SECONDS": "0.2", "HANDOFF_CHANNEL_ID": CHANNEL_ID, "BOT_HOST": "127.0.0.1",
        "HANDOFF_QUEUE_TIMEOUT_SECONDS": "100000000",  # tests seed old entries; timeouts are tested on their own
        "BOT_RETENTION_DAYS": "36500", "BOT_CONTACT_RETENTION_DAYS": "36500",  # retention too (test_privacy.py)
        "TRACKER_DB": str(TEST_TRACKER_DB),  # never the project's var/rasa_tracker.db
        "BOT_MESSAGES_PER_MINUTE_PER_ADDRESS": "100000", "BOT_CONNECTIONS_PER_ADDRESS": "1000",
        "INSIGHTS_INTERVAL_SECONDS": "0",  # the insights job runs only where a test starts it (tests/insights)
        "STUDIO_INBOX_INTERVAL_SECONDS": "0",  # the inbox job runs only where a test starts it (tests/studio)
        **extra,
    })


class RunningApp:
    """The real public web app (create_public_app) on a free loopback port; with `internal`, also the
    internal site Rasa calls (NLG, published model) on settings.internal_port, as `bot serve` runs both."""

    def __init__(self, settings: Any, internal: bool = False) -> None:
        self.settings = settings
        self.internal = internal
        self.runners: List[Any] = []
        self.url = ""

    async def __aenter__(self) -> "RunningApp":
        from aiohttp import web

        from bot.web.answer_languages import AnswerLanguages
        from bot.web.app import create_internal_app, create_public_app

        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        # Its own pages may use the chat: the public URL is where it listens (bot/web/origins.py).
        self.settings = dataclasses.replace(self.settings, port=port, public_url=self.settings.public_url or self.url)
        languages = AnswerLanguages()  # the NLG notes each answer's language for the gateway
        sites = [(create_public_app(self.settings, answer_languages=languages), port)]
        if self.internal:
            sites.append((create_internal_app(self.settings, answer_languages=languages), self.settings.internal_port))
        for app, site_port in sites:
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            self.runners.append(runner)
            await web.TCPSite(runner, "127.0.0.1", site_port).start()
        return self

    @property
    def runner(self) -> Any:
        """The public site's runner."""
        return self.runners[0]

    async def __aexit__(self, *exc: Any) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()
