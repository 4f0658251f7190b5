"""The action server's database sessions: one engine per process, made on first use."""
from __future__ import annotations

from functools import lru_cache
from typing import AsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.db import make_engine, make_sessionmaker, session_scope
from bot.config import load_settings


@lru_cache(maxsize=1)
def _factory():  # type: ignore[no-untyped-def]
    return make_sessionmaker(make_engine(load_settings().database_url))


def session() -> AsyncContextManager[AsyncSession]:
    """One session for one unit of work (commit on success, rollback on error)."""
    return session_scope(_factory())
