"""The effective training data: the repository's data/nlu files with the staff's edits on top.

Every change is one unit of work with its audit entry (bot/console/audit.py). An example is named
by an id: `s<edit id>` for one a member of staff added, `r<hash>` for one of the repository's files.

`write_training_data(session, target_dir)` is what a training run uses: it writes the effective
data/nlu tree (same relative paths and layout) into `target_dir`.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.console import audit
from bot.console.audit import Actor
from bot.handoff.queue import utcnow
from bot.studio.models import ADD, REMOVE, TrainingEdit
from bot.studio.nlu_files import NluFile, examples, general_file, language_of, read_folder, write_folder

Edit = Tuple[str, str, str, Optional[str], str]  # kind, path, intent, question, text
Files = Dict[str, NluFile]


@dataclass(frozen=True)
class Example:
    """One example of the effective data; `edit_id` is set for one that staff added."""

    id: str
    path: str
    language: str
    intent: str
    question: Optional[str]
    text: str
    edit_id: Optional[int] = None


class NotFound(LookupError):
    """No example has that id (any more)."""


def nlu_folder(settings: Settings) -> Path:
    """The repository's NLU folder (data/nlu)."""
    return settings.project_root / "data" / "nlu"


def repository_id(path: str, intent: str, question: Optional[str], text: str) -> str:
    return "r" + hashlib.sha1(f"{path}|{intent}|{question or ''}|{text}".encode()).hexdigest()[:16]


def apply(files: Files, edits: Iterable[Edit]) -> Files:
    """Put edits on `files` in order (each idempotent: an add of a present example or a remove of an
    absent one changes nothing); `files` changed in place and returned."""
    for kind, path, intent, question, text in edits:
        nlu = files.get(path)
        if nlu is None:
            nlu = files[path] = NluFile(path, ['version: "3.1"', "nlu:"], [])
        if kind == ADD:
            nlu.add(intent, question, text)
        else:
            nlu.remove(intent, question, text)
    return files


def _edit(row: TrainingEdit) -> Edit:
    return row.kind, row.path, row.intent, row.question, row.text


async def load_edits(session: AsyncSession) -> List[TrainingEdit]:
    return list((await session.scalars(select(TrainingEdit).order_by(TrainingEdit.id))).all())


def build(folder: Path, edits: Sequence[Edit]) -> Files:
    """The effective files (blocking: call it off the event loop)."""
    return apply(read_folder(folder), edits)


async def effective_files(session: AsyncSession, folder: Path) -> Files:
    edits = [_edit(row) for row in await load_edits(session)]
    return await asyncio.to_thread(build, folder, edits)


def _signature(folder: Path) -> Tuple[Tuple[str, float, int], ...]:
    return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in sorted(folder.rglob("*.yml")))


@functools.lru_cache(maxsize=8)
def _listing(folder: Path, signature: object, edits: Tuple[Tuple[int, Edit], ...]) -> Tuple[Example, ...]:
    """The effective examples of these files and edits (cached: the same data is listed once)."""
    files = build(folder, [edit for _, edit in edits])
    added = {edit[1:]: edit_id for edit_id, edit in edits if edit[0] == ADD}
    found = []
    for path, block, text in examples(files):
        edit_id = added.get((path, block.intent, block.question, text))
        ident = f"s{edit_id}" if edit_id else repository_id(path, block.intent, block.question, text)
        found.append(Example(ident, path, language_of(path), block.intent, block.question, text, edit_id))
    return tuple(found)


def listing(folder: Path, edits: Sequence[Tuple[int, Edit]]) -> Tuple[Example, ...]:
    """Blocking: the effective examples of `folder` with `edits` ((edit id, edit) in order)."""
    return _listing(folder, _signature(folder), tuple(edits))


async def effective_examples(session: AsyncSession, folder: Path) -> List[Example]:
    """Every example of the effective data, in file order, staff additions marked."""
    edits = [(row.id, _edit(row)) for row in await load_edits(session)]
    return list(await asyncio.to_thread(listing, folder, edits))


async def write_training_data(session: AsyncSession, target_dir: Path, folder: Optional[Path] = None,
                              settings: Optional[Settings] = None) -> List[str]:
    """Write the effective training data (the repository's data/nlu with the staff's edits) into
    `target_dir`, same relative paths and layout as data/nlu; the files written. `folder` is the
    repository's NLU folder (default: `nlu_folder(settings)`, settings from the environment)."""
    if folder is None:
        from bot.config import load_settings

        folder = nlu_folder(settings or load_settings())
    files = await effective_files(session, folder)
    return await asyncio.to_thread(write_folder, files.values(), target_dir)


