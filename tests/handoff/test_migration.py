"""The handoff tables come from an Alembic migration on the single head, matching the models."""
from __future__ import annotations

from typing import Optional

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db import alembic_config, load_models

HANDOFF_TABLES = {"console_advisers", "console_sessions", "console_login_throttle", "handoff_conversations",
                  "handoff_requests", "handoff_tags", "handoff_notes"}


async def current_revision(engine) -> Optional[str]:
    """The Alembic revision the database is at, or None before the first migration."""
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


def test_one_head_and_the_handoff_migration_is_on_it():
    scripts = ScriptDirectory.from_config(alembic_config())
    heads = scripts.get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}"
    chain = [revision.revision for revision in scripts.iterate_revisions(heads[0], "base")]
    assert "0002_handoff" in chain and "0003_login_throttle" in chain


async def test_migrated_database_matches_the_models(engine):
    assert await current_revision(engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()

    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, load_models())

    async with engine.connect() as connection:
        diff = await connection.run_sync(differences)

    def table_of(item):
        op = item[0] if isinstance(item, list) else item
        for part in op[1:]:
            if isinstance(part, str) and part in HANDOFF_TABLES:
                return part
            if getattr(part, "name", None) in HANDOFF_TABLES:  # a Table
                return part.name
            table = getattr(part, "table", None)  # a Column, Index or constraint
            if getattr(table, "name", None) in HANDOFF_TABLES:
                return table.name
        return None

    ours = [item for item in diff if table_of(item) in HANDOFF_TABLES]
    assert ours == []
