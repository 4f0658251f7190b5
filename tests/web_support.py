"""Fixtures of the public web app's tests: the real app on loopback in front of a fake Rasa."""
from __future__ import annotations

from typing import AsyncIterator

import aiohttp
import pytest

from tests.handoff.fake_rasa import FakeRasa
from tests.handoff.support import RunningApp, _migrate, app_settings
from tests.handoff.support import rasa  # noqa: F401  (fixture, imported with these)


@pytest.fixture
async def web_app(tmp_path, rasa: FakeRasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    """The public web app on a migrated SQLite database; its public URL is where it listens."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _migrate(url)
    async with RunningApp(app_settings(url, rasa.url)) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client session."""
    async with aiohttp.ClientSession() as session:
        yield session
