"""Alembic environment: migrates the database of DATABASE_URL (bot/config.py).

bot.db.migrate() hands in a connection of its own engine through
config.attributes["connection"]; the alembic command line makes an async engine.
"""
from __future__ import annotations

import asyncio
from typing import Any

from alembic import context

from bot.config import load_settings
from bot.db import load_models

target_metadata = load_models()  # every table of every model module (bot/db.py MODEL_MODULES)


def _run(connection: Any) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    from bot.db import make_engine

    engine = make_engine(load_settings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=load_settings().database_url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
elif context.config.attributes.get("connection") is not None:
    _run(context.config.attributes["connection"])
else:
    asyncio.run(_run_online())
