"""The application's database: engines, sessions, the one declarative Base and migrations.

Nothing here runs at import time. Each process makes its engines at its own start: the web
app in its cleanup context (bot/web/app.py), the action server in its start listener
(bot/rasa/action_server.py), a command for its run (`python -m bot ...`).

The transaction rule (one for the whole code base):

- A function that takes an `AsyncSession` works inside its caller's transaction. It may read,
  write and flush, but it never commits and never rolls back. A race with another process
  that a unique key settles is written as `insert_ignore` (INSERT .. ON CONFLICT DO NOTHING),
  not as a caught IntegrityError, so the caller's transaction stays usable.
- The caller owns the unit of work: a request handler, an action, a background job or a
  command opens one with `session_scope(factory)`, which commits when the block ends and
  rolls back when it raises. A function that takes a sessionmaker is such a caller: it opens
  each of its units of work with `session_scope` too (never `factory()` and a commit by hand).

Every table is on `Base.metadata`; `load_models()` imports every model module, so Alembic
(migrations/env.py) and the tests compare the migrations with every table.
"""
from __future__ import annotations

import contextlib
import importlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Mapping, Optional

from sqlalchemy import DateTime, MetaData, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.types import TypeDecorator

from bot.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
# Every module that declares tables on Base (Alembic and the migration tests load them all).
MODEL_MODULES = ("bot.catalog.models", "bot.handoff.models", "bot.insights.models", "bot.console.audit",
                 "bot.studio.models", "bot.studio.answer_store", "bot.studio.model_store")
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def load_models() -> MetaData:
    """Import every model module (MODEL_MODULES); the metadata holding all their tables."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata


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


async def insert_ignore(session: AsyncSession, table: Table, values: Mapping[str, Any]) -> bool:
    """INSERT `values` into `table` unless a unique key already holds them; True when the row went in.

    On PostgreSQL a concurrent insert of the same key is waited for, then ignored; the
    caller's transaction is never aborted by the conflict.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(insert(table).values(**values).on_conflict_do_nothing())
    return int(result.rowcount or 0) == 1


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
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
