"""bot/rasa/tracker_store.py: the tracker Rasa gets is the one the database holds, cached or not,
on SQLite and PostgreSQL, with another server writing to the same database."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.rasa.tracker_store import CachedSQLTrackerStore
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict:
    """SQLTrackerStore arguments for one database (PostgreSQL: the local `test` database)."""
    if request.param == "sqlite":
        return {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    url = make_url(load_settings().catalog_test_postgres_url)
    return {"dialect": "postgresql", "host": url.host, "port": url.port, "db": url.database,
            "username": url.username, "password": url.password}


@pytest.fixture
def stores(domain: Domain, settings: dict) -> Iterator[tuple]:
    """Ours and a stock store (another Rasa server) on the same database."""
    yield CachedSQLTrackerStore(domain=domain, **settings), SQLTrackerStore(domain=domain, **settings)


def turn(text: str, intent: str = "greet") -> List[Event]:
    return [UserUttered(text, {"name": intent, "confidence": 0.9}), SlotSet("language", "fi"),
            ActionExecuted(f"utter_{intent}"), BotUttered(f"answer to {text}"), ActionExecuted("action_listen")]


def new_tracker(domain: Domain, sender: str, *texts: str) -> DialogueStateTracker:
    """A new conversation's tracker as Rasa starts it, with a turn for each of `texts`."""
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    for text in texts:
        for event in turn(text):
            tracker.update(event)
    return tracker


def stored(tracker: DialogueStateTracker) -> list:
    return [e.as_dict() for e in tracker.events]


async def test_a_saved_tracker_is_handed_out_again_when_nothing_is_newer(stores, domain):
    ours, stock = stores
    assert ours.engine.pool._pre_ping == (ours.engine.url.get_backend_name() == "postgresql")  # survives a restart
    sender = uuid.uuid4().hex
    await ours.save(new_tracker(domain, sender, "moi"))
    # Rasa's first tracker also holds the action before the session start, which a retrieve does
    # not give back: it is not kept, and the next message reads the database.
    tracker = await ours.retrieve(sender)
    assert stored(tracker) == stored(await stock.retrieve(sender))
    for event in turn("mitä kuuluu"):
        tracker.update(event)
    await ours.save(tracker)
    again = await ours.retrieve(sender)
    assert again is tracker  # from memory, not replayed
    assert stored(again) == stored(await stock.retrieve(sender))


async def test_another_server_s_events_are_seen(stores, domain):
    ours, stock = stores
    sender = uuid.uuid4().hex
    tracker = new_tracker(domain, sender)
    await ours.save(tracker)
    theirs = await stock.retrieve(sender)
    for event in turn("hej", "funding"):
        theirs.update(event)
    await stock.save(theirs)
    seen = await ours.retrieve(sender)
    assert seen is not tracker and stored(seen) == stored(theirs)


async def test_a_tracker_changed_but_not_saved_is_reloaded(stores, domain):
    ours, stock = stores
    sender = uuid.uuid4().hex
    tracker = new_tracker(domain, sender)
    await ours.save(tracker)
    tracker.update(UserUttered("lost", {"name": "greet", "confidence": 0.9}))  # the message failed before its save
    again = await ours.retrieve(sender)
    assert again is not tracker and stored(again) == stored(await stock.retrieve(sender))
    assert all(getattr(e, "text", None) != "lost" for e in again.events)


async def test_a_new_session_inside_a_tracker_is_stored_once(stores, domain):
    ours, stock = stores
    sender = uuid.uuid4().hex
    await ours.save(new_tracker(domain, sender, "first"))
    tracker = await ours.retrieve(sender)
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                  *turn("second")]:
        tracker.update(event)
    await ours.save(tracker)  # the database's session is now the new one: not kept
    for text in ("third", "fourth"):
        tracker = await ours.retrieve(sender)
        assert stored(tracker) == stored(await stock.retrieve(sender))
        for event in turn(text):
            tracker.update(event)
        await ours.save(tracker)
    everything = await stock.retrieve_full_tracker(sender)
    texts = [e.text for e in everything.events if isinstance(e, UserUttered)]
    assert texts == ["first", "second", "third", "fourth"]  # nothing stored twice


async def test_idle_and_surplus_trackers_are_dropped(domain, tmp_path):
    ours = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=2,
                                 max_idle_seconds=3600)
    trackers = {}
    for sender in ("a", "b", "c"):
        await ours.save(new_tracker(domain, sender))
        trackers[sender] = await ours.retrieve(sender)
        trackers[sender].update(UserUttered("moi", {"name": "greet", "confidence": 0.9}))
        await ours.save(trackers[sender])
    assert list(ours._kept) == ["b", "c"]
    assert (await ours.retrieve("a")) is not trackers["a"]  # read from the database again
    ours.max_idle_seconds = 0
    await ours.retrieve("c")
    assert not ours._kept


