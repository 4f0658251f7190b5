"""Wake-ups of the live pushes (bot/handoff/live.py) when a conversation in a handoff changed.

Whoever writes to a conversation's tracker on the web app's side (an adviser's message, a claim,
a hand back or close from the console, a queue timeout from the sweeper) publishes the
conversation's id; every web app instance listens and pushes at once to the widgets it holds
for that conversation, instead of waiting for its next poll. The message carries only the id:
the tracker stays the one source of what is pushed, so a lost or repeated wake-up neither loses
nor repeats a message (the poll every HANDOFF_POLL_SECONDS still catches up).

- `LiveBus`: in this process (embedded default, no REDIS_URL).
- `RedisLiveBus`: Redis pub/sub on `<BOT_REDIS_PREFIX>:live`, reconnecting after an outage.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, AsyncIterator, Optional, Set

from redis.exceptions import RedisError

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0
MAX_WAITING = 1000  # wake-ups a slow listener may have waiting; more are dropped (the poll catches up)


class LiveBus:
    """Wake-ups within this process."""

    def __init__(self) -> None:
        self._listeners: Set["asyncio.Queue[str]"] = set()

    def _deliver(self, conversation_id: str) -> None:
        for queue in list(self._listeners):
            if queue.qsize() < MAX_WAITING:
                queue.put_nowait(conversation_id)

    async def publish(self, conversation_id: str) -> None:
        """Tell every listener that `conversation_id` changed; never raises."""
        self._deliver(conversation_id)

    async def listen(self) -> AsyncIterator[str]:
        """The ids published from now on, until the caller stops iterating."""
        queue: "asyncio.Queue[str]" = asyncio.Queue()
        self._listeners.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._listeners.discard(queue)


class RedisLiveBus(LiveBus):
    """Wake-ups for every web app instance through Redis pub/sub."""

    def __init__(self, redis: "Redis", channel: str) -> None:
        super().__init__()
        self.redis = redis
        self.channel = channel

    async def publish(self, conversation_id: str) -> None:
        """PUBLISH the id; when Redis is away, only this process is told (the others poll)."""
        try:
            await self.redis.publish(self.channel, conversation_id)
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            logger.warning("live wake-up of %s not published: %r", conversation_id, exc)
            self._deliver(conversation_id)

    async def listen(self) -> AsyncIterator[str]:
        """The ids published by any instance; resubscribes after a Redis outage."""
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                while True:
                    message = await pubsub.get_message(timeout=30.0)
                    if message and message.get("type") == "message":
                        data = message["data"]
                        yield data.decode() if isinstance(data, bytes) else str(data)
            except (RedisError, OSError, asyncio.TimeoutError) as exc:
                logger.info("live wake-ups from Redis interrupted (%r); resubscribing", exc)
                await asyncio.sleep(RECONNECT_SECONDS)
            finally:
                await pubsub.reset()


def live_bus(redis: "Optional[Redis]", prefix: str) -> LiveBus:
    """The bus of this web app: Redis pub/sub when REDIS_URL is set, else in this process."""
    return RedisLiveBus(redis, f"{prefix}:live") if redis is not None else LiveBus()
