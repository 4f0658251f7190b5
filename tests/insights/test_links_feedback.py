"""Did the company go on: signed /go/ links (no open redirect) and the thumbs, counted per answer."""
from __future__ import annotations

from typing import Dict, Tuple

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.config import load_settings
from bot.db import make_engine, make_sessionmaker, session_scope
from bot.insights.links import GO_PATH, LinkSigner, answer_links, asks_helpful
from bot.insights.models import DailyCount
from bot.rasa import transcript
from bot.web.app import create_internal_app
from tests.web_support import http, rasa, web_app  # noqa: F401
from tests.ws_client import widget_client

RESPONSES = load_settings().responses_dir
LINK = "https://www.omnia.fi/en"  # in the English apprenticeship answer
SECRET = "test-secret"  # tests/handoff/support.py app_settings


def test_a_token_names_its_answer_language_and_link_and_nothing_else_passes():
    signer = LinkSigner(SECRET, RESPONSES)
    assert LINK in answer_links(RESPONSES)
    token = signer.token("utter_apprenticeship", "en", LINK)
    assert signer.read(token) == ("utter_apprenticeship", "en", LINK)
    payload, mac = token.split(".")
    assert signer.read(f"{payload}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}") is None  # forged
    assert LinkSigner("another-secret", RESPONSES).read(token) is None
    assert signer.read(signer.token("utter_apprenticeship", "en", "https://evil.example/")) is None  # signed, not ours
    assert signer.read(signer.token("utter_apprenticeship", "de", LINK)) is None
    for garbage in ("", "x", "a.b.c", "%%%.%%%", "e30." + mac, "W10." + mac):
        assert signer.read(garbage) is None


def test_the_nlg_custom_part_holds_only_answer_links():
    custom = LinkSigner(SECRET, RESPONSES).custom(
        "utter_apprenticeship", "en", f"See {LINK}. Or https://evil.example/x and {LINK}")
    assert custom["answer"] == "utter_apprenticeship" and list(custom["links"]) == [LINK]
    assert custom["links"][LINK].startswith(GO_PATH)
    assert LinkSigner(SECRET, RESPONSES).custom("utter_greet", "en", "Hi!") == {}
    assert asks_helpful("utter_funding/investors") and asks_helpful("utter_events_none")
    assert not asks_helpful("utter_ask_rating") and not asks_helpful("utter_greet")


async def test_the_nlg_endpoint_adds_the_custom_part():
    settings = load_settings({"BOT_SECRET_KEY": SECRET})
    async with TestClient(TestServer(create_internal_app(settings))) as client:
        tracker = {"slots": {"language": "en"}, "latest_message": {}}
        response = await client.post("/nlg", json={"response": "utter_apprenticeship", "tracker": tracker})
        answer = await response.json()
    assert LINK in answer["text"] and answer["answer"] == "utter_apprenticeship"
    assert answer["custom"]["answer"] == "utter_apprenticeship"
    assert LinkSigner(SECRET, RESPONSES).read(answer["custom"]["links"][LINK][len(GO_PATH):])[2] == LINK


def test_entries_carry_the_answer_name_and_links_of_the_custom_part():
    custom = {"answer": "utter_apprenticeship", "links": {LINK: "/go/t", "https://x.example/": "/go/u"}}
    rest = [{"recipient_id": "c", "text": f"Part one {LINK}"}, {"recipient_id": "c", "text": "Part two"},
            {"recipient_id": "c", "custom": custom}, {"recipient_id": "c", "text": "Next answer"}]
    entries = transcript.from_answers(rest, 1.0)
    assert [e.get("links") for e in entries] == [{LINK: "/go/t"}, None, None]
    assert [e.get("answer") for e in entries] == [None, "utter_apprenticeship", None]
    event = {"event": "bot", "text": f"All {LINK}", "timestamp": 2.0, "data": {"custom": custom}}
    assert transcript.bot_entry(event)["links"] == {LINK: "/go/t"}
    adviser = {**event, "metadata": {"adviser": "Anna"}}
    assert "answer" not in transcript.bot_entry(adviser) and "links" not in transcript.bot_entry(adviser)


