"""Tracker events to daily counts: the pure part of the aggregation (no database).

A conversation is one Rasa sender id. A user message is counted once the assistant has
answered it (or the next message came, or it is older than a minute at the end of a run),
so that it carries the language the assistant detected for it; the first one counts the
conversation, on the page the widget reported (its entry page). Events are read through
bot/rasa/events.py. What is remembered of a conversation between runs is `Conversation`.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from bot import pii
from bot.catalog.shown import SHOWN_KEY, read_items
from bot.config import HELSINKI, LANGUAGES
from bot.rasa import events

Key = Tuple[str, date, str, str]  # metric, day, language, key
TitleKey = Tuple[str, str, str]  # kind, item id, the title's language
SEARCH_NONE = {"utter_services_none": "services", "utter_events_none": "events", "utter_offers_none": "offers"}
LOOKUP_FOUND = {"utter_events_found": "events", "utter_events_found_more": "events",
                "utter_offers_found": "offers", "utter_offers_found_more": "offers"}
HUMAN_INTENT = "request_human"
NEGATIVE_INTENT = "feedback_negative"
PAGING_INTENT = "show_more"
# The intents whose message is a search (data/rules: action_find_services, _events, _offers).
SEARCH_INTENTS = frozenset({"find_service", "find_events", "find_recruitment_offers"})
MAX_WORDS = 6
MAX_PAGE = 200
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]{2,30}")


@functools.lru_cache(maxsize=4096)
def _day_of_hour(hour: int) -> date:
    return datetime.fromtimestamp(hour * 3600, timezone.utc).astimezone(HELSINKI).date()


def day_of(stamp: float) -> date:
    """The Finnish calendar day of a UNIX timestamp (Finnish time is whole hours from UTC)."""
    return _day_of_hour(int(stamp // 3600))


def entry_page(url: object) -> str:
    """The page a conversation started on: scheme, host, port and path only (a query can hold anything,
    user information too)."""
    if not isinstance(url, str) or not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path or '/'}"[:MAX_PAGE]


def search_words(text: str) -> str:
    """The words of a search as typed, personal data masked first and dropped (bot/pii.py), no digits,
    lower case, each once: the group a search with no result is counted in."""
    if not text or text.startswith("/"):
        return ""
    masked = _PLACEHOLDER.sub(" ", pii.mask(text))
    words = list(dict.fromkeys(word.lower() for word in _WORD.findall(masked)))
    return " ".join(words[:MAX_WORDS])


@dataclass
class Conversation:
    """What the job keeps of one conversation between events and runs."""

    language: str = ""
    page: str = ""
    counted: bool = False
    twice: bool = False
    last_answer: str = ""
    last_intent: str = ""
    words: str = ""
    # The user message not counted yet: [timestamp, intent, page language, [[metric, key]...]].
    pending: Optional[List[Any]] = None
    seen: float = 0.0

    def to_dict(self) -> Dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> "Conversation":
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in value.items() if k in known})


@dataclass
class Tally:
    """Counts of events read so far; `add` one conversation's events in order, `settle` at the end."""

    default_language: str = "fi"
    counts: "Counter[Key]" = field(default_factory=Counter)
    titles: Dict[TitleKey, Tuple[str, date]] = field(default_factory=dict)  # the shown items' titles, last seen

    def count(self, metric: str, stamp: float, language: str, key: str = "", value: int = 1) -> None:
        self.counts[(metric, day_of(stamp), language, key[:200])] += value

    def _language(self, state: Conversation, hint: str = "") -> str:
        for candidate in (state.language, hint):
            if candidate in LANGUAGES:
                return candidate
        return self.default_language

    def _finish(self, state: Conversation) -> None:
        """Count the pending user message with the conversation's language now."""
        if state.pending is None:
            return
        stamp, intent, hint, extra = state.pending
        state.pending = None
        language = self._language(state, hint)
        if not state.counted:
            state.counted = True
            self.count("conversation", stamp, language)
            self.count("entry_conversation", stamp, language, state.page)
        self.count("message", stamp, language)
        self.count("entry_message", stamp, language, state.page)
        self.count("intent", stamp, language, intent or "none")
        for metric, key in extra:
            self.count(metric, stamp, language, key)

    def _user(self, state: Conversation, event: Mapping[str, Any], stamp: float) -> None:
        if events.is_external(event):
            return
        self._finish(state)
        intent = events.intent_name(event) or ""
        meta = events.metadata(event)
        if not state.counted and not state.page:
            state.page = entry_page(meta.get("page_url"))
        extra: List[List[str]] = []
        if state.last_answer and intent == HUMAN_INTENT:
            extra.append(["answer_then_human", state.last_answer])
        if state.last_answer and intent == NEGATIVE_INTENT:
            extra.append(["answer_then_negative", state.last_answer])
        hint = meta.get("language") if isinstance(meta.get("language"), str) else ""
        state.pending = [stamp, intent, hint, extra]
        state.last_intent = intent
        state.words = search_words(events.text(event)) if intent in SEARCH_INTENTS else ""

    def _slot(self, state: Conversation, event: Mapping[str, Any], stamp: float) -> None:
        name, value = event.get("name"), event.get("value")
        if name == "language" and value in LANGUAGES:
            state.language = str(value)
        elif name == "misunderstanding" and value == "repeated" and not state.twice:
            state.twice = True
            self._finish(state)
            self.count("not_understood_twice", stamp, self._language(state))

    def _bot(self, state: Conversation, event: Mapping[str, Any], stamp: float) -> None:
        if events.adviser(event):
            return
        self._finish(state)
        meta = events.metadata(event)
        answer = meta.get("answer") or meta.get("utter_action")
        if not isinstance(answer, str) or not answer:
            return
        language = self._language(state)
        state.last_answer = answer
        self.count("answer", stamp, language, answer)
        if answer in SEARCH_NONE:
            self.count("search_none", stamp, language, f"{SEARCH_NONE[answer]}:{state.words}")
        elif answer in LOOKUP_FOUND and state.last_intent != PAGING_INTENT:
            self.count("lookup", stamp, language, f"{LOOKUP_FOUND[answer]}:{state.words}")
        for item in read_items(meta.get(SHOWN_KEY)):  # the catalogue items the answer showed (every page)
            self.count(f"shown_{item['kind']}", stamp, language, item["id"])
            self.titles[(item["kind"], item["id"], item["language"] or language)] = (item["title"], day_of(stamp))

    def add(self, state: Conversation, event: Mapping[str, Any]) -> None:
        """Read one event of the conversation whose state is `state` (events in tracker order)."""
        stamp = events.timestamp(event)
        if stamp <= 0:
            return
        state.seen = max(state.seen, stamp)
        kind = events.kind(event)
        if kind == "user":
            self._user(state, event, stamp)
        elif kind == "slot":
            self._slot(state, event, stamp)
        elif kind == "bot":
            self._bot(state, event, stamp)

    def settle(self, state: Conversation, now: float, wait: float = 60.0) -> None:
        """Count a message nobody answered once it is `wait` seconds old (a paused conversation)."""
        if state.pending is not None and now - float(state.pending[0]) >= wait:
            self._finish(state)
