"""Hand-made tracker events for the insights tests (counted by hand in the tests)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import insert

from bot.db import session_scope
from bot.handoff.privacy import EVENTS, TRACKER_METADATA

# Monday 2 November 2026, 10:00 in Helsinki (08:00 UTC).
MONDAY = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc).timestamp()
DAY = 24 * 3600.0


def user(at: float, intent: str, text: str = "", page: str = "", language: str = "fi",
         external: bool = False) -> Dict[str, Any]:
    meta: Dict[str, Any] = {"language": language}
    if page:
        meta["page_url"] = page
    if external:
        meta["is_external"] = True
    return {"event": "user", "timestamp": at, "text": text or intent, "metadata": meta,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def slot(at: float, name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": at, "name": name, "value": value}


def bot(at: float, answer: Optional[str], adviser: str = "", shown: Optional[List[Any]] = None) -> Dict[str, Any]:
    meta: Dict[str, Any] = {"answer": answer, "utter_action": answer} if answer else {}
    if adviser:
        meta["adviser"] = adviser
    if shown is not None:
        meta["shown"] = shown  # the catalogue items of a look-up (bot/catalog/shown.py)
    return {"event": "bot", "timestamp": at, "text": "…", "metadata": meta}


async def store(tracker: Any, sender: str, events: List[Dict[str, Any]]) -> None:
    """Append events to the tracker store as Rasa's SQL tracker store does (the table made when missing)."""
    async with session_scope(tracker) as session:
        await session.run_sync(lambda sync: TRACKER_METADATA.create_all(sync.connection()))
        await session.execute(insert(EVENTS), [
            {"sender_id": sender, "type_name": e["event"], "timestamp": e["timestamp"], "data": json.dumps(e)}
            for e in events])


def item(kind: str, ident: str, title: str, language: str) -> Dict[str, str]:
    """A catalogue item as a look-up action records it in its bot event."""
    return {"kind": kind, "id": ident, "title": title, "language": language}
