"""Rate limits of the chat gateway: sliding one-minute windows and open connections per key.

The counters live in this process: with several web app processes each one counts
its own share (see README, "Widget").
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict

from aiohttp import web

from bot.config import Settings

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


@dataclass
class Limits:
    """The limits of one web app process, shared by the WebSocket gateway and the HTTP chat API."""

    per_conversation: SlidingWindow
    per_address: SlidingWindow
    connections: ConnectionCounter
    trust_forwarded_for: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        """Limits as configured in bot/config.py."""
        return cls(
            SlidingWindow(settings.messages_per_minute),
            SlidingWindow(settings.messages_per_minute_per_address),
            ConnectionCounter(settings.connections_per_address),
            settings.trust_forwarded_for,
        )

    def allow_message(self, conversation_id: str, address: str) -> bool:
        """Count one message of `conversation_id` from `address`; False when over a limit."""
        return self.per_address.allow(address) and self.per_conversation.allow(conversation_id)

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

