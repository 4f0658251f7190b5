"""How the widget looks and opens in real Chromium against the real assistant: a compact header
at every width, long answers shown from their start, labels in the conversation's language,
and the assistant's greeting at the start of every conversation (issue 9)."""
from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import ROOT
from tests.e2e.widget_page import Widget, axe_violations, user_events, widget_texts
from tests.livestack import responses

PAY_SUBSIDY = "Can we get a pay subsidy for hiring an unemployed person?"  # a long answer
TO_ENGLISH = "vaihda kieli englanniksi"
SHADOW = "document.querySelector('#business-espoo-chat').shadowRoot"


def topic_titles(language: str) -> list:
    """The titles of the main topics: the quick replies of the assistant's greeting response."""
    table = yaml.safe_load((ROOT / "data" / "responses" / f"{language}.yml").read_text(encoding="utf-8"))
    return [button["title"] for button in table["utter_greet"][0]["buttons"]]


def box(page, selector: str) -> dict:
    return page.evaluate(f"() => {{ const r = {SHADOW}.querySelector({json.dumps(selector)})"
                         ".getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; }")


def words_broken_across_lines(page) -> list:
    """The words of the title that a line break splits (a word on more than one line box)."""
    return page.evaluate(
        f"() => {{ const t = {SHADOW}.querySelector('.bec-title').firstChild; const broken = [];"
        " for (const m of t.textContent.matchAll(/\\S+/g)) { const r = document.createRange();"
        " r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length);"
        " const tops = new Set([...r.getClientRects()].map(c => Math.round(c.top)));"
        " if (tops.size > 1) broken.push(m[0]); } return broken; }"
    )


@pytest.mark.parametrize("width, height, language", [
    (320, 640, "fi"), (390, 844, "sv"), (1280, 800, "fi"), (1280, 800, "en"),
])
def test_the_header_is_one_compact_row(live, page, problems, axe_source, width, height, language):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live.web_url}/demo?lang={language}")
    widget = Widget(page, language)
    widget.open()
    widget.greetings().wait_for()
    header, title, close = box(page, ".bec-header"), box(page, ".bec-title"), box(page, ".bec-close")
    assert header["height"] <= 64, header
    # The close button is on the title's row: their vertical middles are within the header's one row.
    assert abs((close["top"] + close["bottom"]) / 2 - (title["top"] + title["bottom"]) / 2) <= 8, (title, close)
    restart = page.get_by_role("button", name=widget_texts(language)["new_conversation"], exact=True)
    restart_box = restart.bounding_box()
    assert abs(restart_box["y"] + restart_box["height"] / 2 - (close["top"] + close["bottom"]) / 2) <= 2
    assert words_broken_across_lines(page) == []
    if width == 1280 and language == "fi":  # room enough: "New conversation" keeps its words
        assert page.locator(".bec-restart-text").is_visible()
    assert page.locator(".bec-title").evaluate("n => n.scrollHeight <= n.clientHeight + 1"), "the title is cut"
    styles = page.locator(".bec-title").evaluate(
        "n => [getComputedStyle(n).overflowWrap, getComputedStyle(n).hyphens, getComputedStyle(n).wordBreak]"
    )
    assert styles == ["normal", "manual", "normal"]
    assert axe_violations(page, axe_source, problems) == []


def test_a_long_answer_opens_at_its_start(live, page):
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(f"{live.web_url}/demo?lang=en")
    widget = Widget(page, "en")
    widget.open()
    widget.chat("Hello there")
    assert widget.chat(PAY_SUBSIDY) in responses("en")["utter_pay_subsidy"]
    scroller, answer = box(page, ".bec-scroller"), widget.bot_messages().last.bounding_box()
    assert answer["height"] > scroller["height"], "the answer must be taller than the log for this test"
    # Its start is at the top of the log, not scrolled away above it.
    assert scroller["top"] <= answer["y"] <= scroller["top"] + 24, (scroller, answer)
    # A short answer that fits is shown whole, with its quick replies at the end.
    assert widget.chat("Thanks a lot") in responses("en")["utter_thank"]
    last = widget.bot_messages().last.bounding_box()
    assert last["y"] >= scroller["top"] and last["y"] + last["height"] <= scroller["bottom"] + 1
    end = page.evaluate(f"() => {{ const s = {SHADOW}.querySelector('.bec-scroller');"
                        " return s.scrollHeight - s.clientHeight - s.scrollTop; }")
    assert end <= 1  # scrolled to the end


