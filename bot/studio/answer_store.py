"""The answers' versions in the app's database: every save is a new row, the newest row of a name is
what the assistant says, and the largest id is the revision every web app instance watches.

An answer that was never edited has no rows: the repository's file (data/responses/) is its
version. Its first save writes that file version first (source "repository"), so the history
starts where the repository stood and a revert can go back to it. All functions work inside the
caller's unit of work (bot/db.py) and write the audit log in it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, FrozenSet, List, Optional

from sqlalchemy import Column, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import audit
from bot.console.audit import Actor
from bot.db import Base, UTCDateTime
from bot.handoff.queue import utcnow
from bot.insights.links import doc_links
from bot.studio.answer_docs import Doc

SOURCES = ("repository", "edit", "revert", "import")


class AnswerVersion(Base):
    """One version of one answer (a document of bot/studio/answer_docs.py as JSON)."""

    __tablename__ = "studio_answer_versions"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    number = Column(Integer, nullable=False)  # 1, 2, … per name
    content = Column(Text, nullable=False)
    source = Column(String(16), nullable=False)  # one of SOURCES
    reverted_from = Column(Integer)  # the number a revert went back to
    at = Column(UTCDateTime, nullable=False)
    actor_id = Column(Integer)
    actor = Column(String(80), nullable=False)
    __table_args__ = (UniqueConstraint("name", "number", name="uq_studio_answer_versions_name"),
                      Index("ix_studio_answer_versions_name", "name"))

    @property
    def doc(self) -> Doc:
        return json.loads(self.content)


class StaleVersion(Exception):
    """Someone saved the answer after the editor opened it."""


@dataclass(frozen=True)
class Current:
    """What the assistant says for one name: its document and its version number (0: the file's)."""

    doc: Doc
    number: int


def _dump(doc: Doc) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


async def revision(session: AsyncSession) -> int:
    """The newest version's id (0 when no answer was ever saved): a change of it means a save somewhere."""
    return int(await session.scalar(select(func.max(AnswerVersion.id))) or 0)


async def latest(session: AsyncSession) -> Dict[str, AnswerVersion]:
    """The newest version of every saved answer, by name."""
    newest = select(func.max(AnswerVersion.id)).group_by(AnswerVersion.name)
    rows = await session.scalars(select(AnswerVersion).where(AnswerVersion.id.in_(newest)))
    return {row.name: row for row in rows}


async def saved_links(session: AsyncSession) -> FrozenSet[str]:
    """The links in the newest version of every saved answer (a /go/ link may lead to them)."""
    return frozenset().union(*(doc_links(row.doc) for row in (await latest(session)).values()))


async def current_docs(session: AsyncSession, base: Dict[str, Doc]) -> Dict[str, Doc]:
    """`base` (the files' documents) with every saved answer's newest version in its place."""
    docs = dict(base)
    for name, row in (await latest(session)).items():
        if name in docs:  # a saved answer whose name left the repository is not said any more
            docs[name] = row.doc
    return docs


async def current(session: AsyncSession, name: str, base_doc: Doc) -> Current:
    """The document and version number the assistant uses for `name`."""
    row = await session.scalar(select(AnswerVersion).where(AnswerVersion.name == name)
                               .order_by(AnswerVersion.number.desc()).limit(1))
    return Current(row.doc, row.number) if row is not None else Current(base_doc, 0)


async def history(session: AsyncSession, name: str) -> List[AnswerVersion]:
    """Every version of `name`, the newest first."""
    rows = await session.scalars(select(AnswerVersion).where(AnswerVersion.name == name)
                                 .order_by(AnswerVersion.number.desc()))
    return list(rows)


async def version(session: AsyncSession, name: str, number: int) -> Optional[AnswerVersion]:
    return await session.scalar(select(AnswerVersion).where(AnswerVersion.name == name,
                                                            AnswerVersion.number == number))


def _row(name: str, number: int, doc: Doc, source: str, who: Actor, at: datetime,
         reverted_from: Optional[int] = None) -> AnswerVersion:
    return AnswerVersion(name=name, number=number, content=_dump(doc), source=source, reverted_from=reverted_from,
                         at=at, actor_id=who.id, actor=who.username[:80])


async def save(session: AsyncSession, who: Actor, name: str, doc: Doc, base_doc: Doc, *, expected: Optional[int],
               source: str = "edit", reverted_from: Optional[int] = None,
               now: Optional[datetime] = None) -> Optional[AnswerVersion]:
    """Save `doc` as the next version of `name` (the file's `base_doc` first when it has none), with
    its audit entry. `expected`: the version number the editor started from (None: do not check);
    another raises StaleVersion. Nothing is written (None) when `doc` is what the assistant says."""
    at = now or utcnow()
    was = await current(session, name, base_doc)
    if expected is not None and was.number != expected:
        raise StaleVersion(name)
    if _dump(was.doc) == _dump(doc):
        return None
    number = was.number
    if number == 0:
        number = 1
        session.add(_row(name, number, base_doc, "repository", who, at))
    row = _row(name, number + 1, doc, source, who, at, reverted_from)
    session.add(row)
    after: Dict[str, Any] = {"version": number + 1, **doc}
    if reverted_from is not None:
        after["reverted_from"] = reverted_from
    await audit.record(session, who, f"answer.{'save' if source == 'edit' else source}", name,
                       {"version": was.number, **was.doc}, after, now=at)
    await session.flush()
    return row
