"""The answer editor in real Chromium against the real assistant (tests/livestack.py: Rasa, the action
server and the web app with a trained model): an editor changes an answer, the widget gives it in the
same running assistant without a restart, and a revert brings the old one back. The editor's pages at
390 and 1280 px: no script error, no CSP violation, axe-core without violations, nothing wider than
the screen. STUDIO_SHOTS=DIR saves their screenshots (DIR/studio-<page>-<width>.png).
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import List

from playwright.sync_api import Browser, Page, expect

from tests.console.test_screens import AXE_RUN, PAGE_OVERFLOW
from tests.e2e.conftest import AXE
from tests.e2e.handoff_support import PASSWORD, run_async
from tests.e2e.widget_page import Widget

FUNDING = "Where can my company get funding?"
EDIT = "/console/studio/answers/edit/utter_funding"
PAGES = {"list": "/console/studio/answers", "edit": EDIT, "history": "/console/studio/answers/history/utter_funding"}


async def _make_editor(database_url: str) -> None:
    from bot.console.accounts import AccountError, create_adviser
    from bot.db import make_engine, make_sessionmaker, session_scope

    engine = make_engine(database_url)
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            await create_adviser(session, "eeva", "Eeva Editor", PASSWORD, "editor", "en")
    except AccountError:
        pass  # made by an earlier test of this session
    finally:
        await engine.dispose()


def _login(page: Page, base: str) -> None:
    page.goto(f"{base}/console/login?lang=en")
    page.get_by_label("Username").fill("eeva")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Queue", exact=True).wait_for()


def _ask(browser: Browser, base: str) -> str:
    """FUNDING asked in a new conversation of the widget (a browser of its own); the answer's text."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{base}/demo?lang=en")
        widget = Widget(page, "en")
        widget.open()
        return widget.chat(FUNDING)
    finally:
        context.close()


def test_an_editor_changes_an_answer_the_widget_gives_it_and_a_revert_brings_it_back(live, page, browser):
    run_async(_make_editor(f"sqlite+aiosqlite:///{live.data_dir / 'bot.db'}"))
    before = _ask(browser, live.web_url)
    assert "Business Finland" in before

    _login(page, live.web_url)
    page.get_by_role("link", name="Content", exact=True).click()
    page.get_by_role("link", name="Answers", exact=True).click()
    page.get_by_label("Words in the name or the text").fill("Finnvera")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="utter_funding", exact=True).click()
    text = page.locator('textarea[name="text.en.0"]')
    original = text.input_value()
    text.fill("Studio test: see http://www.finnvera.fi first.")
    expect(page.locator("#answer-problems")).to_contain_text("the link http://www.finnvera.fi does not begin with")
    expect(text).to_have_attribute("aria-invalid", "true")
    marker = f"Studio test {int(time.time())}: ask Finnvera and Business Finland. https://www.finnvera.fi"
    text.fill(marker)
    preview = page.locator('.answer-preview[data-lang="en"][data-variation="0"] .bec-text')
    expect(preview).to_have_text(marker)
    expect(preview.get_by_role("link", name="https://www.finnvera.fi")).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator("#answer-problems li")).to_have_count(0)
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".flash")).to_contain_text("Saved.")
    saved_at = time.monotonic()

    time.sleep(max(0.0, 2.0 - (time.monotonic() - saved_at)))  # the promise: live within two seconds
    assert marker in _ask(browser, live.web_url)

    page.get_by_role("link", name="History").click()
    expect(page.locator("#version-2 ins").first).to_contain_text("Studio test")
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator(".flash")).to_contain_text("restored")
    time.sleep(2.0)
    after = _ask(browser, live.web_url)
    assert marker not in after and original.split(".")[0] in after


def _save_swedish_edit(page: Page, base: str) -> None:
    """One saved change (so the history has a diff to show) and a problem typed but not saved."""
    page.goto(base + EDIT)
    text = page.locator('textarea[name="text.sv.0"]')
    text.fill(text.input_value().replace("avgiftsfri", "kostnadsfri"))
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".flash")).to_contain_text("Saved.")


def _look(page: Page, name: str, width: int, problems: List[str], csp: List[str]) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)
    problems += [f"{name}@{width}: {text}" for text in csp]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    problems += [f"{name}@{width} axe: {v}" for v in page.evaluate(AXE_RUN)]
    page.wait_for_timeout(100)  # axe-core's own inline styles, refused by the policy as they should be
    csp.clear()
    wider = page.evaluate(PAGE_OVERFLOW)
    if wider:
        problems.append(f"{name}@{width}: wider than the screen: {wider[:5]}")
    shots = os.environ.get("STUDIO_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"studio-{name}-{width}.png"), full_page=True)


def test_the_editors_pages_at_phone_and_desktop_widths(live, browser):
    run_async(_make_editor(f"sqlite+aiosqlite:///{live.data_dir / 'bot.db'}"))
    problems: List[str] = []
    csp: List[str] = []
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
        _login(page, live.web_url)
        if width == 390:
            _save_swedish_edit(page, live.web_url)
        for name, path in PAGES.items():
            page.goto(live.web_url + path)
            _look(page, name, width, problems, csp)
        page.goto(live.web_url + EDIT)
        page.locator('textarea[name="text.en.0"]').fill("See http://www.finnvera.fi and {no_such_figure}.")
        page.locator('input[name="button.en.0.0.payload"]').fill("/no_such_topic")
        expect(page.locator("#answer-problems li")).to_have_count(4)
        _look(page, "problems", width, problems, csp)
        if width == 1280:  # the answer as it was, for the other tests of the session
            page.goto(live.web_url + PAGES["history"])
            page.get_by_role("button", name="Restore version 1").click()
            expect(page.locator(".flash")).to_contain_text("restored")
        context.close()
    assert problems == [], "\n".join(problems)