def test_labels_follow_the_conversation_language(live, page, problems, axe_source):
    fi, en = widget_texts("fi"), widget_texts("en")
    page.goto(f"{live.web_url}/demo?lang=fi")
    widget = Widget(page, "fi")
    widget.open()
    assert page.locator(".bec").get_attribute("lang") == "fi"
    widget.chat(TO_ENGLISH)
    page.get_by_role("button", name=en["send"], exact=True).wait_for()

    def in_english() -> None:
        assert page.locator(".bec").get_attribute("lang") == "en"
        assert page.locator("#business-espoo-chat").get_attribute("lang") == "en"
        assert page.get_by_label(en["input_label"]).is_visible()
        assert page.get_by_role("heading", name=en["heading"]).is_visible()
        for name in (en["new_conversation"], en["widget_close"], en["send"]):
            assert page.get_by_role("button", name=name, exact=True).is_visible(), name
        assert page.get_by_role("link", name=f"{en['privacy_link']} {en['opens_new_tab']}").count() == 1
        assert page.locator(".bec-user .bec-who").first.text_content() == en["you"]
        assert widget.greetings().locator(".bec-who").text_content() == en["assistant"]
        assert page.get_by_role("button", name=fi["send"], exact=True).count() == 0

    in_english()
    assert axe_violations(page, axe_source, problems) == []
    page.reload()  # the restored conversation keeps the language of its tracker
    widget.wait_for_bot_messages(1)
    in_english()
    page.get_by_role("button", name=en["widget_close"]).click()
    assert page.get_by_role("button", name=en["widget_open"]).is_visible()
    page.get_by_role("button", name=en["widget_open"]).click()
    page.get_by_role("button", name=en["new_conversation"]).click()  # goes on in the language chosen
    page.get_by_text(widget_texts("en")["greeting"]).wait_for()
    assert widget.greetings().count() == 1 and widget.bot_messages().count() == 0
    assert page.locator(".bec").get_attribute("lang") == "en"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_new_conversation_starts_with_a_greeting(live, page, problems, axe_source, language):
    texts = widget_texts(language)
    page.goto(f"{live.web_url}/demo?lang={language}")
    widget = Widget(page, language)
    widget.open()
    greeting = widget.greetings()
    greeting.wait_for()
    assert widget.message_text(greeting) == texts["greeting"]
    assert greeting.locator(".bec-who").text_content() == texts["assistant"]
    replies = greeting.get_by_role("group", name=texts["quick_replies_label"]).get_by_role("button")
    assert replies.all_text_contents() == topic_titles(language)
    assert axe_violations(page, axe_source, problems) == []
    conversation = widget.conversation_id()
    assert user_events(live, conversation) == []  # nothing went to Rasa

    page.reload()  # not repeated: still one greeting
    greeting.wait_for()
    assert widget.greetings().count() == 1

    title = replies.nth(1).text_content()  # a topic, answered by Rasa as its intent
    replies.nth(1).click()
    widget.wait_for_bot_messages(1)
    assert widget.message_text(widget.user_messages().first) == title
    assert widget.answer_texts()[0] in responses(language)["utter_funding"]
    sent = user_events(live, conversation)
    assert [e["text"] for e in sent] == ["/funding"]  # the topic only: the greeting is no user turn
    assert texts["greeting"] not in json.dumps(live.tracker_events(conversation), ensure_ascii=False)

    page.reload()
    widget.wait_for_bot_messages(1)
    assert widget.greetings().count() == 1 and widget.user_messages().count() == 1
    assert widget.list_order() == ["greeting", "user", "assistant"]

    page.get_by_role("button", name=texts["new_conversation"]).click()
    page.get_by_text(texts["greeting"]).wait_for()
    assert widget.greetings().count() == 1 and widget.bot_messages().count() == 0
    assert widget.conversation_id() != conversation
