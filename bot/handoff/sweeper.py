"""The web app's background work: queue timeouts, the review's search text, old contact drafts, retention.

Safe with several web app processes: a timed-out entry is taken by one atomic UPDATE,
so exactly one process resumes the conversation; indexing is idempotent; the retention job
runs in the process that holds its lease (bot/handoff/privacy.py).
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Tuple

import aiohttp
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import LANGUAGES, Settings
from bot.db import session_scope
from bot.handoff import contact_drafts, privacy, summary
from bot.handoff.hand_back import hand_back
from bot.handoff.models import TIMED_OUT, WAITING, HandoffConversation
from bot.handoff.queue import claim_timed_out, join_intents, reopen, split_intents, utcnow
from bot.rasa import events
from bot.rasa.client import Changed, RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)
TIMEOUT_FOLLOW_UP = "handoff_timeout"
MAX_SEARCH_TEXT = 100_000
INDEX_BATCH = 10
DRAFT_PURGE_SECONDS = 60.0


class QuietLog:
    """Logs a repeating failure with its traceback at most once a minute (e.g. tables not migrated yet)."""

    def __init__(self, what: str, every: float = 60.0) -> None:
        self.what, self.every, self._last = what, every, float("-inf")

    def failed(self) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            logger.exception("%s (logged at most once a minute)", self.what)


class Backoff:
    """When this process may retry a timeout that Rasa did not take: 5 s, doubling, at most 5 min."""

    def __init__(self, first: float = 5.0, most: float = 300.0) -> None:
        self.first, self.most = first, most
        self._next: Dict[int, Tuple[float, float]] = {}

    def waiting(self, clock: float) -> List[int]:
        """The entries not to retry yet."""
        return [key for key, (at, _) in self._next.items() if at > clock]

    def failed(self, key: int, clock: float) -> None:
        delay = min(self.most, self._next.get(key, (0.0, self.first / 2))[1] * 2)
        self._next[key] = (clock + delay, delay)

    def succeeded(self, key: int) -> None:
        self._next.pop(key, None)


async def expire_waiting(
    factory: "sessionmaker[AsyncSession]", http: aiohttp.ClientSession, settings: Settings,
    now: Optional[datetime] = None, backoff: Optional[Backoff] = None, changed: Optional[Changed] = None,
) -> List[str]:
    """Resume conversations nobody claimed in time and run the `handoff_timeout` follow-up; their ids."""
    backoff = backoff or Backoff()
    clock = time.monotonic()
    async with session_scope(factory) as session:
        won = await claim_timed_out(
            session, settings.handoff_queue_timeout_seconds, now=now, skip=backoff.waiting(clock)
        )
    done: List[str] = []
    rasa = RasaClient(http, settings, changed)  # `changed` wakes the live pushes (bot/handoff/live_bus.py)
    for entry in won:
        try:
            await hand_back(rasa, entry.conversation_id, TIMEOUT_FOLLOW_UP)
        except RasaUnavailable as exc:
            logger.warning("queue timeout of %s not delivered, retrying later: %s", entry.conversation_id, exc)
            backoff.failed(entry.id, clock)
            async with session_scope(factory) as session:
                await reopen(session, entry.id, TIMED_OUT, WAITING)
            continue
        backoff.succeeded(entry.id)
        done.append(entry.conversation_id)
    return done


def search_text(tracker_events: List[Mapping[str, Any]]) -> str:
    """The texts of a conversation's messages, for the review's search (the latest part when long)."""
    texts = [events.text(e) for e in tracker_events if events.kind(e) in ("user", "bot")]
    joined = "\n".join(t for t in texts if t and not t.startswith("EXTERNAL: "))
    return joined[-MAX_SEARCH_TEXT:]


def _language(tracker_events: List[Mapping[str, Any]]) -> Optional[str]:
    for event in reversed(tracker_events):
        if events.kind(event) == "slot" and event.get("name") == "language" and event.get("value") in LANGUAGES:
            return str(event["value"])
    return None


async def index_changed(
    factory: "sessionmaker[AsyncSession]", http: aiohttp.ClientSession, settings: Settings,
    now: Optional[datetime] = None,
) -> int:
    """Refresh the search text, intents, first question and start of conversations active since
    they were last indexed; how many."""
    now = now or utcnow()
    async with session_scope(factory) as session:
        rows = (await session.execute(
            select(HandoffConversation.conversation_id, HandoffConversation.last_activity_at)
            .where(or_(HandoffConversation.indexed_at.is_(None),
                       HandoffConversation.indexed_at < HandoffConversation.last_activity_at))
            .order_by(HandoffConversation.last_activity_at).limit(INDEX_BATCH)
        )).all()
    count = 0
    rasa = RasaClient(http, settings)
    for conversation_id, last_activity in rows:
        try:
            tracker_events = await rasa.all_events(conversation_id)
        except RasaUnavailable as exc:
            logger.info("search text of %s not refreshed: %s", conversation_id, exc)
            break
        async with session_scope(factory) as session:
            row = await session.get(HandoffConversation, conversation_id)
            if row is None:
                continue
            row.search_text = search_text(tracker_events)
            row.language = row.language or _language(tracker_events)
            # A contact request or a rating stores no intents of its own: the messages tell them.
            row.intents = join_intents([*split_intents(row.intents), *summary.intents_seen(tracker_events)])
            row.first_question = summary.first_question(tracker_events) or row.first_question or ""
            row.started_at = summary.started_at(tracker_events) or row.started_at
            row.indexed_at = max(now, last_activity)
        count += 1
    return count


async def run_every(interval: float, work: Callable[[], Awaitable[Any]], stop: asyncio.Event, quiet: QuietLog) -> None:
    """Call `work` now and then every `interval` seconds until `stop`; a failure is logged, never ends the loop."""
    while not stop.is_set():
        try:
            await work()
        except Exception:  # keep going: a database hiccup must not end the loop
            quiet.failed()
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except asyncio.TimeoutError:
            pass


async def run_sweeper(
    factory: "sessionmaker[AsyncSession]", http: aiohttp.ClientSession, settings: Settings,
    stop: asyncio.Event, changed: Optional[Changed] = None,
) -> None:
    """Every HANDOFF_POLL_SECONDS (at least 1 s) until `stop`: timeouts, indexing, old contact drafts;
    `changed` is told of each conversation a timeout wrote to."""
    backoff = Backoff()
    next_purge = 0.0

    async def sweep() -> None:
        nonlocal next_purge
        await expire_waiting(factory, http, settings, backoff=backoff, changed=changed)
        await index_changed(factory, http, settings)
        if time.monotonic() >= next_purge:
            await contact_drafts.purge(factory)
            next_purge = time.monotonic() + DRAFT_PURGE_SECONDS

    await run_every(max(1.0, settings.handoff_poll_seconds), sweep, stop, QuietLog("handoff sweep failed"))


async def run_retention(
    factory: "sessionmaker[AsyncSession]", tracker: "sessionmaker[AsyncSession]", settings: Settings,
    stop: asyncio.Event,
) -> None:
    """Every BOT_RETENTION_INTERVAL_SECONDS until `stop`: the retention job, when this process gets its lease."""
    holder = privacy.process_holder()
    await run_every(
        settings.retention_interval_seconds, lambda: privacy.retention_once(factory, tracker, settings, holder),
        stop, QuietLog("retention failed"),
    )
