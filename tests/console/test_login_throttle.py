"""Log-in throttling: per address and account with a growing delay, per address before any hashing,
the unlock command and the admin's Unlock, over real HTTP from different loopback addresses; the
schedule on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime, timedelta
from typing import AsyncIterator, List, Tuple

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.console import accounts, passwords, throttle
from bot.console.accounts import LoginOutcome, log_in
from bot.console.views_auth import wait_text
from bot.handoff.models import LoginThrottle
from bot.db import session_scope
from tests.conftest import ROOT
from tests.console.support import PASSWORD, make_adviser
from tests.handoff.support import OPEN_NOW, RunningApp, app_settings

ATTACKER, ADVISER, FLOOD = "127.0.0.2", "127.0.0.3", "127.0.0.4"
WRONG = "wrong password!!"
DEFAULTS = load_settings({})  # 3 free failures, then 30 s doubling up to 15 min; 10 attempts a minute


class Clock:
    """The log-in's clock, moved only by the test: an Argon2 hash that takes seconds on a loaded
    machine must not let a delay run out between two attempts."""

    def __init__(self) -> None:
        self.now = accounts.utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    stopped = Clock()
    monkeypatch.setattr(accounts, "utcnow", stopped)
    return stopped


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The passwords of every Argon2 verification the web app (in this process) runs."""
    seen: List[str] = []
    verify = passwords._verify

    def counting(stored: str, password: str) -> bool:
        seen.append(password)
        return verify(stored, password)

    monkeypatch.setattr(passwords, "_verify", counting)
    return seen


@pytest.fixture
async def fast_app(db_url, rasa) -> AsyncIterator[RunningApp]:
    """The web app with delays of seconds: one free failure, then 1 s, 2 s, 4 s..."""
    settings = app_settings(db_url, rasa.url, CONSOLE_LOGIN_FREE_FAILURES="1", CONSOLE_LOGIN_DELAY_SECONDS="1")
    async with RunningApp(settings) as running:
        yield running


async def _fail(client, username: str = "anna", times: int = 1) -> None:
    for _ in range(times):
        response, _ = await client.login_attempt(username, WRONG)
        assert response.status == 401


