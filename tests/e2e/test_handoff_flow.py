"""Human handoff end to end in two real browsers: a company in the widget, advisers in the console.

The stack is the real one (Rasa with the trained model, the action server, the web app) on
a database of its own with a test advice channel whose hours the tests switch, and a queue
timeout of 30 seconds.
"""
from __future__ import annotations

import re
import time
from typing import Iterator, List

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.handoff_support import (
    QUEUE_TIMEOUT_SECONDS, Console, handoff_rows, set_advice_channel_open, start_handoff_stack,
)
from tests.e2e.widget_page import Widget
from tests.livestack import responses

XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
ASK_FOR_A_PERSON = "Voinko puhua ihmisen kanssa?"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    yield from start_handoff_stack(tmp_path_factory.mktemp("handoff-e2e"))


@pytest.fixture
def problems() -> Iterator[List[str]]:
    """Script errors and dialogs (an XSS would open one) on any page of the test."""
    seen: List[str] = []
    yield seen
    assert seen == []


@pytest.fixture
def company(browser: Browser, problems: List[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: problems.append(f"widget: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"widget dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


@pytest.fixture
def consoles(browser: Browser, stack, problems: List[str]):
    live, _ = stack
    made: List[Console] = []

    def make(username: str) -> Console:
        console = Console(browser, live.web_url, problems).login(username)
        made.append(console)
        return console

    yield make
    for console in made:
        console.close()


def widget_texts(page: Page) -> List[str]:
    return [t.strip() for t in page.locator(".bec-msg .bec-text").all_text_contents()]


def adviser_message(page: Page, text: str):
    return page.locator(".bec-adviser .bec-text", has_text=text)


def escalate(page: Page, base: str) -> Widget:
    page.goto(f"{base}/demo?lang=fi")
    widget = Widget(page, "fi")
    widget.open()
    widget.send(ASK_FOR_A_PERSON)
    return widget


def test_office_hours_live_chat_reloads_hand_back_and_rating(stack, company, consoles):
    live, database = stack
    set_advice_channel_open(database, True)
    anna = consoles("anna")
    widget = escalate(company, live.web_url)
    company.get_by_text("Yhdistän sinut yritysneuvojalle", exact=False).wait_for()
    conversation = widget.conversation_id()
    anna.row(conversation).wait_for()  # the queue updates itself
    assert "Request for an adviser" in anna.row(conversation).text_content()  # a word, not request_human
    anna.claim(conversation)
    adviser_message(company, "Neuvoja Anna Adviser liittyi keskusteluun.").wait_for()

    anna.reply("Hei, olen Anna. Miten voin auttaa?")
    adviser_message(company, "Hei, olen Anna. Miten voin auttaa?").wait_for()
    widget.send("Tarvitsen rahoitusta yrityksen kasvuun")
    item = anna.wait_for_text("Tarvitsen rahoitusta yrityksen kasvuun")
    assert re.search(r"Understood as [^()_]+ \(\d\.\d+\)", item.locator(".nlu").text_content())
    widget.send(XSS)
    anna.wait_for_text(XSS)
    anna.reply(XSS)
    adviser_message(company, XSS).wait_for()

    # Both sides reload in the middle of the chat: nothing lost, nothing twice.
    company.reload()
    adviser_message(company, XSS).wait_for()
    anna.page.reload()
    anna.wait_for_text(XSS)
    anna.reply("Toinen viesti neuvojalta")
    adviser_message(company, "Toinen viesti neuvojalta").wait_for()
    widget.send("Kiitos, tämä selvensi")
    anna.wait_for_text("Kiitos, tämä selvensi")
    time.sleep(2)  # a duplicate would arrive by now
    said = ["Hei, olen Anna. Miten voin auttaa?", "Tarvitsen rahoitusta yrityksen kasvuun", XSS,
            "Toinen viesti neuvojalta", "Kiitos, tämä selvensi"]
    for side in (widget_texts(company), anna.transcript_texts()):
        for text in said:
            assert side.count(text) == (2 if text == XSS else 1), (text, side)
    assert company.locator(".bec-adviser img, .bec-adviser script").count() == 0
    assert anna.page.locator("#transcript img, #transcript script").count() == 0

    anna.page.get_by_role("button", name="Hand back to the assistant").click()
    anna.page.get_by_text("The conversation was handed back to the assistant.").wait_for()
    rating_question = next(iter(responses("fi")["utter_ask_rating"]))
    company.get_by_text(rating_question).wait_for()
    company.locator(".bec-replies button", has_text="5").click()
    company.get_by_text(next(iter(responses("fi")["utter_thanks_for_rating"]))).wait_for()
    row, requests = handoff_rows(database, conversation)
    assert row.rating == 5 and [r.status for r in requests] == ["handed_back"]
    anna.page.goto(f"{live.web_url}/console/review?rating=5")
    assert anna.page.locator(f'a[href="/console/conversations/{conversation}"]').count() == 1


def test_out_of_hours_contact_request_with_a_bad_and_a_good_business_id(stack, company, consoles):
    live, database = stack
    set_advice_channel_open(database, False)
    try:
        texts = responses("fi")
        widget = escalate(company, live.web_url)
        company.get_by_text(next(iter(texts["utter_offer_contact_request"]))).wait_for()
        company.locator(".bec-replies button").first.click()  # yes
        company.get_by_text(next(iter(texts["utter_ask_company_name"]))).wait_for()
        widget.send("Kahvila Kuppi Oy")
        company.get_by_text(next(iter(texts["utter_ask_business_id"]))).wait_for()
        widget.send("1234567-8")  # wrong check digit
        company.get_by_text(next(iter(texts["utter_invalid_business_id"]))).wait_for()
        widget.send("1572860-0")
        company.get_by_text(next(iter(texts["utter_ask_contact_topic"]))).wait_for()
        widget.send("Terassilupa kesäksi")
        company.get_by_text(next(iter(texts["utter_ask_contact"]))).wait_for()
        widget.send("anna@kuppi.fi")
        company.get_by_text(next(iter(texts["utter_ask_contact_language"]))).wait_for()
        company.locator(".bec-replies button").first.click()
        company.get_by_text(next(iter(texts["utter_ask_consent"]))).wait_for()
        company.locator(".bec-replies button").first.click()
        company.get_by_text(next(iter(texts["utter_contact_request_saved"]))).wait_for()
        conversation = widget.conversation_id()
        _, requests = handoff_rows(database, conversation)
        assert [(r.kind, r.business_id, r.contact_value) for r in requests] == [
            ("contact_request", "1572860-0", "anna@kuppi.fi")]
        anna = consoles("anna")
        row = anna.row(conversation, "queue-contact")
        assert "Kahvila Kuppi Oy" in row.text_content()
        anna.claim(conversation, "queue-contact")
        details = anna.page.locator("section.contact")
        assert "1572860-0" in details.text_content() and "anna@kuppi.fi" in details.text_content()
        assert "1234567-8" not in details.text_content()
        anna.wait_for_text("1234567-8")  # what the company typed stays in the transcript
        anna.page.get_by_role("button", name="Mark as done").click()
        anna.page.get_by_text("The conversation was closed.").wait_for()
    finally:
        set_advice_channel_open(database, True)


def test_two_advisers_claim_at_once(stack, company, consoles):
    live, database = stack
    set_advice_channel_open(database, True)
    anna, bertil = consoles("anna"), consoles("bertil")
    widget = escalate(company, live.web_url)
    company.get_by_text("Yhdistän sinut yritysneuvojalle", exact=False).wait_for()
    conversation = widget.conversation_id()
    for console in (anna, bertil):
        console.row(conversation).get_by_role("button", name="Claim").wait_for()
    click = "cid => document.querySelector(`#queue-live tr:has(a[href='/console/conversations/${cid}']) button`).click()"
    anna.page.evaluate(click, conversation)  # both forms are sent before either answer arrives
    bertil.page.evaluate(click, conversation)
    for console in (anna, bertil):
        console.page.wait_for_load_state()
        console.page.wait_for_url(re.compile(r"msg=claimed_(ok|by_other)"))
    winners = [c for c in (anna, bertil) if c.page.url.endswith("msg=claimed_ok")]
    losers = [c for c in (anna, bertil) if c.page.url.endswith("msg=claimed_by_other")]
    assert len(winners) == 1 and len(losers) == 1
    losers[0].page.get_by_text("Another adviser claimed this one first.").wait_for()
    joined = company.locator(".bec-adviser .bec-text", has_text="liittyi keskusteluun")
    joined.first.wait_for()
    time.sleep(1.5)
    assert joined.count() == 1
    winners[0].page.get_by_role("button", name="Close the conversation").click()
    winners[0].page.get_by_text("The conversation was closed.").wait_for()


def test_queue_timeout_keeps_what_the_company_wrote(stack, company, consoles):
    live, database = stack
    set_advice_channel_open(database, True)
    anna = consoles("anna")  # online, but claims nothing
    widget = escalate(company, live.web_url)
    company.get_by_text("Yhdistän sinut yritysneuvojalle", exact=False).wait_for()
    conversation = widget.conversation_id()
    widget.send("Onko siellä ketään? Tarvitsen apua rahoitukseen.")
    timeout_text = next(iter(responses("fi")["utter_handoff_timeout"]))
    company.get_by_text(timeout_text).wait_for(timeout=(QUEUE_TIMEOUT_SECONDS + 30) * 1000)
    company.get_by_text(next(iter(responses("fi")["utter_offer_contact_request"]))).wait_for()
    _, requests = handoff_rows(database, conversation)
    assert [r.status for r in requests] == ["timed_out"]
    company.reload()
    company.get_by_text(timeout_text).wait_for()
    assert widget_texts(company).count("Onko siellä ketään? Tarvitsen apua rahoitukseen.") == 1
    anna.page.goto(f"{live.web_url}/console/conversations/{conversation}")
    anna.wait_for_text("Onko siellä ketään? Tarvitsen apua rahoitukseen.")
    assert "Nobody answered in time" in anna.page.locator("#conversation-status").text_content()


AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
)


def _tab_to(page: Page, test: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    pytest.fail(f"cannot reach with Tab: {test}")


def test_console_by_keyboard_and_without_serious_axe_violations(stack, company, browser, problems, axe_source):
    live, database = stack
    set_advice_channel_open(database, True)
    console = Console(browser, live.web_url, problems)
    try:
        page = console.page
        page.goto(f"{live.web_url}/console/login?lang=sv")
        page.evaluate(axe_source)
        assert page.evaluate(AXE_RUN) == []
        page.keyboard.type("anna")  # the username field has the focus
        page.keyboard.press("Tab")
        page.keyboard.type("correct horse battery staple")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Queue", exact=True).wait_for()  # the adviser's language: English
        widget = escalate(company, live.web_url)
        company.get_by_text("Yhdistän sinut yritysneuvojalle", exact=False).wait_for()
        conversation = widget.conversation_id()
        console.row(conversation).wait_for()
        page.evaluate(axe_source)
        assert page.evaluate(AXE_RUN) == []
        request_id = console.row(conversation).get_attribute("data-id")
        _tab_to(page, f"() => document.activeElement.getAttribute('data-claim') === '{request_id}'")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/console/conversations/{conversation}?msg=claimed_ok")
        _tab_to(page, "() => document.activeElement.id === 'reply-text'")
        page.keyboard.type("Vastaan näppäimistöllä")
        page.keyboard.press("Enter")
        adviser_message(company, "Vastaan näppäimistöllä").wait_for()
        console.wait_for_text("Vastaan näppäimistöllä")
        page.evaluate(axe_source)
        assert page.evaluate(AXE_RUN) == []
        page.goto(f"{live.web_url}/console/review")
        page.evaluate(axe_source)
        assert page.evaluate(AXE_RUN) == []
        page.goto(f"{live.web_url}/console/conversations/{conversation}")
        page.get_by_role("button", name="Close the conversation").click()
    finally:
        console.close()


# (asking for a person, saying there is no business ID yet: typed, or None for the button)
NO_BUSINESS_ID_YET = {
    "fi": ("Voinko puhua ihmisen kanssa?", "ei oo vielä y-tunnusta, vasta perustamassa"),
    "sv": ("Kan jag prata med en människa?", "vi har inget FO-nummer än, företaget håller på att grundas"),
    "en": ("Can I talk to a person?", None),
}


@pytest.mark.parametrize("language", sorted(NO_BUSINESS_ID_YET))
def test_a_founder_without_a_business_id_yet_leaves_a_contact_request(stack, company, language):
    live, database = stack
    ask_for_a_person, no_id_yet = NO_BUSINESS_ID_YET[language]
    texts = responses(language)

    def shown(response: str) -> None:
        company.get_by_text(next(iter(texts[response]))).wait_for()

    set_advice_channel_open(database, False)
    try:
        company.goto(f"{live.web_url}/demo?lang={language}")
        widget = Widget(company, language)
        widget.open()
        widget.send(ask_for_a_person)
        shown("utter_offer_contact_request")
        company.locator(".bec-replies button").first.click()  # yes
        shown("utter_ask_company_name")
        widget.send("Kahvila Kuppi")
        shown("utter_ask_business_id")
        if no_id_yet:
            widget.send(no_id_yet)
        else:
            company.locator(".bec-replies button").first.click()  # "No business ID yet"
        shown("utter_ask_contact_topic")
        widget.send("Anniskelulupa terassille")
        shown("utter_ask_contact")
        widget.send("anna@kuppi.fi")
        shown("utter_ask_contact_language")
        company.locator(".bec-replies button").first.click()
        shown("utter_ask_consent")
        company.locator(".bec-replies button").first.click()
        shown("utter_contact_request_saved")
        assert company.get_by_text(next(iter(texts["utter_invalid_business_id"]))).count() == 0
        _, requests = handoff_rows(database, widget.conversation_id())
        assert [(r.kind, r.company_name, r.business_id, r.language) for r in requests] == [
            ("contact_request", "Kahvila Kuppi", None, "fi")]
    finally:
        set_advice_channel_open(database, True)
