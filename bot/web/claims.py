"""Which web app instance is delivering a user message to Rasa (Redis; none when embedded).

A widget that reconnects to another instance resends its unanswered messages. If the first instance
is still waiting for Rasa's answer to one, the second must not send it again: it takes the message's
claim first (`SET NX` with an expiry of RASA_TIMEOUT_SECONDS and a little more), and when another
instance holds it, waits for the answer in the tracker instead (bot/web/relay.py). A claim of an
instance that died expires by itself; when Redis does not answer, every instance may deliver (the
tracker look-up before a resend still catches what Rasa already has).
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING, Optional

from redis.exceptions import RedisError

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.config import Settings

logger = logging.getLogger(__name__)


class MessageClaims:
    """Claims on user messages in Redis, one owner at a time, expiring after `seconds`."""

    def __init__(self, redis: "Redis", prefix: str, seconds: float) -> None:
        self.redis = redis
        self.prefix = prefix
        self.seconds = max(1, int(seconds))
        self.owner = uuid.uuid4().hex  # this instance

    @classmethod
    def of_settings(cls, redis: Optional["Redis"], settings: "Settings") -> Optional["MessageClaims"]:
        """The claims of the web apps sharing `redis` (None without Redis: one instance needs none);
        a claim outlives Rasa's timeout."""
        if redis is None:
            return None
        return cls(redis, f"{settings.redis_prefix}:claims", settings.rasa_timeout_seconds + 5)

    def _key(self, conversation_id: str, message_id: str) -> str:
        return f"{self.prefix}:{conversation_id}:{message_id}"

    async def take(self, conversation_id: str, message_id: str) -> bool:
        """Claim the message; False while another instance holds it (True when Redis is away)."""
        key = self._key(conversation_id, message_id)
        try:
            if await self.redis.set(key, self.owner, nx=True, ex=self.seconds):
                return True
            return (await self.redis.get(key)) in (self.owner, self.owner.encode())
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            logger.warning("message claim not checked (%r): delivering", exc)
            return True

    async def release(self, conversation_id: str, message_id: str) -> None:
        """Give the claim up (it expires anyway)."""
        try:
            await self.redis.delete(self._key(conversation_id, message_id))
        except (RedisError, OSError, asyncio.TimeoutError):
            pass
