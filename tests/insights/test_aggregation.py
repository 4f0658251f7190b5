"""The aggregation against small hand-counted data, on SQLite and PostgreSQL: incremental, never twice."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Dict, Tuple

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.db import session_scope
from bot.handoff.models import CLAIMED, CLOSED, KIND_CONTACT, KIND_LIVE, WAITING, HandoffConversation, HandoffRequest
from bot.insights import job
from bot.insights.models import DailyCount, OpenConversation
from tests.insights.events import DAY, MONDAY, bot, slot, store, user

P1 = "https://www.espoo.fi/fi/yrityspalvelut"
MON, TUE = date(2026, 11, 2), date(2026, 11, 3)
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc)
SETTINGS = load_settings({"BOT_RETENTION_DAYS": "36500"})

A_FIRST = [user(MONDAY, "greet", "hei", page=P1), slot(MONDAY + 0.1, "language", "fi"), bot(MONDAY + 0.2, "utter_greet"),
           user(MONDAY + 10, "funding", "rahoitus", page=P1), slot(MONDAY + 10.1, "language", "fi"),
           bot(MONDAY + 10.2, "utter_funding/finnvera_loans")]
A_REST = [user(MONDAY + 20, "request_human", "ihminen", page=P1), bot(MONDAY + 20.2, "utter_handoff_queued"),
          bot(MONDAY + 60, None, adviser="Anna")]
B = [user(MONDAY + 100, "nlu_fallback", "asdf", page="https://www.espoo.fi/sv/x?email=a@b.fi#top"),
     slot(MONDAY + 100.1, "language", "sv"), slot(MONDAY + 100.2, "misunderstanding", "first"),
     bot(MONDAY + 100.3, "utter_default"),
     user(MONDAY + 110, "out_of_scope", "väder"), slot(MONDAY + 110.1, "misunderstanding", "repeated"),
     bot(MONDAY + 110.3, "utter_offer_human"),
     user(MONDAY + 120, "find_recruitment_offers", "Kokki anna@example.fi Espoo 2026 kokki"),
     bot(MONDAY + 120.3, "utter_offers_none")]
C = [user(MONDAY + DAY, "find_events", "startup events", language="en"), slot(MONDAY + DAY + 0.1, "language", "en"),
     bot(MONDAY + DAY + 0.2, "utter_events_found_more"),
     user(MONDAY + DAY + 10, "show_more", "/show_more", language="en"), bot(MONDAY + DAY + 10.2, "utter_events_found"),
     user(MONDAY + DAY + 20, "feedback_negative", "useless", language="en"),
     bot(MONDAY + DAY + 20.2, "utter_feedback_negative"),
     user(MONDAY + DAY + 30, "handoff_finished", "EXTERNAL: handoff_finished", external=True)]


async def counts(factory) -> Dict[Tuple[str, date, str, str], int]:
    async with session_scope(factory) as session:
        rows = (await session.execute(select(DailyCount))).scalars().all()
    return {(r.metric, r.day, r.language, r.key): r.value for r in rows}


async def run(factory, tracker, now: datetime = NOW) -> job.Summary:
    return await job.aggregate_once(factory, tracker, SETTINGS, "test-secret", now=now)


EXPECTED = {
    ("conversation", MON, "fi", ""): 1, ("message", MON, "fi", ""): 3,
    ("entry_conversation", MON, "fi", P1): 1, ("entry_message", MON, "fi", P1): 3,
    ("intent", MON, "fi", "greet"): 1, ("intent", MON, "fi", "funding"): 1, ("intent", MON, "fi", "request_human"): 1,
    ("answer", MON, "fi", "utter_greet"): 1, ("answer", MON, "fi", "utter_funding/finnvera_loans"): 1,
    ("answer", MON, "fi", "utter_handoff_queued"): 1,
    ("answer_then_human", MON, "fi", "utter_funding/finnvera_loans"): 1,
    # B: the page's language was Finnish, the conversation Swedish; the page without its query.
    ("conversation", MON, "sv", ""): 1, ("message", MON, "sv", ""): 3,
    ("entry_conversation", MON, "sv", "https://www.espoo.fi/sv/x"): 1,
    ("entry_message", MON, "sv", "https://www.espoo.fi/sv/x"): 3,
    ("intent", MON, "sv", "nlu_fallback"): 1, ("intent", MON, "sv", "out_of_scope"): 1,
    ("intent", MON, "sv", "find_recruitment_offers"): 1, ("not_understood_twice", MON, "sv", ""): 1,
    ("answer", MON, "sv", "utter_default"): 1, ("answer", MON, "sv", "utter_offer_human"): 1,
    ("answer", MON, "sv", "utter_offers_none"): 1,
    ("search_none", MON, "sv", "offers:kokki espoo"): 1,  # the e-mail and the year are not kept
    # C: no page reported; "show more" is no new look-up; the external intent is no message.
    ("conversation", TUE, "en", ""): 1, ("message", TUE, "en", ""): 3,
    ("entry_conversation", TUE, "en", ""): 1, ("entry_message", TUE, "en", ""): 3,
    ("intent", TUE, "en", "find_events"): 1, ("intent", TUE, "en", "show_more"): 1,
    ("intent", TUE, "en", "feedback_negative"): 1,
    ("answer", TUE, "en", "utter_events_found_more"): 1, ("answer", TUE, "en", "utter_events_found"): 1,
    ("answer", TUE, "en", "utter_feedback_negative"): 1,
    ("lookup", TUE, "en", "events:startup events"): 1, ("answer_then_negative", TUE, "en", "utter_events_found"): 1,
}


async def test_hand_counted_events_incrementally_and_never_twice(factory, tracker, clean):
    await store(tracker, "conv-a", A_FIRST)
    await store(tracker, "conv-b", B)
    first = await run(factory, tracker)
    assert first.events == len(A_FIRST) + len(B)  # user, bot and slot events: the job reads only those
    await store(tracker, "conv-a", A_REST)
    await store(tracker, "conv-c", C)
    await run(factory, tracker)
    await run(factory, tracker)  # nothing new: nothing counted again
    found = await counts(factory)
    assert {k: v for k, v in found.items() if not k[0].startswith(("handoff", "rating", "contact"))} == EXPECTED
    async with session_scope(factory) as session:
        keys = (await session.execute(select(OpenConversation.key))).scalars().all()
    assert len(keys) == 3 and "conv-a" not in keys  # only HMACs of the ids


async def test_a_message_nobody_answered_counts_after_a_minute(factory, tracker, clean):
    await store(tracker, "paused", [user(MONDAY, "funding", "rahoitus", page=P1, language="sv")])
    await run(factory, tracker, now=datetime.fromtimestamp(MONDAY + 30, timezone.utc))
    assert await counts(factory) == {}
    await run(factory, tracker, now=datetime.fromtimestamp(MONDAY + 61, timezone.utc))
    assert (await counts(factory)) == {("conversation", MON, "sv", ""): 1, ("message", MON, "sv", ""): 1,
                                       ("entry_conversation", MON, "sv", P1): 1, ("entry_message", MON, "sv", P1): 1,
                                       ("intent", MON, "sv", "funding"): 1}


async def test_handoff_figures_from_the_app_tables_are_counted_again_in_the_window(factory, tracker, clean):
    created = datetime.fromtimestamp(MONDAY, timezone.utc)
    async with session_scope(factory) as session:
        for cid, rating in (("h1", 4), ("h2", None), ("h3", None)):
            session.add(HandoffConversation(conversation_id=cid, language="fi", status=CLOSED, created_at=created,
                                            last_activity_at=created, rating=rating,
                                            rated_at=created + timedelta(minutes=9) if rating else None))
        await session.flush()
        session.add(HandoffRequest(conversation_id="h1", kind=KIND_LIVE, status=CLOSED, language="fi",
                                   created_at=created, claimed_at=created + timedelta(seconds=95)))
        session.add(HandoffRequest(conversation_id="h2", kind=KIND_LIVE, status=WAITING, language="fi",
                                   created_at=created))
        session.add(HandoffRequest(conversation_id="h3", kind=KIND_CONTACT, status=CLAIMED, language="sv",
                                   intents=" greet funding ", created_at=created))
    expected = {("handoff_request", MON, "fi", ""): 2, ("handoff_answered", MON, "fi", ""): 1,
                ("handoff_wait", MON, "fi", "0000090"): 1, ("contact_request", MON, "sv", "funding"): 1,
                ("rating", MON, "fi", "4"): 1}
    soon = datetime.fromtimestamp(MONDAY + DAY, timezone.utc)  # within the days counted again
    await run(factory, tracker, now=soon)
    assert await counts(factory) == expected
    async with session_scope(factory) as session:  # the waiting one is claimed later: counted again, not added
        row = (await session.execute(select(HandoffRequest).where(HandoffRequest.conversation_id == "h2"))).scalar_one()
        row.claimed_at = created + timedelta(seconds=250)
    await run(factory, tracker, now=soon)
    assert await counts(factory) == {**expected, ("handoff_answered", MON, "fi", ""): 2,
                                     ("handoff_wait", MON, "fi", "0000240"): 1}


async def test_days_before_the_window_are_final(factory, tracker, clean):
    """Retention later deletes the rows a day was counted from: its figures stay."""
    created = datetime.fromtimestamp(MONDAY, timezone.utc)
    async with session_scope(factory) as session:
        session.add(HandoffConversation(conversation_id="old", language="en", status=CLOSED, created_at=created,
                                        last_activity_at=created))
        await session.flush()
        session.add(HandoffRequest(conversation_id="old", kind=KIND_LIVE, status=WAITING, language="en",
                                   created_at=created))
    await run(factory, tracker, now=NOW)
    async with session_scope(factory) as session:
        await session.delete(await session.get(HandoffConversation, "old"))
    await run(factory, tracker, now=NOW + timedelta(days=1))
    assert await counts(factory) == {("handoff_request", MON, "en", ""): 1}


async def test_two_runs_at_once_count_everything_once(factory, tracker, clean):
    """The lease keeps a second process away; were two runs to overlap, the progress rows settle it."""
    import asyncio

    created = datetime.fromtimestamp(MONDAY, timezone.utc)
    async with session_scope(factory) as session:
        session.add(HandoffConversation(conversation_id="h1", language="fi", status=CLOSED, created_at=created,
                                        last_activity_at=created, rating=5, rated_at=created))
        await session.flush()
        session.add(HandoffRequest(conversation_id="h1", kind=KIND_LIVE, status=CLOSED, language="fi",
                                   created_at=created, claimed_at=created + timedelta(seconds=20)))
    await store(tracker, "conv-a", A_FIRST + A_REST)
    await store(tracker, "conv-b", B)
    await store(tracker, "conv-c", C)
    soon = datetime.fromtimestamp(MONDAY + DAY, timezone.utc)
    await asyncio.gather(*(job.aggregate_once(factory, tracker, SETTINGS, "test-secret", now=soon) for _ in range(3)),
                         return_exceptions=True)
    await run(factory, tracker, now=soon)
    found = await counts(factory)
    assert {k: v for k, v in found.items() if not k[0].startswith(("handoff", "rating"))} == EXPECTED
    assert {k: v for k, v in found.items() if k[0].startswith(("handoff", "rating"))} == {
        ("handoff_request", MON, "fi", ""): 1, ("handoff_answered", MON, "fi", ""): 1,
        ("handoff_wait", MON, "fi", "0000015"): 1, ("rating", MON, "fi", "5"): 1}
