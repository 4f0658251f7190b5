"""Live delivery to the widget of what the company did not ask for itself.

While a conversation is queued, with an adviser, or was just handed back, the web app
process that holds the widget's WebSocket polls the conversation's tracker (the single
source of truth) and pushes the adviser's messages and the answers to intents the web
app triggered (hand back, close, queue timeout) as {"type": "push", "messages": [...]}.

Each connection holds its cursor in a `LiveCursor`: the newest event timestamp it has
seen, None while a welcome is being prepared. The history of its welcome frame sets it
(`LiveCursor.follow`), every push moves it. Rasa appends a conversation's events under its
lock, so timestamps only grow along the tracker and a reload (a new welcome) neither
loses nor repeats a message.

Every instance polls every HANDOFF_POLL_SECONDS, and a wake-up on the live bus
(bot/handoff/live_bus.py: in this process, or Redis pub/sub between instances) pushes a
conversation at once, whichever instance wrote to its tracker.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Protocol, Sequence, Set, Tuple

import aiohttp
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.db import session_scope
from bot.handoff.live_bus import LiveBus
from bot.handoff.models import CLAIMED, KIND_LIVE, WAITING, HandoffRequest
from bot.handoff.queue import utcnow
from bot.handoff.sweeper import QuietLog
from bot.rasa import events, transcript
from bot.rasa.client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)
# How long after a hand back, close or timeout the answers Rasa gives are still pushed.
GRACE_SECONDS = 60


def history_cursor(history: Optional[Sequence[Mapping[str, Any]]]) -> float:
    """The cursor of a connection whose widget was just sent `history` (entries with a 'time')."""
    times = [float(e["time"]) for e in history or () if isinstance(e.get("time"), (int, float))]
    return max(times, default=0.0)


@dataclass
class LiveCursor:
    """Where the live push of one widget connection stands: the newest event time it has seen."""

    since: Optional[float] = None  # None: nothing is pushed (a welcome is being prepared)

    def hold(self) -> None:
        """Before the gateway fetches a welcome's history: no pushes until `follow`."""
        self.since = None

    def follow(self, history: Optional[Sequence[Mapping[str, Any]]]) -> None:
        """After a welcome: push what comes after `history` (after now, if the history failed)."""
        self.since = history_cursor(history) if history is not None else time.time()


class _Conversation(Protocol):
    conversation_id: str


class Follower(Protocol):
    """A widget connection as the Pusher sees it (bot/web/gateway.py's Connection)."""

    live: LiveCursor

    @property
    def conversation(self) -> Optional[_Conversation]:
        """The conversation it follows, if any."""

    def post(self, frame: Dict[str, Any]) -> None:
        """Queue one frame for sending; never blocks."""


def pushed_entries(tracker_events: Sequence[events.Event], since: float) -> Tuple[List[transcript.Entry], float]:
    """Out-of-band bot messages newer than `since` as widget entries, and the new cursor."""
    newest = max([since, *map(events.timestamp, tracker_events)])
    entries: List[transcript.Entry] = []
    for _, event in events.out_of_band(tracker_events):
        entry = transcript.bot_entry(event) if events.timestamp(event) > since else None
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
        connections: Callable[[], Iterable[Follower]], bus: Optional[LiveBus] = None,
    ) -> None:
        self.factory = factory
        self.settings = settings
        self.rasa = RasaClient(http, settings)
        self.connections = connections
        self.bus = bus
        self._woken: Set[str] = set()
        self._wake = asyncio.Event()

    async def tick(self, now: Optional[datetime] = None, only: Optional[Set[str]] = None) -> int:
        """One round (over the conversations `only`, when given); how many messages were pushed."""
        ready = [c for c in list(self.connections()) if c.conversation is not None and c.live.since is not None
                 and (only is None or _conversation_id(c) in only)]
        if not ready:
            return 0
        async with session_scope(self.factory) as session:
            active = await conversations_in_handoff(
                session, {_conversation_id(c) for c in ready}, now or utcnow()
            )
        pushed = 0
        for conversation_id in active:
            try:
                tracker_events = await self.rasa.all_events(conversation_id)
            except RasaUnavailable as exc:
                logger.info("live messages of %s not fetched: %s", conversation_id, exc)
                continue
            for connection in ready:
                since = connection.live.since
                if _conversation_id(connection) != conversation_id or since is None:
                    continue
                entries, connection.live.since = pushed_entries(tracker_events, since)
                if entries:
                    connection.post({"type": "push", "messages": entries})
                    pushed += len(entries)
        return pushed

    async def _listen(self) -> None:
        """Collect the bus's wake-ups for the loop of `run`."""
        assert self.bus is not None
        async for conversation_id in self.bus.listen():
            self._woken.add(conversation_id)
            self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Tick every HANDOFF_POLL_SECONDS, and for a woken conversation at once, until `stop`."""
        interval = max(0.2, self.settings.handoff_poll_seconds)
        quiet = QuietLog("live handoff delivery failed")
        listener = asyncio.create_task(self._listen()) if self.bus is not None else None
        only: Optional[Set[str]] = None
        due = time.monotonic()
        try:
            while not stop.is_set():
                try:
                    await self.tick(only=only)
                except Exception:  # a database or network hiccup must not end live delivery
                    quiet.failed()
                if only is None:
                    due = time.monotonic() + interval
                only = await self._next_round(stop, due)
        finally:
            if listener is not None:
                listener.cancel()
                await asyncio.gather(listener, return_exceptions=True)

    async def _next_round(self, stop: asyncio.Event, due: float) -> Optional[Set[str]]:
        """Wait for a wake-up (its conversations) or the next poll (None)."""
        stopper = asyncio.create_task(stop.wait())
        waker = asyncio.create_task(self._wake.wait())
        try:
            await asyncio.wait([stopper, waker], timeout=max(0.0, due - time.monotonic()),
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            waker.cancel()
        if not self._wake.is_set():
            return None
        self._wake.clear()
        woken, self._woken = self._woken, set()
        return woken


def _conversation_id(connection: Follower) -> str:
    conversation = connection.conversation
    return conversation.conversation_id if conversation is not None else ""
