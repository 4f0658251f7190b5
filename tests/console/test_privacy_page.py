"""The admin's privacy page over real HTTP: find, confirm, delete; advisers get 403, forms need the CSRF token."""
from __future__ import annotations

import re
from typing import Any, AsyncIterator

import pytest
from sqlalchemy import delete, select

from bot.db import make_engine, make_sessionmaker, session_scope
from bot.handoff.models import PrivacyAudit
from bot.handoff.privacy import EVENTS, TRACKER_METADATA
from tests.console.support import make_adviser
from tests.handoff.privacy_support import EMPTIED, rows, seed
from tests.handoff.support import OPEN_NOW, TEST_TRACKER_DB

PAGE = "/console/admin/privacy"


@pytest.fixture
async def app_tracker(app, engine) -> AsyncIterator[Any]:
    """The running app's tracker store (TEST_TRACKER_DB) emptied, and the privacy tables of its database."""
    made = make_engine(f"sqlite+aiosqlite:///{TEST_TRACKER_DB}")
    async with made.begin() as connection:
        await connection.run_sync(TRACKER_METADATA.create_all)
        await connection.execute(delete(EVENTS))
    async with engine.begin() as connection:
        for table in EMPTIED:
            await connection.execute(delete(table))
    yield make_sessionmaker(made)
    await made.dispose()


async def test_an_admin_finds_confirms_and_deletes_a_persons_data(factory, app_tracker, clients):
    await seed(factory, app_tracker, "anna-1", OPEN_NOW, email="anna@example.fi", draft=True)
    await seed(factory, app_tracker, "bob", OPEN_NOW)
    await make_adviser(factory, "boss", role="admin", language="sv")
    admin = clients()
    assert (await admin.login("boss")).status == 303

    response, page = await admin.get(PAGE)
    assert response.status == 200 and "Radera en persons uppgifter" in page
    response, _ = await admin.post(PAGE, {"selector": "email", "value": "anna@example.fi"}, csrf=None)
    assert response.status == 403
    response, page = await admin.post(PAGE, {"selector": "email", "value": "not an address"})
    assert response.status == 400 and "Kontrollera id:t" in page

    response, page = await admin.post(PAGE, {"selector": "email", "value": "Anna@Example.fi"})
    assert response.status == 200 and 'id="privacy-confirm"' in page and re.search(r">events</td><td [^>]*>3</td>", page)
    assert (await rows(factory, app_tracker, "anna-1"))["events"] == 3  # nothing deleted before the confirmation
    response, _ = await admin.post(PAGE + "/delete", {"selector": "email", "value": "Anna@Example.fi"}, csrf="wrong")
    assert response.status == 403 and (await rows(factory, app_tracker, "anna-1"))["events"] == 3

    response, page = await admin.post(PAGE + "/delete", {"selector": "email", "value": "Anna@Example.fi"})
    assert response.status == 200 and "Raderade 1 konversation (rader sammanlagt: 9)." in page
    assert not any((await rows(factory, app_tracker, "anna-1")).values())
    assert (await rows(factory, app_tracker, "bob"))["events"] == 3
    async with session_scope(factory) as session:
        [audit] = (await session.scalars(select(PrivacyAudit))).all()
    assert audit.actor == "console:boss" and audit.selector == "email" and "anna" not in audit.counts


async def test_an_adviser_may_not_use_the_privacy_page(factory, app_tracker, clients):
    await seed(factory, app_tracker, "anna-1", OPEN_NOW)
    await make_adviser(factory, "ville")
    adviser = clients()
    assert (await adviser.login("ville")).status == 303
    _, queue = await adviser.get("/console/")
    assert PAGE not in queue
    assert (await adviser.get(PAGE))[0].status == 403
    for path in (PAGE, PAGE + "/delete"):
        response, _ = await adviser.post(path, {"selector": "conversation", "value": "anna-1"})
        assert response.status == 403
    assert (await rows(factory, app_tracker, "anna-1"))["events"] == 3