async def _counts(web_app) -> Dict[Tuple[str, str, str], int]:  # noqa: F811
    engine = make_engine(web_app.settings.database_url)
    async with session_scope(make_sessionmaker(engine)) as session:
        rows = (await session.execute(select(DailyCount))).scalars().all()
    await engine.dispose()
    return {(r.metric, r.language, r.key): r.value for r in rows
            if r.metric in ("click", "helpful_up", "helpful_down") and r.value}  # a replaced vote leaves a 0


async def test_go_counts_a_click_and_redirects_only_signed_answer_links(web_app, http):  # noqa: F811
    token = LinkSigner(SECRET, RESPONSES).token("utter_apprenticeship", "en", LINK)
    async with http.get(f"{web_app.url}/go/{token}", allow_redirects=False) as response:
        assert response.status == 302 and response.headers["Location"] == LINK
        assert response.headers["Cache-Control"] == "no-store"
    evil = LinkSigner(SECRET, RESPONSES).token("utter_apprenticeship", "en", "https://evil.example/")
    forged = LinkSigner("not-the-secret", RESPONSES).token("utter_apprenticeship", "en", LINK)
    for path in (f"/go/{evil}", f"/go/{forged}", "/go/https%3A%2F%2Fevil.example%2F", "/go/" + "a" * 2000):
        async with http.get(web_app.url + path, allow_redirects=False) as response:
            assert response.status == 404 and "Location" not in response.headers, path
    assert await _counts(web_app) == {("click", "en", "utter_apprenticeship"): 1}


async def test_the_chat_page_votes_once_per_answer_with_its_token(web_app, http):  # noqa: F811
    async with http.post(f"{web_app.url}/api/conversations", json={}) as response:
        token = (await response.json())["conversation"]
    vote = {"conversation": token, "answer": "utter_funding/investors", "helpful": False, "language": "sv"}
    for expected in (True, False):
        async with http.post(f"{web_app.url}/api/feedback", json=vote) as response:
            assert response.status == 200 and (await response.json())["counted"] is expected
    for bad in ({**vote, "conversation": token + "x"}, {**vote, "answer": "utter_nothing"}, {**vote, "helpful": "yes"}):
        async with http.post(f"{web_app.url}/api/feedback", json=bad) as response:
            assert response.status == 400
    async with http.post(f"{web_app.url}/api/feedback", data="answer=x") as response:
        assert response.status == 415  # a form post from another site (bot/web/origins.py)
    async with http.post(f"{web_app.url}/api/feedback", json=vote, headers={"Origin": "https://evil.example"}) as r:
        assert r.status == 403
    assert await _counts(web_app) == {("helpful_down", "sv", "utter_funding/investors"): 1}


async def test_the_widget_votes_on_its_websocket(web_app, http):  # noqa: F811
    ws_url = web_app.url.replace("http", "ws") + "/ws"
    async with widget_client(http, ws_url, web_app.url, "en") as client:
        await client.hello(language="en")
        await client.send({"type": "feedback", "answer": "utter_apprenticeship", "helpful": True})
        assert await client.next("feedback", "error") == {"type": "feedback", "answer": "utter_apprenticeship",
                                                          "counted": True}
        await client.send({"type": "feedback", "answer": "<script>", "helpful": True})
        assert (await client.next("feedback", "error"))["code"] == "error_malformed"
    assert await _counts(web_app) == {("helpful_up", "en", "utter_apprenticeship"): 1}


async def test_deleting_a_persons_data_deletes_the_insights_state_and_votes(factory, tracker, clean):
    from bot.handoff import privacy
    from bot.insights.feedback import record_vote
    from bot.insights.models import OpenConversation, Vote
    from bot.insights.store import conversation_key
    from tests.insights.events import MONDAY, store, user

    await store(tracker, "anna-1", [user(MONDAY, "funding", "rahoitus")])
    from bot.insights import job
    await job.aggregate_once(factory, tracker, load_settings({"BOT_RETENTION_DAYS": "36500"}), SECRET)
    for cid in ("anna-1", "bob-1"):
        await record_vote(factory, SECRET, cid, "utter_funding", True, "fi")
    outcome = await privacy.erase(factory, tracker, "conversation", "anna-1", actor="cli", salt=SECRET)
    assert outcome.counts["insights_conversations"] == 1 and outcome.counts["insights_votes"] == 1
    async with session_scope(factory) as session:
        assert (await session.execute(select(OpenConversation.key))).scalars().all() == []
        assert (await session.execute(select(Vote.conversation_key))).scalars().all() == [conversation_key(SECRET, "bob-1")]


