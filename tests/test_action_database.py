"""The action server's database: opened at the server's start, closed at its stop, never made lazily."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from actions import database


async def test_sessions_only_while_the_database_is_open(tmp_path):
    with pytest.raises(RuntimeError):
        database.session()
    async with database.opened(f"sqlite+aiosqlite:///{tmp_path / 'actions.db'}"):
        async with database.session() as session:
            assert await session.scalar(text("SELECT 1")) == 1
        with pytest.raises(RuntimeError):  # one engine per server
            database.open_database(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    with pytest.raises(RuntimeError):
        database.session()
