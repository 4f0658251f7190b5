"""The catalogue actions against the sample catalogue in a real SQLite database."""
from datetime import datetime, timezone

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import catalog, database
from bot.db import make_engine
from bot.catalog.samples import load_samples
from tests.conftest import ROOT, make_tracker, user_event
from tests.test_supervisor import free_port


@pytest.fixture
async def sample_db(tmp_path, monkeypatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}"
    engine = make_engine(url)
    await load_samples(engine, ROOT / "data" / "catalog")
    await engine.dispose()
    async with database.opened(url):  # as the action server's start listener does
        yield url


async def run(action, text, intent, language="fi", slots=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event(text, intent)], slots={"language": language, **(slots or {})})
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def last_search(events):
    (event,) = [e for e in events if e.get("name") == "last_search"]
    return event["value"]


@pytest.mark.parametrize("language, text", [
    ("fi", "Mistä saisin rahoitusta yritykselleni?"),
    ("sv", "Var får mitt företag finansiering?"),
    ("en", "Where can my company get funding?"),
])
async def test_find_services_answers_with_links(sample_db, language, text):
    messages, _ = await run(catalog.ActionFindServices(), text, "find_service", language)
    assert messages[0]["response"].startswith("utter_services_found")
    results = messages[0]["results"]
    assert results.startswith("•") and "https://" in results
    assert results.count("•") <= catalog.PAGE_SIZE


async def test_find_events_pages_on_with_show_more(sample_db):
    messages, events = await run(catalog.ActionFindEvents(), "/find_events", "find_events", "en")
    assert messages[0]["response"] == "utter_events_found_more"
    first_page = messages[0]["results"]
    search = last_search(events)
    assert search["offset"] == catalog.PAGE_SIZE
    more, _ = await run(catalog.ActionShowMore(), "show more", "show_more", "en", {"last_search": search})
    assert more[0]["response"].startswith("utter_events_found")
    assert more[0]["results"] != first_page
    # Each page names the events it showed (the bot event's metadata, counted by the insights): their
    # catalogue ids and titles, as many as the page's lines, and nothing of the person who asked.
    first, second = messages[0]["shown"], more[0]["shown"]
    assert len(first) == first_page.count("• ") == catalog.PAGE_SIZE and second
    assert all(set(i) == {"kind", "id", "title", "language"} and i["kind"] == "events" for i in first + second)
    assert all(i["title"] and i["title"] in first_page for i in first)
    assert not {i["id"] for i in first} & {i["id"] for i in second}


async def test_events_of_next_week_only(sample_db):
    now = datetime.now(timezone.utc)
    search = catalog.new_search("events", "mitä tapahtumia on ensi viikolla", "fi", now)
    start, end = datetime.fromisoformat(search.start), datetime.fromisoformat(search.end)
    assert start.weekday() == 0 and (end - start).days == 7 and start > now
    page = await catalog.run_search(search, "fi", now)
    for hit in page.items:
        assert hit.start < end and (hit.end or hit.start) > start


async def test_find_offers_by_occupation(sample_db):
    messages, _ = await run(catalog.ActionFindOffers(), "Show open jobs for software developers", "find_recruitment_offers", "en")
    assert messages[0]["response"].startswith("utter_offers_found")
    assert "•" in messages[0]["results"]
    assert [i["kind"] for i in messages[0]["shown"]] == ["offers"] * messages[0]["results"].count("• ")


async def test_nothing_found_suggests_a_broader_search(sample_db):
    messages, events = await run(catalog.ActionFindOffers(), "avoimia paikkoja zyxwvutsrq-osaajille", "find_recruitment_offers", "fi")
    assert messages[0]["response"] == "utter_offers_none" and "shown" not in messages[0]
    assert "zyxwvutsrq" in messages[0]["criteria"]
    assert last_search(events) is None


async def test_show_more_without_a_search(sample_db):
    messages, _ = await run(catalog.ActionShowMore(), "näytä lisää", "show_more", "fi")
    assert [m["response"] for m in messages] == ["utter_no_more_results"]


async def test_database_down_gives_a_clear_answer():
    async with database.opened(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/test"):
        messages, events = await run(catalog.ActionFindServices(), "rahoitus", "find_service", "fi")
    assert [m["response"] for m in messages] == ["utter_catalog_unavailable"]
    assert events == []


def test_every_domain_action_is_served():
    import yaml
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    names = [a if isinstance(a, str) else next(iter(a)) for a in domain["actions"]]
    custom = {a for a in names if not a.startswith("utter_")}
    assert custom <= set(executor.actions)
    # Rasa sends the domain only to the form's validation (endpoints.yml enable_selective_domain), which reads it.
    assert [a for a in domain["actions"] if isinstance(a, dict)] == [{"validate_contact_request_form": {"send_domain": True}}]


async def test_a_look_up_says_what_it_searched_and_show_more_keeps_the_query(sample_db):
    messages, events = await run(catalog.ActionFindOffers(), "onks ravintola-alan töitä espoossa",
                                 "find_recruitment_offers", "fi")
    first = messages[0]["results"]
    assert first.startswith("Haettu: ravintola-ala, Espoo\n") and "zyx" not in first
    search = last_search(events)
    assert search["query"]["what"][0]["key"] == "restaurant"
    more, after = await run(catalog.ActionShowMore(), "näytä lisää", "show_more", "fi", {"last_search": search})
    rest = more[0]["results"]
    assert rest.startswith("Haettu: ravintola-ala, Espoo\n") and rest != first
    titles = [line for line in (first + rest).splitlines() if line.startswith("•")]
    assert titles and all(("Kokki" in t or "Tarjoilija" in t) for t in titles), titles
