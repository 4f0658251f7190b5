"""Upsert of prepared records and their search terms, the same SQL on SQLite and PostgreSQL.

A record's content hash decides: a new external id is inserted, a changed hash updates the
row and rewrites its search terms, an equal hash changes nothing (so a rerun is a no-op).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.importers.base import ImportReport
from bot.catalog.models import SearchTerm, SyncState
from bot.catalog.search import index_terms

Fields = List[Tuple[Dict[str, str], int]]


@dataclass
class Prepared:
    """One source record mapped to column values, with the weighted texts to index."""

    external_id: str
    values: Dict[str, Any]
    index: Fields = field(default_factory=list)
    hash_extra: Any = None
    modified: Optional[datetime] = None


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def content_hash(record: Prepared) -> str:
    """A stable hash of what a record stores."""
    payload = json.dumps([record.values, record.hash_extra], sort_keys=True, default=_default, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def _chunks(items: Sequence[Any], size: int) -> List[Sequence[Any]]:
    return [items[i: i + size] for i in range(0, len(items), size)]


async def upsert(session: AsyncSession, model: Type[Any], records: Sequence[Prepared], report: ImportReport,
                 kind: Optional[str] = None) -> Tuple[Dict[str, int], List[int]]:
    """Insert or update `records` of `model`; reindex the changed ones under `kind`.

    Returns ({external id: row id} of every record given, [row ids inserted or updated]).
    """
    table = model.__table__
    unique: Dict[str, Prepared] = {}
    for record in records:
        unique[record.external_id] = record
    ids: Dict[str, int] = {}
    hashes: Dict[str, str] = {}
    for chunk in _chunks(list(unique), 500):
        rows = await session.execute(
            select(table.c.external_id, table.c.id, table.c.content_hash).where(table.c.external_id.in_(chunk)))
        for external_id, row_id, old_hash in rows:
            ids[external_id] = row_id
            hashes[external_id] = old_hash
    new_rows: List[Dict[str, Any]] = []
    changed_rows: List[Dict[str, Any]] = []
    touched: List[Prepared] = []
    for external_id, record in unique.items():
        digest = content_hash(record)
        row = dict(record.values, external_id=external_id, content_hash=digest)
        if external_id not in ids:
            new_rows.append(row)
            touched.append(record)
        elif hashes[external_id] != digest:
            row["_id"] = ids[external_id]
            changed_rows.append(row)
            touched.append(record)
        else:
            report.unchanged += 1
    if new_rows:
        await session.execute(insert(table), new_rows)
        for chunk in _chunks([r["external_id"] for r in new_rows], 500):
            rows = await session.execute(select(table.c.external_id, table.c.id).where(table.c.external_id.in_(chunk)))
            ids.update({external_id: row_id for external_id, row_id in rows})
        report.inserted += len(new_rows)
    if changed_rows:
        await session.execute(update(table).where(table.c.id == bindparam("_id")), changed_rows)
        report.updated += len(changed_rows)
    touched_ids = [ids[r.external_id] for r in touched]
    if kind and touched:
        await write_terms(session, kind, [(ids[r.external_id], r.index) for r in touched],
                          replace=bool(changed_rows))
    return ids, touched_ids


async def write_terms(session: AsyncSession, kind: str, records: Sequence[Tuple[int, Fields]],
                      replace: bool = True) -> None:
    """(Re)write the search terms of `records` [(row id, weighted fields)]."""
    terms_table = SearchTerm.__table__
    if replace:
        for chunk in _chunks([row_id for row_id, _ in records], 500):
            await session.execute(delete(terms_table).where(
                terms_table.c.kind == kind, terms_table.c.record_id.in_(chunk)))
    rows = [
        {"kind": kind, "language": language, "term": term, "record_id": row_id, "weight": weight}
        for row_id, fields in records
        for (language, term), weight in index_terms(fields).items()
    ]
    for chunk in _chunks(rows, 5000):
        await session.execute(insert(terms_table), list(chunk))


async def remove(session: AsyncSession, model: Type[Any], external_ids: Sequence[str], report: ImportReport,
                 kind: Optional[str] = None) -> None:
    """Delete the records of `external_ids` (cancelled or withdrawn at the source) and their terms."""
    if not external_ids:
        return
    table = model.__table__
    rows = await session.execute(select(table.c.id).where(table.c.external_id.in_(list(external_ids))))
    row_ids = [row_id for (row_id,) in rows]
    if not row_ids:
        return
    if kind:
        terms_table = SearchTerm.__table__
        await session.execute(delete(terms_table).where(
            terms_table.c.kind == kind, terms_table.c.record_id.in_(row_ids)))
    await session.execute(delete(table).where(table.c.id.in_(row_ids)))
    report.removed += len(row_ids)


async def read_since(session: AsyncSession, source_key: str) -> Optional[datetime]:
    """The newest modification time an earlier import of `source_key` saw."""
    row = await session.get(SyncState, source_key)
    return row.last_modified if row else None


async def write_since(session: AsyncSession, source_key: str, last_modified: Optional[datetime],
                      now: datetime, fingerprint: Optional[str] = None) -> None:
    """Remember what an import of `source_key` saw."""
    row = await session.get(SyncState, source_key)
    if row is None:
        row = SyncState(source_key=source_key)
        session.add(row)
    if last_modified and (row.last_modified is None or last_modified > row.last_modified):
        row.last_modified = last_modified
    row.last_run = now
    if fingerprint is not None:
        row.fingerprint = fingerprint