async def _daily_votes(factory, model=None) -> Dict[Tuple[str, object, str, str], int]:
    from bot.insights.models import DailyCount as Daily

    table = model or Daily
    async with session_scope(factory) as session:
        rows = (await session.execute(select(table).where(table.metric.in_(("helpful_up", "helpful_down"))))).scalars()
        return {(r.metric, r.day, r.language, r.key): r.value for r in rows if r.value}


async def test_a_second_vote_on_an_answer_replaces_the_first(factory, clean):
    from datetime import date, datetime, timezone

    from bot.insights.feedback import record_vote
    from bot.insights.models import MonthlyCount
    from bot.insights.rollup import roll_up

    answer, first = "utter_funding", datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    later = datetime(2026, 11, 3, 9, tzinfo=timezone.utc)
    assert await record_vote(factory, SECRET, "c1", answer, True, "fi", now=first) is True
    assert await record_vote(factory, SECRET, "c1", answer, True, "fi", now=later) is False  # the same again
    assert await _daily_votes(factory) == {("helpful_up", date(2026, 11, 2), "fi", answer): 1}
    assert await record_vote(factory, SECRET, "c1", answer, False, "en", now=later) is True  # changed its mind
    assert await _daily_votes(factory) == {("helpful_down", date(2026, 11, 2), "fi", answer): 1}  # the first's day
    for helpful in (True, False, True, False, False):
        await record_vote(factory, SECRET, "c1", answer, helpful, "fi", now=later)
    await record_vote(factory, SECRET, "c2", answer, True, "sv", now=later)
    assert await _daily_votes(factory) == {("helpful_down", date(2026, 11, 2), "fi", answer): 1,
                                           ("helpful_up", date(2026, 11, 3), "sv", answer): 1}
    # A vote changed after its month's sums were made for good: the monthly sums move with it.
    august = datetime(2026, 8, 20, 9, tzinfo=timezone.utc)
    await record_vote(factory, SECRET, "c3", answer, True, "en", now=august)
    async with session_scope(factory) as session:
        await roll_up(session, [date(2026, 8, 1)])
    await record_vote(factory, SECRET, "c3", answer, False, "en", now=later)
    assert {k: v for k, v in (await _daily_votes(factory, MonthlyCount)).items() if k[1] == date(2026, 8, 1)} == {
        ("helpful_down", date(2026, 8, 1), "en", answer): 1}


async def test_spamming_votes_is_throttled_and_does_not_inflate_the_counts(tmp_path, rasa, http):  # noqa: F811
    from tests.web_support import running_app

    async with running_app(tmp_path, rasa.url, BOT_VOTES_PER_MINUTE="5") as app:
        async with http.post(f"{app.url}/api/conversations", json={}) as response:
            token = (await response.json())["conversation"]
        statuses, refusals = [], []
        for n in range(12):
            vote = {"conversation": token, "answer": "utter_funding/investors", "helpful": n % 2 == 0, "language": "sv"}
            async with http.post(f"{app.url}/api/feedback", json=vote) as response:
                statuses.append(response.status)
                if response.status == 429:
                    refusals.append(await response.json())
        assert statuses == [200] * 5 + [429] * 7
        assert refusals[0] == {"error": "error_votes_limited", "message": (
            "Du har gett respons för många gånger på kort tid. Vänta en stund och försök sedan igen.")}
        # Five votes let through, alternating: the last one stands, counted once.
        assert await _counts(app) == {("helpful_up", "sv", "utter_funding/investors"): 1}
        async with http.post(f"{app.url}/api/conversations", json={}) as response:  # a new conversation, same address
            other = (await response.json())["conversation"]
        vote = {"conversation": other, "answer": "utter_funding", "helpful": True}
        async with http.post(f"{app.url}/api/feedback", json=vote) as response:
            assert response.status == 429 and (await response.json())["message"].startswith("Olet antanut palautetta")
        ws_url = app.url.replace("http", "ws") + "/ws"
        async with widget_client(http, ws_url, app.url, "en") as client:
            await client.hello(language="en")
            await client.send({"type": "feedback", "answer": "utter_apprenticeship", "helpful": True})
            refused = await client.next("feedback", "error")
            assert refused["code"] == "error_votes_limited" and refused["message"].startswith("You have given feedback")
        assert await _counts(app) == {("helpful_up", "sv", "utter_funding/investors"): 1}
