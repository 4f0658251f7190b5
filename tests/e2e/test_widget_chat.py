"""The widget in real Chromium against the real assistant: chatting, quick replies, reload,
a dropped connection, a new conversation and the options of the script tag."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from tests.conftest import ROOT
from tests.e2e.widget_page import Widget, user_events, widget_texts
from tests.livestack import responses
from tests.tcp_proxy import TcpProxy
from tests.test_supervisor import free_port

GREETINGS = {"fi": "Moikka!", "sv": "Hej hej!", "en": "Hello there"}
PAY_SUBSIDY = "Can we get a pay subsidy for hiring an unemployed person?"
# Questions, not "/intent" payloads: typed, those are words to Rasa (bot/web/quick_replies.py).
FUNDING = {"fi": "Mistä saan rahoitusta yritykselle?", "sv": "Var kan mitt företag få finansiering?",
           "en": "Where can my company get funding?"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_chat_in_each_language(live, page, language):
    texts = widget_texts(language)
    page.goto(f"{live.web_url}/demo?lang={language}")
    widget = Widget(page, language)
    widget.open()
    assert widget.panel.get_by_role("heading").text_content() == texts["heading"]
    notice = page.locator(".bec-notice")
    assert texts["bot_notice"] in notice.text_content()
    privacy = notice.get_by_role("link", name=texts["privacy_link"])
    assert privacy.get_attribute("target") == "_blank" and "noopener" in privacy.get_attribute("rel")
    # Record what the typing indicator says while the assistant works.
    page.evaluate(
        "() => { window.__typing = []; const t = document.querySelector('#business-espoo-chat')"
        ".shadowRoot.querySelector('.bec-typing-text'); new MutationObserver(() =>"
        " window.__typing.push(t.textContent)).observe(t, {childList: true, characterData: true, subtree: true}); }"
    )
    answer = widget.chat(GREETINGS[language])
    assert answer in responses(language)["utter_greet"]
    assert texts["typing"] in page.evaluate("() => window.__typing")
    user = widget.user_messages().first
    assert user.locator(".bec-who").text_content() == texts["you"]
    assert widget.bot_messages().first.locator(".bec-who").text_content() == texts["assistant"]
    for message in (user, widget.bot_messages().first):
        stamp = message.locator("time")
        assert re.match(r"\d{4}-\d\d-\d\dT", stamp.get_attribute("datetime"))
        assert re.search(r"\d\d[.:]\d\d", stamp.text_content())
    assert page.locator(".bec-replies button").count() >= 2


def test_quick_reply_links_and_history_after_reload(live, page):
    page.goto(f"{live.web_url}/demo?lang=en")
    widget = Widget(page, "en")
    widget.open()
    widget.chat("Hello there")
    button = page.locator(".bec-replies button").first
    title = button.text_content()
    button.click()
    widget.wait_for_bot_messages(2)
    assert widget.user_messages().nth(1).locator(".bec-text").text_content() == title  # the title, not /payload
    shown = widget.answer_texts()
    links = page.locator(".bec-assistant .bec-text a")
    assert links.count() >= 1
    for i in range(links.count()):
        assert links.nth(i).get_attribute("target") == "_blank"
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"
        # The answers' own links go through the web app's counting redirect (bot/insights/links.py);
        # the text a user reads stays the address.
        href = links.nth(i).get_attribute("href")
        assert href.startswith(f"{live.web_url}/go/") or href.startswith("https://")
        assert links.nth(i).text_content().startswith("https://")

    page.reload()  # the panel stays open and shows the same conversation from the tracker
    widget.wait_for_bot_messages(len(shown))
    assert widget.answer_texts() == shown
    assert [widget.message_text(m) for m in widget.user_messages().all()] == ["Hello there", title]
    assert page.locator(".bec-msg time[datetime]").count() == len(shown) + 2
    # Navigation on the same site resumes it too.
    page.goto(f"{live.web_url}/demo?lang=en&page=2")
    widget.wait_for_bot_messages(len(shown))
    assert widget.answer_texts() == shown


def test_a_dropped_connection_loses_and_doubles_nothing(live, page):
    web_port = int(live.web_url.rsplit(":", 1)[1])
    # The page reaches the web app through the proxy, on the port whose origin may embed the chat.
    proxy = TcpProxy(web_port, port=live.embed_port).start()
    try:
        page.goto(f"{proxy.url}/demo?lang=en")
        widget = Widget(page, "en")
        widget.open()
        widget.chat("Hello there")
        conversation = widget.conversation_id()

        proxy.cut()
        page.get_by_text(widget_texts("en")["offline"]).wait_for()
        widget.send(PAY_SUBSIDY)
        pending = widget.user_messages().last
        assert pending.locator(".bec-state").text_content() == widget_texts("en")["sending"]
        assert [item["text"] for item in widget.stored("outbox")] == [PAY_SUBSIDY]
        time.sleep(1.5)
        proxy.restore()
        widget.wait_for_bot_messages(2, timeout=30_000)
        assert widget.answer_texts()[1] in responses("en")["utter_pay_subsidy"]

        # Cut right after sending: the message may or may not have reached the gateway.
        widget.send(FUNDING["en"])
        proxy.cut()
        time.sleep(1)
        proxy.restore()
        widget.wait_for_bot_messages(3, timeout=30_000)
        time.sleep(1)  # a duplicate answer would show up now
        assert widget.bot_messages().count() == 3
        assert widget.stored("outbox") == []
        assert page.get_by_text(widget_texts("en")["offline"]).count() == 0
    finally:
        proxy.stop()
    texts = [e["text"] for e in user_events(live, conversation)]
    assert texts == ["Hello there", PAY_SUBSIDY, FUNDING["en"]]


def test_new_conversation(live, page):
    page.goto(f"{live.web_url}/demo?lang=fi")
    widget = Widget(page, "fi")
    widget.open()
    widget.chat("Moikka!")
    old = widget.stored("conversation")
    page.get_by_role("button", name=widget_texts("fi")["new_conversation"]).click()
    assert widget.user_messages().count() == 0 and widget.bot_messages().count() == 0
    widget.chat(FUNDING["fi"])
    assert widget.stored("conversation") != old
    page.reload()
    widget.wait_for_bot_messages(1)
    assert [widget.message_text(m) for m in widget.user_messages().all()] == [FUNDING["fi"]]


def test_script_tag_options_on_another_site(live, page):
    """Another site embeds the widget: data-lang beats the page's lang; data-title and data-color;
    the title is text, not HTML; the gateway accepts this site as an allowed origin."""
    host_page = (
        '<!DOCTYPE html><html lang="sv"><head><title>Host</title></head><body><main><h1>Host</h1></main>'
        f'<script src="{live.web_url}/widget.js" data-lang="en" data-title="<b>Company help</b>"'
        ' data-color="#ffcc00"></script></body></html>'
    )
    with serve_page(live.embed_port, host_page) as url:
        page.goto(url)
        widget = Widget(page, "en")
        widget.open()
        heading = widget.panel.get_by_role("heading")
        assert heading.text_content() == "<b>Company help</b>" and page.locator("b").count() == 0
        colours = page.locator(".bec-header").evaluate(
            "n => [getComputedStyle(n).backgroundColor, getComputedStyle(n).color]"
        )
        assert colours == ["rgb(255, 204, 0)", "rgb(17, 17, 17)"]  # dark text on a light colour
        assert widget.chat(FUNDING["en"]) in responses("en")["utter_funding"]


@contextmanager
def serve_page(port: int, body: str) -> Iterator[str]:
    """A one-page web site on 127.0.0.1:`port`."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_page_language_is_used_without_data_lang(live, page):
    page.goto(f"{live.web_url}/demo?lang=sv")
    assert Widget(page, "sv").launcher.text_content() == widget_texts("sv")["widget_open"]


