"""The gateway's limits in Redis, shared by every web app instance (bot/web/limits.py's interface).

- `RedisWindow`: a sorted set per key of the last minute's events, scored by Redis's own clock
  (TIME), pruned and counted in one Lua script, so two instances never both take the last slot.
- `RedisConnections`: a sorted set per address of open connections (leases) scored by when each
  lease expires. The instance that holds a connection renews its leases every third of
  `LEASE_SECONDS`; a lease of an instance that died expires by itself, so a crash never leaves
  an address counted as connected for ever.

When Redis does not answer, the limits let the client through (logged at most once a minute):
a short Redis outage must not stop the chat, and Rasa's own lock store is what orders messages.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Dict, Tuple

from redis.exceptions import RedisError

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
WINDOW_MS = 60_000
LEASE_SECONDS = 60
QUIET_SECONDS = 60.0

_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "
# KEYS[1]: the window; ARGV: window ms, limit, a unique member. 1 = counted, 0 = over the limit.
_TAKE = _NOW_MS + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""
# KEYS[1]: the address's leases; ARGV: limit, lease ms, lease id.
_ENTER = _NOW_MS + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
# KEYS: the addresses' lease sets; ARGV[1]: lease ms, ARGV[2..]: the lease ids, one per key.
_RENEW = _NOW_MS + """
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + tonumber(ARGV[1]), ARGV[i + 1])
  redis.call('PEXPIRE', key, ARGV[1])
end
return #KEYS
"""


class _Quiet:
    """Logs Redis failures at most once a minute."""

    def __init__(self) -> None:
        self._last = float("-inf")

    def failed(self, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last >= QUIET_SECONDS:
            self._last = now
            logger.warning("Redis did not answer (%s): %r; letting the client through (logged once a minute)",
                           what, exc)


class RedisWindow:
    """At most `limit` events per minute for each key, counted in Redis."""

    def __init__(self, redis: "Redis", prefix: str, limit: int) -> None:
        self.limit = limit
        self.prefix = prefix
        self._take = redis.register_script(_TAKE)
        self._quiet = _Quiet()
        self._counter = 0

    async def take(self, key: str) -> bool:
        """Count one event for `key`; False when the limit is reached (True when Redis is away)."""
        self._counter += 1
        member = f"{id(self):x}.{self._counter}"
        try:
            return bool(await self._take(keys=[f"{self.prefix}:{key}"], args=[WINDOW_MS, self.limit, member]))
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self._quiet.failed("rate limit", exc)
            return True


class RedisConnections:
    """Open connections per key in Redis, as leases that this instance renews while they are open."""

    def __init__(self, redis: "Redis", prefix: str, limit: int, lease_seconds: float = LEASE_SECONDS) -> None:
        self.limit = limit
        self.prefix = prefix
        self.lease_ms = int(lease_seconds * 1000)
        self._redis = redis
        self._enter = redis.register_script(_ENTER)
        self._renew = redis.register_script(_RENEW)
        self._mine: Dict[str, Tuple[str, str]] = {}  # lease -> (Redis key, lease)
        self._quiet = _Quiet()

    async def enter(self, key: str, lease: str) -> bool:
        """Count connection `lease` of `key`; False when `key` has `limit` open (True when Redis is away)."""
        redis_key = f"{self.prefix}:{key}"
        try:
            entered = bool(await self._enter(keys=[redis_key], args=[self.limit, self.lease_ms, lease]))
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self._quiet.failed("connection count", exc)
            return True
        if entered:
            self._mine[lease] = (redis_key, lease)
        return entered

    async def leave(self, key: str, lease: str) -> None:
        """Forget connection `lease` (left to expire when Redis is away)."""
        self._mine.pop(lease, None)
        try:
            await self._redis.zrem(f"{self.prefix}:{key}", lease)
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self._quiet.failed("connection count", exc)

    async def renew(self) -> int:
        """Extend the leases of this instance's open connections; how many."""
        held = list(self._mine.values())
        if not held:
            return 0
        try:
            return int(await self._renew(keys=[k for k, _ in held], args=[self.lease_ms, *[m for _, m in held]]))
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self._quiet.failed("connection leases", exc)
            return 0

    async def run(self, stop: asyncio.Event) -> None:
        """Renew the leases every third of their length until `stop`."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), self.lease_ms / 3000)
            except asyncio.TimeoutError:
                await self.renew()
