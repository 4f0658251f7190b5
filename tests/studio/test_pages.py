"""The training data and inbox pages over HTTP: editors browse, add (warnings first), edit, move, delete and
resolve inbox messages; advisers are refused; what staff add is escaped."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlencode

from sqlalchemy import select

from bot.console.audit import AuditEntry
from bot.db import session_scope
from bot.studio.models import InboxItem
from tests.console.support import make_adviser

BACK = urlencode({"lang": "fi", "intent": "funding", "q": "", "page": "1"})
XSS = '<script>alert("x")</script>'


async def _editor(clients, factory):
    await make_adviser(factory, "eeva", role="editor", language="en")
    client = clients()
    await client.login("eeva")
    return client


async def test_an_editor_adds_edits_moves_and_deletes_an_example(app, clients, factory):
    editor = await _editor(clients, factory)
    response, page = await editor.get("/console/studio/training?lang=fi&intent=funding")
    assert response.status == 200 and "<h1>Training data</h1>" in page and 'lang="fi"' in page
    assert re.search(r"<h2 id=\"examples\">\d+ examples</h2>", page)
    # An exact duplicate of another intent's example: warned first, saved when confirmed.
    _, grant = await editor.get("/console/studio/training?lang=fi&intent=startup_grant")
    taken = re.search(r'class="example-text">([^<]+)<', grant).group(1)
    form = {"language": "fi", "intent": "funding", "text": taken, "back": BACK}
    response, page = await editor.post("/console/studio/training/add", form)
    assert response.status == 409 and "Already an example of another intent" in page and 'name="confirm"' in page
    response, _ = await editor.post("/console/studio/training/add", {**form, "text": XSS + " rahaa", "confirm": "1"})
    assert response.status == 303 and "done=added" in response.headers["Location"]
    _, page = await editor.get("/console/studio/training?lang=fi&intent=funding&q=alert")
    assert XSS not in page and "&lt;script&gt;" in page and "Added by staff" in page
    example_id = re.search(r'id="ex-(s\d+)"', page).group(1)
    response, _ = await editor.post("/console/studio/training/edit", {
        "id": example_id, "intent": "startup_grant", "text": "saako kahvila starttirahaa xyz", "back": BACK})
    assert response.status == 303
    _, page = await editor.get("/console/studio/training?lang=fi&intent=startup_grant&q=xyz")
    assert "saako kahvila starttirahaa xyz" in page
    response, _ = await editor.post("/console/studio/training/delete", {"id": example_id, "back": BACK})
    assert response.status == 303 and "done=deleted" in response.headers["Location"]
    _, page = await editor.get("/console/studio/training?lang=fi&q=xyz")
    assert "No example matches." in page
    response, _ = await editor.post("/console/studio/training/delete", {"id": "r0000", "back": BACK})
    assert "done=not_found" in response.headers["Location"]
    async with session_scope(factory) as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert actions == ["training.add", "training.move", "training.delete"]


async def test_the_check_api_and_refusals(app, clients, factory):
    editor = await _editor(clients, factory)
    async with editor.http.post(f"{app.url}/console/studio/training/check", json={
            "language": "fi", "intent": "funding", "text": "hei"},
            headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"}) as response:
        body = await response.json()
    assert response.status == 200 and [w["kind"] for w in body["warnings"]] == ["duplicate"]
    response, page = await editor.post("/console/studio/training/add", {"language": "fi", "intent": "nope", "text": "x"})
    assert response.status == 400 and "choose a language and an intent" in page
    await make_adviser(factory, "anna", role="adviser")
    adviser = clients()
    await adviser.login("anna")
    for path in ("/console/studio/training", "/console/studio/inbox"):
        assert (await adviser.get(path))[0].status == 403


async def test_inbox_groups_and_resolves_one_or_many(app, clients, factory):
    now = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
    async with session_scope(factory) as session:
        for n, text in enumerate(("miten haen starttirahaa", "miten haen starttirahan", "kirjanpitäjä?"), 1):
            session.add(InboxItem(id=n, event_id=n, conversation_id=f"c{n}", language="fi", text=text, at=now,
                                  intent="startup_grant", confidence=0.42, reasons="low_confidence", status="open"))
    editor = await _editor(clients, factory)
    _, page = await editor.get("/console/studio/inbox")
    assert "3 messages to handle" in page and "2 similar messages" in page
    assert "Understood as Start-up grant (42 %)" in page and "Keyboard shortcuts" in page
    response, _ = await editor.post("/console/studio/inbox/resolve", {"one": "dismiss:3", "back": ""})
    assert response.status == 303 and "done=1" in response.headers["Location"]
    response, text = await editor.post("/console/studio/inbox/resolve", {"action": "correct", "ids": "1", "back": ""})
    assert response.status == 400 and "Choose the intent" in text
    async with editor.http.post(f"{app.url}/console/studio/inbox/resolve", data=[
            ("ids", "1"), ("ids", "2"), ("action", "correct"), ("intent", "funding")],
            headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"}) as response:
        body = await response.json()
    assert body["done"] == [1, 2] and body["open"] == 0 and body["message"] == "2 messages handled."
    _, page = await editor.get("/console/studio/training?lang=fi&intent=funding&q=starttirahaa")
    assert "miten haen starttirahaa" in page and "Added by staff" in page