def _shown(path: str, intent: str, text: str) -> Dict[str, str]:
    return {"file": path, "intent": intent, "text": text}


async def add_example(session: AsyncSession, actor: Actor, language: str, intent: str, text: str,
                      action: str = "training.add") -> TrainingEdit:
    """Add an example to the language's general file."""
    path = general_file(language)
    row = TrainingEdit(kind=ADD, path=path, language=language, intent=intent, question=None, text=text,
                       actor=actor.username[:80], created_at=utcnow())
    session.add(row)
    await audit.record(session, actor, action, f"{language}/{intent}", None, _shown(path, intent, text))
    await session.flush()
    return row


async def find(session: AsyncSession, folder: Path, example_id: str) -> Example:
    """The effective example with this id (NotFound when there is none)."""
    for example in await effective_examples(session, folder):
        if example.id == example_id:
            return example
    raise NotFound(example_id)


async def change_example(session: AsyncSession, actor: Actor, folder: Path, example_id: str, intent: str,
                         text: str) -> None:
    """Edit an example's text, move it to another intent, or both (a moved example goes to the general
    file of its language)."""
    old = await find(session, folder, example_id)
    moved = intent != old.intent
    path, question = (general_file(old.language), None) if moved else (old.path, old.question)
    if old.edit_id is not None:
        row = await session.get(TrainingEdit, old.edit_id)
        row.intent, row.text, row.path, row.question = intent, text, path, question
    else:
        now = utcnow()
        session.add(TrainingEdit(kind=REMOVE, path=old.path, language=old.language, intent=old.intent,
                                 question=old.question, text=old.text, actor=actor.username[:80], created_at=now))
        session.add(TrainingEdit(kind=ADD, path=path, language=old.language, intent=intent, question=question,
                                 text=text, actor=actor.username[:80], created_at=now))
    await audit.record(session, actor, "training.move" if moved else "training.edit", f"{old.language}/{intent}",
                       _shown(old.path, old.intent, old.text), _shown(path, intent, text))


async def delete_example(session: AsyncSession, actor: Actor, folder: Path, example_id: str) -> Example:
    """Delete an example (a staff addition's row goes; a repository example gets a remove edit)."""
    old = await find(session, folder, example_id)
    if old.edit_id is not None:
        await session.execute(delete(TrainingEdit).where(TrainingEdit.id == old.edit_id))
    else:
        session.add(TrainingEdit(kind=REMOVE, path=old.path, language=old.language, intent=old.intent,
                                 question=old.question, text=old.text, actor=actor.username[:80],
                                 created_at=utcnow()))
    await audit.record(session, actor, "training.delete", f"{old.language}/{old.intent}",
                       _shown(old.path, old.intent, old.text), None)
    return old


def differences(base: Files, wanted: Files) -> List[Edit]:
    """The edits that turn `base` into `wanted` (removes first, then adds in `wanted`'s order)."""
    removes: List[Edit] = []
    adds: List[Edit] = []
    for path in sorted(set(base) | set(wanted)):
        old, new = base.get(path), wanted.get(path)
        old_blocks = {(b.intent, b.question): b.examples for b in (old.blocks if old else [])}
        new_blocks = {(b.intent, b.question): b.examples for b in (new.blocks if new else [])}
        for (intent, question), texts in old_blocks.items():
            keep = set(new_blocks.get((intent, question), []))
            removes.extend((REMOVE, path, intent, question, t) for t in texts if t not in keep)
        for (intent, question), texts in new_blocks.items():
            had = set(old_blocks.get((intent, question), []))
            adds.extend((ADD, path, intent, question, t) for t in texts if t not in had)
    return removes + adds


async def replace_edits(session: AsyncSession, actor: Actor, edits: Sequence[Edit], action: str,
                        target: str) -> int:
    """Replace every staff edit with `edits` (an import or an export into the repository); audited."""
    before = len(await load_edits(session))
    await session.execute(delete(TrainingEdit))
    now = utcnow()
    for kind, path, intent, question, text in edits:
        session.add(TrainingEdit(kind=kind, path=path, language=language_of(path), intent=intent,
                                 question=question, text=text, actor=actor.username[:80], created_at=now))
    await audit.record(session, actor, action, target, {"edits": before}, {"edits": len(edits)})
    return len(edits)
