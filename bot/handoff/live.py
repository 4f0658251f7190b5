"""Live delivery to the widget of what the company did not ask for itself.

While a conversation is queued, with an adviser, or was just handed back, the web app
process that holds the widget's WebSocket polls the conversation's tracker (the single
source of truth) and pushes the adviser's messages and the answers to intents the web
app triggered (hand back, close, queue timeout) as {"type": "push", "messages": [...]}.

Each connection's cursor is the newest event timestamp it has seen: the history of its
welcome frame sets it (`history_cursor`), every push moves it. Rasa appends a
conversation's events under its lock, so timestamps only grow along the tracker and a
reload (a new welcome) neither loses nor repeats a message.
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import aiohttp
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.rasa import transcript
from bot.config import Settings
from bot.db import session_scope
from bot.handoff import rasa_api
from bot.handoff.models import CLAIMED, KIND_LIVE, WAITING, HandoffRequest
from bot.handoff.queue import utcnow
from bot.handoff.sweeper import QuietLog

logger = logging.getLogger(__name__)
CURSOR_ATTR = "handoff_cursor"
# How long after a hand back, close or timeout the answers Rasa gives are still pushed.
GRACE_SECONDS = 60


def history_cursor(history: Optional[Sequence[Mapping[str, Any]]]) -> float:
    """The cursor of a connection whose widget was just sent `history` (entries with a 'time')."""
    times = [float(e["time"]) for e in history or () if isinstance(e.get("time"), (int, float))]
    return max(times, default=0.0)


def _stamp(event: Mapping[str, Any]) -> float:
    value = event.get("timestamp")
    return float(value) if isinstance(value, (int, float)) else 0.0


def pushed_entries(events: Sequence[Mapping[str, Any]], since: float) -> Tuple[List[Dict[str, Any]], float]:
    """Out-of-band bot messages newer than `since` as widget entries, and the new cursor."""
    entries: List[Dict[str, Any]] = []
    triggered = False
    newest = since
    for event in events:
        kind = event.get("event")
        metadata = event.get("metadata") if isinstance(event.get("metadata"), Mapping) else {}
        if kind == "user":
            triggered = bool(metadata.get("is_external"))
        elif kind == "resume":
            triggered = True  # what the assistant says when the handoff ends
        stamp = _stamp(event)
        newest = max(newest, stamp)
        if kind != "bot" or stamp <= since or not (metadata.get("adviser") or triggered):
            continue
        data = event.get("data") if isinstance(event.get("data"), Mapping) else {}
        entry = transcript.bot_entry(event.get("text"), data.get("buttons"), stamp, metadata)
        if entry:
            entries.append(entry)
    return entries, newest


async def conversations_in_handoff(
    session: AsyncSession, conversation_ids: Iterable[str], now: datetime, grace_seconds: int = GRACE_SECONDS
) -> Set[str]:
    """Which of these conversations are queued, with an adviser, or left the handoff just now."""
    ids = list(conversation_ids)
    if not ids:
        return set()
    recent = now - timedelta(seconds=grace_seconds)
    rows = await session.scalars(
        select(HandoffRequest.conversation_id).where(
            HandoffRequest.kind == KIND_LIVE, HandoffRequest.conversation_id.in_(ids),
            or_(HandoffRequest.status.in_((WAITING, CLAIMED)),
                and_(HandoffRequest.finished_at.is_not(None), HandoffRequest.finished_at >= recent)),
        )
    )
    return set(rows.all())


class Pusher:
    """Polls the trackers of this process's widget connections that are in a handoff."""

    def __init__(
        self, factory: "sessionmaker[AsyncSession]", http: aiohttp.ClientSession, settings: Settings,
        connections: Callable[[], Iterable[Any]],
    ) -> None:
        self.factory = factory
        self.http = http
        self.settings = settings
        self.connections = connections

    async def tick(self, now: Optional[datetime] = None) -> int:
        """One round; how many messages were pushed."""
        ready = [
            c for c in list(self.connections())
            if getattr(c, "conversation", None) is not None and isinstance(getattr(c, CURSOR_ATTR, None), float)
        ]
        if not ready:
            return 0
        async with session_scope(self.factory) as session:
            active = await conversations_in_handoff(session, {c.conversation.conversation_id for c in ready}, now or utcnow())
        pushed = 0
        for conversation_id in active:
            try:
                events = await rasa_api.fetch_events(self.http, self.settings, conversation_id)
            except rasa_api.RasaUnavailable as exc:
                logger.info("live messages of %s not fetched: %s", conversation_id, exc)
                continue
            for connection in ready:
                if connection.conversation.conversation_id != conversation_id:
                    continue
                entries, newest = pushed_entries(events, getattr(connection, CURSOR_ATTR))
                setattr(connection, CURSOR_ATTR, newest)
                if entries:
                    connection.post({"type": "push", "messages": entries})
                    pushed += len(entries)
        return pushed

    async def run(self, stop: asyncio.Event) -> None:
        """Tick every HANDOFF_POLL_SECONDS until `stop`."""
        interval = max(0.2, self.settings.handoff_poll_seconds)
        quiet = QuietLog("live handoff delivery failed")
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:  # a database or network hiccup must not end live delivery
                quiet.failed()
            try:
                await asyncio.wait_for(stop.wait(), interval)
            except asyncio.TimeoutError:
                pass


def forget(connection: Any) -> None:
    """Hook for the gateway before it fetches a welcome's history: no pushes until then."""
    setattr(connection, CURSOR_ATTR, None)


def follow(connection: Any, history: Optional[Sequence[Mapping[str, Any]]]) -> None:
    """Hook for the gateway after a welcome: push what comes after `history` (now, if it failed)."""
    setattr(connection, CURSOR_ATTR, history_cursor(history) if history is not None else time.time())