@contextmanager
def web_app(live, rasa_url: str, **env: str) -> Iterator[str]:
    """A second web app process (`python -m bot serve`) in front of `rasa_url`."""
    port, internal = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "BOT_HOST": "127.0.0.1", "BOT_PORT": str(port), "BOT_INTERNAL_PORT": str(internal),
             "RASA_URL": rasa_url, "RASA_TOKEN": live.rasa_token, **env},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "the web app did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def test_rasa_down_the_user_is_told_and_can_send_again(live, page):
    rasa = TcpProxy(int(live.rasa_url.rsplit(":", 1)[1])).start()
    rasa.cut()
    texts = widget_texts("sv")
    try:
        with web_app(live, rasa.url, BOT_RASA_RETRY_SECONDS="3") as url:
            page.goto(f"{url}/demo?lang=sv")
            widget = Widget(page, "sv")
            widget.open()
            widget.send(FUNDING["sv"])
            page.get_by_text(texts["error_delayed"]).wait_for()
            page.get_by_text(texts["error_not_processed"]).wait_for()
            failed = widget.user_messages().last
            assert texts["not_sent"] in failed.locator(".bec-state").text_content()
            assert widget.stored("outbox")[0]["failed"] is True
            page.reload()  # the text is kept for sending again, also after a reload
            again = page.get_by_role("button", name=texts["send_again"])
            rasa.restore()
            again.click()
            widget.wait_for_bot_messages(1)
            assert widget.answer_texts()[0] in responses("sv")["utter_funding"]
            assert widget.user_messages().count() == 1 and widget.stored("outbox") == []
            assert page.get_by_text(texts["error_not_processed"]).count() == 0
            conversation = widget.conversation_id()
    finally:
        rasa.stop()
    assert [e["text"] for e in user_events(live, conversation)] == [FUNDING["sv"]]
