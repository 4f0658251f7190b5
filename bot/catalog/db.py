"""Engines, sessions and migrations of the catalogue database.

Nothing here runs at import time: callers make an engine with `make_engine`, a session
factory with `make_sessionmaker`, and open one session per unit of work.
"""
from __future__ import annotations

import contextlib
import weakref
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Optional

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker

from bot.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def _set_sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, schema: Optional[str] = None, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url` (sqlite+aiosqlite or postgresql+asyncpg).

    `schema` (PostgreSQL only) puts every table in that schema through search_path;
    the tests and the benchmark use it for a database of their own.
    """
    connect_args: Dict[str, Any] = dict(kwargs.pop("connect_args", {}))
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connect_args.setdefault("timeout", 30)
    elif schema:
        connect_args.setdefault("server_settings", {})["search_path"] = schema
    engine = create_async_engine(url, connect_args=connect_args, future=True, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
    return engine


_SHARED: "weakref.WeakKeyDictionary[Any, Dict[str, sessionmaker[AsyncSession]]]" = weakref.WeakKeyDictionary()


def shared_sessionmaker(url: Optional[str] = None) -> "sessionmaker[AsyncSession]":
    """The session factory of `url` (default DATABASE_URL) for the running event loop, made on first use.

    For long-running processes (the action server): one engine per database and loop,
    created lazily, never at import time.
    """
    import asyncio

    from bot.config import load_settings

    url = url or load_settings().database_url
    per_loop = _SHARED.setdefault(asyncio.get_running_loop(), {})
    if url not in per_loop:
        per_loop[url] = make_sessionmaker(make_engine(url, pool_pre_ping=True))
    return per_loop[url]


def make_sessionmaker(engine: AsyncEngine) -> "sessionmaker[AsyncSession]":
    """A factory of AsyncSessions on `engine` that keep loaded objects usable after commit."""
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False, future=True)


@contextlib.asynccontextmanager
async def session_scope(factory: "sessionmaker[AsyncSession]") -> AsyncIterator[AsyncSession]:
    """One session for one unit of work: committed on success, rolled back on error."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def alembic_config(connection: Any = None) -> Any:
    """The Alembic configuration of this project (migrations/alembic.ini)."""
    from alembic.config import Config

    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database of `engine` to `revision` (Alembic, run on the engine's own connection)."""
    from alembic import command

    def upgrade(sync_connection: Any) -> None:
        command.upgrade(alembic_config(sync_connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)


async def optimize(engine: AsyncEngine) -> None:
    """Refresh the planner's statistics after a large import (ANALYZE; SQLite has no autovacuum to do it)."""
    from sqlalchemy import text

    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
