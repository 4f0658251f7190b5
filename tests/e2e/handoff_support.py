"""The handoff's browser tests: a stack of their own (short queue timeout, a test advice
channel whose hours the tests switch), advisers in the database, and the console page object."""
from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path
from typing import Any, Awaitable, Iterator, List, Tuple

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from bot.db import make_engine, make_sessionmaker, migrate
from bot.catalog.hours import normalise_service_hours
from bot.catalog.models import ServiceChannel
from tests.livestack import LiveStack, start_live_stack

CHANNEL_ID = "e2e-advice-channel"
PASSWORD = "correct horse battery staple"
QUEUE_TIMEOUT_SECONDS = 30
ALWAYS_OPEN = [{"serviceHourType": "DaysOfTheWeek", "validForNow": True, "isClosed": False,
                "openingHour": [{"dayFrom": "Monday", "dayTo": "Sunday", "from": "00:00", "to": "00:00"}]}]
ALWAYS_CLOSED = [{"serviceHourType": "DaysOfTheWeek", "validForNow": True, "isClosed": True, "openingHour": []}]
ADVISERS = (("anna", "Anna Adviser"), ("bertil", "Bertil Berg"))


def run_async(coroutine: Awaitable[Any]) -> Any:
    """Run a coroutine to the end in a thread of its own (Playwright's sync API owns this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _prepare(url: str) -> None:
    from bot.console.accounts import create_adviser

    engine = make_engine(url)
    await migrate(engine)
    async with make_sessionmaker(engine)() as session:
        for username, name in ADVISERS:
            await create_adviser(session, username, name, PASSWORD, "adviser", "en")
        session.add(ServiceChannel(
            external_id=CHANNEL_ID, source="test", channel_type="Phone", name={"en": "Advice"}, urls=[], phones=[],
            emails=[], service_hours=normalise_service_hours(ALWAYS_OPEN), content_hash="e2e",
        ))
        await session.commit()
    await engine.dispose()


async def _set_hours(url: str, hours: List[dict]) -> None:
    from sqlalchemy import update

    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(update(ServiceChannel).where(ServiceChannel.external_id == CHANNEL_ID)
                                 .values(service_hours=normalise_service_hours(hours)))
    await engine.dispose()


def set_advice_channel_open(database_url: str, is_open: bool) -> None:
    """Office hours now (open all week) or out of hours (closed all week)."""
    run_async(_set_hours(database_url, ALWAYS_OPEN if is_open else ALWAYS_CLOSED))


async def _read(url: str, conversation_id: str) -> Tuple[Any, ...]:
    from sqlalchemy import select

    from bot.handoff.models import HandoffConversation, HandoffRequest

    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        row = await session.get(HandoffConversation, conversation_id)
        requests = (await session.scalars(select(HandoffRequest).where(
            HandoffRequest.conversation_id == conversation_id).order_by(HandoffRequest.id))).all()
    await engine.dispose()
    return row, list(requests)


def handoff_rows(database_url: str, conversation_id: str) -> Tuple[Any, List[Any]]:
    """The conversation's review row and queue entries."""
    return run_async(_read(database_url, conversation_id))


def start_handoff_stack(tmp: Path) -> Iterator[Tuple[LiveStack, str]]:
    """The real stack (`python -m bot run`) on a database prepared for the handoff tests."""
    database_url = f"sqlite+aiosqlite:///{tmp / 'bot.db'}"
    run_async(_prepare(database_url))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "DATABASE_URL": database_url, "HANDOFF_CHANNEL_ID": CHANNEL_ID, "HANDOFF_POLL_SECONDS": "0.5",
            "HANDOFF_QUEUE_TIMEOUT_SECONDS": str(QUEUE_TIMEOUT_SECONDS),
        }.items():
            patch.setenv(name, value)
        stack = start_live_stack(tmp)
        live = next(stack)
    yield live, database_url
    for _ in stack:  # stops it
        pass


class Console:
    """The adviser console in one browser context, used by its visible labels (English)."""

    def __init__(self, browser: Browser, base: str, problems: List[str]) -> None:
        self.context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.base = base
        self.page.on("pageerror", lambda error: problems.append(f"console: {error}"))
        self.page.on("dialog", lambda dialog: (problems.append(f"console dialog: {dialog.message}"), dialog.dismiss()))

    def login(self, username: str) -> "Console":
        self.page.goto(f"{self.base}/console/login?lang=en")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.get_by_role("heading", name="Queue", exact=True).wait_for()
        return self

    def row(self, conversation_id: str, table: str = "queue-live") -> Any:
        return self.page.locator(f'#{table} tr:has(a[href="/console/conversations/{conversation_id}"])')

    def claim(self, conversation_id: str, table: str = "queue-live") -> None:
        self.row(conversation_id, table).get_by_role("button", name="Claim").click()
        self.page.wait_for_url(f"**/console/conversations/{conversation_id}?msg=claimed_ok")

    def reply(self, text: str) -> None:
        box = self.page.get_by_label("Your reply to the customer")
        box.fill(text)
        box.press("Enter")

    def transcript_texts(self) -> List[str]:
        return self.page.locator("#transcript .item .text").all_text_contents()

    def wait_for_text(self, text: str) -> Any:
        item = self.page.locator("#transcript .item", has=self.page.locator(".text", has_text=text))
        item.first.wait_for()
        return item

    def close(self) -> None:
        self.context.close()
