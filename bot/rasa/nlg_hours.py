"""The opening hours that the NLG endpoint writes into an answer ({hours_today}, {hours_week}).

One `AdviceHours` per web app (bot/web/app.py, key ADVICE_HOURS_KEY) reads the advice
channel's rules (Settings.advice_hours_channel_id) from the catalogue and keeps them for
Settings.advice_hours_cache_seconds, so answers do not cost a query each; what it found out
(rules, no hours, or the database failing) is kept as long. It never raises: when the hours
cannot be had, the answer gets the locale's fallback sentence (bot/catalog/hours_text.py).
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.catalog.hours_text import hours_values
from bot.catalog.queries import channel_hours
from bot.config import HELSINKI
from bot.db import session_scope

logger = logging.getLogger(__name__)
Rules = Optional[List[Mapping[str, Any]]]


def now_in_helsinki() -> datetime:
    return datetime.now(HELSINKI)


class AdviceHours:
    """The advice channel's hours for answers, looked up at most once per `ttl_seconds`."""

    def __init__(self, factory: "sessionmaker[AsyncSession]", channel_id: str, ttl_seconds: float = 60.0,
                 timeout_seconds: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.factory = factory
        self.channel_id = channel_id
        self.ttl_seconds = ttl_seconds
        self.timeout_seconds = timeout_seconds
        self.clock = clock
        self._cached: Optional[Tuple[float, Rules]] = None  # (when looked up, what was found)
        self._lock = asyncio.Lock()

    async def _lookup(self) -> Rules:
        async with session_scope(self.factory) as session:
            return await channel_hours(session, self.channel_id)

    async def rules(self) -> Rules:
        """The channel's normalised rules; None when the catalogue has none or cannot be read."""
        async with self._lock:  # one lookup at a time; those waiting get its result
            if self._cached is not None and self.clock() - self._cached[0] < self.ttl_seconds:
                return self._cached[1]
            try:
                found = await asyncio.wait_for(self._lookup(), self.timeout_seconds)
                if found is None:
                    logger.warning("opening hours: channel %r has no hours in the catalogue", self.channel_id)
            except Exception as exc:  # the database is down or broken: the answer still goes out
                logger.warning("opening hours: the catalogue could not be read (%s: %s)", type(exc).__name__, exc)
                found = None
            self._cached = (self.clock(), found)
            return found

    async def values(self, language: str, now: Optional[datetime] = None) -> Dict[str, str]:
        """{hours_today} and {hours_week} in `language` at `now` (default: this moment in Helsinki)."""
        rules = await self.rules()
        try:
            return hours_values(rules, now or now_in_helsinki(), language)
        except ValueError as exc:  # rules the catalogue holds but that make no sense
            logger.warning("opening hours of channel %r could not be read: %s", self.channel_id, exc)
            return hours_values(None, now or now_in_helsinki(), language)
