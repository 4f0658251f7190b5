"""The training data: files read and written byte for byte, staff edits on top (add, edit, move, delete,
each audited), export and import round trips, the data a training run gets, and the warnings."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict

import pytest
import yaml
from sqlalchemy import select

from bot.console.audit import Actor, AuditEntry
from bot.db import session_scope
from bot.studio import overlap
from bot.studio.models import TrainingEdit
from bot.studio.nlu_files import language_of, parse, read_folder, write_folder
from bot.studio.training import (
    add_example, change_example, delete_example, effective_examples, write_training_data,
)
from bot.studio.training_cli import export_nlu, import_nlu
from tests.conftest import ROOT

NLU = ROOT / "data" / "nlu"
EDITOR = Actor(7, "eeva")


def tree(folder: Path) -> Dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yml"))}


def test_every_training_file_reads_and_writes_back_byte_for_byte(tmp_path):
    files = read_folder(NLU)
    assert len(files) > 70 and {f.language for f in files.values()} == {"fi", "sv", "en"}
    assert sum(len(b.examples) for f in files.values() for b in f.blocks) > 20000
    written = write_folder(files.values(), tmp_path)
    assert len(written) == len(files) and tree(tmp_path) == tree(NLU)
    assert write_folder(files.values(), tmp_path) == []  # nothing changed: nothing rewritten


def test_a_new_block_keeps_rasa_layout_and_languages_are_read_from_the_path():
    nlu = parse("fi.yml", 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hei\n')
    nlu.add("funding", None, "tarvitsen lainaa")
    nlu.add("greet", None, "moi")
    nlu.add("greet", None, "moi")  # an example once
    assert nlu.text() == ('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hei\n    - moi\n\n'
                          '- intent: funding\n  examples: |\n    - tarvitsen lainaa\n')
    assert yaml.safe_load(nlu.text())["nlu"][1] == {"intent": "funding", "examples": "- tarvitsen lainaa\n"}
    assert [language_of(p) for p in ("sv.yml", "questions/en/funding.yml", "out_of_scope_clinc_en.yml")] == ["sv", "en", "en"]
    with pytest.raises(ValueError):
        parse("x.yml", "nlu:\n- intent: greet\n  examples: |\n    - hei\n  oops: 1\n")


async def test_an_export_without_edits_leaves_the_files_byte_identical_and_imports_as_no_edits(factory, tmp_path):
    repository = tmp_path / "nlu"
    shutil.copytree(NLU, repository)
    before = tree(repository)
    assert await export_nlu(factory, repository, repository, "cli:test") == []
    assert tree(repository) == before
    assert await import_nlu(factory, repository, repository, "cli:test") == 0


async def test_edits_export_and_import_again_to_the_same_bytes(factory, tmp_path):
    async with session_scope(factory) as session:
        examples = await effective_examples(session, NLU)
        funding = next(e for e in examples if e.language == "fi" and e.intent == "funding" and e.question is None)
        question = next(e for e in examples if e.language == "sv" and e.question)
        await add_example(session, EDITOR, "en", "funding", "is there money for a bakery in Tapiola")
        await change_example(session, EDITOR, NLU, funding.id, "startup_grant", funding.text)  # a move
        await change_example(session, EDITOR, NLU, question.id, question.intent, question.text + " nu")
        await delete_example(session, EDITOR, NLU, examples[0].id)
    exported = tmp_path / "exported"
    written = await export_nlu(factory, NLU, exported, "cli:test")
    assert set(written) == set(tree(NLU))  # a folder of its own gets every file
    changed = {name for name, data in tree(exported).items() if data != tree(NLU)[name]}
    assert changed == {"en.yml", "fi.yml", question.path, examples[0].path}
    data = yaml.safe_load((exported / "fi.yml").read_text(encoding="utf-8"))["nlu"]
    grant = next(b for b in data if b["intent"] == "startup_grant")["examples"]
    assert f"- {funding.text}\n" in grant
    assert funding.text not in next(b for b in data if b["intent"] == "funding")["examples"]

    async with session_scope(factory) as session:
        first = sorted((e.path, e.intent, e.text) for e in await effective_examples(session, NLU))
    assert await import_nlu(factory, NLU, exported, "cli:test") == 6  # removes: moved, edited, deleted; adds: 3
    async with session_scope(factory) as session:
        assert sorted((e.path, e.intent, e.text) for e in await effective_examples(session, NLU)) == first
    again = tmp_path / "again"
    await export_nlu(factory, NLU, again, "cli:test")
    assert tree(again) == tree(exported)


async def test_every_change_is_audited_with_before_and_after(factory):
    async with session_scope(factory) as session:
        row = await add_example(session, EDITOR, "fi", "funding", "saako kahvila lainaa")
        await change_example(session, EDITOR, NLU, f"s{row.id}", "funding", "saako kahvila pankkilainaa")
        await change_example(session, EDITOR, NLU, f"s{row.id}", "startup_grant", "saako kahvila pankkilainaa")
        await delete_example(session, EDITOR, NLU, f"s{row.id}")
    async with session_scope(factory) as session:
        entries = list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())
        assert (await session.scalars(select(TrainingEdit))).all() == []  # a staff addition deleted is gone
    assert [(e.action, e.actor, e.target) for e in entries] == [
        ("training.add", "eeva", "fi/funding"), ("training.edit", "eeva", "fi/funding"),
        ("training.move", "eeva", "fi/startup_grant"), ("training.delete", "eeva", "fi/startup_grant")]
    assert '"text": "saako kahvila lainaa"' in entries[1].before and "pankkilainaa" in entries[1].after
    assert entries[3].after is None


async def test_write_training_data_is_what_the_next_training_run_reads(factory, tmp_path):
    async with session_scope(factory) as session:
        await add_example(session, EDITOR, "sv", "premises", "finns det lediga lokaler i Köklax")
        written = await write_training_data(session, tmp_path / "nlu", NLU)
    assert "sv.yml" in written and len(written) == len(tree(NLU))
    data = yaml.safe_load((tmp_path / "nlu" / "sv.yml").read_text(encoding="utf-8"))["nlu"]
    assert "- finns det lediga lokaler i Köklax\n" in next(b for b in data if b["intent"] == "premises")["examples"]
    assert tree(NLU)["sv.yml"] != (tmp_path / "nlu" / "sv.yml").read_bytes()


def test_warnings_for_held_out_data_duplicates_and_near_duplicates():
    examples = [("r1", "funding", "Tarvitsen rahoitusta yritykselleni"), ("r2", "greet", "hei")]
    held = yaml.safe_load((ROOT / "tests" / "nlu" / "fi.yml").read_text(encoding="utf-8"))["nlu"][0]
    held_text = held["examples"].splitlines()[0][2:]
    assert [w.kind for w in overlap.warnings(ROOT, examples, held["intent"], held_text)] == [overlap.HELD_OUT]
    found = overlap.warnings(ROOT, examples, "startup_grant", "tarvitsen RAHOITUSTA yritykselleni!")
    assert [(w.kind, w.intent) for w in found] == [(overlap.DUPLICATE, "funding")]
    found = overlap.warnings(ROOT, examples, "startup_grant", "Tarvitsen rahoitusta yritykselle")
    assert [(w.kind, w.intent) for w in found] == [(overlap.NEAR_DUPLICATE, "funding")]
    assert overlap.warnings(ROOT, examples, "funding", "Tarvitsen rahoitusta yritykselle") == []  # same intent: fine
    assert [w.kind for w in overlap.warnings(ROOT, examples, "funding", "tarvitsen rahoitusta yritykselleni")] == [
        overlap.SAME_INTENT]
    assert overlap.warnings(ROOT, examples, "funding", "hei", ignore="r2") == []


def test_the_fingerprints_of_shared_eval_warn_too(monkeypatch):
    dev = ROOT.parent / "shared" / "eval" / "clinc_oos_dev.txt"
    line = next(l for l in dev.read_text(encoding="utf-8").splitlines() if l.strip()) if dev.exists() else None
    prints = (ROOT / overlap.FINGERPRINTS).read_text(encoding="utf-8")
    if line is None:  # without the evaluation data beside the checkout: a fingerprint of the file itself
        line = "x"
        monkeypatch.setattr(overlap, "fingerprint", lambda text: prints.splitlines()[3])
    assert overlap.fingerprint(line) in prints
    assert overlap.is_held_out(ROOT, line) and not overlap.is_held_out(ROOT, "paljonko starttiraha on kuussa xyz")
