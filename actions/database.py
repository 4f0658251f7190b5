"""The action server's database: one engine, opened when the server starts and closed when it stops.

bot/rasa/action_server.py calls `open_database` from Sanic's start listener (in the worker
process, on its event loop) and `close_database` from its stop listener; the actions then take
one unit of work per call with `session()`. Nothing is made at import time or per call.
"""
from __future__ import annotations

import contextlib
from typing import AsyncContextManager, AsyncIterator, Optional

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine, make_sessionmaker, session_scope


class _Database:
    """The open engine and its session factory (None before the start and after the stop)."""

    engine: Optional[AsyncEngine] = None
    factory: Optional["sessionmaker[AsyncSession]"] = None


_DATABASE = _Database()


def open_database(url: str) -> None:
    """Make the engine of `url` (DATABASE_URL); the server's start listener calls this once."""
    if _DATABASE.engine is not None:
        raise RuntimeError("the action server's database is already open")
    _DATABASE.engine = make_engine(url, pool_pre_ping=True)
    _DATABASE.factory = make_sessionmaker(_DATABASE.engine)


async def close_database() -> None:
    """Dispose of the engine (the server's stop listener)."""
    engine, _DATABASE.engine, _DATABASE.factory = _DATABASE.engine, None, None
    if engine is not None:
        await engine.dispose()


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[None]:
    """The database open for the duration of a block (tests, scripts that run actions)."""
    open_database(url)
    try:
        yield
    finally:
        await close_database()


def session() -> AsyncContextManager[AsyncSession]:
    """One session for one unit of work (commit on success, rollback on error)."""
    if _DATABASE.factory is None:
        raise RuntimeError("the action server's database is not open (bot/rasa/action_server.py opens it)")
    return session_scope(_DATABASE.factory)
