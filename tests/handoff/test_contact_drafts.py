"""Personal data never reaches Rasa or our tables; the contact form's consented detail does,
through a draft (bot/handoff/contact_drafts.py). Each test runs on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, AsyncIterator, Dict, List, Optional

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, inspect, select, text

from actions import contact_form
from bot.db import load_models, session_scope
from bot.handoff import contact_drafts
from bot.handoff.contact_drafts import Contact, ContactDraft
from bot.handoff.models import HandoffRequest
from bot.handoff.queue import utcnow
from bot.rasa.client import RasaClient
from bot.web.relay import ConversationRelay, Relay, UserMessage
from bot.web.app import create_public_app
from tests.conftest import make_tracker
from tests.handoff.support import app_settings

HETU = "131052-308T"
ASKING = {"active_loop": {"name": "contact_request_form"}, "slots": {"requested_slot": "contact"}}


class RasaStub:
    """Rasa's tracker state and REST webhook on loopback; records what it was sent."""

    def __init__(self) -> None:
        self.state: Dict[str, Any] = {"active_loop": {}, "slots": {}}
        self.received: List[Dict[str, Any]] = []
        self.tracker_reads = 0
        self.server: Optional[TestServer] = None

    async def _tracker(self, request: web.Request) -> web.Response:
        self.tracker_reads += 1
        return web.json_response({**self.state, "events": []})

    async def _webhook(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        return web.json_response([{"recipient_id": "x", "text": "Kiitos!"}])

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")


@pytest.fixture
async def rasa_stub() -> AsyncIterator[RasaStub]:
    stub = RasaStub()
    app = web.Application()
    app.router.add_get("/conversations/{cid}/tracker", stub._tracker)
    app.router.add_post("/webhooks/rest/webhook", stub._webhook)
    stub.server = TestServer(app)
    await stub.server.start_server()
    yield stub
    await stub.server.close()


@pytest.fixture
async def drafts(factory):  # type: ignore[no-untyped-def]
    """The session factory, with no drafts left by an earlier test."""
    async with session_scope(factory) as session:
        await session.execute(delete(ContactDraft))
        await session.commit()
    return factory


@pytest.fixture
def settings(db_url: str, rasa_stub: RasaStub):  # type: ignore[no-untyped-def]
    return app_settings(db_url, rasa_stub.url)


@pytest.fixture
def action_database(monkeypatch: pytest.MonkeyPatch, drafts) -> None:  # type: ignore[no-untyped-def]
    """The actions' database sessions on the test database."""
    monkeypatch.setattr(contact_form.database, "session", lambda: session_scope(drafts))


async def all_drafts(factory) -> List[Contact]:  # type: ignore[no-untyped-def]
    async with session_scope(factory) as session:
        rows = (await session.scalars(select(ContactDraft))).all()
    return [Contact(r.method, r.value) for r in rows]


async def database_text(factory) -> str:  # type: ignore[no-untyped-def]
    """Every row of every table of the database, as text."""
    async with session_scope(factory) as session:
        connection = await session.connection()
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        rows = [str((await session.execute(text(f'SELECT * FROM "{t}"'))).all()) for t in tables]
    return "\n".join(rows)


@pytest.mark.parametrize("typed, contact", [
    ("matti.meikalainen@example.fi", Contact("email", "matti.meikalainen@example.fi")),
    ("Soita numeroon 040 123 4567, kiitos", Contact("phone", "+358401234567")),
    ("Mitt nummer är +358 (0)40 123 4567", Contact("phone", "+358401234567")),
])
async def test_the_forms_contact_detail_is_kept_aside_and_masked(rasa_stub, settings, drafts, typed, contact):
    rasa_stub.state = ASKING
    async with TestClient(TestServer(web.Application())) as client:
        sent = await contact_drafts.text_for_rasa(RasaClient(client.session, settings), "c1", typed, drafts)
    assert contact.value not in sent and ("[e-mail]" in sent or "[phone]" in sent)
    assert await all_drafts(drafts) == [contact]


async def test_outside_the_form_nothing_is_kept(rasa_stub, settings, drafts):
    async with TestClient(TestServer(web.Application())) as client:
        sent = await contact_drafts.text_for_rasa(RasaClient(client.session, settings), "c1", "mail me at a@example.fi", drafts)
        plain = await contact_drafts.text_for_rasa(RasaClient(client.session, settings), "c1", "Hei, rahoitusta?", drafts)
    assert sent == "mail me at [e-mail]" and plain == "Hei, rahoitusta?"
    assert await all_drafts(drafts) == []
    assert rasa_stub.tracker_reads == 1  # only a message with a contact detail reads the tracker


async def test_a_personal_id_in_the_form_is_masked_and_never_kept(rasa_stub, settings, drafts):
    rasa_stub.state = ASKING
    async with TestClient(TestServer(web.Application())) as client:
        sent = await contact_drafts.text_for_rasa(RasaClient(client.session, settings), "c1", f"hetu {HETU}", drafts)
    assert sent == "hetu [personal id]"
    assert await all_drafts(drafts) == [] and rasa_stub.tracker_reads == 0


async def test_the_chat_api_sends_rasa_and_shows_only_masked_text(rasa_stub, settings, drafts):
    async with TestClient(TestServer(create_public_app(settings))) as client:
        token = (await (await client.post("/api/conversations", json={})).json())["conversation"]
        response = await client.post("/api/messages", json={
            "conversation": token, "text": f"Hetuni on {HETU} ja puhelin 040 123 4567", "language": "fi",
        })
        assert response.status == 200
        answer = await response.json()
    assert [m["message"] for m in rasa_stub.received] == ["Hetuni on [personal id] ja puhelin [phone]"]
    assert answer["user"]["text"] == "Hetuni on [personal id] ja puhelin [phone]"
    assert HETU not in await database_text(drafts)


async def test_the_widget_relay_sends_rasa_and_echoes_only_masked_text(rasa_stub, settings, drafts):
    frames: List[Dict[str, Any]] = []

    class Listener:
        def post(self, frame: Dict[str, Any]) -> None:
            frames.append(frame)

    async with TestClient(TestServer(web.Application())) as client:
        relay = Relay(client.session, settings, drafts)
        conversation = relay.join("c2", Listener())
        assert isinstance(conversation, ConversationRelay)
        conversation.submit(UserMessage(id="m-00000001", text=f"Mitt personnummer är {HETU}", language="sv",
                                        metadata={"language": "sv"}))
        for _ in range(100):
            if any(f["type"] == "reply" for f in frames):
                break
            await asyncio.sleep(0.05)
        await relay.close()
    assert [m["message"] for m in rasa_stub.received] == ["Mitt personnummer är [personal id]"]
    reply = next(f for f in frames if f["type"] == "reply")
    assert reply["user"]["text"] == "Mitt personnummer är [personal id]"


async def test_validation_takes_the_draft_and_the_slot_holds_only_the_placeholder(action_database, drafts):
    async with session_scope(drafts) as session:
        await contact_drafts.keep(session, "test-sender", Contact("phone", "+358401234567"))
    dispatcher = CollectingDispatcher()
    form = contact_form.ValidateContactRequestForm()
    assert await form.validate_contact("[phone]", dispatcher, make_tracker([]), {}) == {"contact": "[phone]"}
    assert dispatcher.messages == []


async def test_a_placeholder_without_a_draft_is_asked_again(action_database):
    dispatcher = CollectingDispatcher()
    form = contact_form.ValidateContactRequestForm()
    assert await form.validate_contact("[e-mail]", dispatcher, make_tracker([]), {}) == {"contact": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_contact"]


FORM_SLOTS = {"company_name": "Testi Oy", "business_id": "0112038-9", "contact_topic": "rahoitus",
              "contact": "[e-mail]", "contact_language": "fi"}


@pytest.mark.parametrize("consent", [True, False])
async def test_submission_moves_the_draft_into_the_request_or_forgets_it(action_database, drafts, consent):
    async with session_scope(drafts) as session:
        await contact_drafts.keep(session, "test-sender", Contact("email", "yrittaja@example.fi"))
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([], slots={**FORM_SLOTS, "consent": consent})
    await contact_form.ActionSubmitContactRequest().run(dispatcher, tracker, {})
    async with session_scope(drafts) as session:
        stored = (await session.scalars(select(HandoffRequest))).all()
    assert await all_drafts(drafts) == []
    if consent:
        assert [(r.contact_method, r.contact_value) for r in stored] == [("email", "yrittaja@example.fi")]
        assert [m["response"] for m in dispatcher.messages] == ["utter_contact_request_saved"]
    else:
        assert stored == []


async def test_old_drafts_are_purged(drafts):
    async with session_scope(drafts) as session:
        await contact_drafts.keep(session, "old", Contact("email", "a@example.fi"),
                                  now=utcnow() - contact_drafts.DRAFT_MAX_AGE - timedelta(minutes=1))
        await contact_drafts.keep(session, "new", Contact("email", "b@example.fi"))
    assert await contact_drafts.purge(drafts) == 1
    assert await all_drafts(drafts) == [Contact("email", "b@example.fi")]


async def test_the_migration_matches_the_model(engine):
    def differences(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, load_models())

    async with engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert [d for d in diff if "contact_drafts" in str(d)] == []
