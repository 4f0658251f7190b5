"""Rasa's Redis lock store from one URL (REDIS_URL), with a client that retries a dropped connection.

endpoints.yml names it (`type: ${RASA_LOCK_STORE}`, which bot/config.py sets to this class when
REDIS_URL is set, else to Rasa's `in_memory`), and Rasa hands it the endpoint's config. Stock
`RedisLockStore` takes host, port and password as separate fields and gives up on the first broken
connection; this one reads `redis://[:password@]host:port/db` and retries with backoff, so a
short Redis restart delays a message instead of failing it. How long a Rasa server may hold a
conversation's lock is Rasa's TICKET_LOCK_LIFETIME (RASA_LOCK_LIFETIME_SECONDS in bot/config.py):
a server that dies holding one blocks the conversation that long, then the others go on.
"""
from __future__ import annotations

from typing import Any

from rasa.core.lock_store import DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

SOCKET_TIMEOUT_SECONDS = 5.0


class RedisUrlLockStore(RedisLockStore):
    """RedisLockStore on the URL of its endpoint config (`url:`), retrying dropped connections."""

    def __init__(self, endpoint_config: EndpointConfig, **kwargs: Any) -> None:
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        url = endpoint_config.url or ""
        if not url:
            raise ValueError("RedisUrlLockStore needs `url:` (REDIS_URL)")
        self.red = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_SECONDS, socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), 5),
            retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
            health_check_interval=30,
        )
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        prefix = endpoint_config.kwargs.get("key_prefix")
        if prefix:
            self._set_key_prefix(str(prefix))
        LockStore.__init__(self)
