"""The console's work: the queue, claiming, chatting, handing back, closing, paging the transcript."""
from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from bot.handoff import create_contact_request, enqueue
from bot.handoff.models import CLAIMED, CLOSED, HANDED_BACK, HandoffConversation, HandoffRequest
from bot.db import session_scope
from tests.console.support import make_adviser


async def _waiting(factory, rasa, settings, cid: str, language: str = "fi") -> int:
    rasa.user_says(cid, "Tarvitsen rahoitusta", intent="funding")
    rasa.user_says(cid, "Voinko puhua ihmisen kanssa?", intent="request_human")
    rasa.append(cid, {"event": "pause"})
    async with session_scope(factory) as session:
        await enqueue(session, cid, language, ["funding", "request_human"], "requested", settings=settings)
        return await session.scalar(select(HandoffRequest.id).where(HandoffRequest.conversation_id == cid))


async def test_queue_claim_chat_and_hand_back(app, clients, factory, rasa):
    cid = "a" * 32
    request_id = await _waiting(factory, rasa, app.settings, cid)
    await make_adviser(factory, "anna", display_name="Anna Adviser")
    anna = clients()
    await anna.login("anna")
    async with anna.http.get(app.url + "/console/api/queue") as response:
        live = (await response.json())["live"]
    assert [(e["conversation_id"], e["language"], e["topics"]) for e in live] == [(cid, "fi", ["funding", "request_human"])]
    assert live[0]["reason_text"] == "Asked for a person" and live[0]["waiting_seconds"] >= 0
    response, _ = await anna.post(f"/console/queue/{request_id}/claim")
    assert response.headers["Location"] == f"/console/conversations/{cid}?msg=claimed_ok"
    # The company is told a person joined, in its language.
    assert rasa.trackers[cid][-1]["text"] == "Neuvoja Anna Adviser liittyi keskusteluun."
    assert rasa.trackers[cid][-1]["metadata"]["adviser"] == "Anna Adviser"
    assert rasa.trackers[cid][-1]["metadata"]["notice"] == "joined"
    response, page = await anna.get(f"/console/conversations/{cid}")
    assert "Understood as Funding (0.93)" in page and "Understood as Request for an adviser (0.93)" in page
    assert 'id="composer"' in page and "Hand back to the assistant" in page
    cursor = len(rasa.trackers[cid])
    # The adviser writes; the tracker gets a bot event marked with the adviser.
    response, body = await anna.post(f"/console/conversations/{cid}/messages", {"text": "Hei! Miten voin auttaa?"},
                                     headers={"X-Requested-With": "fetch"})
    assert response.status == 200
    bot = rasa.trackers[cid][-1]
    assert (bot["event"], bot["text"], bot["metadata"]["adviser"]) == ("bot", "Hei! Miten voin auttaa?", "Anna Adviser")
    # The company answers while paused: the console's live feed shows it with the NLU result.
    rasa.user_says(cid, "Tarvitsen lainaa", intent="funding", confidence=0.81)
    async with anna.http.get(f"{app.url}/console/api/conversations/{cid}/events?after={cursor}") as response:
        feed = await response.json()
    assert [(i["type"], i["text"]) for i in feed["items"]] == [("bot", "Hei! Miten voin auttaa?"), ("user", "Tarvitsen lainaa")]
    assert feed["items"][1]["confidence"] == 0.81 and feed["cursor"] == len(rasa.trackers[cid])
    async with anna.http.get(f"{app.url}/console/api/conversations/{cid}/events?after={feed['cursor']}") as response:
        assert (await response.json())["items"] == []
    # Hand back: resume, then the answer that asks for the rating.
    response, _ = await anna.post(f"/console/conversations/{cid}/handback")
    assert response.headers["Location"].endswith("msg=handed_back_ok")
    assert rasa.executed == [(cid, "utter_ask_rating")]
    assert [e["event"] for e in rasa.trackers[cid][-4:]] == ["resume", "action", "bot", "action"]
    assert rasa.trackers[cid][-1]["name"] == "action_listen"
    async with session_scope(factory) as session:
        assert (await session.get(HandoffRequest, request_id)).status == HANDED_BACK
        assert (await session.get(HandoffConversation, cid)).status == HANDED_BACK
    # It is no longer hers: no more messages.
    response, _ = await anna.post(f"/console/conversations/{cid}/messages", {"text": "late"},
                                  headers={"X-Requested-With": "fetch"})
    assert response.status == 409


async def test_close_without_rating_and_contact_requests(app, clients, factory, rasa):
    cid = "b" * 32
    request_id = await _waiting(factory, rasa, app.settings, cid, "sv")
    async with session_scope(factory) as session:
        contact_id = await create_contact_request(session, "c" * 32, "en", "Oy Test Ab", "1572860-0",
                                                  "Exporting", "email", "anna@example.fi", True)
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    await anna.post(f"/console/queue/{request_id}/claim")
    response, _ = await anna.post(f"/console/conversations/{cid}/close")
    assert response.headers["Location"].endswith("msg=closed_ok")
    assert rasa.executed == [(cid, "utter_handoff_closed"), (cid, "utter_ask_rating")]
    await anna.post(f"/console/queue/{contact_id}/claim")
    _, page = await anna.get(f"/console/conversations/{'c' * 32}")
    assert "Oy Test Ab" in page and "1572860-0" in page and "anna@example.fi" in page and "Mark as done" in page
    assert 'id="composer"' not in page  # nobody to chat with
    response, _ = await anna.post(f"/console/conversations/{'c' * 32}/close")
    assert response.status == 303
    assert rasa.executed == [(cid, "utter_handoff_closed"), (cid, "utter_ask_rating")]  # a contact request needs nothing from Rasa
    async with session_scope(factory) as session:
        assert (await session.get(HandoffRequest, contact_id)).status == CLOSED


