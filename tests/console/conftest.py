"""Fixtures of the console tests: the real web app on the test databases and a fake Rasa."""
from __future__ import annotations

from typing import AsyncIterator, Callable, List

import pytest

from tests.console.support import ConsoleClient
from tests.handoff.support import RunningApp, app_settings
from tests.handoff.support import database_urls, db_url, engine, factory, rasa  # noqa: F401


@pytest.fixture
async def app(db_url, rasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    async with RunningApp(app_settings(db_url, rasa.url)) as running:
        yield running


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., ConsoleClient]]:
    """A factory of console clients of any running app: connect(base_url, address=..., headers=...)."""
    made: List[ConsoleClient] = []

    def make(base: str, **kwargs) -> ConsoleClient:
        client = ConsoleClient(base, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


@pytest.fixture
def clients(app, connect) -> Callable[..., ConsoleClient]:
    """A factory of console clients of `app` (closed at the end)."""
    return lambda **kwargs: connect(app.url, **kwargs)
