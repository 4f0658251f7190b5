"""The action server's database sessions (one engine per database and event loop, made on first use)."""
from __future__ import annotations

from typing import AsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.db import session_scope, shared_sessionmaker


def session() -> AsyncContextManager[AsyncSession]:
    """One session for one unit of work on DATABASE_URL (commit on success, rollback on error)."""
    return session_scope(shared_sessionmaker())
