"""Accessibility and safety of the widget in real Chromium: keyboard only, axe-core,
320 px and 200 % zoom, and a message that looks like HTML."""
from __future__ import annotations

import json

import pytest

from tests.e2e.widget_page import Widget, widget_texts
from tests.livestack import responses

XSS = "<img src=x onerror=alert(1)>"
XSS_FLAG = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def test_keyboard_only(live, page):
    page.goto(f"{live.web_url}/demo?lang=fi")
    widget = Widget(page, "fi")
    for _ in range(40):  # Tab through the page until the chat button has the focus
        page.keyboard.press("Tab")
        if widget.shadow_focus() == "bec-launcher":
            break
    else:
        pytest.fail("the chat button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert widget.shadow_focus() == "bec-input"
    page.keyboard.type("Moikka!")
    page.keyboard.press("Enter")
    widget.wait_for_bot_messages(1)
    assert widget.shadow_focus() == "bec-input"
    page.keyboard.press("Shift+Tab")  # back from the text box to the last quick reply
    assert widget.shadow_focus() == "bec-reply"
    title = page.evaluate(
        "() => document.querySelector('#business-espoo-chat').shadowRoot.activeElement.textContent"
    )
    page.keyboard.press("Enter")
    widget.wait_for_bot_messages(2)
    assert widget.message_text(widget.user_messages().nth(1)) == title
    assert widget.shadow_focus() == "bec-input"
    page.keyboard.press("Escape")
    assert not widget.panel.is_visible()
    assert widget.shadow_focus() == "bec-launcher"  # the focus returns to the button
    page.keyboard.press("Enter")
    assert widget.panel.is_visible() and widget.shadow_focus() == "bec-input"
    for _ in range(40):  # Tab forward (around the page: the window is not modal) to the close button
        page.keyboard.press("Tab")
        if widget.shadow_focus() == "bec-close":
            break
    else:
        pytest.fail("the close button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert not widget.panel.is_visible() and widget.shadow_focus() == "bec-launcher"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_axe_finds_no_serious_violations(live, page, problems, axe_source, language):
    page.goto(f"{live.web_url}/demo?lang={language}")
    widget = Widget(page, language)
    assert not problems.csp, problems.csp
    page.evaluate(axe_source)
    axe_run = (
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
    )
    assert page.evaluate(axe_run) == [], "with the chat closed"
    widget.open()
    widget.chat({"fi": "Moikka!", "sv": "Hej hej!", "en": "Hello there"}[language])
    widget.send(XSS)
    widget.wait_for_bot_messages(2)
    violations = page.evaluate(axe_run)
    assert violations == [], json.dumps(violations, indent=1)
    problems.csp.clear()  # axe-core's own inline styles, refused by the page's policy as they should be


@pytest.mark.parametrize("width, height", [(320, 568), (640, 400)], ids=["320px", "200%-zoom"])
def test_small_screens_and_zoom(live, page, width, height):
    """320 CSS px wide (a small phone) and 1280x800 at 200 % zoom (640x400 CSS px)."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live.web_url}/demo?lang=sv")
    widget = Widget(page, "sv")
    launcher = widget.launcher.bounding_box()
    assert launcher["x"] >= 0 and launcher["x"] + launcher["width"] <= width
    widget.open()
    assert widget.chat("Var kan mitt företag få finansiering?") in responses("sv")["utter_funding"]
    box = widget.panel.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
    overflowing = page.evaluate(
        "() => [...document.querySelector('#business-espoo-chat').shadowRoot.querySelectorAll('*')]"
        ".filter(n => !n.classList.contains('bec-sr'))"
        ".filter(n => n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).overflowX !== 'visible')"
        ".map(n => n.className)"
    )
    assert overflowing == []
    for name in (widget_texts("sv")["send"], widget_texts("sv")["new_conversation"]):
        control = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert control["x"] + control["width"] <= width and control["y"] + control["height"] <= height
    close = page.get_by_role("button", name=widget_texts("sv")["widget_close"]).bounding_box()
    assert close["x"] + close["width"] <= width and close["y"] >= 0


def test_a_message_that_looks_like_html_is_shown_as_text(live, page, problems):
    page.goto(f"{live.web_url}/demo?lang=en")
    widget = Widget(page, "en")
    widget.open()
    for text in (XSS, XSS_FLAG):
        widget.send(text)
    widget.wait_for_bot_messages(2)
    shown = [widget.message_text(m) for m in widget.user_messages().all()]
    assert shown == [XSS, XSS_FLAG]
    page.reload()  # and again from the history
    widget.wait_for_bot_messages(2)
    assert [widget.message_text(m) for m in widget.user_messages().all()] == [XSS, XSS_FLAG]
    assert page.locator("img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert problems.dialogs == []


def test_the_simple_chat_page_shows_html_as_text_too(live, page, problems):
    page.goto(f"{live.web_url}/?lang=en")
    page.get_by_label(widget_texts("en")["input_label"]).fill(XSS)
    page.get_by_role("button", name=widget_texts("en")["send"], exact=True).click()
    page.locator(".message.bot").first.wait_for()
    assert XSS in page.locator(".message.user").first.text_content()
    assert page.locator("img").count() == 0 and problems.dialogs == []
