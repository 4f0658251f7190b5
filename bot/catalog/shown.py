"""Which catalogue items an answer showed: what the look-up actions put in the bot event's metadata
(`shown`, next to the answer's name) and what the insights job reads back (bot/insights/tally.py).

An item is {"kind", "id", "title", "language"}: the catalogue's own id of a service, event or
recruitment offer, its public title as shown and the language of that title. Nothing of the
person who searched is in it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Union

from bot.catalog.hits import EventHit, OfferHit, ServiceHit
from bot.config import LANGUAGES

SHOWN_KEY = "shown"  # the metadata key of a bot event (a keyword of dispatcher.utter_message)
KINDS = ("services", "events", "offers")
MAX_ID = 120
MAX_TITLE = 200
MAX_ITEMS = 20

Item = Dict[str, str]


def shown_items(kind: str, hits: Sequence[Union[ServiceHit, EventHit, OfferHit]]) -> List[Item]:
    """The items of one page of results, for the bot event's metadata."""
    if kind not in KINDS:
        return []
    items = []
    for hit in hits[:MAX_ITEMS]:
        title = hit.title if isinstance(hit, OfferHit) else hit.name
        items.append({"kind": kind, "id": str(hit.external_id or hit.id)[:MAX_ID],
                      "title": " ".join(title.split())[:MAX_TITLE], "language": hit.language})
    return items


def read_items(value: Any) -> List[Item]:
    """The well-formed items of a bot event's `shown` metadata (anything else is left out)."""
    if not isinstance(value, list):
        return []
    found = []
    for item in value[:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        kind, ident, title = item.get("kind"), item.get("id"), item.get("title")
        language = item.get("language") if item.get("language") in LANGUAGES else ""
        if kind in KINDS and isinstance(ident, str) and ident and isinstance(title, str):
            found.append({"kind": kind, "id": ident[:MAX_ID], "title": " ".join(title.split())[:MAX_TITLE],
                          "language": language})
    return found
