"""The topics a company asked about reach the console ("Aiheet –" was shown, issue 9).

A contact request and a rating store no intents of their own (the contact form and the rating
know no topics), and an escalation stores only the topics understood before it: the sweeper
reads them from the tracker, as it reads the search text, with the first question and start.
"""
from __future__ import annotations

import aiohttp

from bot.db import session_scope
from bot.handoff import create_contact_request, enqueue
from bot.handoff.models import HandoffConversation
from bot.handoff.sweeper import index_changed
from tests.console.support import make_adviser

CONTACT = "c0ffee00" + "0" * 24
LIVE = "11ve0000" + "0" * 24
QUESTION = "Tarvitsenko <b>anniskeluluvan</b> terassille?"


async def test_asked_topics_first_question_and_start_appear_as_words(app, clients, factory, rasa):
    rasa.user_says(CONTACT, "moi", intent="greet")
    rasa.user_says(CONTACT, QUESTION, intent="permits")
    rasa.user_says(CONTACT, "Haluan jättää yhteydenottopyynnön", intent="request_human")
    rasa.user_says(LIVE, "Miten haen starttirahaa?", intent="startup_grant")
    rasa.user_says(LIVE, "Voinko puhua ihmisen kanssa?", intent="request_human")
    async with session_scope(factory) as session:
        await create_contact_request(session, CONTACT, "fi", "Kahvila Kuppi Oy", "1572860-0", "Terassilupa",
                                     "email", "anna@kuppi.fi", True)
        await enqueue(session, LIVE, "fi", ["startup_grant", "request_human"], "requested", settings=app.settings)
    async with session_scope(factory) as session:
        assert (await session.get(HandoffConversation, CONTACT)).intents == " "  # what the contact form stores
    async with aiohttp.ClientSession() as http:
        await index_changed(factory, http, app.settings)
    async with session_scope(factory) as session:
        row = await session.get(HandoffConversation, CONTACT)
        assert row.intents == " greet permits request_human "
        assert row.first_question == QUESTION and row.started_at is not None
    await make_adviser(factory, "anna", language="fi")
    anna = clients()
    await anna.login("anna")

    _, page = await anna.get(f"/console/conversations/{CONTACT}")
    assert '<dd id="conversation-topics">Luvat ja ilmoitukset, Neuvojan pyyntö</dd>' in page
    assert "Tarvitsenko &lt;b&gt;anniskeluluvan&lt;/b&gt; terassille?" in page and "<b>" not in page
    assert "<title>Tarvitsenko &lt;b&gt;anniskeluluvan&lt;/b&gt; terassille? – suomi, " in page
    assert f"<code>{CONTACT}</code>" in page  # the id, secondary

    _, review = await anna.get("/console/review")
    assert "Luvat ja ilmoitukset, Neuvojan pyyntö" in review and "Starttiraha, Neuvojan pyyntö" in review
    assert "Aiheet</th>" in review and ">–</td>\n      <td data-label=\"Tila\">" not in review
    _, review = await anna.get("/console/review?intent=permits")
    assert f'href="/console/conversations/{CONTACT}"' in review and LIVE not in review
    assert '<option value="nlu_fallback" >Ei ymmärretty</option>' in review

    async with anna.http.get(app.url + "/console/api/queue") as response:
        queue = await response.json()
    live, contact = queue["live"][0], queue["contact"][0]
    assert live["topic_labels"] == ["Starttiraha", "Neuvojan pyyntö"]
    assert live["name"]["question"] == "Miten haen starttirahaa?" and live["name"]["meta"].startswith("suomi · ")
    assert contact["name"]["question"] == QUESTION and contact["name"]["id_text"] == "Tunniste c0ffee00"
    _, page = await anna.get("/console/")
    assert "Miten haen starttirahaa?</a>" in page and "Tunniste 11ve0000" in page
