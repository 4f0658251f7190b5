"""The audit log: every change made in the console or by a staff command (who, when, what, before
and after), read and filtered by admins on /console/admin/audit.

`record` works in the caller's unit of work, so an entry is written if and only if the change is.
Values are stored as JSON; never pass a secret (a password or a token) as `before` or `after`.
"""
from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, List, Optional, Tuple

from sqlalchemy import Column, Index, Integer, String, Text, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.review import like_pattern
from bot.db import Base, UTCDateTime
from bot.handoff.queue import utcnow

PAGE_SIZE = 50
_MISSING = object()


class AuditEntry(Base):
    """One change: the actor's id and username at the time (the entry outlives the account)."""

    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False)
    actor_id = Column(Integer)
    actor = Column(String(80), nullable=False)
    action = Column(String(48), nullable=False)  # domain.verb: account.update, answer.save, …
    target = Column(String(200), nullable=False, default="")
    before = Column(Text)  # JSON, None when the thing did not exist
    after = Column(Text)  # JSON, None when the thing was deleted
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_action", "action"))


@dataclass(frozen=True)
class Actor:
    """Who made a change: a console account, or a command ("cli") with no account."""

    id: Optional[int]
    username: str


def command_line() -> Actor:
    """The actor of a staff command run on the server (python -m bot …): cli:<the system user>."""
    return Actor(None, f"cli:{getpass.getuser()}")


def _json(value: Any) -> Optional[str]:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


async def record(
    session: AsyncSession, actor: Actor, action: str, target: str, before: Any = None, after: Any = None,
    *, now: Optional[datetime] = None,
) -> AuditEntry:
    """Add one entry for a change to `target` (flushed with the caller's unit of work)."""
    entry = AuditEntry(
        at=now or utcnow(), actor_id=actor.id, actor=actor.username[:80], action=action[:48],
        target=target[:200], before=_json(before), after=_json(after),
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What an admin asks the log for; empty fields do not filter."""

    actor: str = ""
    action: str = ""  # an exact action, or a domain ("answer") for all its actions
    target: str = ""  # a part of the target, case-insensitive
    since: Optional[datetime] = None
    until: Optional[datetime] = None  # exclusive


async def search(
    session: AsyncSession, wanted: AuditFilter, *, older_than: Optional[int] = None, limit: int = PAGE_SIZE,
) -> List[AuditEntry]:
    """The newest entries that match `wanted` (below id `older_than` for the next page)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if wanted.actor:
        query = query.where(AuditEntry.actor == wanted.actor)
    if wanted.action:
        action = AuditEntry.action
        query = query.where(action == wanted.action if "." in wanted.action else action.like(f"{wanted.action}.%"))
    if wanted.target:
        query = query.where(func.lower(AuditEntry.target).like(like_pattern(wanted.target), escape="\\"))
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(AuditEntry.at < wanted.until)
    if older_than is not None:
        query = query.where(AuditEntry.id < older_than)
    return list((await session.scalars(query)).all())


async def choices(session: AsyncSession) -> Tuple[List[str], List[str]]:
    """The actors and the actions that occur in the log, sorted, for the filter's lists."""
    actors = (await session.scalars(select(distinct(AuditEntry.actor)).order_by(AuditEntry.actor))).all()
    actions = (await session.scalars(select(distinct(AuditEntry.action)).order_by(AuditEntry.action))).all()
    return list(actors), list(actions)


def changes(entry: AuditEntry) -> List[Tuple[str, str, str]]:
    """(field, before, after) of what an entry changed; for values that are not mappings, one row ""."""
    before = json.loads(entry.before) if entry.before else None
    after = json.loads(entry.after) if entry.after else None
    if isinstance(before, dict) or isinstance(after, dict):
        old, new = before or {}, after or {}
        rows = []
        for key in sorted(set(old) | set(new)):
            was, now = old.get(key, _MISSING), new.get(key, _MISSING)
            if was != now:
                rows.append((key, _shown(was), _shown(now)))
        return rows
    return [("", _shown(before if before is not None else _MISSING), _shown(after if after is not None else _MISSING))]


def _shown(value: Any) -> str:
    if value is _MISSING:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)

