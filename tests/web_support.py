"""Fixtures of the public web app's tests: the real app on loopback in front of a fake Rasa."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import pytest

from tests.handoff.fake_rasa import FakeRasa
from tests.handoff.support import RunningApp, _migrate, app_settings
from tests.handoff.support import rasa  # noqa: F401  (fixture, imported with these)


@asynccontextmanager
async def running_app(directory: Path, rasa_url: str, **env: str) -> AsyncIterator[RunningApp]:
    """The public web app on a migrated SQLite database in `directory` (public URL: where it listens,
    unless BOT_PUBLIC_URL is in `env`)."""
    url = f"sqlite+aiosqlite:///{directory / 'bot.db'}"
    await _migrate(url)
    async with RunningApp(app_settings(url, rasa_url, **env)) as running:
        yield running


@pytest.fixture
async def web_app(tmp_path: Path, rasa: FakeRasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    """The public web app in front of the fake Rasa."""
    async with running_app(tmp_path, rasa.url) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client session."""
    async with aiohttp.ClientSession() as session:
        yield session
