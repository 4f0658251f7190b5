"""The studio's training data and NLU inbox in real Chromium: an editor corrects an inbox message with the
keyboard alone, and the correction is in the next training data (the training data page, the data a
training run writes, the export). Both pages at 390 and 1280 px: axe-core finds no violation, nothing is
wider than the screen. STUDIO_SHOTS=DIR saves the screenshots (DIR/<page>-<width>.png).
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import AsyncIterator, List

import pytest
import yaml
from playwright.async_api import Page
from sqlalchemy import delete

from bot.db import make_engine, make_sessionmaker, session_scope
from bot.handoff.privacy import EVENTS, TRACKER_METADATA
from bot.insights.models import Progress
from bot.studio.inbox_job import collect_once
from bot.studio.training import nlu_folder, write_training_data
from bot.studio.training_cli import export_nlu
from tests.console.support import make_adviser
from tests.console.test_screens import _check, chromium  # noqa: F401 (a fixture)
from tests.e2e.test_insights_pages import _login
from tests.handoff.support import RunningApp, app_settings, database_urls, empty_tables, rasa  # noqa: F401

WIDTHS = (390, 1280)
MASKED = "paljonko maksaa kahvilan remontti, soita [phone]"


def _user(text: str, intent: str, confidence: float, best: str = "") -> dict:
    ranking = [{"name": intent, "confidence": confidence}] + ([{"name": best, "confidence": 0.2}] if best else [])
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence},
                                                          "intent_ranking": ranking}}


MESSAGES = {
    "e2e-1": _user("paljonko maksaa kahvilan remontti, soita 040 123 4567", "nlu_fallback", 0.15, "funding"),
    "e2e-2": _user("paljonko maksaa kahvilan remontti", "funding", 0.31),
    "e2e-3": _user("milloin on joulu", "out_of_scope", 0.7),
    "e2e-4": _user("how do I hire my first employee in Espoo", "hiring_help", 0.4),
}


@pytest.fixture
async def db_url(database_urls) -> AsyncIterator[str]:  # noqa: F811
    """SQLite only: the pages are tested here (tests/studio covers both databases)."""
    engine = make_engine(database_urls["sqlite"])
    await empty_tables(engine)
    async with engine.begin() as connection:
        await connection.execute(delete(Progress.__table__))
    await engine.dispose()
    yield database_urls["sqlite"]


@pytest.fixture
async def app(db_url, rasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    """The web app, an editor, and the inbox collected from a tracker store of four conversations."""
    settings = app_settings(db_url, rasa.url)
    engine, tracker_engine = make_engine(db_url), make_engine(settings.tracker_url)
    factory, tracker = make_sessionmaker(engine), make_sessionmaker(tracker_engine)
    await make_adviser(factory, "eeva", role="editor", language="en")
    async with tracker_engine.begin() as connection:
        await connection.run_sync(TRACKER_METADATA.create_all)
        await connection.execute(delete(EVENTS))
    at = datetime.now(timezone.utc) - timedelta(hours=1)
    async with tracker() as session:
        for n, (sender, event) in enumerate(MESSAGES.items()):
            stamp = (at + timedelta(minutes=n)).timestamp()
            await session.execute(EVENTS.insert().values(sender_id=sender, type_name="user", timestamp=stamp,
                                                         data=json.dumps({**event, "timestamp": stamp})))
        await session.commit()
    assert await collect_once(factory, tracker, settings) == 4
    async with RunningApp(settings) as running:
        running.factory = factory  # type: ignore[attr-defined]
        yield running
    await engine.dispose()
    await tracker_engine.dispose()


async def _shot(page: Page, name: str, width: int, problems: List[str]) -> None:
    await _check(page, name, width, problems)
    shots = os.environ.get("STUDIO_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)


async def test_an_inbox_correction_by_keyboard_is_in_the_next_training_data(app, chromium, tmp_path):
    problems: List[str] = []
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    await _login(page, app.url, "eeva")
    await page.goto(f"{app.url}/console/studio/inbox")
    assert await page.locator("#inbox-open").text_content() == "4 messages to handle"
    assert await page.get_by_text("2 similar messages").count() == 1  # the two about the café's renovation
    assert "040 123" not in await page.content()
    item = page.locator(".inbox-item", has_text=MASKED)
    await page.keyboard.press("j")
    for _ in range(4):  # j moves the focus from message to message until it is on the one to correct
        if await item.evaluate("li => li === document.activeElement"):
            break
        await page.keyboard.press("j")
    assert await item.evaluate("li => li === document.activeElement")
    assert "Understood as Funding" in await item.text_content()
    await page.keyboard.press("e")  # selects it and goes to the intent list
    assert await page.evaluate("document.activeElement.id") == "bulk-intent"
    await page.select_option("#bulk-intent", "premises")
    await page.keyboard.press("Enter")
    await page.locator("#inbox-status", has_text="1 message handled.").wait_for()
    assert await item.count() == 0
    assert await page.locator("#inbox-open").text_content() == "3 messages to handle"
    assert await page.evaluate("document.activeElement.classList.contains('inbox-item')")  # focus stays in the list
    await page.keyboard.press("d")  # the focused message dismissed
    await page.locator("#inbox-open", has_text="2 messages to handle").wait_for()

    await page.goto(f"{app.url}/console/studio/training?lang=fi&intent=premises&q=remontti")
    row = page.locator("table.examples tr", has_text=MASKED)
    assert await row.count() == 1 and "Added by staff" in await row.text_content()
    assert problems == []
    await context.close()

    async with session_scope(app.factory) as session:
        await write_training_data(session, tmp_path / "run", nlu_folder(app.settings))
    await export_nlu(app.factory, nlu_folder(app.settings), tmp_path / "export", "cli:test")
    for folder in ("run", "export"):
        blocks = yaml.safe_load((tmp_path / folder / "fi.yml").read_text(encoding="utf-8"))["nlu"]
        assert f"- {MASKED}\n" in next(b for b in blocks if b["intent"] == "premises")["examples"], folder


async def test_the_pages_at_phone_and_desktop_widths(app, chromium):
    problems: List[str] = []
    for width in WIDTHS:
        context = await chromium.new_context(viewport={"width": width, "height": 900})
        page = await context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        await _login(page, app.url, "eeva")
        await page.goto(f"{app.url}/console/studio/inbox")
        await page.locator(".inbox-item").first.wait_for()
        await page.keyboard.press("?")
        assert await page.locator("#shortcuts").evaluate("d => d.open")
        await page.keyboard.press("j")
        await page.keyboard.press("g")  # the group of the first message selected
        assert await page.locator("#selected-count").text_content() == "2 selected"
        await _shot(page, "studio-inbox", width, problems)
        await page.goto(f"{app.url}/console/studio/training?lang=fi&intent=funding")
        await page.fill("#a-text", "hei")  # a greeting's example: warned while typing
        await page.locator("#training-warnings li.warn-duplicate").wait_for()
        await _shot(page, "studio-training", width, problems)
        first = page.locator("table.examples tbody tr").first
        await first.get_by_role("link", name="Edit").click()
        await page.locator(".edit-form").wait_for()
        await _shot(page, "studio-training-edit", width, problems)
        await context.close()
    assert problems == [], "\n".join(problems)
