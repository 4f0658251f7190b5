"""REAL RASA. Train and publish in real Chromium, with real training runs of the tiny assistant
(tests/studio/tiny) and a real Rasa server that pulls the published model from the web app (as in
`make run`). The running model was trained on damaged data (funding questions labelled premises): the
widget answers a funding question with the premises answer. A publisher starts a run, follows its
progress, sees it pass the gate against the running model and publishes it; the widget then gives the
funding answer, without a restart (the time from publishing to that first answer is printed). Then a
run on damaged training data is refused, with the reasons and the intents that got worse, cannot be
published, and the widget keeps the published model's answer. Every state of the page at 390 and 1280 px: axe-core, nothing
wider than the screen, readable cards (tests/console/test_screens.py). STUDIO_SHOTS=DIR saves the
screenshots (through CONSOLE_SHOTS, DIR/<page>-<width>.png); the comparison tables are printed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
import time
from typing import AsyncIterator, List

import pytest
from playwright.async_api import Browser, Page

from bot.db import make_engine, make_sessionmaker
from bot.rasa.models import model_path_for
from tests.console.support import PASSWORD, make_adviser
from tests.console.test_screens import _check, chromium  # noqa: F401 (a fixture)
from tests.e2e.widget_page import widget_texts
from tests.handoff.support import RunningApp, app_settings, database_urls, empty_tables  # noqa: F401
from tests.studio.models_support import (
    damage, free_lease, model_env, real_rasa, tiny_source, train_tiny, wait_for_rasa_model,
)
from tests.test_supervisor import free_port

pytestmark = pytest.mark.real_rasa
RUN_TIMEOUT_MS = 240_000  # a tiny run takes about half a minute; the machine may be busy
RASA_START_SECONDS = 240
FUNDING = "where can I get funding for my company"  # trained as premises in the damaged data
FUNDING_ANSWER = "Finnvera offers loans and guarantees"  # data/responses/en.yml utter_funding
PREMISES_ANSWER = "looking for business premises"  # utter_premises


@pytest.fixture
async def studio(database_urls, tmp_path: Path) -> AsyncIterator[RunningApp]:  # noqa: F811
    url = database_urls["sqlite"]
    engine = make_engine(url)
    await empty_tables(engine)
    factory = make_sessionmaker(engine)
    await free_lease(factory)
    await make_adviser(factory, "pia", role="publisher", language="en")
    source = tiny_source(tmp_path)
    damaged = tmp_path / "damaged"
    shutil.copytree(source, damaged)
    damage(damaged)
    settings = app_settings(
        url, f"http://127.0.0.1:{free_port()}", BOT_INTERNAL_PORT=str(free_port()), RASA_MODEL_PULL_SECONDS="1",
        TRACKER_DB=str(tmp_path / "tracker.db"), **model_env(tmp_path, source))
    local = model_path_for(settings.project_root, settings.models_dir)  # the running model: `make model`'s
    local.parent.mkdir(parents=True)
    shutil.copyfile(train_tiny(tmp_path, damaged), local)
    async with RunningApp(settings, internal=True) as running:
        async with real_rasa(running.settings, local, tmp_path / "rasa.log"):
            await wait_for_rasa_model(running.settings, local.name, RASA_START_SECONDS)
            yield running
    await engine.dispose()


async def _ask(browser: Browser, base: str, problems: List[str]) -> str:
    """FUNDING asked in a new conversation of the widget on the demo page; the answer's text."""
    texts = widget_texts("en")
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        _watch(page, problems)
        await page.goto(f"{base}/demo?lang=en")
        await page.get_by_role("button", name=texts["widget_open"]).click()
        await page.get_by_label(texts["input_label"]).fill(FUNDING)
        await page.get_by_role("button", name=texts["send"], exact=True).click()
        answer = page.locator(".bec-assistant:not(.bec-greeting) .bec-text").first
        await answer.wait_for(timeout=20_000)
        return await answer.inner_text()
    finally:
        await context.close()


async def _until_answer(browser: Browser, base: str, problems: List[str], expected: str, timeout: float) -> float:
    """Seconds until the widget's answer to FUNDING contains `expected` (asked again each time)."""
    started = time.monotonic()
    while True:
        answer = await _ask(browser, base, problems)
        if expected in answer:
            return time.monotonic() - started
        assert time.monotonic() - started < timeout, f"after {timeout} s the widget still answers: {answer}"


