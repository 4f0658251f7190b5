"""Rasa's SQL tracker store with the latest trackers kept in the Rasa process.

Stock `SQLTrackerStore.retrieve` reads every event of the conversation's session from the
database, decodes its JSON and replays it into a tracker, for every message: the cost grows
with the conversation (issue 14: a reply at turn 200 took about four times one at turn 1).
This store keeps the tracker it saved last for each conversation (at most `cache_size`) and
hands it out again when the database shows nothing newer: the id of the conversation's latest
event must be the one seen at the save, and the tracker must still hold exactly the events that
were saved (a message that failed before its save leaves a longer tracker: reloaded). Another
Rasa server writing to the same database moves the latest id, so several servers stay correct.
A tracker whose events are not the database's current session (a new session began inside it)
is not kept, because Rasa's save counts the session's rows to know what is new. Trackers idle
for `max_idle_seconds` are dropped, so the memory holds only live conversations (and nothing of
a conversation long after the web app's privacy jobs deleted it from the database). Only the
`hot_size` (RASA_LIVE_CONVERSATIONS) most recently used trackers stay Python objects (a 20-turn
tracker is about 330 KB of them); the others are kept pickled and compressed (about 17 KB; 2 ms to
bring one back, against about 9 ms to replay it from the database), so memory follows the
conversations going on now.

A save writes the events after those the database holds. Rasa counts the session's rows for that
on every save, a query over the whole session (with the count after the save, 17 % of the Rasa
server's CPU at turns 150-200 of a conversation). A tracker this store handed out carries how
many of its events are stored (`STORED`), so a save counts only for a tracker it did not hand
out, when a new session begins, and when it tries again after a database error (the commit
whose answer was lost may have gone through).

Named in endpoints.yml as `bot.rasa.tracker_store.CachedSQLTrackerStore` with the database as one
SQLAlchemy URL (`url: ${TRACKER_STORE_URL}`, SQLite or PostgreSQL); the launcher imports it and
checks the database before Rasa starts, because Rasa would silently fall back to an in-memory store
if it could not import it, and would wait for an unreachable database for ever. Connections are
pinged before use (Rasa's own engine is not), and a save that fails on the database is tried again
for a few seconds: Rasa has already sent its answers by then, so a save lost to a PostgreSQL restart
would be a turn missing from the conversation (bench/cluster_faults.py found 13 in 120).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import pickle
import time
import zlib
from collections import OrderedDict
from typing import Any, Dict, NamedTuple, Optional, Tuple, Union

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.services import sync_database_url

logger = logging.getLogger(__name__)
SAVE_RETRY_SECONDS = (0.5, 1.0, 2.0, 4.0)  # then the error goes to Rasa
STORED = "_bot_stored_events"  # on a tracker this store handed out: how many of its events the database holds


def url_arguments(url: str) -> Dict[str, Any]:
    """SQLTrackerStore's keyword arguments (dialect, host, port, db, username, password, query) of an
    SQLAlchemy URL; an async driver (+asyncpg, +aiosqlite) becomes the synchronous one Rasa uses."""
    parsed = make_url(sync_database_url(url))
    return {
        "dialect": parsed.drivername, "host": parsed.host, "port": parsed.port, "db": parsed.database or "",
        "username": parsed.username, "password": parsed.password, "query": dict(parsed.query) or None,
    }


class Kept(NamedTuple):
    """A tracker as saved: the object itself (hot) or its compressed pickle (cold)."""

    tracker: Union[DialogueStateTracker, bytes]
    length: int  # the number of its events at the save
    latest: int  # the id of the conversation's latest stored event at the save
    used: float  # time.monotonic() of the last save or retrieve


def _freeze(tracker: DialogueStateTracker) -> bytes:
    return zlib.compress(pickle.dumps(tracker, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _thaw(frozen: bytes) -> DialogueStateTracker:
    return pickle.loads(zlib.decompress(frozen))  # only ever what _freeze made in this process


class CachedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that reuses the tracker it saved last when the database has nothing newer."""

    def __init__(self, *args: Any, cache_size: int = 2000, max_idle_seconds: float = 900,
                 hot_size: Optional[int] = None, **kwargs: Any) -> None:
        """`hot_size`: how many trackers stay objects (default RASA_LIVE_CONVERSATIONS)."""
        host = kwargs.get("host")
        if isinstance(host, str) and "://" in host:  # endpoints.yml's `url:` reaches a custom store as `host`
            kwargs.update(url_arguments(host))
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()  # the same engine again, with connections checked before each use
        # A database server's connections are checked before each use; a SQLite file has none to lose.
        self.engine = sa.create_engine(url, pool_pre_ping=url.get_backend_name() != "sqlite", **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.cache_size = int(cache_size)
        self.max_idle_seconds = float(max_idle_seconds)
        self.hot_size = int(hot_size if hot_size is not None else load_settings().live_conversations)
        self._kept: "OrderedDict[str, Kept]" = OrderedDict()  # by sender id, the oldest use first
        self._hot = 0  # how many of them are objects: the newest ones

    def _keep(self, sender_id: str, kept: Kept) -> None:
        """Keep `kept` as the newest; the tracker that falls out of the hot ones is compressed."""
        self._kept[sender_id] = kept
        self._hot += 1
        if self._hot > self.hot_size:
            cooling = list(self._kept)[-self._hot]  # the oldest hot one
            entry = self._kept[cooling]
            self._kept[cooling] = entry._replace(tracker=_freeze(entry.tracker))  # type: ignore[arg-type]
            self._hot -= 1

    def _forget(self, sender_id: str) -> Optional[Kept]:
        kept = self._kept.pop(sender_id, None)
        if kept is not None and not isinstance(kept.tracker, bytes):
            self._hot -= 1
        return kept

    def _drop_idle(self, now: float) -> None:
        while self._kept:
            sender_id, kept = next(iter(self._kept.items()))
            if now - kept.used < self.max_idle_seconds and len(self._kept) <= self.cache_size:
                return
            self._forget(sender_id)

    def _latest_event_id(self, sender_id: str, session: Optional[Any] = None) -> Optional[int]:
        if session is None:
            with self.session_scope() as session:
                return self._latest_event_id(sender_id, session)
        return session.execute(
            sa.select(sa.func.max(self.SQLEvent.id)).where(self.SQLEvent.sender_id == sender_id)
        ).scalar()

    def _session_event_count(self, session: Any, sender_id: str) -> int:
        return self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The conversation's current session, from memory when the database has nothing newer."""
        self._drop_idle(time.monotonic())
        kept = self._forget(sender_id)
        if kept is not None:
            tracker = _thaw(kept.tracker) if isinstance(kept.tracker, bytes) else kept.tracker
            if len(tracker.events) == kept.length and self._latest_event_id(sender_id) == kept.latest:
                self._keep(sender_id, kept._replace(tracker=tracker, used=time.monotonic()))  # the latest used
                setattr(tracker, STORED, kept.length)
                return tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None:  # exactly the session's stored events (the query that counts them)
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    def _store(self, tracker: DialogueStateTracker, known: Optional[int]) -> Tuple[int, Optional[int]]:
        """Rasa's save (the events after those of the session already stored, rows as Rasa writes them)
        in one unit of work; then the number of the session's stored events and the latest event's id.
        `known`: how many are stored, when this store handed the tracker out (else they are counted)."""
        with self.session_scope() as session:
            stored = known if known is not None else self._session_event_count(session, tracker.sender_id)
            new = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            rows = []
            for event in new:
                data = event.as_dict()
                rows.append(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"), data=json.dumps(data)))
            session.add_all(rows)
            session.flush()
            latest = rows[-1].id if rows else self._latest_event_id(tracker.sender_id, session)
            session.commit()
            if any(isinstance(event, SessionStarted) for event in new):  # the session the query counts moved
                return self._session_event_count(session, tracker.sender_id), latest
            return stored + len(rows), latest

    async def _save_retrying(self, tracker: DialogueStateTracker) -> Tuple[int, Optional[int]]:
        """`_store`, again after a database error, then counting what is stored (a commit whose answer
        was lost may have gone through), so nothing is doubled."""
        known = getattr(tracker, STORED, None)
        for delay in (*SAVE_RETRY_SECONDS, None):
            try:
                return self._store(tracker, known)
            except sa.exc.DBAPIError as exc:
                if delay is None:
                    raise
                logger.warning("tracker of %s not saved (%s); trying again in %.1f s",
                               tracker.sender_id, type(exc.orig).__name__, delay)
                known = None
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events (as Rasa does), then keep the tracker if it matches the database."""
        self._forget(tracker.sender_id)
        await self.stream_events(tracker)  # Rasa's event broker, when one is configured
        stored, latest = await self._save_retrying(tracker)
        setattr(tracker, STORED, stored)
        length = len(tracker.events)
        if length and stored == length and latest is not None:
            self._keep(tracker.sender_id, Kept(tracker, length, latest, time.monotonic()))
        self._drop_idle(time.monotonic())
