"""Real headless Chromium (Debian's package) driven by Playwright, and axe-core from npm.

Both are installed by `make browser` (a dependency of `make test`); when either is
missing the browser tests fail, they never skip.
"""
from pathlib import Path
from typing import Iterator, List

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module (the sync API's loop ends before other modules' async tests)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make browser` (npm ci)")
    return AXE.read_text(encoding="utf-8")


class PageProblems:
    """Script errors, dialogs and CSP violations seen on a page; a test page must have none."""

    def __init__(self) -> None:
        self.errors: List[str] = []
        self.dialogs: List[str] = []
        self.csp: List[str] = []  # Content-Security-Policy violations Chromium reported


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, problems: PageProblems) -> Iterator[Page]:
    """A fresh browser context (empty storage) with one page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: problems.errors.append(str(error)))
    page.on("console", lambda message: _note_csp_violation(problems, message.text))

    def dialog(d) -> None:
        problems.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    yield page
    context.close()
    assert not problems.errors, problems.errors
    assert not problems.dialogs, problems.dialogs
    assert not problems.csp, problems.csp


def _note_csp_violation(problems: PageProblems, text: str) -> None:
    """Chromium logs every blocked script, style or frame as "... violates the ... Content Security Policy"."""
    if "Content Security Policy" in text:
        problems.csp.append(text)