async def test_only_the_newest_trackers_stay_objects_the_others_come_back_from_their_compressed_copy(domain, tmp_path):
    ours = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), hot_size=2)
    stock = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    trackers = {}
    for sender in ("a", "b", "c", "d"):
        await ours.save(new_tracker(domain, sender))
        trackers[sender] = await ours.retrieve(sender)
        for event in turn(f"moi {sender}"):
            trackers[sender].update(event)
        await ours.save(trackers[sender])
    assert [isinstance(k.tracker, bytes) for k in ours._kept.values()] == [True, True, False, False]
    assert (await ours.retrieve("d")) is trackers["d"]  # hot: the object itself
    thawed = await ours.retrieve("a")  # cold: a copy of what was saved, not replayed from the database
    assert thawed is not trackers["a"] and stored(thawed) == stored(trackers["a"]) == stored(await stock.retrieve("a"))
    assert thawed.get_slot("language") == "fi" and thawed.latest_message.text == "moi a"
    assert [s for s, k in ours._kept.items() if not isinstance(k.tracker, bytes)] == ["d", "a"]
    for event in turn("toinen"):
        thawed.update(event)
    await ours.save(thawed)
    again = await ours.retrieve("a")
    assert again is thawed and stored(again) == stored(await stock.retrieve("a"))
    trackers["b"].update(UserUttered("lost", {"name": "greet", "confidence": 0.9}))  # changed after its save
    assert stored(await ours.retrieve("b")) == stored(await stock.retrieve("b"))  # its compressed copy holds what was saved


async def test_a_save_that_fails_on_the_database_is_tried_again(domain, tmp_path, monkeypatch):
    import sqlalchemy.exc
    import sqlalchemy.orm

    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    real_commit, failures = sqlalchemy.orm.Session.commit, []

    def restarting_database(session):  # the first commit meets a database that is restarting
        if not failures:
            failures.append("commit")
            raise sqlalchemy.exc.OperationalError("INSERT", {}, ConnectionError("server closed the connection"))
        real_commit(session)

    monkeypatch.setattr(sqlalchemy.orm.Session, "commit", restarting_database)
    monkeypatch.setattr("bot.rasa.tracker_store.SAVE_RETRY_SECONDS", (0.01, 0.01))
    tracker = new_tracker(domain, "restart", "hei")
    await store.save(tracker)
    fresh = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    retrieved = await fresh.retrieve("restart")
    assert failures == ["commit"] and [e.text for e in retrieved.events if isinstance(e, UserUttered)] == ["hei"]


async def test_a_handed_out_tracker_is_saved_without_counting_and_a_lost_commit_is_not_doubled(domain, tmp_path,
                                                                                               monkeypatch):
    import sqlalchemy as sa
    import sqlalchemy.exc
    import sqlalchemy.orm

    ours = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), hot_size=0)
    stock = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    counts: List[str] = []
    sa.event.listen(ours.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: counts.append(statement) if "count(" in statement else None)
    await ours.save(new_tracker(domain, "s", "moi"))
    assert len(counts) == 2  # a new conversation (and its session start): counted
    for text in ("toinen", "kolmas"):  # handed out (cold: a thawed copy) and saved: never counted
        counts.clear()
        tracker = await ours.retrieve("s")
        for event in turn(text):
            tracker.update(event)
        await ours.save(tracker)
        assert counts == [] and stored(tracker) == stored(await stock.retrieve("s"))
    real_commit, lost = sqlalchemy.orm.Session.commit, []

    def answer_lost(session):  # the commit goes through, its answer does not reach us
        real_commit(session)
        if not lost:
            lost.append("commit")
            raise sqlalchemy.exc.OperationalError("COMMIT", {}, ConnectionError("connection reset"))

    monkeypatch.setattr(sqlalchemy.orm.Session, "commit", answer_lost)
    monkeypatch.setattr("bot.rasa.tracker_store.SAVE_RETRY_SECONDS", (0.01,))
    tracker = await ours.retrieve("s")
    for event in turn("neljäs"):
        tracker.update(event)
    await ours.save(tracker)
    full = await stock.retrieve_full_tracker("s")
    assert lost == ["commit"] and [e.text for e in full.events if isinstance(e, UserUttered)] == [
        "moi", "toinen", "kolmas", "neljäs"]
    assert stored(await ours.retrieve("s")) == stored(await stock.retrieve("s"))
