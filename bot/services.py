"""Start-up checks of the external services (PostgreSQL or SQLite, Redis) and the one Redis client.

A process that needs a service it cannot reach refuses to start with `ServiceUnreachable`, whose
message names the setting and the URL with its password masked, instead of starting half-working
(Rasa would wait for its tracker store for ever, or keep a lock store in memory; a web app would
fail on each request). `redis_client` makes a process's one asyncio client for REDIS_URL.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bot.startlog import masked_url

if TYPE_CHECKING:
    from redis.asyncio import Redis

CHECK_TIMEOUT_SECONDS = 5.0


class ServiceUnreachable(RuntimeError):
    """A service a process needs could not be reached at its start."""


def unreachable(what: str, setting: str, url: str, error: BaseException) -> ServiceUnreachable:
    """The refusal: which service, which setting, the masked URL and the error's kind."""
    reason = f"{type(error).__name__}: {error}".strip().rstrip(":")
    return ServiceUnreachable(
        f"cannot start: {what} at {masked_url(url)} ({setting}) is not reachable ({reason[:300]}); "
        f"start it or correct {setting}"
    )


def sync_database_url(url: str) -> str:
    """The synchronous driver's form of an async SQLAlchemy URL (for Rasa and the checks)."""
    return url.replace("+asyncpg", "").replace("+aiosqlite", "")


def redis_client(url: str) -> "Redis":
    """An asyncio Redis client for `url` that retries a dropped connection (nothing is opened yet)."""
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeout

    return Redis.from_url(
        url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), 3), retry_on_error=[RedisConnectionError, RedisTimeout],
        health_check_interval=30,
    )


async def check_redis(client: "Redis", url: str) -> None:
    """PING Redis; ServiceUnreachable when it does not answer."""
    try:
        await asyncio.wait_for(client.ping(), CHECK_TIMEOUT_SECONDS * 2)
    except Exception as exc:  # refused, timed out, wrong password: all mean "cannot start"
        raise unreachable("Redis", "REDIS_URL", url, exc) from exc


async def check_database(url: str, setting: str, what: str = "the database") -> None:
    """Open one connection to `url` and run SELECT 1; ServiceUnreachable when it fails."""
    from sqlalchemy import text

    from bot.db import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await asyncio.wait_for(connection.execute(text("SELECT 1")), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        raise unreachable(what, setting, url, exc) from exc
    finally:
        await engine.dispose()


async def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of `url` when its server has none of that name (True when made)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql") or not parsed.database:
        return False
    dsn = dict(host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password)
    try:
        connection = await asyncpg.connect(database=parsed.database, timeout=CHECK_TIMEOUT_SECONDS, **dsn)
    except asyncpg.InvalidCatalogNameError:
        connection = await asyncpg.connect(database="postgres", timeout=CHECK_TIMEOUT_SECONDS, **dsn)
        try:
            await connection.execute(f'CREATE DATABASE "{parsed.database}"')
        except asyncpg.DuplicateDatabaseError:
            return False
        finally:
            await connection.close()
        return True
    except Exception:  # unreachable: check_database says so with the URL
        return False
    await connection.close()
    return False


def check_database_sync(url: str, setting: str, what: str = "the database") -> None:
    """`check_database` for a process without an event loop of its own yet (Rasa's launcher)."""
    import sqlalchemy as sa

    connect_args: Any = {"connect_timeout": int(CHECK_TIMEOUT_SECONDS)} if url.startswith("postgresql") else {}
    engine = sa.create_engine(sync_database_url(url), connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as exc:
        raise unreachable(what, setting, url, exc) from exc
    finally:
        engine.dispose()


def check_redis_sync(url: str) -> None:
    """`check_redis` with redis-py's blocking client (Rasa's launcher)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT_SECONDS,
                                  socket_connect_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        client.ping()
    except Exception as exc:
        raise unreachable("Redis", "REDIS_URL", url, exc) from exc
    finally:
        client.close()
