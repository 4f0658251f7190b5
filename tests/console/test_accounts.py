"""Accounts: Argon2id off the event loop, admin management, the create-admin command."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from bot.console.audit import AuditEntry
from bot.console.accounts import AccountError, authenticate, create_adviser
from bot.console.passwords import hash_password, verify_password
from bot.handoff.models import Adviser, ConsoleSession
from bot.db import session_scope
from tests.conftest import ROOT
from tests.console.support import PASSWORD, make_adviser


async def test_hashing_is_argon2id_and_does_not_block_the_loop():
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    digests = await asyncio.gather(*(hash_password("a long enough password") for _ in range(4)))
    task.cancel()
    assert ticks >= 3  # the loop kept running while four hashes were computed
    assert all(d.startswith("$argon2id$") for d in digests) and len(set(digests)) == 4
    assert await verify_password(digests[0], "a long enough password")
    assert not await verify_password(digests[0], "another password")
    assert not await verify_password("not a hash", "a long enough password")


async def test_the_dummy_hash_of_unknown_usernames_is_made_off_the_loop(monkeypatch):
    import threading

    from argon2 import PasswordHasher

    from bot.console import passwords

    threads = []

    class Recording(PasswordHasher):
        def hash(self, password, **kwargs):  # type: ignore[no-untyped-def, override]
            threads.append(threading.current_thread())
            return super().hash(password, **kwargs)

    recording = Recording()
    monkeypatch.setattr(passwords, "_hasher", lambda: recording)
    passwords._dummy_hash.cache_clear()
    try:
        await passwords.burn_time("a guess")
        await passwords.prepare()
    finally:
        passwords._dummy_hash.cache_clear()
    assert len(threads) == 1 and threads[0] is not threading.main_thread()


@pytest.mark.parametrize("username, password, key", [
    ("a", PASSWORD, "username_invalid"), ("anna smith", PASSWORD, "username_invalid"),
    ("anna", "short", "password_too_short"), ("taken", PASSWORD, "username_taken"),
])
async def test_account_rules(factory, username, password, key):
    async with session_scope(factory) as session:
        await create_adviser(session, "taken", "Taken", PASSWORD)
        with pytest.raises(AccountError) as error:
            await create_adviser(session, username, "", password)
    assert error.value.key == key


async def test_admin_manages_accounts(app, clients, factory):
    admin_id = await make_adviser(factory, "root", role="admin")
    admin = clients()
    await admin.login("root")
    response, _ = await admin.post("/console/admin/advisers", {"username": "Bertil", "display_name": "Bertil B",
                                                              "password": PASSWORD, "role": "adviser", "language": "sv"})
    assert response.headers["Location"].endswith("msg=account_created")
    bertil = clients()
    assert (await bertil.login("bertil")).status == 303
    _, page = await bertil.get("/console/")
    assert '<html lang="sv">' in page
    async with session_scope(factory) as session:
        bertil_id = await session.scalar(select(Adviser.id).where(Adviser.username == "bertil"))
    # A new password ends Bertil's sessions.
    response, _ = await admin.post(f"/console/admin/advisers/{bertil_id}/password", {"password": "x" * 14})
    assert response.headers["Location"].endswith("msg=password_changed")
    response, _ = await bertil.get("/console/api/queue")
    assert response.status == 401
    assert (await clients().login("bertil", "x" * 14)).status == 303
    # Deactivating ends sessions and refuses log-in.
    await admin.post(f"/console/admin/advisers/{bertil_id}", {"display_name": "B", "role": "adviser",
                                                              "language": "fi"})
    assert (await clients().login("bertil", "x" * 14)).status == 401
    async with session_scope(factory) as session:
        assert await session.scalar(select(ConsoleSession.token_hash).where(ConsoleSession.adviser_id == bertil_id)) is None
    # The last admin stays an admin.
    response, _ = await admin.post(f"/console/admin/advisers/{admin_id}", {"display_name": "Root", "role": "adviser",
                                                                           "language": "en", "active": "1"})
    assert response.headers["Location"].endswith("msg=last_admin")
    response, _ = await admin.post("/console/admin/advisers", {"username": "x", "password": PASSWORD,
                                                              "role": "adviser", "language": "en"})
    assert response.headers["Location"].endswith("msg=username_invalid")


def test_create_admin_command(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env = {**os.environ, "DATABASE_URL": url, "BOT_DEFAULT_LANGUAGE": "sv"}  # the admin's console language
    command = [sys.executable, "-m", "bot", "console", "create-admin", "--username", "Boss", "--password-stdin",
               "--display-name", "The Boss"]
    done = subprocess.run(command, cwd=ROOT, env=env, input="a very long password\n", text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "admin boss created" in done.stdout
    again = subprocess.run(command, cwd=ROOT, env=env, input="a very long password\n", text=True,
                           capture_output=True, timeout=120)
    assert again.returncode == 1 and "already taken" in again.stderr
    weak = subprocess.run(command[:6] + ["other", "--password-stdin"], cwd=ROOT, env=env, input="short\n", text=True,
                          capture_output=True, timeout=120)
    assert weak.returncode == 1 and "at least 12" in weak.stderr

    async def check() -> None:
        from bot.db import make_engine, make_sessionmaker

        engine = make_engine(url)
        async with make_sessionmaker(engine)() as session:
            boss = await session.scalar(select(Adviser).where(Adviser.username == "boss"))
            assert (boss.role, boss.display_name, boss.language) == ("admin", "The Boss", "sv")
            assert boss.password_hash.startswith("$argon2id$")
            assert await authenticate(session, "boss", "a very long password")
            entry = await session.scalar(select(AuditEntry))
            assert entry.actor.startswith("cli:") and (entry.action, entry.target) == ("account.create", "boss")
            assert "a very long password" not in entry.after
        await engine.dispose()

    asyncio.run(check())