async def test_two_advisers_claim_at_once_over_http(app, clients, factory, rasa):
    cid = "e" * 32
    request_id = await _waiting(factory, rasa, app.settings, cid)
    await make_adviser(factory, "anna")
    await make_adviser(factory, "bertil")
    anna, bertil = clients(), clients()
    await anna.login("anna")
    await bertil.login("bertil")
    results = await asyncio.gather(anna.post(f"/console/queue/{request_id}/claim"),
                                   bertil.post(f"/console/queue/{request_id}/claim"))
    locations = sorted(response.headers["Location"] for response, _ in results)
    assert locations == ["/console/?msg=claimed_by_other", f"/console/conversations/{cid}?msg=claimed_ok"]
    joined = [e for e in rasa.trackers[cid] if (e.get("metadata") or {}).get("notice") == "joined"]
    assert len(joined) == 1


async def test_rasa_down_on_hand_back_keeps_the_conversation_with_the_adviser(app, clients, factory, rasa):
    cid = "f" * 32
    request_id = await _waiting(factory, rasa, app.settings, cid)
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    await anna.post(f"/console/queue/{request_id}/claim")
    rasa.fail = True
    response, body = await anna.post(f"/console/conversations/{cid}/handback",
                                     headers={"X-Requested-With": "fetch"})
    assert response.status == 503 and "rasa_unavailable" in body
    response, _ = await anna.post(f"/console/conversations/{cid}/messages", {"text": "still here"},
                                  headers={"X-Requested-With": "fetch"})
    assert response.status == 503
    async with session_scope(factory) as session:
        assert (await session.get(HandoffRequest, request_id)).status == CLAIMED
    rasa.fail = False
    response, _ = await anna.post(f"/console/conversations/{cid}/handback")
    assert response.headers["Location"].endswith("msg=handed_back_ok")


async def test_long_transcripts_are_paged(app, clients, factory, rasa):
    cid = "9" * 32
    for n in range(150):
        rasa.user_says(cid, f"viesti {n}")
    request_id = await _waiting(factory, rasa, app.settings, cid)
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    await anna.post(f"/console/queue/{request_id}/claim")
    _, page = await anna.get(f"/console/conversations/{cid}")
    assert page.count('class="item ') == 60
    assert "viesti 149" in page and "viesti 100" not in page
    earlier = page.split('?before=')[1].split('#')[0]
    _, older = await anna.get(f"/console/conversations/{cid}?before={earlier}")
    assert older.count('class="item ') == 60 and "viesti 120" in older and 'data-live="false"' in older


async def test_language_choice(app, clients, factory):
    # That every language has every console text: tests/test_locale.py.
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    _, page = await anna.get("/console/")
    assert '<html lang="en">' in page and "Waiting conversations" in page
    response, _ = await anna.post("/console/language", {"language": "sv", "next": "/console/review"})
    assert response.headers["Location"] == "/console/review"
    _, page = await anna.get("/console/")
    assert '<html lang="sv">' in page and "Väntande konversationer" in page
    await anna.post("/console/language", {"language": "fi", "next": "https://evil.example/"})
    _, page = await anna.get("/console/")
    assert '<html lang="fi">' in page and "Odottavat keskustelut" in page
    _, login = await clients().get("/console/login?lang=sv")
    assert "Logga in i rådgivarkonsolen" in login


async def test_redirect_after_login_stays_in_the_console(app, clients, factory):
    await make_adviser(factory, "anna")
    client = clients()
    response, _ = await client.get("/console/review?language=fi")
    location = urlsplit(response.headers["Location"])
    assert location.path == "/console/login" and parse_qs(location.query)["next"] == ["/console/review?language=fi"]
    from tests.console.support import _CSRF

    for target, expected in (("/console/review?language=fi", "/console/review?language=fi"),
                             ("//evil.example/", "/console/"), ("https://evil.example/", "/console/")):
        fresh = clients()
        _, page = await fresh.get("/console/login")
        response, _ = await fresh.post("/console/login", {"username": "anna", "password": "correct horse battery staple",
                                                          "next": target}, csrf=_CSRF.search(page).group(1))
        assert response.headers["Location"] == expected


async def test_a_contact_request_without_a_business_id_says_so(app, clients, factory, rasa):
    async with session_scope(factory) as session:
        contact_id = await create_contact_request(session, "d" * 32, "en", "Kahvila Kuppi", None,
                                                  "Alcohol licence", "email", "anna@example.fi", True)
    await make_adviser(factory, "anna")
    anna = clients()
    await anna.login("anna")
    await anna.post(f"/console/queue/{contact_id}/claim")
    _, page = await anna.get(f"/console/conversations/{'d' * 32}")
    assert "Kahvila Kuppi" in page and "none yet (the company is being founded)" in page and "None" not in page
