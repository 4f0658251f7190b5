"""Log-in throttling: a growing delay per client address and account, and a rate limit per address.

Policy (settings in bot/config.py):

- Every address may make `CONSOLE_LOGINS_PER_MINUTE_PER_ADDRESS` log-in attempts a minute over all
  accounts (a token bucket: that many at once, then one every 60/N seconds). It is checked before
  any password is hashed, so a flood costs no Argon2 work (64 MiB and tens of milliseconds each).
- Per address and account, the first `CONSOLE_LOGIN_FREE_FAILURES` wrong passwords cost nothing;
  after each further one that address waits `CONSOLE_LOGIN_DELAY_SECONDS` before it may try that
  account again, doubled with every failure up to `CONSOLE_LOGIN_MAX_DELAY_MINUTES`. Other addresses
  are not slowed down, so knowing an adviser's username is not enough to lock the adviser out. A right
  password from that address, `python -m bot console unlock`, the admin's "Unlock", a new password or
  a day without failures clears the count.
- Unknown usernames are counted like real ones, so the answers tell nothing about which accounts exist.
- IPv6 addresses count by their /64 network (one host usually holds a whole /64).

Where the counters live: in the database (`console_login_throttle`), not in memory. Several web app
processes may serve the console behind a load balancer; counters in memory would give an attacker
one allowance per process and forget everything at a restart. The price is one or two primary-key
queries per attempt, nothing next to the hash they guard; an attempt refused by the address limit
reads one row and writes nothing. Every write is a compare-and-set (a new row: an insert a unique
key lets only one attempt make), so parallel attempts in several processes are all counted, on
SQLite and PostgreSQL alike. The functions work in the caller's unit of work (bot/db.py): the
log-in request commits its counts when it answers, a refused attempt included.
"""
from __future__ import annotations

import ipaddress
from datetime import datetime, timezone
from typing import Any, Dict, Optional

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db import insert_ignore
from bot.handoff.models import LoginThrottle

ADDRESS_BUCKET = ""  # the username of an address's rate bucket row
WINDOW_MS = 60_000
FORGET_AFTER_MS = 24 * 3600 * 1000  # failures older than this are forgotten
_TRIES = 10  # compare-and-set rounds before giving up under contention


def epoch_ms(moment: datetime) -> int:
    """An aware datetime as milliseconds since the epoch."""
    return int(moment.timestamp() * 1000)


def from_epoch_ms(stamp: int) -> datetime:
    """Milliseconds since the epoch as an aware UTC datetime."""
    return datetime.fromtimestamp(stamp / 1000, timezone.utc)


def wait_seconds(milliseconds: int) -> int:
    """A wait in whole seconds, rounded up (at least 1)."""
    return max(1, -(-milliseconds // 1000))


def address_key(address: str) -> str:
    """The key of a client address: IPv4 as is, IPv6 as its /64 network, anything else cut to 64 chars."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def failure_delay_ms(failures: int, settings: Settings) -> int:
    """How long an address waits after its `failures`-th wrong password for one account."""
    extra = failures - settings.console_login_free_failures
    if extra <= 0:
        return 0
    longest = settings.console_login_max_delay_minutes * 60_000
    return min(longest, settings.console_login_delay_seconds * 1000 * 2 ** min(extra - 1, 30))


async def _row(session: AsyncSession, address: str, username: str) -> Any:
    return (await session.execute(
        select(LoginThrottle.failures, LoginThrottle.not_before_ms, LoginThrottle.updated_ms)
        .where(LoginThrottle.address == address, LoginThrottle.username == username)
    )).first()


async def _swap(session: AsyncSession, address: str, username: str, old: Any, failures: int,
                not_before_ms: int, now_ms: int) -> bool:
    """Write the row if it is still `old` (None: not there); True when this write won."""
    values = {"failures": failures, "not_before_ms": not_before_ms, "updated_ms": now_ms}
    if old is None:  # False when another attempt made the row first
        return await insert_ignore(session, LoginThrottle.__table__, dict(address=address, username=username, **values))
    table = LoginThrottle
    result = await session.execute(
        update(table).where(
            table.address == address, table.username == username, table.failures == old.failures,
            table.not_before_ms == old.not_before_ms, table.updated_ms == old.updated_ms,
        ).values(**values).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def admit_address(session: AsyncSession, address: str, settings: Settings, now_ms: int) -> int:
    """Count one attempt of `address`: 0 when it may go on, else the milliseconds to wait (not counted)."""
    interval = max(1, WINDOW_MS // settings.console_logins_per_minute_per_address)
    for _ in range(_TRIES):
        old = await _row(session, address, ADDRESS_BUCKET)
        due = max(old.not_before_ms, now_ms) + interval if old is not None else now_ms + interval
        if due - now_ms > WINDOW_MS:
            return due - now_ms - WINDOW_MS
        if await _swap(session, address, ADDRESS_BUCKET, old, 0, due, now_ms):
            return 0
    return interval  # a storm of parallel attempts from one address: refuse this one


async def account_wait(session: AsyncSession, address: str, username: str, now_ms: int) -> int:
    """Milliseconds `address` must still wait before trying `username` again (0: none)."""
    row = await _row(session, address, username)
    return max(0, row.not_before_ms - now_ms) if row is not None else 0


async def record_failure(session: AsyncSession, address: str, username: str, settings: Settings,
                         now_ms: int) -> int:
    """Count a wrong password of `username` from `address`; the delay (ms) it now imposes."""
    delay = 0
    for _ in range(_TRIES):
        old = await _row(session, address, username)
        fresh = old is None or old.updated_ms <= now_ms - FORGET_AFTER_MS
        failures = 1 if fresh else old.failures + 1
        delay = failure_delay_ms(failures, settings)
        if await _swap(session, address, username, old, failures, now_ms + delay, now_ms):
            break
    await _prune(session, now_ms)
    return delay


async def record_success(session: AsyncSession, address: str, username: str, now_ms: int) -> None:
    """A right password: forget the failures of `username` from `address`."""
    await session.execute(
        delete(LoginThrottle).where(LoginThrottle.address == address, LoginThrottle.username == username)
    )
    await _prune(session, now_ms)


async def _prune(session: AsyncSession, now_ms: int) -> None:
    """Drop rows that no longer delay anything and whose failures are forgotten."""
    await session.execute(delete(LoginThrottle).where(
        LoginThrottle.updated_ms <= now_ms - FORGET_AFTER_MS, LoginThrottle.not_before_ms <= now_ms
    ))


async def clear(session: AsyncSession, *, username: Optional[str] = None, address: Optional[str] = None) -> int:
    """Forget what was counted for `username` (every address), `address` (every account and its
    rate), or both together; the number of rows dropped."""
    conditions = []
    if username is not None:
        conditions.append(LoginThrottle.username == username)
    if address is not None:
        conditions.append(LoginThrottle.address == address_key(address))
    if not conditions or username == ADDRESS_BUCKET:
        raise ValueError("name a username, an address or both")
    result = await session.execute(delete(LoginThrottle).where(and_(*conditions)))
    return int(result.rowcount or 0)


async def delayed_accounts(session: AsyncSession, now_ms: int) -> Dict[str, datetime]:
    """Usernames that some address must wait to try, with the latest such moment."""
    rows = await session.execute(
        select(LoginThrottle.username, func.max(LoginThrottle.not_before_ms))
        .where(LoginThrottle.username != ADDRESS_BUCKET, LoginThrottle.not_before_ms > now_ms)
        .group_by(LoginThrottle.username)
    )
    return {username: from_epoch_ms(stamp) for username, stamp in rows}
