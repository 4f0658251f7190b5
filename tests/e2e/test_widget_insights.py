"""The answers' links and thumbs in the widget against the real assistant: a link keeps its address
as its label and goes through /go/ (the click counted per answer), the thumbs count once."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import Dict, Tuple

from tests.conftest import ROOT
from tests.e2e.widget_page import Widget

QUESTION = "How does apprenticeship training work?"


def counts(live) -> Dict[Tuple[str, str, str], int]:
    with sqlite3.connect(live.data_dir / "bot.db") as db:
        rows = db.execute("SELECT metric, language, key, SUM(value) FROM insights_daily "
                          "WHERE metric IN ('click', 'helpful_up', 'helpful_down') GROUP BY metric, language, key")
        return {(m, lang, key): total for m, lang, key, total in rows}


def test_an_answer_link_goes_through_go_and_a_thumb_counts_once(live, page, problems):
    page.goto(f"{live.web_url}/demo?lang=en")
    widget = Widget(page, "en")
    widget.open()
    widget.greetings().wait_for()
    widget.chat(QUESTION)
    answer = widget.bot_messages().last
    link = answer.locator(".bec-text a").first
    label = widget.message_text(answer)  # the answer shows the address itself
    href = link.get_attribute("href")
    address = link.evaluate("a => a.firstChild.textContent")
    assert href.startswith(f"{live.web_url}/go/") and address.startswith("https://") and address in label
    response = page.request.get(href, max_redirects=0)
    assert response.status == 302 and response.headers["location"] == address

    group = answer.get_by_role("group", name="Was this helpful?")
    group.get_by_role("button", name="Yes, helpful").click()
    group.get_by_text("Thank you for your feedback.").wait_for()
    assert group.get_by_role("button").count() == 0
    page.reload()  # the vote is remembered: no thumbs again under the same answer (the widget reopens itself)
    widget.bot_messages().last.get_by_text("Thank you for your feedback.").wait_for()
    found = counts(live)
    assert [k for k in found if k[0] == "click"] and [k for k in found if k[0] == "helpful_up"], found
    assert all(v == 1 for v in found.values()) and {k[1] for k in found} == {"en"}


def _aggregate(live) -> None:
    """`python -m bot insights aggregate` on the stack's databases (Playwright's loop runs here)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{live.data_dir / 'bot.db'}",
           "TRACKER_DB": str(live.data_dir / "tracker.db"), "BOT_SECRET_KEY": "e2e"}
    subprocess.run([sys.executable, "-m", "bot", "insights", "aggregate"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def test_the_job_reads_the_real_trackers_events(live, page):
    """What Rasa really stores (answer names in the bot events' metadata, the page of each message)."""
    page.goto(f"{live.web_url}/demo?lang=sv")
    widget = Widget(page, "sv")
    widget.open()
    widget.greetings().wait_for()
    widget.chat("Hur får jag startpeng?")
    _aggregate(live)
    with sqlite3.connect(live.data_dir / "bot.db") as db:
        rows = db.execute("SELECT metric, language, key, SUM(value) FROM insights_daily "
                          "WHERE metric IN ('entry_conversation', 'answer', 'intent') GROUP BY metric, language, key")
        found = {(m, lang, key): total for m, lang, key, total in rows}
    assert ("entry_conversation", "sv", f"{live.web_url}/demo") in found, found
    assert any(m == "answer" and lang == "sv" and key.startswith("utter_startup_grant") for m, lang, key in found), found
    assert ("intent", "sv", "startup_grant") in found, found
