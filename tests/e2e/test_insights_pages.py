"""The insights pages in real Chromium at 390 and 1280 px: every page opens with its charts and
tables, axe-core finds no violation, nothing is wider than the screen, the filters change the
page and a table downloads as CSV. INSIGHTS_SHOTS=DIR saves the screenshots (DIR/<page>-<width>.png).
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import AsyncIterator, List

import pytest
from playwright.async_api import Page

from bot.db import make_engine
from bot.insights.pages import PAGES
from tests.console.support import PASSWORD, make_adviser
from tests.console.test_screens import _check, chromium  # noqa: F401 (a fixture)
from tests.handoff.support import database_urls, empty_tables, rasa  # noqa: F401
from tests.insights.conftest import INSIGHTS_TABLES
from tests.insights.support import generated_app

WIDTHS = (390, 1280)


@pytest.fixture
async def db_url(database_urls) -> AsyncIterator[str]:  # noqa: F811
    """SQLite only: the pages are tested here (tests/insights covers both databases)."""
    from sqlalchemy import delete

    engine = make_engine(database_urls["sqlite"])
    await empty_tables(engine)
    async with engine.begin() as connection:
        for table in INSIGHTS_TABLES:
            await connection.execute(delete(table))
    await engine.dispose()
    yield database_urls["sqlite"]


@pytest.fixture
async def app(db_url, rasa, tmp_path: Path):  # noqa: F811
    from bot.db import make_sessionmaker

    engine = make_engine(db_url)
    made = make_sessionmaker(engine)
    await make_adviser(made, "boss", role="admin", language="en")
    async with generated_app(db_url, rasa.url, made, tmp_path) as running:
        yield running
    await engine.dispose()


async def _login(page: Page, base: str, username: str = "boss") -> None:
    """Log in through the console's form in English (the studio's browser tests too)."""
    await page.goto(f"{base}/console/login?lang=en")
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/")


async def test_every_page_at_phone_and_desktop_widths(app, chromium):
    problems: List[str] = []
    for width in WIDTHS:
        context = await chromium.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        page = await context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        await _login(page, app.url)
        await page.get_by_role("link", name="Insights").click()
        await page.get_by_role("heading", name="Insights: Traffic").wait_for()
        for name in PAGES:
            await page.goto(f"{app.url}/console/insights/{name}")
            assert await page.locator("section.insight table").count() >= 1, name
            await _check(page, f"insights-{name}", width, problems)
            shots = os.environ.get("INSIGHTS_SHOTS")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=str(Path(shots) / f"insights-{name}-{width}.png"), full_page=True)
        await context.close()
    assert problems == [], "\n".join(problems)


async def test_filters_and_a_csv_download(app, chromium):
    context = await chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = await context.new_page()
    await _login(page, app.url)
    await page.goto(f"{app.url}/console/insights/traffic")
    assert await page.locator("svg[role=img]").count() == 1
    all_languages = await page.locator("#t-languages tbody tr").count()
    await page.select_option("#f-language", "sv")
    await page.select_option("#f-by", "week")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_url("**language=sv**")
    assert "by=week" in page.url and all_languages == 3
    swedish = await page.locator("#t-languages tbody tr:has-text('Swedish') td").nth(1).text_content()
    finnish = await page.locator("#t-languages tbody tr:has-text('Finnish') td").nth(1).text_content()
    assert finnish == "0" and swedish != "0"
    await page.get_by_role("link", name="Advisers").click()
    await page.wait_for_url("**/insights/handoff?**language=sv**")  # the filters go with the tabs
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name='Download "Ratings" as CSV').click()
    download = await download_info.value
    assert download.suggested_filename.startswith("insights-handoff-ratings-")
    rows = list(csv.reader(io.StringIO(Path(await download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Rating", "Count", "Share"] and len(rows) == 6
    await context.close()


async def test_most_shown_items_and_entry_pages_per_period(app, chromium):
    context = await chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = await context.new_page()
    await _login(page, app.url)
    await page.goto(f"{app.url}/console/insights/lookups?by=week")
    await page.get_by_role("heading", name="Most shown events").wait_for()
    first_event = await page.locator("#t-shown_events tbody tr").first.locator("td").first.text_content()
    assert first_event.startswith(("Yrittäjäaamu", "Företagarmorgon", "Entrepreneur breakfast"))
    assert await page.locator("#t-shown_offers tbody tr").count() > 1
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name='Download "Most shown recruitment offers" as CSV').click()
    rows = list(csv.reader(io.StringIO(Path(await (await download_info.value).path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Title", "Identifier", "Times shown", "Share"] and rows[1][1].startswith("gen:offers:")
    await page.goto(f"{app.url}/console/insights/traffic?by=day")
    days = await page.locator("#t-pages_periods tbody tr").count()
    await page.select_option("#f-by", "week")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_url("**by=week**")
    weeks = await page.locator("#t-pages_periods tbody tr").count()
    assert days > weeks > 0
    await context.close()
