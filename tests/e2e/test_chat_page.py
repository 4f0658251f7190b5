"""The chat page (/) in real Chromium: the brand, the greeting, a time on every message, the
icon, accessibility (axe-core) and text that is never rendered as HTML (issue 9)."""
from __future__ import annotations

import json
import re
from typing import List

import pytest
from playwright.sync_api import Page

from bot import locale

TIME = re.compile(r"^\d\d:\d\d$")
EVENTS = {"fi": "Mitä yritystapahtumia on tulossa?", "sv": "Vilka företagsevenemang ordnas framöver?",
          "en": "What business events are coming up?"}
XSS = '<img src=x onerror="window.__xss=1"><b>bold</b>'
AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
)


def texts(language: str, key: str) -> str:
    return locale.text(language, key)


def open_chat(page: Page, url: str, language: str) -> List[str]:
    """Open the chat page; the URLs the page asked for that failed (4xx/5xx)."""
    failed: List[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{url}/?lang={language}")
    page.locator("#messages .message").first.wait_for()
    return failed


def bot_messages(page: Page):
    return page.locator("#messages .message.bot")


def send(page: Page, language: str, text: str) -> None:
    before = bot_messages(page).count()
    page.get_by_label(texts(language, "chat.input_label")).fill(text)
    page.get_by_role("button", name=texts(language, "chat.send"), exact=True).click()
    bot_messages(page).nth(before).wait_for(timeout=30_000)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_brand_greeting_and_icon_in_the_page_language(live, page, language):
    asked: List[str] = []
    page.on("request", lambda r: asked.append(r.url))
    failed = open_chat(page, live.web_url, language)
    banner = page.get_by_role("banner")
    assert "Business Espoo" in banner.inner_text()
    assert texts(language, "page.brand_tagline") in banner.inner_text()
    assert page.locator("header svg.brand-mark").get_attribute("aria-hidden") == "true"
    assert page.get_by_role("heading", level=1).inner_text() == texts(language, "chat.heading")
    greeting = bot_messages(page)
    assert greeting.count() == 1
    assert greeting.locator(".text").inner_text() == texts(language, "chat.greeting")
    assert TIME.match(greeting.locator("time").inner_text())
    assert not [u for u in asked if "/api/" in u]  # the greeting is the page's own: Rasa never saw it
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    for path in (icon, "/favicon.ico"):
        response = page.request.get(live.web_url + path)
        assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml"), path
    assert failed == []

    page.reload()
    page.locator("#messages .message").first.wait_for()
    assert bot_messages(page).count() == 1  # a reload shows the greeting once
    assert page.evaluate("() => JSON.parse(localStorage.getItem('business-espoo-chat:history')).length") == 1


def test_every_message_has_its_time_and_text_stays_text(live, page):
    open_chat(page, live.web_url, "en")
    send(page, "en", XSS)
    send(page, "en", EVENTS["en"])
    messages = page.locator("#messages .message")
    assert messages.count() >= 5
    for i in range(messages.count()):
        time = messages.nth(i).locator("time")
        assert TIME.match(time.inner_text()), messages.nth(i).inner_text()
        assert re.match(r"^\d{4}-\d\d-\d\dT", time.get_attribute("datetime"))
    user = page.locator("#messages .message.user .text").first
    assert user.inner_text() == XSS and user.locator("img, b").count() == 0
    assert page.evaluate("() => window.__xss") is None
    events = bot_messages(page).last.inner_text()
    assert "•" in events and "https://" in events
    page.reload()
    page.locator("#messages .message").nth(messages.count() - 1).wait_for()
    assert page.locator("#messages .message").count() == messages.count()  # the history, greeting once
    page.get_by_role("button", name=texts("en", "chat.new_conversation")).click()
    assert bot_messages(page).count() == 1 and page.locator("#messages .message.user").count() == 0


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_axe_finds_no_violations(live, page, problems, axe_source, language):
    open_chat(page, live.web_url, language)
    page.evaluate(axe_source)
    assert page.evaluate(AXE_RUN) == [], "the page as it opens"
    send(page, language, EVENTS[language])
    violations = page.evaluate(AXE_RUN)
    assert violations == [], json.dumps(violations, indent=1)
    problems.csp.clear()  # axe-core's own inline styles, refused by the page's policy as they should be


@pytest.mark.parametrize("width", [320, 1280])
def test_nothing_overflows_sideways(live, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_chat(page, live.web_url, "sv")
    send(page, "sv", EVENTS["sv"])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
