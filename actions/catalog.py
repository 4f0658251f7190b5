"""Look-ups in the catalogue: services, business events and recruitment offers, page by page."""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, replace
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
from bot.catalog.lookup_query import LookupQuery, parser_for
from bot.catalog.lookup_search import lookup_events, lookup_offers
from bot.catalog.shown import SHOWN_KEY, shown_items
from bot.catalog.vocabulary import current_vocabulary

logger = logging.getLogger(__name__)
PAGE_SIZE = 3
KINDS = ("services", "events", "offers")
LOOKUP_KINDS = ("events", "offers")


@dataclass(frozen=True)
class Search:
    """What the user searched, kept in the `last_search` slot so that "show more" can page on.

    `query` is the structured look-up (bot/catalog/lookup_query.py) of an events or offers
    search, as a dict; "show more" pages on the same query.
    """

    kind: str
    text: str
    offset: int = 0
    start: Optional[str] = None
    end: Optional[str] = None
    query: Optional[Dict[str, Any]] = None

    @property
    def lookup(self) -> Optional[LookupQuery]:
        return LookupQuery.from_dict(self.query) if self.query else None

    def label(self, language: str) -> str:
        """What was searched for, in words ("ravintola-ala, Espoo"); the text itself without a query."""
        lookup = self.lookup
        return lookup.label() if lookup is not None else self.text

    @classmethod
    def from_slot(cls, value: Any) -> Optional["Search"]:
        if not isinstance(value, dict) or value.get("kind") not in KINDS:
            return None
        try:
            query = value.get("query")
            return cls(str(value["kind"]), str(value.get("text") or ""), int(value.get("offset") or 0),
                       value.get("start"), value.get("end"), query if isinstance(query, dict) else None)
        except (TypeError, ValueError):
            return None


def new_search(kind: str, text: str, language: str, now: datetime, query: Optional[LookupQuery] = None) -> Search:
    """A first page search for the user's message (a quick-reply payload searches everything)."""
    text = "" if text.startswith("/") else text.strip()
    if query is not None:
        return Search(kind, text, 0, query.start, query.end, query.to_dict())
    start = end = None
    if kind == "events" and text:
        found = parse_date_range(text, language, now)
        if found:
            start, end = (moment.isoformat() for moment in found)
    return Search(kind, text, 0, start, end)


async def understand(kind: str, text: str, language: str, now: datetime) -> Optional[LookupQuery]:
    """The structured query of a look-up message (events, offers); None for other searches.

    The vocabulary is read from the catalogue once per process; spaCy's pipelines are built
    and the message parsed in a worker thread, off the event loop.
    """
    if kind not in LOOKUP_KINDS or not text.strip() or text.startswith("/"):
        return None
    async with database.session() as session:
        vocabulary = await current_vocabulary(session)
    return await asyncio.to_thread(parser_for(vocabulary).parse, text, kind, language, now)


async def run_search(search: Search, language: str, now: datetime) -> queries.Page:
    """One page of results of `search` (one database session)."""
    async with database.session() as session:
        lookup = search.lookup
        if lookup is not None and search.kind == "events":
            return await queries.lookup_events(session, language, lookup, PAGE_SIZE, search.offset, now=now)
        if lookup is not None and search.kind == "offers":
            return await queries.lookup_offers(session, language, lookup, PAGE_SIZE, search.offset, now=now)
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
            dispatcher.utter_message(response=f"utter_{search.kind}_none",
                                     criteria=answers.criteria(search.label(language), language))
        return [SlotSet("last_search", None)]
    results = answers.results_text(search.kind, page.items, language)
    if search.lookup is not None and search.label(language):
        results = f"{answers.searched(search.label(language), language)}\n{results}"
    name = f"utter_{search.kind}_found" + ("_more" if page.has_more else "")
    # Which items were shown goes into the bot event's metadata, for the insights (bot/catalog/shown.py).
    dispatcher.utter_message(response=name, results=results, **{SHOWN_KEY: shown_items(search.kind, page.items)})
    if any(hit.fell_back for hit in page.items):
        dispatcher.utter_message(response="utter_results_other_language")
    following = replace(search, offset=search.offset + len(page.items))
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
        now = datetime.now(timezone.utc)
        try:
            query = await understand(self.kind, text, language, now)
        except (SQLAlchemyError, OSError, asyncio.TimeoutError) as exc:
            logger.error("catalogue vocabulary failed: %r", exc)
            dispatcher.utter_message(response="utter_catalog_unavailable")
            return []
        return await answer(dispatcher, new_search(self.kind, text, language, now, query), language)


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
