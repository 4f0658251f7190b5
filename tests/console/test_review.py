"""The review: escalated and rated conversations, filters, last activity first, paging, tags, notes."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bot.handoff import create_contact_request, enqueue, save_rating
from bot.handoff.models import HandoffConversation
from bot.db import session_scope
from tests.console.support import make_adviser

BASE = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def listed(page: str) -> list:
    """The conversation ids (first 8 characters) in the review table, in order."""
    return re.findall(r'<a href="/console/conversations/(\w{8})\w*">', page)


async def _seed(factory, settings) -> None:
    async with session_scope(factory) as session:
        await enqueue(session, "fi000000" + "0" * 24, "fi", ["funding"], "requested", settings=settings, now=BASE)
        await enqueue(session, "sv000000" + "0" * 24, "sv", ["permits", "premises"], "business_in_difficulty",
                      settings=settings, now=BASE + timedelta(days=2))
        await save_rating(session, "sv000000" + "0" * 24, 2, now=BASE + timedelta(days=3))
        await save_rating(session, "en000000" + "0" * 24, 5, now=BASE + timedelta(days=4))
        await create_contact_request(session, "ct000000" + "0" * 24, "en", "Kahvila Kuppi Oy", "1572860-0",
                                     "Terassilupa", "phone", "0401234567", True, now=BASE + timedelta(days=1))
        row = await session.get(HandoffConversation, "en000000" + "0" * 24)
        row.language = "en"
        row.search_text = "How do I export to Sweden?"
        row.indexed_at = row.last_activity_at  # as the sweeper leaves it
        await session.commit()


async def test_filters_and_order(app, clients, factory):
    await _seed(factory, app.settings)
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    _, page = await anna.get("/console/review")
    assert listed(page) == ["en000000", "sv000000", "ct000000", "fi000000"]  # last activity first
    assert "4 conversations" in page
    cases = {
        "language=sv": ["sv000000"], "intent=premises": ["sv000000"], "intent=funding": ["fi000000"],
        "rating=5": ["en000000"], "rating=none": ["ct000000", "fi000000"], "status=rated": ["en000000"],
        "status=waiting": ["sv000000", "ct000000", "fi000000"], "from=2026-11-21&to=2026-11-22": ["ct000000"],
        "q=sweden": ["en000000"], "q=kuppi": ["ct000000"], "q=1572860": ["ct000000"], "q=%25": [],
        "reviewed=yes": [], "reviewed=no": ["en000000", "sv000000", "ct000000", "fi000000"],
        "language=xx&rating=9&status=evil&from=notadate": ["en000000", "sv000000", "ct000000", "fi000000"],
    }
    for query, expected in cases.items():
        _, page = await anna.get(f"/console/review?{query}")
        assert listed(page) == expected, query


async def test_tags_notes_and_reviewed(app, clients, factory):
    await _seed(factory, app.settings)
    await make_adviser(factory, "anna", display_name="Anna A")
    anna = clients()
    await anna.login("anna")
    cid = "fi000000" + "0" * 24
    await anna.post(f"/console/conversations/{cid}/tags", {"tag": "  Rahoitus  "})
    await anna.post(f"/console/conversations/{cid}/tags", {"tag": "rahoitus"})  # the same tag again
    await anna.post(f"/console/conversations/{cid}/tags", {"tag": "follow up"})
    await anna.post(f"/console/conversations/{cid}/notes", {"text": "Soitin takaisin, asia hoidettu."})
    response, _ = await anna.post(f"/console/conversations/{cid}/notes", {"text": "   "})
    assert response.headers["Location"].endswith("msg=note_invalid#review")
    await anna.post(f"/console/conversations/{cid}/reviewed", {"value": "1"})
    _, page = await anna.get(f"/console/conversations/{cid}")
    assert page.count('<span class="tag">') == 2 and "Soitin takaisin, asia hoidettu." in page
    assert "Reviewed by Anna A" in page
    for query, expected in (("tag=rahoitus", ["fi000000"]), ("reviewed=yes", ["fi000000"]),
                            ("q=hoidettu", ["fi000000"]), ("q=follow", ["fi000000"])):
        _, listing = await anna.get(f"/console/review?{query}")
        assert listed(listing) == expected, query
    await anna.post(f"/console/conversations/{cid}/tags/remove", {"tag": "rahoitus"})
    await anna.post(f"/console/conversations/{cid}/reviewed", {"value": "0"})
    _, listing = await anna.get("/console/review?tag=rahoitus")
    assert listed(listing) == []
    _, listing = await anna.get("/console/review?reviewed=yes")
    assert listed(listing) == []
    response, _ = await anna.post(f"/console/conversations/{'0' * 32}/tags", {"tag": "x"})
    assert response.status == 404


async def test_many_conversations_page(app, clients, factory):
    async with session_scope(factory) as session:
        for n in range(30):
            await save_rating(session, f"{n:08d}" + "0" * 24, 1 + n % 5, now=BASE + timedelta(minutes=n))
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    _, first = await anna.get("/console/review")
    assert len(listed(first)) == 25 and listed(first)[0] == "00000029" and "Page 1 of 2" in first
    _, second = await anna.get("/console/review?page=2")
    assert listed(second) == [f"{n:08d}" for n in range(4, -1, -1)]
    _, filtered = await anna.get("/console/review?rating=1&page=1")
    assert listed(filtered) == [f"{n:08d}" for n in (25, 20, 15, 10, 5, 0)]
