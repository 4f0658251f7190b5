"""Adviser accounts: creation, throttled log-in, and console sessions in the database.

The functions that take a session work in the caller's unit of work (bot/db.py: the caller
commits); `log_in` takes the session factory and owns its units of work (see there).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional, Tuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import LANGUAGES, Settings
from bot.console import throttle
from bot.console.passwords import burn_time, hash_password, needs_rehash, password_problem, verify_password
from bot.db import session_scope
from bot.handoff.models import ROLE_ADMIN, ROLES, Adviser, ConsoleSession
from bot.handoff.queue import utcnow

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
# A heartbeat is written at most this often per session (every request counts as one).
HEARTBEAT_WRITE_SECONDS = 10


class AccountError(ValueError):
    """A request about an account that cannot be done; `key` names the console text."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Principal:
    """The adviser behind a request, with the session's CSRF token."""

    adviser_id: int
    username: str
    display_name: str
    role: str
    language: str
    csrf_token: str
    token_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    def has_role(self, role: str) -> bool:
        """Whether this adviser's role is `role` or one after it in ROLES (roles are cumulative)."""
        return role in ROLES and self.role in ROLES and ROLES.index(self.role) >= ROLES.index(role)


def account_fields(adviser: Adviser) -> dict:
    """What the audit log keeps of an account (never its password)."""
    return {"display_name": adviser.display_name, "role": adviser.role, "language": adviser.language,
            "active": bool(adviser.active)}


def normalise_username(username: str) -> str:
    """The stored form of a username (trimmed, lower case)."""
    return (username or "").strip().lower()


def token_hash(token: str) -> str:
    """The SHA-256 of a session token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_adviser(
    session: AsyncSession, username: str, display_name: str, password: str, role: str = "adviser",
    language: str = "fi", *, now: Optional[datetime] = None,
) -> Adviser:
    """A new account (flushed: its id is set); AccountError for a bad or taken username or a weak password."""
    username = normalise_username(username)
    if not _USERNAME.match(username):
        raise AccountError("username_invalid")
    if role not in ROLES or language not in LANGUAGES:
        raise AccountError("invalid_input")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    display_name = (display_name or "").strip()[:128] or username
    if await session.scalar(select(Adviser.id).where(Adviser.username == username)) is not None:
        raise AccountError("username_taken")
    adviser = Adviser(
        username=username, display_name=display_name, password_hash=await hash_password(password), role=role,
        language=language, active=True, created_at=now or utcnow(),
    )
    session.add(adviser)
    await session.flush()
    return adviser


async def set_password(session: AsyncSession, adviser_id: int, password: str) -> None:
    """Replace an adviser's password, clear its log-in delays and end its sessions."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    digest = await hash_password(password)
    await session.execute(update(Adviser).where(Adviser.id == adviser_id).values(password_hash=digest))
    await session.execute(delete(ConsoleSession).where(ConsoleSession.adviser_id == adviser_id))
    username = await session.scalar(select(Adviser.username).where(Adviser.id == adviser_id))
    if username:
        await throttle.clear(session, username=username)


async def active_admin_count(session: AsyncSession) -> int:
    """How many active admins there are."""
    return int(await session.scalar(
        select(func.count()).select_from(Adviser).where(Adviser.role == ROLE_ADMIN, Adviser.active.is_(True))
    ) or 0)


@dataclass(frozen=True)
class LoginOutcome:
    """A log-in attempt: the adviser, or None; `retry_after` > 0 when it was refused before any
    password was checked (seconds to wait)."""

    adviser: Optional[Adviser] = None
    retry_after: int = 0


async def authenticate(session: AsyncSession, username: str, password: str) -> Optional[Adviser]:
    """The adviser for right credentials of an active account; None otherwise (no throttling: see log_in)."""
    adviser = await session.scalar(select(Adviser).where(Adviser.username == normalise_username(username)))
    if adviser is None or not adviser.active:
        await burn_time(password)  # unknown usernames take as long as known ones
        return None
    if not await verify_password(adviser.password_hash, password):
        return None
    if needs_rehash(adviser.password_hash):
        adviser.password_hash = await hash_password(password)
    return adviser


async def log_in(
    factory: "sessionmaker[AsyncSession]", address: str, username: str, password: str, settings: Settings, *,
    now: Optional[datetime] = None,
) -> LoginOutcome:
    """`authenticate` behind the throttles of bot/console/throttle.py: the rate of `address` and the
    delay of `address` for this account are checked before any password is hashed.

    Three units of work: the throttle check is committed before the password is hashed, and the
    outcome after it, so no lock is held while hashing and parallel attempts are all counted.
    """
    stamp = throttle.epoch_ms(now or utcnow())
    address, name = throttle.address_key(address), normalise_username(username)
    async with session_scope(factory) as session:
        wait = await throttle.admit_address(session, address, settings, stamp)
        if not wait and not _USERNAME.match(name):
            return LoginOutcome()  # no account can have that name: not worth a hash
        wait = wait or await throttle.account_wait(session, address, name, stamp)
    if wait:
        return LoginOutcome(retry_after=throttle.wait_seconds(wait))
    async with session_scope(factory) as session:
        adviser = await authenticate(session, name, password)
    async with session_scope(factory) as session:
        if adviser is None:
            await throttle.record_failure(session, address, name, settings, stamp)
        else:
            await throttle.record_success(session, address, name, stamp)
    return LoginOutcome(adviser)


async def open_session(
    session: AsyncSession, adviser: Adviser, settings: Settings, *, now: Optional[datetime] = None
) -> Tuple[str, str]:
    """A new console session of `adviser`: (cookie token, CSRF token)."""
    now = now or utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(ConsoleSession(
        token_hash=token_hash(token), adviser_id=adviser.id, csrf_token=csrf, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=settings.console_session_hours),
    ))
    await session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
    return token, csrf


async def close_session(session: AsyncSession, hashed: str) -> None:
    """End one console session (log-out)."""
    await session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == hashed))


async def principal_for(
    session: AsyncSession, token: str, settings: Settings, *, now: Optional[datetime] = None
) -> Optional[Principal]:
    """The adviser of a live session token (and a heartbeat); None for anything else."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    hashed = token_hash(token)
    row = (await session.execute(
        select(ConsoleSession, Adviser).join(Adviser, Adviser.id == ConsoleSession.adviser_id)
        .where(ConsoleSession.token_hash == hashed)
    )).first()
    if row is None:
        return None
    console_session, adviser = row
    idle_limit = console_session.last_seen_at + timedelta(minutes=settings.console_idle_minutes)
    if not adviser.active or console_session.expires_at <= now or idle_limit <= now:
        await close_session(session, hashed)
        return None
    if (now - console_session.last_seen_at).total_seconds() >= HEARTBEAT_WRITE_SECONDS:
        await session.execute(
            update(ConsoleSession).where(ConsoleSession.token_hash == hashed).values(last_seen_at=now)
        )
    return Principal(
        adviser_id=adviser.id, username=adviser.username, display_name=adviser.display_name, role=adviser.role,
        language=adviser.language, csrf_token=console_session.csrf_token, token_hash=hashed,
    )
