"""action_save_rating stores a rating only in a conversation an adviser took (both databases)."""
from __future__ import annotations

from typing import Any, AsyncIterator, List, Optional, Tuple

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import database
from actions.handoff import ActionSaveRating
from bot.handoff import enqueue, handoff_happened
from bot.handoff.models import CLOSED, HANDED_BACK, HandoffConversation, HandoffRequest
from bot.handoff.queue import claim, finish
from bot.db import session_scope
from tests.conftest import make_tracker, user_event
from tests.handoff.test_queue import SETTINGS, _adviser

CID = "test-sender"  # the sender of tests.conftest.make_tracker


@pytest.fixture
async def action_database(db_url: str) -> AsyncIterator[str]:
    """The action server's database is the test database (opened as at the server's start)."""
    async with database.opened(db_url):
        yield db_url


async def rate(text: str, rating: Any) -> Tuple[List[Optional[str]], List[dict]]:
    """Run the action as Rasa would after a "rate" message; the responses and the events."""
    tracker = make_tracker([user_event(text, "rate")], slots={"rating": rating})
    dispatcher = CollectingDispatcher()
    events = await ActionSaveRating().run(dispatcher, tracker, {})
    return [m.get("response") for m in dispatcher.messages], events


async def stored_rating(factory) -> Optional[int]:
    async with session_scope(factory) as session:
        return await session.scalar(select(HandoffConversation.rating).where(HandoffConversation.conversation_id == CID))


async def queue_and_claim(factory, status: Optional[str]) -> None:
    """Queue CID, let an adviser claim it and, with `status`, hand it back or close it."""
    adviser_id = await _adviser(factory)
    async with session_scope(factory) as session:
        await enqueue(session, CID, "fi", ["funding"], "requested", settings=SETTINGS)
        request_id = await session.scalar(select(HandoffRequest.id))
        assert await claim(session, request_id, adviser_id)
        if status:
            assert await finish(session, request_id, adviser_id, status)


async def test_a_rating_without_a_handoff_is_not_stored(action_database, factory):
    responses, events = await rate('/rate{"rating": 5}', 5)
    assert responses == ["utter_default"]
    assert await stored_rating(factory) is None
    async with session_scope(factory) as session:
        assert await session.get(HandoffConversation, CID) is None


async def test_a_rating_while_only_waiting_in_the_queue_is_not_stored(action_database, factory):
    async with session_scope(factory) as session:
        await enqueue(session, CID, "fi", ["funding"], "requested", settings=SETTINGS)
        assert not await handoff_happened(session, CID)
    assert (await rate("5", 5))[0] == ["utter_default"]
    assert await stored_rating(factory) is None


@pytest.mark.parametrize("status", [HANDED_BACK, CLOSED])
async def test_a_rating_after_the_adviser_is_stored(action_database, factory, status):
    await queue_and_claim(factory, status)
    responses, events = await rate("neljä", None)
    assert responses == ["utter_thanks_for_rating"]
    assert await stored_rating(factory) == 4


async def test_after_a_handoff_a_rating_without_a_number_is_asked_again(action_database, factory):
    await queue_and_claim(factory, HANDED_BACK)
    assert (await rate("hmm", None))[0] == ["utter_ask_rating"]
    assert await stored_rating(factory) is None