async def _bot(db_url: str, *args: str) -> Tuple[int, str, str]:
    """Run `python -m bot ARGS` on the test database without blocking the loop the web app runs on."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=str(ROOT), env={**os.environ, "DATABASE_URL": db_url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return int(process.returncode or 0), out.decode(), err.decode()


async def test_wrong_passwords_from_one_address_do_not_lock_out_another(app, clients, factory, hashes):
    await make_adviser(factory, "anna")
    await make_adviser(factory, "bertil")
    attacker, anna = clients(address=ATTACKER), clients(address=ADVISER)
    await _fail(attacker, times=app.settings.console_login_free_failures + 1)
    checked = len(hashes)
    response, body = await attacker.login_attempt("anna")  # now even the right password waits
    assert response.status == 429 and response.headers["Retry-After"] == "30"
    assert "Liian monta kirjautumisyritystä. Yritä uudelleen minuutin kuluttua." in body
    assert 'name="csrf_token"' in body  # the form is there to try again later
    assert len(hashes) == checked  # refused before any hashing
    assert (await anna.login("anna")).status == 303  # the adviser's own address is not slowed down
    assert (await attacker.login("bertil")).status == 303  # nor another account from that address


async def test_address_rate_limit_refuses_before_hashing(app, clients, hashes):
    rate = app.settings.console_logins_per_minute_per_address
    # A new browser and a new (untrusted) X-Forwarded-For every time: still one address.
    flood = [clients(address=FLOOD, headers={"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(rate + 1)]
    for n in range(rate):
        await _fail(flood[n], f"user{n}")
    assert len(hashes) == rate
    response, body = await flood[rate].login_attempt("anna", WRONG)
    assert response.status == 429 and 1 <= int(response.headers["Retry-After"]) <= 60 // rate
    assert "Liian monta kirjautumisyritystä" in body
    assert len(hashes) == rate  # the Argon2 work was never started
    await _fail(clients(address=ADVISER), "nobody")  # other addresses go on
    assert len(hashes) == rate + 1


async def test_delay_grows_with_each_failure(fast_app, connect, factory, clock):
    await make_adviser(factory, "anna")
    attacker = connect(fast_app.url, address=ATTACKER)
    await _fail(attacker)  # the free one
    waits = []
    for _ in range(2):
        await _fail(attacker)
        response, _ = await attacker.login_attempt("anna")
        assert response.status == 429
        waits.append(int(response.headers["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [1, 2]
    assert (await attacker.login("anna")).status == 303


async def test_unlock_command(app, clients, factory, db_url):
    await make_adviser(factory, "anna")
    attacker = clients(address=ATTACKER)
    free = app.settings.console_login_free_failures
    await _fail(attacker, times=free + 1)
    assert (await attacker.login("anna")).status == 429
    code, out, err = await _bot(db_url, "console", "unlock", "Anna")
    assert code == 0, err
    assert "unlocked anna: 1 throttling entries cleared" in out
    assert (await attacker.login("anna")).status == 303
    # The address's rate: used up (however long the commands above took, its bucket drains
    # one attempt per 60/rate seconds, so fail until refused), then cleared with --address.
    attacker = clients(address=ATTACKER)
    statuses = []
    for n in range(2 * app.settings.console_logins_per_minute_per_address):
        response, _ = await attacker.login_attempt(f"user{n}", WRONG)
        statuses.append(response.status)
        if response.status == 429:
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) <= {401}, statuses
    code, out, err = await _bot(db_url, "console", "unlock", "--address", ATTACKER)
    assert code == 0 and "unlocked 127.0.0.2:" in out, err
    assert (await attacker.login("anna")).status == 303
    code, _, err = await _bot(db_url, "console", "unlock")
    assert code == 2 and "name an account" in err


async def test_admin_sees_and_clears_delays(app, clients, factory):
    anna_id = await make_adviser(factory, "anna")
    await make_adviser(factory, "root", role="admin")
    attacker, admin = clients(address=ATTACKER), clients(address=ADVISER)
    await _fail(attacker, times=app.settings.console_login_free_failures + 1)
    await admin.login("root")
    _, page = await admin.get("/console/admin/advisers")
    assert page.count('<span class="error">Log-in attempts delayed until') == 1 and 'name="unlock"' in page
    await admin.post(f"/console/admin/advisers/{anna_id}", {"display_name": "Anna", "role": "adviser",
                                                           "language": "en", "active": "1", "unlock": "1"})
    _, page = await admin.get("/console/admin/advisers")
    assert '<span class="error">Log-in' not in page and 'name="unlock"' not in page
    assert (await attacker.login("anna")).status == 303


async def test_schedule_per_address_and_account(factory):
    await make_adviser(factory, "anna")

    async def attempt(at, password: str = WRONG, address: str = ATTACKER, username: str = "anna") -> LoginOutcome:
        return await log_in(factory, address, username, password, DEFAULTS, now=at)

    async def wait_of(at, username: str = "anna") -> int:
        async with session_scope(factory) as session:
            return await throttle.account_wait(session, ATTACKER, username, throttle.epoch_ms(at)) // 1000

    at, waits = OPEN_NOW, []
    for _ in range(10):
        assert await attempt(at) == LoginOutcome()
        waits.append(await wait_of(at))
        at += timedelta(seconds=waits[-1])
    assert waits == [0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    await attempt(at)
    assert await attempt(at + timedelta(seconds=1), PASSWORD) == LoginOutcome(retry_after=899)
    assert (await attempt(at, PASSWORD, address=ADVISER)).adviser.username == "anna"
    # An unknown username is counted the same way (nothing tells which accounts exist).
    for _ in range(4):
        await attempt(at, username="ghost")
    assert await wait_of(at, "ghost") == 30
    # A day without failures: the count starts over.
    later = at + timedelta(days=1, minutes=16)
    assert await attempt(later) == LoginOutcome() and await wait_of(later) == 0
    # A right password from the address starts it over too.
    await attempt(later)
    assert (await attempt(later, PASSWORD)).adviser is not None
    for _ in range(3):
        await attempt(later + timedelta(minutes=1))
    assert await wait_of(later + timedelta(minutes=1)) == 0


async def test_parallel_failures_are_all_counted(factory):
    await make_adviser(factory, "anna")

    async def one() -> LoginOutcome:
        return await log_in(factory, ATTACKER, "anna", WRONG, DEFAULTS, now=OPEN_NOW)

    await asyncio.gather(*(one() for _ in range(6)))
    async with session_scope(factory) as session:
        failures = await session.scalar(select(LoginThrottle.failures).where(LoginThrottle.username == "anna"))
    assert failures == 6


def test_addresses_and_wait_texts():
    assert throttle.address_key("203.0.113.7") == "203.0.113.7"
    assert throttle.address_key("2001:db8:1:2:aaaa::1") == throttle.address_key("2001:db8:1:2::ffff") \
        == "2001:db8:1:2::/64"
    assert throttle.address_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert throttle.address_key("unknown") == "unknown"
    assert wait_text("en", 30) == "Too many log-in attempts. Try again in a minute."
    assert wait_text("en", 61) == "Too many log-in attempts. Try again in 2 minutes."
    assert wait_text("sv", 900) == "För många inloggningsförsök. Försök igen om 15 minuter."
    assert wait_text("fi", 900) == "Liian monta kirjautumisyritystä. Yritä uudelleen 15 minuutin kuluttua."
