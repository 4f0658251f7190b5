"""bot/db.py: one metadata with every table, one unit of work, one transaction rule."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, inspect, select

from bot.db import MODEL_MODULES, insert_ignore, load_models, session_scope
from bot.handoff.models import JobLease
from tests.conftest import ROOT

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


async def test_the_migrations_make_every_table_of_every_model_and_nothing_else(engine):
    metadata = load_models()

    def read(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return set(inspect(connection).get_table_names()), compare_metadata(context, metadata)

    async with engine.connect() as connection:
        tables, diff = await connection.run_sync(read)
    assert tables - {"alembic_version"} == set(metadata.tables)
    assert {"catalog_services", "handoff_requests", "console_advisers", "contact_drafts"} <= set(metadata.tables)
    assert diff == []


def test_alembic_sees_the_one_metadata():
    env = (ROOT / "migrations" / "env.py").read_text(encoding="utf-8")
    assert "target_metadata = load_models()" in env
    assert set(MODEL_MODULES) >= {"bot.catalog.models", "bot.handoff.models", "bot.insights.models",
                                  "bot.console.audit", "bot.studio.answer_store", "bot.studio.models",
                                  "bot.studio.model_store"}


async def test_a_unit_of_work_commits_on_success_and_rolls_back_on_error(factory):
    async with session_scope(factory) as session:
        await session.execute(delete(JobLease))
        session.add(JobLease(name="kept", holder="a", expires_at=EPOCH))
    with pytest.raises(RuntimeError):
        async with session_scope(factory) as session:
            session.add(JobLease(name="dropped", holder="a", expires_at=EPOCH))
            await session.flush()
            raise RuntimeError("half-way")
    async with session_scope(factory) as session:
        assert (await session.scalars(select(JobLease.name))).all() == ["kept"]


async def test_insert_ignore_lets_one_row_in_and_keeps_the_transaction_usable(factory):
    async with session_scope(factory) as session:
        await session.execute(delete(JobLease))
        row = {"name": "job", "holder": "first", "expires_at": EPOCH}
        assert await insert_ignore(session, JobLease.__table__, row) is True
        assert await insert_ignore(session, JobLease.__table__, {**row, "holder": "second"}) is False
        assert await session.scalar(select(JobLease.holder)) == "first"  # still usable after the conflict
    async with session_scope(factory) as session:
        assert (await session.scalars(select(JobLease.holder))).all() == ["first"]


def test_only_the_unit_of_work_commits():
    """The transaction rule of bot/db.py: no function in bot/ or actions/ commits or rolls back by hand.
    Rasa's tracker store is not the app's database: its save commits in Rasa's own session, as Rasa's does
    (Rasa's session_scope does not commit)."""
    found = []
    for folder in ("bot", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path in (ROOT / "bot" / "db.py", ROOT / "bot" / "rasa" / "tracker_store.py"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\.(commit|rollback)\(\)", line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
