"""Look-ups in the catalogue: services, business events and recruitment offers, page by page."""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import database
from actions.language import slot_language
from bot.catalog import answers
from bot.catalog import queries
from bot.catalog.dates import parse_date_range

logger = logging.getLogger(__name__)
PAGE_SIZE = 3
KINDS = ("services", "events", "offers")


@dataclass(frozen=True)
class Search:
    """What the user searched, kept in the `last_search` slot so that "show more" can page on."""

    kind: str
    text: str
    offset: int = 0
    start: Optional[str] = None
    end: Optional[str] = None

    @classmethod
    def from_slot(cls, value: Any) -> Optional["Search"]:
        if not isinstance(value, dict) or value.get("kind") not in KINDS:
            return None
        try:
            return cls(str(value["kind"]), str(value.get("text") or ""), int(value.get("offset") or 0),
                       value.get("start"), value.get("end"))
        except (TypeError, ValueError):
            return None


def new_search(kind: str, text: str, language: str, now: datetime) -> Search:
    """A first page search for the user's message (a quick-reply payload searches everything)."""
    text = "" if text.startswith("/") else text.strip()
    start = end = None
    if kind == "events" and text:
        found = parse_date_range(text, language, now)
        if found:
            start, end = (moment.isoformat() for moment in found)
    return Search(kind, text, 0, start, end)


async def run_search(search: Search, language: str, now: datetime) -> queries.Page:
    """One page of results of `search` (one database session)."""
    async with database.session() as session:
        if search.kind == "services":
            return await queries.search_services(session, search.text, language, PAGE_SIZE, search.offset, now=now)
        if search.kind == "events":
            return await queries.find_events(
                session, language, search.text or None,
                datetime.fromisoformat(search.start) if search.start else None,
                datetime.fromisoformat(search.end) if search.end else None,
                PAGE_SIZE, search.offset, now=now,
            )
        return await queries.find_offers(session, language, search.text or None, PAGE_SIZE, search.offset, now=now)


async def answer(dispatcher: CollectingDispatcher, search: Search, language: str) -> List[Dict[Text, Any]]:
    """Send one page of `search` and remember where the next page starts."""
    now = datetime.now(timezone.utc)
    try:
        page = await run_search(search, language, now)
    except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
        logger.error("catalogue search failed: %r", exc)
        dispatcher.utter_message(response="utter_catalog_unavailable")
        return []
    if not page.items:
        if search.offset:
            dispatcher.utter_message(response="utter_no_more_results")
        elif search.kind == "services":
            dispatcher.utter_message(response="utter_services_none", query=search.text)
        else:
            dispatcher.utter_message(response=f"utter_{search.kind}_none", criteria=answers.criteria(search.text, language))
        return [SlotSet("last_search", None)]
    results = answers.results_text(search.kind, page.items, language)
    name = f"utter_{search.kind}_found" + ("_more" if page.has_more else "")
    dispatcher.utter_message(response=name, results=results)
    if any(hit.fell_back for hit in page.items):
        dispatcher.utter_message(response="utter_results_other_language")
    following = Search(search.kind, search.text, search.offset + len(page.items), search.start, search.end)
    return [SlotSet("last_search", asdict(following) if page.has_more else None)]


class _Find(Action, ABC):
    """A first search of one kind; subclasses name the action and the kind."""

    kind = ""

    @abstractmethod
    def name(self) -> Text:
        """The action's name."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = slot_language(tracker)
        text = tracker.latest_message.get("text") or ""
        search = new_search(self.kind, text, language, datetime.now(timezone.utc))
        return await answer(dispatcher, search, language)


class ActionFindServices(_Find):
    """Which services help with the user's need."""

    kind = "services"

    def name(self) -> Text:
        return "action_find_services"


class ActionFindEvents(_Find):
    """Upcoming business events, by topic and by the dates the message speaks of."""

    kind = "events"

    def name(self) -> Text:
        return "action_find_events"


class ActionFindOffers(_Find):
    """Open recruitment offers by occupation or keyword."""

    kind = "offers"

    def name(self) -> Text:
        return "action_find_offers"


class ActionShowMore(Action):
    """The next page of the last search."""

    def name(self) -> Text:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        search = Search.from_slot(tracker.get_slot("last_search"))
        if search is None:
            dispatcher.utter_message(response="utter_no_more_results")
            return []
        return await answer(dispatcher, search, slot_language(tracker))
