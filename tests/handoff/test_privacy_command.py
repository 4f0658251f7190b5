"""`python -m bot privacy delete` as a real subprocess on both databases (tracker store: an SQLite file)."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any, AsyncIterator, List, Tuple

import pytest
from sqlalchemy import delete

from bot.db import make_engine, make_sessionmaker
from bot.handoff.privacy import TRACKER_METADATA
from tests.conftest import ROOT
from tests.handoff.privacy_support import EMPTIED, rows, seed
from tests.handoff.support import OPEN_NOW


@pytest.fixture
async def tracker_file(tmp_path: Path, engine) -> AsyncIterator[Tuple[Path, Any]]:
    """Rasa's tracker store as in production (an SQLite file) and its session factory; the database emptied."""
    path = tmp_path / "rasa_tracker.db"
    made = make_engine(f"sqlite+aiosqlite:///{path}")
    async with made.begin() as connection:
        await connection.run_sync(TRACKER_METADATA.create_all)
    async with engine.begin() as connection:
        for table in EMPTIED:
            await connection.execute(delete(table))
    yield path, make_sessionmaker(made)
    await made.dispose()


async def _command(db_url: str, tracker_db: Path, *args: str) -> Tuple[int, str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "TRACKER_DB": str(tracker_db), "BOT_SECRET_KEY": "test-secret"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "privacy", "delete", *args, cwd=str(ROOT), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return int(process.returncode or 0), out.decode(), err.decode()


async def test_the_command_deletes_a_person_by_email_and_by_conversation(db_url, factory, tracker_file):
    path, tracker = tracker_file
    await seed(factory, tracker, "anna-1", OPEN_NOW, email="anna@example.fi", draft=True)
    await seed(factory, tracker, "bob", OPEN_NOW)
    whole: List[int] = list((await rows(factory, tracker, "bob")).values())

    code, out, err = await _command(db_url, path, "--email", "ANNA@example.fi", "--dry-run")
    assert code == 0, err
    assert "would delete 9 rows" in out and (await rows(factory, tracker, "anna-1"))["events"] == 3
    code, out, err = await _command(db_url, path, "--email", "ANNA@example.fi")
    assert code == 0, err
    assert "1 conversation; deleted 9 rows" in out and "events: 3" in out and "contact_drafts: 1" in out
    assert not any((await rows(factory, tracker, "anna-1")).values())

    code, out, err = await _command(db_url, path, "--conversation", "bob")
    assert code == 0, err
    assert f"deleted {sum(whole)} rows" in out and not any((await rows(factory, tracker)).values())
    code, _, err = await _command(db_url, path, "--phone", "not a number")
    assert code == 2 and "not a valid phone" in err
