"""Retention (old rows gone, recent kept), the job's lease (one process at a time), deleting one person's data."""
from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import make_engine, make_sessionmaker, session_scope
from bot.config import load_settings
from bot.handoff import privacy
from bot.handoff.models import HandoffConversation, PrivacyAudit
from tests.handoff.privacy_support import rows, seed, tracker  # noqa: F401
from tests.handoff.support import OPEN_NOW

SETTINGS = load_settings({"BOT_RETENTION_DAYS": "90", "BOT_CONTACT_RETENTION_DAYS": "180"})
EVERYTHING = {"events": 3, "contact_drafts": 0, "handoff_notes": 1, "handoff_tags": 1, "handoff_requests": 1,
              "handoff_conversations": 1}
NOTHING = dict.fromkeys(EVERYTHING, 0)


async def _audits(factory):
    async with session_scope(factory) as session:
        return list((await session.scalars(select(PrivacyAudit).order_by(PrivacyAudit.id))).all())


async def test_retention_deletes_what_is_older_than_its_time_and_keeps_the_rest(factory, tracker):  # noqa: F811
    await seed(factory, tracker, "old", OPEN_NOW - timedelta(days=91))
    await seed(factory, tracker, "recent", OPEN_NOW - timedelta(days=89))
    await seed(factory, tracker, "old-contact", OPEN_NOW - timedelta(days=100), email="anna@example.fi")
    await seed(factory, tracker, "stale-contact", OPEN_NOW - timedelta(days=181), phone="+358401234567")
    counts = await privacy.apply_retention(factory, tracker, SETTINGS, now=OPEN_NOW)

    assert await rows(factory, tracker, "old") == NOTHING
    assert await rows(factory, tracker, "stale-contact") == NOTHING
    assert await rows(factory, tracker, "recent") == EVERYTHING
    # A contact request is kept for 180 days; its conversation's other traces go after 90.
    assert await rows(factory, tracker, "old-contact") == {**NOTHING, "handoff_requests": 1, "handoff_conversations": 1}
    async with session_scope(factory) as session:
        anchor = await session.get(HandoffConversation, "old-contact")
    assert (anchor.rating, anchor.search_text, anchor.intents) == (None, "", " ")
    assert counts == {"events": 9, "handoff_requests": 4, "handoff_notes": 3, "handoff_tags": 3, "contact_drafts": 0,
                      "handoff_conversations": 2, "ratings_and_search_text_cleared": 1}
    [audit] = await _audits(factory)
    assert (audit.action, audit.actor, audit.subject_hash, json.loads(audit.counts)) == (
        "retention", "retention", None, counts)
    assert await privacy.apply_retention(factory, tracker, SETTINGS, now=OPEN_NOW) == dict.fromkeys(counts, 0)
    assert len(await _audits(factory)) == 1  # a run that deleted nothing leaves no audit row


async def test_retention_waits_for_rasa_to_create_its_tables(tmp_path, factory):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty_tracker.db'}")
    try:
        counts = await privacy.apply_retention(factory, make_sessionmaker(engine), SETTINGS, now=OPEN_NOW)
    finally:
        await engine.dispose()
    assert counts["events"] == 0


async def test_two_processes_at_once_one_runs_the_job(engine, factory, tracker):  # noqa: F811
    await seed(factory, tracker, "old", OPEN_NOW - timedelta(days=91))
    url = engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(2)]
    try:
        factories = [make_sessionmaker(e) for e in engines]
        results = await asyncio.gather(*(
            privacy.retention_once(f, f, SETTINGS, f"process-{n}", now=OPEN_NOW) for n, f in enumerate(factories)
        ))
        assert await privacy.retention_once(factories[0], factories[0], SETTINGS, "process-0",
                                            now=OPEN_NOW + timedelta(minutes=59)) is None  # within the hour
        later = await privacy.retention_once(factories[1], factories[1], SETTINGS, "process-1",
                                             now=OPEN_NOW + timedelta(hours=1))
    finally:
        for made in engines:
            await made.dispose()
    ran = [r for r in results if r is not None]
    assert len(ran) == 1 and ran[0]["events"] == 3 and ran[0]["handoff_conversations"] == 1
    assert later is not None and not any(later.values())
    assert await rows(factory, tracker, "old") == NOTHING
    assert len(await _audits(factory)) == 1


@pytest.mark.parametrize("selector, value", [
    ("conversation", "anna-1"), ("email", " Anna@Example.FI "), ("phone", "040 123 4567"),
])
async def test_deleting_one_person_removes_every_trace_and_audits_without_personal_data(
    factory, tracker, selector, value,  # noqa: F811
):
    email = "anna@example.fi" if selector != "phone" else None
    phone = "+358401234567" if selector == "phone" else None
    await seed(factory, tracker, "anna-1", OPEN_NOW, email=email, phone=phone, draft=True)
    if selector != "conversation":  # the same person's second conversation, found by the contact detail
        await seed(factory, tracker, "anna-2", OPEN_NOW, email=email, phone=phone)
    await seed(factory, tracker, "someone-else", OPEN_NOW, email="bob@example.fi", draft=True)
    before = await rows(factory, tracker)

    preview = await privacy.erase(factory, tracker, selector, value, actor="cli", salt="s", dry_run=True)
    assert await rows(factory, tracker) == before and await _audits(factory) == []
    outcome = await privacy.erase(factory, tracker, selector, value, actor="cli", salt="s", now=OPEN_NOW)

    assert outcome.counts == preview.counts and outcome.conversations == preview.conversations
    for conversation_id in ("anna-1", "anna-2"):
        assert await rows(factory, tracker, conversation_id) == NOTHING
    assert await rows(factory, tracker, "someone-else") == {**EVERYTHING, "contact_drafts": 1, "handoff_requests": 2}
    after = await rows(factory, tracker)
    assert {table: before[table] - after[table] for table in before} == outcome.counts
    assert all(outcome.counts.values())  # every table had a row of this person
    [audit] = await _audits(factory)
    stored = " ".join(str(getattr(audit, c.name)) for c in PrivacyAudit.__table__.columns).lower()
    assert "anna" not in stored and "example" not in stored and "4567" not in stored
    assert audit.selector == selector and len(audit.subject_hash) == 64 and json.loads(audit.counts) == outcome.counts


async def test_an_address_that_is_not_one_names_nobody(factory, tracker):  # noqa: F811
    with pytest.raises(privacy.NotFound):
        await privacy.erase(factory, tracker, "email", "not an address", actor="cli")
    outcome = await privacy.erase(factory, tracker, "email", "nobody@example.fi", actor="cli")
    assert outcome.conversations == [] and outcome.total == 0
