"""Export to and import from data/responses/: byte-identical when nothing changed, only the changed
answers' blocks rewritten, the files read back to the same answers, an import saved as a version."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.console.audit import Actor, AuditEntry
from bot.db import session_scope
from bot.studio import answer_store
from bot.studio.answer_docs import read_docs
from bot.studio.answer_files import splice
from bot.studio.cli import export_answers, import_answers

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Actor(None, "eeva")


@pytest.fixture
def responses(tmp_path) -> Path:
    folder = tmp_path / "responses"
    shutil.copytree(ROOT / "data" / "responses", folder)
    return folder


def _snapshot(folder: Path) -> dict:
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*.yml"))}


async def _save(factory, name: str, doc: dict, base: dict) -> None:
    async with session_scope(factory) as session:
        await answer_store.save(session, EDITOR, name, doc, base, expected=None)


async def test_an_export_with_nothing_changed_leaves_every_file_byte_identical(responses, db_url, factory):
    before = _snapshot(responses)
    assert await export_answers(load_settings({"DATABASE_URL": db_url}), responses) == []
    docs = read_docs(responses)
    await _save(factory, "utter_greet", docs["utter_greet"], docs["utter_greet"])  # saved, but the same
    assert await export_answers(load_settings({"DATABASE_URL": db_url}), responses) == []
    assert _snapshot(responses) == before


async def test_an_export_rewrites_only_the_changed_answers_and_reads_back_the_same(responses, db_url, factory):
    before = _snapshot(responses)
    docs = read_docs(responses)
    topic = docs["utter_start_business"]
    changed = {**topic, "languages": {**topic["languages"], "en": [
        {"text": 'Say "hello"\nto {vat_threshold}.', "buttons": [{"title": "Funding", "payload": "/funding"}]}]}}
    specific = docs["utter_funding/finnvera_loans"]
    part = specific["languages"]["sv"]
    changed_specific = {**specific, "checked": "2026-12-01",
                        "languages": {**specific["languages"], "sv": {**part, "text": "Finnvera borgar för lån."}}}
    await _save(factory, "utter_start_business", changed, topic)
    await _save(factory, "utter_funding/finnvera_loans", changed_specific, specific)
    settings = load_settings({"DATABASE_URL": db_url})
    written = await export_answers(settings, responses)
    assert sorted(p.relative_to(responses).as_posix() for p in written) == ["en.yml", "questions/funding.yml"]
    after = _snapshot(responses)
    assert {k for k in before if before[k] != after[k]} == {Path("en.yml"), Path("questions/funding.yml")}
    again = read_docs(responses)
    assert again["utter_start_business"] == changed and again["utter_funding/finnvera_loans"] == changed_specific
    assert {k: v for k, v in again.items() if k not in ("utter_start_business", "utter_funding/finnvera_loans")} == \
        {k: v for k, v in docs.items() if k not in ("utter_start_business", "utter_funding/finnvera_loans")}
    old, new = before[Path("en.yml")].decode().split("\n"), after[Path("en.yml")].decode().split("\n")
    assert len(old) - len(new) == 4  # three buttons became one: only the answer's own lines moved
    assert new[3:6] == ['utter_start_business:', '  - text: "Say \\"hello\\"\\nto {vat_threshold}."', "    buttons:"]
    assert await export_answers(settings, responses) == []  # idempotent


def test_a_splice_keeps_comments_and_appends_a_new_answer():
    text = "# header\n\nutter_a:\n  - text: \"a\"\n\n# next\nutter_b:\n  - text: \"b\"\n"
    assert splice(text, {"utter_a": ["utter_a:", '  - text: "A"']}) == text.replace('"a"', '"A"')
    assert splice(text, {"utter_c": ["utter_c:", '  - text: "c"']}).endswith('"b"\n\nutter_c:\n  - text: "c"\n')


async def test_an_import_makes_the_files_answers_the_ones_in_use(responses, db_url, factory):
    docs = read_docs(responses)
    topic = docs["utter_start_business"]
    edited = {**topic, "languages": {**topic["languages"], "fi": [{"text": "Muokattu.", "buttons": []}]}}
    await _save(factory, "utter_start_business", edited, topic)
    settings = load_settings({"DATABASE_URL": db_url})
    assert await import_answers(settings, responses) == ["utter_start_business"]
    assert await import_answers(settings, responses) == []  # nothing more to import
    async with session_scope(factory) as session:
        now = await answer_store.current(session, "utter_start_business", topic)
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
        versions = await answer_store.history(session, "utter_start_business")
    assert now.doc == topic and now.number == 3
    assert [v.source for v in versions] == ["import", "edit", "repository"] and versions[0].actor.startswith("cli:")
    assert actions == ["answer.save", "answer.import"]
