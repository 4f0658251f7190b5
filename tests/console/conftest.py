"""Fixtures of the console tests: the real web app on the test databases and a fake Rasa."""
from __future__ import annotations

from typing import AsyncIterator

import pytest

from tests.console.support import ConsoleClient
from tests.handoff.support import RunningApp, app_settings
from tests.handoff.support import database_urls, db_url, engine, factory, rasa  # noqa: F401


@pytest.fixture
async def app(db_url, rasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    async with RunningApp(app_settings(db_url, rasa.url)) as running:
        yield running


@pytest.fixture
async def clients(app) -> AsyncIterator:
    """A factory of console clients (closed at the end)."""
    made = []

    def make(**kwargs) -> ConsoleClient:
        client = ConsoleClient(app.url, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()
