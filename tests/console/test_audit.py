"""The audit log: account changes are recorded with before and after, admins filter them, others may not read."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot.console import audit
from bot.console.audit import Actor, AuditEntry, AuditFilter
from bot.console.views_audit import filter_from_query
from bot.db import session_scope
from bot.handoff.models import Adviser
from tests.console.support import PASSWORD, make_adviser


async def _entries(factory) -> list:
    async with session_scope(factory) as session:
        return list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())


async def test_account_changes_are_logged_without_passwords(app, clients, factory):
    await make_adviser(factory, "root", role="admin")
    admin = clients()
    await admin.login("root")
    await admin.post("/console/admin/advisers", {"username": "eeva", "display_name": "Eeva E", "password": PASSWORD,
                                                 "role": "adviser", "language": "fi"})
    async with session_scope(factory) as session:
        eeva_id = await session.scalar(select(Adviser.id).where(Adviser.username == "eeva"))
    await admin.post(f"/console/admin/advisers/{eeva_id}", {"display_name": "Eeva E", "role": "editor",
                                                            "language": "fi", "active": "1"})
    await admin.post(f"/console/admin/advisers/{eeva_id}/password", {"password": "another long password"})
    entries = await _entries(factory)
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("root", "account.create", "eeva"), ("root", "account.update", "eeva"), ("root", "account.password", "eeva")]
    assert audit.changes(entries[1]) == [("role", "adviser", "editor")]
    assert all(PASSWORD not in (e.after or "") and "another long" not in (e.after or "") for e in entries)

    response, page = await admin.get("/console/admin/audit?action=account.update")
    assert response.status == 200
    assert "account.update" in page and "account.create</code>" not in page
    assert "<del>adviser</del> → <ins>editor</ins>" in page
    _, page = await admin.get("/console/admin/audit?target=nobody")
    assert 'id="audit-table"' not in page


async def test_only_admins_read_the_log(app, clients, factory):
    for role in ("adviser", "editor", "publisher"):
        await make_adviser(factory, role, role=role)
        client = clients()
        await client.login(role)
        response, _ = await client.get("/console/admin/audit")
        assert response.status == 403, role


async def test_search_filters_and_pages(factory):
    who, other = Actor(1, "anna"), Actor(2, "ben")
    async with session_scope(factory) as session:
        for n in range(5):
            await audit.record(session, who, "answer.save", f"utter_funding/{n}", {"text": "a"}, {"text": "b"},
                               now=datetime(2026, 11, 2 + n, 10, tzinfo=timezone.utc))
        await audit.record(session, other, "training.add", "fi:funding", None, {"text": "rahoitus_%"},
                           now=datetime(2026, 11, 20, 10, tzinfo=timezone.utc))
    async with session_scope(factory) as session:
        assert [e.target for e in await audit.search(session, AuditFilter(action="answer"), limit=2)] == [
            "utter_funding/4", "utter_funding/3"]
        newest = await audit.search(session, AuditFilter(actor="anna"), limit=2)
        older = await audit.search(session, AuditFilter(actor="anna"), older_than=newest[-1].id, limit=10)
        assert [e.target[-1] for e in older] == ["2", "1", "0"]
        assert len(await audit.search(session, AuditFilter(target="FUNDING/"))) == 5
        assert await audit.search(session, AuditFilter(target="%")) == []  # LIKE characters are literal
        window = filter_from_query({"from": "2026-11-03", "to": "2026-11-04", "action": "bad action'"})
        assert window.action == ""
        assert [e.target for e in await audit.search(session, window)] == ["utter_funding/2", "utter_funding/1"]
        assert await audit.choices(session) == (["anna", "ben"], ["answer.save", "training.add"])


def test_changes_of_values_that_are_not_mappings():
    entry = AuditEntry(before=None, after='"hello"')
    assert audit.changes(entry) == [("", "", "hello")]
    entry = AuditEntry(before='{"a": 1, "b": 2}', after='{"a": 1}')
    assert audit.changes(entry) == [("b", "2", "")]
