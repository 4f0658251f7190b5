"""Catalogue tests run on SQLite and on PostgreSQL (a fresh schema per test session).

PostgreSQL comes from CATALOG_TEST_POSTGRES_URL (bot/config.py; default the local server's
`test` database). If it is down the PostgreSQL tests fail: they are never skipped.
"""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from pathlib import Path
from typing import AsyncIterator, Dict, Iterator

import pytest
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import make_engine, make_sessionmaker, migrate
from bot.catalog.models import Event, Offer, Organization, SearchTerm, Service, ServiceChannel, SyncState
from bot.catalog.models import service_channel_links
from bot.config import HELSINKI, load_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalog"
# a Friday afternoon in Helsinki: 27 November 2026 14:00
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=HELSINKI)
TABLES = (service_channel_links, SearchTerm.__table__, Service.__table__, Organization.__table__,
          ServiceChannel.__table__, Event.__table__, Offer.__table__, SyncState.__table__)


async def _prepare_postgres(url: str, schema: str) -> None:
    admin = make_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    engine = make_engine(url, schema=schema)
    await migrate(engine)
    await engine.dispose()


async def _drop_postgres(url: str, schema: str) -> None:
    admin = make_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await admin.dispose()


async def _prepare_sqlite(url: str) -> None:
    engine = make_engine(url)
    await migrate(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Dict[str, str]]]:
    """Both test databases, migrated once per session (each in a loop of its own)."""
    sqlite_url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('catalog') / 'catalog.db'}"
    asyncio.run(_prepare_sqlite(sqlite_url))
    pg_url = load_settings().catalog_test_postgres_url
    schema = f"catalog_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_prepare_postgres(pg_url, schema))
    try:
        yield {"sqlite": {"url": sqlite_url}, "postgresql": {"url": pg_url, "schema": schema}}
    finally:
        asyncio.run(_drop_postgres(pg_url, schema))


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, databases: Dict[str, Dict[str, str]]) -> AsyncIterator[AsyncEngine]:
    """An engine on an emptied catalogue, once per database."""
    config = databases[request.param]
    made = make_engine(config["url"], schema=config.get("schema"))
    async with made.begin() as connection:
        for table in TABLES:
            await connection.execute(delete(table))
    yield made
    await made.dispose()


@pytest.fixture
def factory(engine: AsyncEngine):  # type: ignore[no-untyped-def]
    """A session factory on `engine`."""
    return make_sessionmaker(engine)
