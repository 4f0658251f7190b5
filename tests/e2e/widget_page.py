"""How the browser tests use the widget: by its visible labels, like a person would."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from playwright.sync_api import Locator, Page

from bot import locale
from bot.web.widget import WIDGET_GROUPS

STORE = "business-espoo-chat:v1:"


def widget_texts(language: str) -> Dict[str, str]:
    """The texts the widget shows in `language` (its labels and error messages)."""
    return locale.texts(language, *WIDGET_GROUPS)


class Widget:
    """The chat widget on `page` in `language` (Playwright's locators pierce its shadow root)."""

    def __init__(self, page: Page, language: str) -> None:
        self.page = page
        self.language = language
        self.texts = widget_texts(language)

    @property
    def launcher(self) -> Locator:
        return self.page.get_by_role("button", name=self.texts["widget_open"])

    @property
    def input(self) -> Locator:
        return self.page.get_by_label(self.texts["input_label"])

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog")

    def bot_messages(self) -> Locator:
        """The assistant's answers (not its greeting, which only the widget shows)."""
        return self.page.locator(".bec-assistant:not(.bec-greeting)")

    def greetings(self) -> Locator:
        return self.page.locator(".bec-greeting")

    def user_messages(self) -> Locator:
        return self.page.locator(".bec-user")

    def list_order(self) -> List[str]:
        """Who said each message shown, top down ("greeting" for the assistant's greeting)."""
        return self.page.locator(".bec-msg").evaluate_all(
            "items => items.map(i => i.classList.contains('bec-greeting') ? 'greeting' : i.dataset.who)"
        )

    def open(self) -> None:
        self.launcher.click()
        self.input.wait_for()

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.page.get_by_role("button", name=self.texts["send"], exact=True).click()

    def wait_for_bot_messages(self, count: int, timeout: float = 20_000) -> None:
        """Wait until at least `count` assistant messages are shown."""
        self.bot_messages().nth(count - 1).wait_for(timeout=timeout)

    def chat(self, text: str) -> str:
        """Send `text` and return the text of the first answer to it."""
        before = self.bot_messages().count()
        self.send(text)
        self.wait_for_bot_messages(before + 1)
        return self.message_text(self.bot_messages().nth(before))

    @staticmethod
    def message_text(message: Locator) -> str:
        """A message's text without the hidden "(opens in a new tab)" hints of its links."""
        return message.locator(".bec-text").evaluate(
            "node => { const c = node.cloneNode(true);"
            " c.querySelectorAll('.bec-sr').forEach(s => s.remove()); return c.textContent; }"
        )

    def answer_texts(self) -> List[str]:
        """The texts of all assistant messages."""
        return [self.message_text(message) for message in self.bot_messages().all()]

    def shadow_focus(self) -> Optional[str]:
        """The class of the focused element inside the widget, if the focus is there."""
        return self.page.evaluate(
            "() => { const r = document.querySelector('#business-espoo-chat').shadowRoot;"
            " return r.activeElement ? r.activeElement.className : null; }"
        )

    def stored(self, key: str) -> Any:
        raw = self.page.evaluate(f"() => localStorage.getItem({json.dumps(STORE + key)})")
        return json.loads(raw) if raw else None

    def conversation_id(self) -> str:
        return str(self.stored("conversation")).split(".")[0]


def user_events(live: Any, conversation_id: str) -> List[Dict[str, Any]]:
    return [e for e in live.tracker_events(conversation_id) if e["event"] == "user"]


AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
)


def axe_violations(page: Page, axe_source: str, problems: Any) -> List[Dict[str, Any]]:
    """Every violation axe-core finds on the page, the widget's shadow root included. The page's
    policy refuses axe-core's own inline styles, as it should: those refusals are not the page's."""
    before = len(problems.csp)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations = page.evaluate(AXE_RUN)
    page.wait_for_timeout(100)  # the console reports the refusals a moment later
    del problems.csp[before:]
    return violations
