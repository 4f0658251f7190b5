"""The queue: enqueue (idempotent, under races), tickets, contact requests, ratings, claims."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db import make_engine, make_sessionmaker, session_scope
from bot.config import load_settings
from bot.console.accounts import create_adviser, open_session
from bot.handoff import QueueTicket, create_contact_request, enqueue, save_rating
from bot.handoff.models import (
    CLAIMED, CLOSED, HANDED_BACK, KIND_CONTACT, RATED_ONLY, TIMED_OUT, WAITING, HandoffConversation, HandoffRequest,
)
from bot.handoff.queue import claim, claim_timed_out, finish, join_intents, reopen, split_intents
from bot.validation import NO_BUSINESS_ID
from tests.handoff.support import OPEN_NOW

SETTINGS = load_settings({"HANDOFF_MINUTES_PER_CONVERSATION": "6", "HANDOFF_ONLINE_SECONDS": "90"})


async def _adviser(factory, name: str = "anna") -> int:
    async with session_scope(factory) as session:
        adviser = await create_adviser(session, name, name.title(), "a long enough password", now=OPEN_NOW)
        return adviser.id


async def test_tickets_count_who_waits_ahead_and_estimate_the_wait(factory):
    tickets = []
    for n in range(3):
        async with session_scope(factory) as session:
            tickets.append(await enqueue(session, f"c{n}", "fi", ["funding"], "requested",
                                         settings=SETTINGS, now=OPEN_NOW + timedelta(seconds=n)))
    assert tickets == [QueueTicket(1, 0, 6), QueueTicket(2, 1, 12), QueueTicket(3, 2, 18)]
    # Two advisers online halve the estimate.
    for name in ("anna", "bertil"):
        adviser_id = await _adviser(factory, name)
        async with session_scope(factory) as session:
            from bot.handoff.models import Adviser
            await open_session(session, await session.get(Adviser, adviser_id), SETTINGS, now=OPEN_NOW)
    async with session_scope(factory) as session:
        assert await enqueue(session, "c2", "fi", [], "requested", settings=SETTINGS, now=OPEN_NOW) == QueueTicket(3, 2, 9)


async def test_enqueue_is_idempotent_and_merges_the_intents_seen(factory):
    async with session_scope(factory) as session:
        first = await enqueue(session, "conv", "sv", ["funding"], "requested", settings=SETTINGS, now=OPEN_NOW)
    async with session_scope(factory) as session:
        again = await enqueue(session, "conv", "sv", ["funding", "permits"], "requested", settings=SETTINGS, now=OPEN_NOW)
    assert first == again
    async with session_scope(factory) as session:
        assert await session.scalar(select(func.count()).select_from(HandoffRequest)) == 1
        row = await session.get(HandoffConversation, "conv")
        assert (row.language, row.status, row.escalated) == ("sv", WAITING, True)
        assert split_intents(row.intents) == ["funding"]


async def test_enqueue_races_make_one_queue_entry(engine, factory):
    url = str(engine.url.render_as_string(hide_password=False))
    engines = [make_engine(url) for _ in range(4)]
    try:
        async def one(made):
            async with session_scope(make_sessionmaker(made)) as session:
                return await enqueue(session, "racy", "fi", ["funding"], "requested", settings=SETTINGS, now=OPEN_NOW)

        tickets = await asyncio.gather(*(one(made) for made in engines))
    finally:
        for made in engines:
            await made.dispose()
    assert len(set(tickets)) == 1
    async with session_scope(factory) as session:
        assert await session.scalar(select(func.count()).select_from(HandoffRequest)) == 1


async def test_a_new_escalation_after_a_finished_one_queues_again(factory):
    adviser_id = await _adviser(factory)
    async with session_scope(factory) as session:
        await enqueue(session, "conv", "en", [], "requested", settings=SETTINGS, now=OPEN_NOW)
    async with session_scope(factory) as session:
        entry_id = await session.scalar(select(HandoffRequest.id))
        assert await claim(session, entry_id, adviser_id)
        assert await finish(session, entry_id, adviser_id, HANDED_BACK)
    async with session_scope(factory) as session:
        assert (await enqueue(session, "conv", "en", [], "requested", settings=SETTINGS, now=OPEN_NOW)).position == 1
        assert await session.scalar(select(func.count()).select_from(HandoffRequest)) == 2


async def test_two_advisers_claiming_at_once_one_wins(engine, factory):
    first, second = await _adviser(factory, "anna"), await _adviser(factory, "bertil")
    async with session_scope(factory) as session:
        await enqueue(session, "conv", "fi", [], "requested", settings=SETTINGS, now=OPEN_NOW)
        entry_id = await session.scalar(select(HandoffRequest.id))
    url = str(engine.url.render_as_string(hide_password=False))
    engines = [make_engine(url), make_engine(url)]
    try:
        async def attempt(made, adviser_id):
            async with session_scope(make_sessionmaker(made)) as session:
                return await claim(session, entry_id, adviser_id)

        results = await asyncio.gather(attempt(engines[0], first), attempt(engines[1], second))
    finally:
        for made in engines:
            await made.dispose()
    assert sorted(results) == [False, True]
    async with session_scope(factory) as session:
        entry = await session.get(HandoffRequest, entry_id)
        assert entry.status == CLAIMED
        assert entry.claimed_by_id == (first if results[0] else second)
        # Only the holder may finish it.
        loser = second if results[0] else first
        assert not await finish(session, entry_id, loser, CLOSED)
        assert await finish(session, entry_id, entry.claimed_by_id, CLOSED)
        assert (await session.get(HandoffConversation, "conv")).status == CLOSED


async def test_contact_request_is_validated_normalised_and_queued(factory):
    async with session_scope(factory) as session:
        request_id = await create_contact_request(
            session, "conv", "sv", " Oy Testi Ab ", "1572860-0", "Export to Sweden", "phone", "040 123 4567", True,
            now=OPEN_NOW,
        )
    async with session_scope(factory) as session:
        entry = await session.get(HandoffRequest, request_id)
        assert (entry.kind, entry.status, entry.language) == (KIND_CONTACT, WAITING, "sv")
        assert (entry.company_name, entry.business_id, entry.contact_value) == ("Oy Testi Ab", "1572860-0", "+358401234567")
        assert entry.consent_at == OPEN_NOW


@pytest.mark.parametrize("field, value", [
    ("business_id", "1572860-1"), ("business_id", "12345"), ("contact_value", "not-an-address"),
    ("contact_method", "fax"), ("consent", False), ("company_name", "  "),
])
async def test_contact_request_refuses_bad_input(factory, field, value):
    values = dict(company_name="Oy Testi Ab", business_id="1572860-0", topic="t", contact_method="email",
                  contact_value="anna@example.fi", consent=True)
    values[field] = value
    async with session_scope(factory) as session:
        with pytest.raises(ValueError):
            await create_contact_request(session, "conv", "fi", **values)
    async with session_scope(factory) as session:
        assert await session.scalar(select(func.count()).select_from(HandoffRequest)) == 0


@pytest.mark.parametrize("business_id", [None, "", NO_BUSINESS_ID])
async def test_a_company_without_a_business_id_yet_is_stored_without_one(factory, business_id):
    async with session_scope(factory) as session:
        await create_contact_request(session, "founder", "fi", "Kahvila Kuppi", business_id, "t", "email",
                                     "anna@example.fi", True, now=OPEN_NOW)
    async with session_scope(factory) as session:
        entry = (await session.execute(select(HandoffRequest))).scalar_one()
        assert (entry.company_name, entry.business_id) == ("Kahvila Kuppi", None)


async def test_rating_is_stored_and_a_rated_only_conversation_is_reviewable(factory):
    async with session_scope(factory) as session:
        await save_rating(session, "rated", 4, now=OPEN_NOW)
    async with session_scope(factory) as session:
        await save_rating(session, "rated", 5, now=OPEN_NOW + timedelta(minutes=1))
    async with session_scope(factory) as session:
        row = await session.get(HandoffConversation, "rated")
        assert (row.rating, row.status, row.escalated) == (5, RATED_ONLY, False)
        for bad in (0, 6, "5", True):
            with pytest.raises(ValueError):
                await save_rating(session, "rated", bad)


async def test_timeouts_are_taken_once_and_can_be_reopened(factory):
    async with session_scope(factory) as session:
        await enqueue(session, "old", "fi", [], "requested", settings=SETTINGS, now=OPEN_NOW)
        await enqueue(session, "new", "fi", [], "requested", settings=SETTINGS, now=OPEN_NOW + timedelta(minutes=4))
        await create_contact_request(session, "contact", "fi", "Oy A", "1572860-0", "t", "email", "a@b.fi", True,
                                     now=OPEN_NOW)
    later = OPEN_NOW + timedelta(minutes=5)
    async with session_scope(factory) as session:
        won = await claim_timed_out(session, 300, now=later)
    assert [entry.conversation_id for entry in won] == ["old"]
    async with session_scope(factory) as session:
        assert await claim_timed_out(session, 300, now=later) == []
        assert await reopen(session, won[0].id, TIMED_OUT, WAITING)
        assert (await session.get(HandoffConversation, "old")).status == WAITING


def test_intents_are_stored_so_that_one_can_be_found_with_like():
    assert join_intents(["funding", "permits", "funding", "", "two words"]) == " funding permits "
    assert split_intents(" funding permits ") == ["funding", "permits"]
    assert join_intents([]) == " "
