"""The NLU inbox: what the job collects from the tracker store (masked, with the prediction), thumbs down
and review tags, grouping, confirm/correct/dismiss with the audit, retention and privacy delete."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

import pytest
from sqlalchemy import delete, select

from bot.config import load_settings
from bot.console.audit import Actor, AuditEntry
from bot.db import session_scope
from bot.handoff import privacy
from bot.handoff.models import CLOSED, ConversationTag, HandoffConversation
from bot.handoff.privacy import EVENTS
from bot.insights.feedback import record_vote
from bot.insights.models import Progress
from bot.studio import inbox
from bot.studio.inbox_job import collect_once
from bot.studio.models import InboxItem, InboxSignal
from bot.studio.training import effective_examples
from tests.conftest import ROOT
from tests.handoff.privacy_support import tracker  # noqa: F401

SETTINGS = load_settings({"BOT_RETENTION_DAYS": "90", "STUDIO_INBOX_CONFIDENCE": "0.5",
                          "STUDIO_INBOX_TAGS": "nlu,misunderstood"})
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
EDITOR = Actor(3, "eeva")


def user(text: str, intent: str, confidence: float, *, ranking: Optional[List[Dict[str, Any]]] = None,
         **extra: Any) -> Dict[str, Any]:
    parse = {"intent": {"name": intent, "confidence": confidence}, "intent_ranking": ranking or []}
    return {"event": "user", "text": text, "parse_data": parse, **extra}


async def add_events(tracker, sender: str, made: List[Dict[str, Any]], at: datetime = NOW) -> None:  # noqa: F811
    async with tracker() as session:
        for n, event in enumerate(made):
            stamp = (at + timedelta(seconds=n)).timestamp()
            await session.execute(EVENTS.insert().values(
                sender_id=sender, type_name=event["event"], timestamp=stamp, data=json.dumps({**event, "timestamp": stamp})))
        await session.commit()


@pytest.fixture
async def clean(engine, tracker):  # noqa: F811
    async with engine.begin() as connection:
        await connection.execute(delete(Progress.__table__))
    return tracker


async def items(factory) -> List[InboxItem]:
    async with session_scope(factory) as session:
        return list((await session.scalars(select(InboxItem).order_by(InboxItem.event_id))).all())


async def test_the_job_collects_what_was_not_understood_masked_with_the_prediction(factory, clean):
    tracker = clean
    fallback = user("soita mulle 040 123 4567 tai anna.virtanen@example.fi, hetu 131052-308T", "nlu_fallback", 0.15,
                    ranking=[{"name": "nlu_fallback", "confidence": 0.15}, {"name": "funding", "confidence": 0.12}])
    await add_events(tracker, "conv-a", [
        fallback, {"event": "slot", "name": "language", "value": "fi"},
        user("Tilinumero FI21 1234 5600 0007 85, mitä nyt?", "out_of_scope", 0.8),
        user("ehkä rahoitusta", "funding", 0.31, metadata={"language": "sv"}),
        user("Tarvitsen rahoitusta", "funding", 0.93),  # understood: not collected
        user("/affirm", "affirm", 0.2),  # a button: not typed
        user("EXTERNAL: x", "handoff_finished", 0.1, metadata={"is_external": True}),
    ])
    assert await collect_once(factory, tracker, SETTINGS) == 3
    found = await items(factory)
    assert [(i.text, i.intent, i.reasons, i.language) for i in found] == [
        ("soita mulle [phone] tai [e-mail], hetu [personal id]", "funding", "not_understood", "fi"),
        ("Tilinumero [IBAN], mitä nyt?", "out_of_scope", "not_understood", "fi"),
        ("ehkä rahoitusta", "funding", "low_confidence", "sv"),
    ]
    assert found[0].confidence == pytest.approx(0.12) and found[0].conversation_id == "conv-a"
    assert await collect_once(factory, tracker, SETTINGS) == 0  # the watermark: nothing twice


async def test_a_thumbs_down_and_a_review_tag_bring_their_messages(factory, clean):
    tracker = clean
    await add_events(tracker, "conv-b", [
        user("voiko starttirahaa saada sivutoimisena", "startup_grant", 0.9),
        {"event": "bot", "text": "Starttiraha…", "metadata": {"answer": "utter_startup_grant"}},
        user("entä kevytyrittäjä", "startup_grant", 0.95),
        {"event": "bot", "text": "Kevyt…", "metadata": {"answer": "utter_light_entrepreneur"}},
    ])
    await add_events(tracker, "conv-c", [
        user("haluun puhuu jonkun kaa", "request_human", 0.97), {"event": "pause"},
        user("hei Anna, numeroni on 040 765 4321", "greet", 0.6), {"event": "resume"},
    ])
    assert await collect_once(factory, tracker, SETTINGS) == 0  # all understood with confidence
    assert await record_vote(factory, "secret", "conv-b", "utter_startup_grant", False, "fi")
    assert await record_vote(factory, "secret", "conv-b", "utter_light_entrepreneur", True, "fi")  # a thumbs up: no
    async with session_scope(factory) as session:
        session.add(HandoffConversation(conversation_id="conv-c", language="fi", status=CLOSED, created_at=NOW,
                                        last_activity_at=NOW))
        await session.flush()
        session.add(ConversationTag(conversation_id="conv-c", tag="misunderstood"))
    assert await collect_once(factory, tracker, SETTINGS) == 2
    assert [(i.conversation_id, i.text, i.reasons) for i in await items(factory)] == [
        ("conv-b", "voiko starttirahaa saada sivutoimisena", "thumbs_down"),
        ("conv-c", "haluun puhuu jonkun kaa", "tagged"),  # what was typed to the adviser stays out
    ]
    async with session_scope(factory) as session:
        assert all(s.done for s in (await session.scalars(select(InboxSignal))).all())
    assert await collect_once(factory, tracker, SETTINGS) == 0


def _item(n: int, text: str, language: str = "fi") -> InboxItem:
    return InboxItem(id=n, event_id=n, conversation_id=f"c{n}", language=language, text=text, intent="funding",
                     confidence=0.3, reasons="low_confidence", at=NOW, status="open")


def test_similar_messages_are_grouped_per_language():
    made = [_item(1, "miten haen starttirahaa"), _item(2, "kuka tekee kirjanpidon"), _item(3, "miten haen starttirahan"),
            _item(4, "Miten haen starttirahaa?"), _item(5, "miten haen starttirahaa", "sv")]
    assert [[i.id for i in g] for g in inbox.group_items(made)] == [[1, 3, 4], [2], [5]]


async def test_confirm_correct_and_dismiss_add_examples_and_are_audited(factory):
    async with session_scope(factory) as session:
        for n, text in ((1, "saako leipomo lainaa"), (2, "apua alv-ilmoitukseen"), (3, "asdf"), (4, "hei hei")):
            session.add(_item(n, text))
    nlu = ROOT / "data" / "nlu"
    async with session_scope(factory) as session:
        done = await inbox.resolve(session, EDITOR, ROOT, nlu, [1], "confirm")
        assert done.done == [1]
        assert (await inbox.resolve(session, EDITOR, ROOT, nlu, [2], "correct", "taxes_and_accounting")).done == [2]
        assert (await inbox.resolve(session, EDITOR, ROOT, nlu, [3, 4, 99], "dismiss")).skipped == [99]
        with pytest.raises(ValueError):
            await inbox.resolve(session, EDITOR, ROOT, nlu, [1], "correct", "no_such_intent")
    async with session_scope(factory) as session:
        staff = [(e.intent, e.text) for e in await effective_examples(session, nlu) if e.edit_id]
        actions = [a for a in (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()]
        assert await inbox.open_count(session) == 0
    assert staff == [("funding", "saako leipomo lainaa"), ("taxes_and_accounting", "apua alv-ilmoitukseen")]
    assert actions == ["inbox.confirm.add", "inbox.confirm", "inbox.correct.add", "inbox.correct", "inbox.dismiss",
                       "inbox.dismiss"]


async def test_held_out_test_messages_are_never_added(factory):
    held = (ROOT / "tests" / "nlu" / "fi.yml").read_text(encoding="utf-8").split("    - ", 1)[1].splitlines()[0]
    async with session_scope(factory) as session:
        session.add(_item(1, held))
    async with session_scope(factory) as session:
        outcome = await inbox.resolve(session, EDITOR, ROOT, ROOT / "data" / "nlu", [1], "confirm")
    assert outcome.held_out == [1] and outcome.done == []
    async with session_scope(factory) as session:
        assert await inbox.open_count(session) == 1


async def test_retention_and_privacy_delete_remove_the_inbox_rows(factory, clean):
    tracker = clean
    async with session_scope(factory) as session:
        session.add(_item(1, "vanha viesti"))
        session.add(_item(2, "uusi viesti"))
        session.add(_item(3, "toisen viesti"))
        session.add(InboxSignal(conversation_id="c2", kind="down", answer="utter_x", at=NOW, done=True))
    async with session_scope(factory) as session:
        (await session.get(InboxItem, 1)).at = NOW - timedelta(days=91)
    counts = await privacy.apply_retention(factory, tracker, SETTINGS, now=NOW)
    assert counts["studio_inbox"] == 1
    assert [i.id for i in await items(factory)] == [2, 3]
    outcome = await privacy.erase(factory, tracker, "conversation", "c2", actor="cli", salt="s")
    assert outcome.counts["studio_inbox"] == 1 and outcome.counts["studio_inbox_signals"] == 1
    assert [i.id for i in await items(factory)] == [3]
