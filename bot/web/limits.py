"""Rate limits of the chat gateway: sliding one-minute windows and open connections per key.

Embedded (no REDIS_URL) the counters live in this process; with REDIS_URL every web app
process counts in Redis (bot/web/limits_redis.py), so a client meets the same limits
whichever instance serves it. `Limits` is the one interface the gateway and the chat API use.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, AsyncIterator, Callable, Deque, Dict, Optional, Protocol

from aiohttp import web

from bot.config import Settings
from bot.web.keys import LIMITS_KEY, REDIS_KEY, SETTINGS_KEY

if TYPE_CHECKING:
    from redis.asyncio import Redis

Clock = Callable[[], float]


class SlidingWindow:
    """At most `limit` events per `window` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: Dict[str, Deque[float]] = {}

    def _prune(self, now: float) -> None:
        for key in [k for k, q in self._events.items() if not q or q[-1] <= now - self.window]:
            del self._events[key]

    def allow(self, key: str) -> bool:
        """Count one event for `key`; False (and nothing counted) when the limit is reached."""
        now = self.clock()
        if len(self._events) > 10_000:
            self._prune(now)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    async def take(self, key: str) -> bool:
        """`allow` behind the interface the Redis window shares."""
        return self.allow(key)


class ConnectionCounter:
    """Open connections per key, at most `limit` at once."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: Dict[str, int] = {}

    def acquire(self, key: str) -> bool:
        """Count a new connection; False when `key` already has `limit` open."""
        if self._open.get(key, 0) >= self.limit:
            return False
        self._open[key] = self._open.get(key, 0) + 1
        return True

    def release(self, key: str) -> None:
        """Forget one connection of `key`."""
        left = self._open.get(key, 0) - 1
        if left > 0:
            self._open[key] = left
        else:
            self._open.pop(key, None)

    def count(self, key: str) -> int:
        """Open connections of `key`."""
        return self._open.get(key, 0)

    async def enter(self, key: str, lease: str) -> bool:
        """`acquire` behind the interface the Redis counter shares (`lease` names the connection)."""
        return self.acquire(key)

    async def leave(self, key: str, lease: str) -> None:
        """`release` behind the shared interface."""
        self.release(key)


class Window(Protocol):
    """At most so many events per minute for each key (in this process or in Redis)."""

    limit: int

    async def take(self, key: str) -> bool:
        """Count one event for `key`; False when the limit is reached."""


class Connections(Protocol):
    """Open connections per key (in this process or in Redis)."""

    limit: int

    async def enter(self, key: str, lease: str) -> bool:
        """Count connection `lease` of `key`; False when `key` has `limit` open."""

    async def leave(self, key: str, lease: str) -> None:
        """Forget connection `lease` of `key`."""


@dataclass
class Limits:
    """The limits of the web app, shared by the WebSocket gateway and the HTTP chat API."""

    per_conversation: Window
    per_address: Window
    connections: Connections
    trust_forwarded_for: bool = False
    votes: Optional[Window] = None  # the thumbs, per address and per conversation (None: not limited)

    @classmethod
    def from_settings(cls, settings: Settings, redis: "Optional[Redis]" = None) -> "Limits":
        """Limits as configured in bot/config.py: in this process, or in Redis when `redis` is given."""
        if redis is not None:
            from bot.web.limits_redis import RedisConnections, RedisWindow

            prefix = f"{settings.redis_prefix}:limits"
            return cls(
                RedisWindow(redis, f"{prefix}:conversation", settings.messages_per_minute),
                RedisWindow(redis, f"{prefix}:address", settings.messages_per_minute_per_address),
                RedisConnections(redis, f"{prefix}:connections", settings.connections_per_address),
                settings.trust_forwarded_for,
                RedisWindow(redis, f"{prefix}:votes", settings.votes_per_minute),
            )
        return cls(
            SlidingWindow(settings.messages_per_minute),
            SlidingWindow(settings.messages_per_minute_per_address),
            ConnectionCounter(settings.connections_per_address),
            settings.trust_forwarded_for,
            SlidingWindow(settings.votes_per_minute),
        )

    async def allow_message(self, conversation_id: str, address: str) -> bool:
        """Count one message of `conversation_id` from `address`; False when over a limit."""
        return await self.per_address.take(address) and await self.per_conversation.take(conversation_id)

    async def allow_vote(self, conversation_id: str, address: str) -> bool:
        """Count one "was this helpful?" vote of `conversation_id` from `address`; False when over the limit."""
        if self.votes is None:
            return True
        return await self.votes.take(f"a:{address}") and await self.votes.take(f"c:{conversation_id}")

    async def allow_join(self, address: str) -> bool:
        """Count joining a conversation (it costs like a message from `address`)."""
        return await self.per_address.take(address)

    async def open_connection(self, address: str) -> Optional[str]:
        """Count a new connection from `address`: its lease, or None when `address` has too many open."""
        lease = uuid.uuid4().hex
        return lease if await self.connections.enter(address, lease) else None

    async def close_connection(self, address: str, lease: str) -> None:
        """Forget the connection `lease` of `address`."""
        await self.connections.leave(address, lease)

    def address(self, request: web.Request) -> str:
        """The caller's address (see client_address)."""
        return client_address(request, self.trust_forwarded_for)


def client_address(request: web.Request, trust_forwarded_for: bool) -> str:
    """The caller's address; behind a trusted proxy (BOT_TRUST_FORWARDED_FOR), the last one it added
    to X-Forwarded-For."""
    if trust_forwarded_for:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.remote or "unknown"


async def limits_context(app: web.Application) -> AsyncIterator[None]:
    """The app's limits (LIMITS_KEY) while it runs: in this process, or in Redis (REDIS_KEY) with this
    instance's connection leases renewed."""
    limits = app[LIMITS_KEY] = Limits.from_settings(app[SETTINGS_KEY], app.get(REDIS_KEY))
    renew = getattr(limits.connections, "run", None)
    stop = asyncio.Event()
    task = asyncio.create_task(renew(stop)) if renew else None
    yield
    stop.set()
    if task:
        await task
