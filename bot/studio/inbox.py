"""The NLU inbox: open messages grouped by similarity, and what staff do with them.

Confirm adds a message as a training example of the intent Rasa predicted, correct adds it to the
intent staff picked, dismiss only closes it; each is audited (inbox.confirm, inbox.correct,
inbox.dismiss; the example's training.add too). A message that is held-out test data is never added
(it stays open). Grouping: TF-IDF of character n-grams of the normalised texts, cosine similarity,
single-link groups above GROUP_SIMILARITY, per language (scikit-learn, blocking: off the loop).
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import audit
from bot.console.audit import Actor
from bot.content.intents import ALL_INTENTS
from bot.content.question_examples import normalised
from bot.handoff.queue import utcnow
from bot.studio.models import CONFIRMED, CORRECTED, DISMISSED, OPEN, InboxItem
from bot.studio.overlap import is_held_out
from bot.studio.training import add_example, effective_examples

GROUP_SIMILARITY = 0.5
MAX_OPEN = 300  # open messages shown at once (oldest first beyond it wait for the next page load)
ACTIONS = ("confirm", "correct", "dismiss")


@dataclass
class Outcome:
    """What a resolve did: ids closed, ids left open because they are held-out data, ids unknown."""

    done: List[int]
    held_out: List[int]
    skipped: List[int]


def _groups(texts: Sequence[str], threshold: float) -> List[List[int]]:
    """Indexes of `texts` in single-link groups of cosine similarity >= threshold (largest first)."""
    if len(texts) < 2:
        return [[i] for i in range(len(texts))]
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4)).fit_transform(texts)
    similarity = (matrix @ matrix.T).toarray()
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    import numpy

    for i, j in numpy.argwhere(numpy.triu(similarity, 1) >= threshold):
        parent[root(int(j))] = root(int(i))
    found: Dict[int, List[int]] = {}
    for i in range(len(texts)):
        found.setdefault(root(i), []).append(i)
    return sorted(found.values(), key=lambda g: (-len(g), g[0]))


def group_items(items: Sequence[InboxItem], threshold: float = GROUP_SIMILARITY) -> List[List[InboxItem]]:
    """Open messages in groups of similar ones, per language (blocking: call it off the event loop)."""
    by_language: Dict[str, List[InboxItem]] = {}
    for item in items:
        by_language.setdefault(item.language, []).append(item)
    groups: List[List[InboxItem]] = []
    for language in sorted(by_language):
        members = by_language[language]
        texts = [normalised(item.text) or item.text for item in members]
        groups.extend([members[i] for i in group] for group in _groups(texts, threshold))
    return sorted(groups, key=lambda g: (-len(g), g[0].language, g[0].id))


async def open_items(session: AsyncSession, language: str = "", reason: str = "") -> List[InboxItem]:
    query = select(InboxItem).where(InboxItem.status == OPEN).order_by(InboxItem.at, InboxItem.id).limit(MAX_OPEN)
    if language:
        query = query.where(InboxItem.language == language)
    if reason:
        query = query.where(InboxItem.reasons.like(f"%{reason}%"))
    return list((await session.scalars(query)).all())


async def grouped(session: AsyncSession, language: str = "", reason: str = "") -> List[List[InboxItem]]:
    items = await open_items(session, language, reason)
    return await asyncio.to_thread(group_items, items)


async def open_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(InboxItem).where(InboxItem.status == OPEN)) or 0)


def _snapshot(item: InboxItem) -> Dict[str, object]:
    return {"text": item.text, "language": item.language, "intent": item.intent, "status": item.status,
            "resolved_intent": item.resolved_intent}


async def resolve(session: AsyncSession, actor: Actor, root: Path, folder: Path, ids: Sequence[int], action: str,
                  intent: Optional[str] = None, now: Optional[datetime] = None) -> Outcome:
    """Confirm, correct (to `intent`) or dismiss open messages, in the caller's unit of work."""
    if action not in ACTIONS or (action == "correct" and intent not in ALL_INTENTS):
        raise ValueError(action)
    now = now or utcnow()
    rows = list((await session.scalars(select(InboxItem).where(InboxItem.id.in_(list(ids)),
                                                               InboxItem.status == OPEN))).all())
    outcome = Outcome([], [], sorted(set(ids) - {row.id for row in rows}))
    known: Dict[str, set] = {}
    if action != "dismiss":
        for example in await effective_examples(session, folder):
            known.setdefault(f"{example.language}/{example.intent}", set()).add(normalised(example.text))
    for row in rows:
        before = _snapshot(row)
        chosen = row.intent if action == "confirm" else intent
        if action != "dismiss":
            if chosen not in ALL_INTENTS:
                outcome.skipped.append(row.id)
                continue
            if await asyncio.to_thread(is_held_out, root, row.text):
                outcome.held_out.append(row.id)
                continue
            bucket = known.setdefault(f"{row.language}/{chosen}", set())
            if normalised(row.text) not in bucket:  # the same example twice is once
                await add_example(session, actor, row.language, str(chosen), row.text, action=f"inbox.{action}.add")
                bucket.add(normalised(row.text))
        row.status = {"confirm": CONFIRMED, "correct": CORRECTED, "dismiss": DISMISSED}[action]
        row.resolved_intent, row.resolved_by, row.resolved_at = chosen if action != "dismiss" else None, \
            actor.username[:80], now
        await audit.record(session, actor, f"inbox.{action}", f"inbox/{row.id}", before, _snapshot(row), now=now)
        outcome.done.append(row.id)
    return outcome