async def _login(browser: Browser, base: str, width: int) -> Page:
    context = await browser.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/console/login?lang=en")
    await page.fill("#username", "pia")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/")
    return page


def _watch(page: Page, problems: List[str]) -> None:
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)


async def _run(page: Page, problems: List[str], shots: str = "") -> str:
    """Start a run, see its progress move, wait for its verdict; the run's page URL."""
    await page.get_by_role("button", name="Start training").click()
    await page.locator("#run-bar").wait_for()
    await page.get_by_text("Training started.").wait_for()
    assert await page.get_by_role("button", name="Start training").is_disabled()  # one run at a time
    for _ in range(600):  # the script follows the log (wait_for_function would need the eval CSP forbids)
        if await page.locator("#run-bar").evaluate("bar => bar.value") >= 5:
            break
        await page.wait_for_timeout(100)
    else:
        raise AssertionError("the progress bar did not move")
    if shots:
        await _check(page, shots, 1280, problems)
        phone = await _login(page.context.browser, page.url.split("/console/")[0], 390)
        _watch(phone, problems)
        await phone.goto(page.url)
        await _check(phone, shots, 390, problems)
        await phone.context.close()
    await page.locator("#run-verdict").wait_for(timeout=RUN_TIMEOUT_MS)  # the script reloads the page at the end
    return page.url


async def _shots(browser: Browser, base: str, path: str, name: str, problems: List[str]) -> None:
    for width in (390, 1280):
        page = await _login(browser, base, width)
        _watch(page, problems)
        await page.goto(base + path)
        await _check(page, name, width, problems)
        await page.context.close()


async def test_a_run_is_published_and_a_worse_one_is_refused(studio, chromium, monkeypatch):  # noqa: F811
    if os.environ.get("STUDIO_SHOTS"):
        monkeypatch.setenv("CONSOLE_SHOTS", os.environ["STUDIO_SHOTS"])
    problems: List[str] = []
    assert PREMISES_ANSWER in await _ask(chromium, studio.url, problems)  # the running model's mistake
    page = await _login(chromium, studio.url, 1280)
    _watch(page, problems)
    await page.get_by_role("link", name="Content", exact=True).click()
    await page.get_by_role("link", name="Train and publish").click()
    await page.get_by_role("heading", name="Train and publish").wait_for()
    assert "more than 0.010 below the model in use" in await page.locator("#gate-rule").inner_text()
    await _shots(chromium, studio.url, "/console/studio/models", "models-empty", problems)

    accepted = await _run(page, problems, "models-running")
    verdict = await page.locator("#run-verdict").inner_text()
    assert "It can be published" in verdict, verdict
    print("\naccepted run:\n" + await page.locator("#comparison").inner_text())
    await _shots(chromium, studio.url, accepted.removeprefix(studio.url), "models-accepted", problems)
    await page.get_by_role("button", name="Publish this model").click()
    await page.get_by_text("The model was published.").wait_for()
    seconds = await _until_answer(chromium, studio.url, problems, FUNDING_ANSWER, 60)
    print(f"publish -> first widget answer by the new model: {seconds:.1f} s (Rasa pulls every 1 s)")
    assert "run-1-" in await page.locator("#current-model").inner_text()

    damage(Path(studio.settings.training_source))
    refused = await _run(page, problems)
    verdict = await page.locator("#run-verdict").inner_text()
    assert "The new model cannot be published" in verdict and "English: macro-F1 on the test sentences" in verdict
    assert await page.locator("#worse-intents").get_by_text("funding").count() == 1
    assert await page.get_by_role("button", name="Publish this model").count() == 0
    assert await page.locator("#comparison tr.fails").count() >= 1
    print("refused run:\n" + verdict + "\n" + await page.locator("#comparison").inner_text())
    await _shots(chromium, studio.url, refused.removeprefix(studio.url), "models-refused", problems)
    assert "run-1-" in await page.locator("#current-model").inner_text()  # the published model stays
    await page.context.close()
    assert FUNDING_ANSWER in await _ask(chromium, studio.url, problems)
    assert problems == []
