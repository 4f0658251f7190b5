"""The lookups the actions call, on SQLite and PostgreSQL alike."""
from datetime import timedelta

import pytest

from bot.catalog.dates import parse_date_range
from bot.catalog.importers import jobs, linked_events, ptv
from bot.catalog.queries import find_events, find_offers, search_services
from bot.config import HELSINKI

from .conftest import FIXTURES, NOW
from .fake_apis import event, posting

NETWORKING = {"fi": "verkostoituminen", "sv": "nätverkande", "en": "networking"}
FUNDING = {"fi": "rahoitus", "sv": "finansiering", "en": "funding"}


@pytest.fixture
async def catalogue(factory):
    await ptv.import_from_file(factory, FIXTURES / "ptv_channels.json")
    await ptv.import_from_file(factory, FIXTURES / "ptv_services.json")
    events = [
        event(1, days=-2, name={"fi": "Mennyt verkostoitumisilta"}, keywords=[NETWORKING]),
        event(2, days=-1, hours=48, name={"fi": "Käynnissä oleva messu", "en": "Ongoing fair"}),
        event(3, days=5, name={"fi": "Rahoitusaamu", "en": "Funding breakfast"}, keywords=[FUNDING]),
        event(4, days=3, name={"fi": "Yrittäjien verkostoitumisilta", "en": "Entrepreneurs' networking evening"},
              keywords=[NETWORKING]),
        event(5, days=4, name={"fi": "Verkostoitumista ja rahoitusta"}, keywords=[NETWORKING, FUNDING]),
        event(6, days=40, name={"fi": "Vientipäivä", "sv": "Exportdagen", "en": "Export day"}),
        event(7, days=0, hours=-1, name={"fi": "Juuri päättynyt"}, end_time=(NOW - timedelta(minutes=5)).isoformat(),
              start_time=(NOW - timedelta(hours=2)).isoformat()),
    ]
    await linked_events.import_from_file(factory, None, document={"meta": {}, "data": events})
    offers = [
        posting(1, title={"fi": "Ohjelmistokehittäjä", "en": "Software developer"}, published_days_ago=3),
        posting(2, title={"fi": "Sairaanhoitaja"}, published_days_ago=1),
        posting(3, title={"fi": "Leipuri"}, published_days_ago=10, deadline_days=None),
        posting(4, title={"fi": "Myyjä"}, published_days_ago=20, deadline_days=-1),   # deadline passed
        posting(5, title={"fi": "Kokki"}, published_days_ago=-2, deadline_days=30),   # published in two days
        posting(6, title={"en": "Data engineer"}, published_days_ago=2),
    ]
    await jobs.import_from_file(factory, None, document={"ilmoitukset": offers})
    return factory


async def services(factory, text, language, **kwargs):
    async with factory() as session:
        return await search_services(session, text, language, now=kwargs.pop("now", NOW), **kwargs)


@pytest.mark.parametrize("text,language", [
    ("rahoitus", "fi"), ("rahoitusta", "fi"), ("rahoituksen", "fi"), ("Mistä saan rahoitusta yritykselleni?", "fi"),
    ("finansiering för företagets tillväxt", "sv"), ("företagets finansiering", "sv"),
    ("funding", "en"), ("advice on fundings", "en"),
])
async def test_service_search_handles_inflection(catalogue, text, language):
    page = await services(catalogue, text, language)
    assert page.items and page.items[0].external_id == "8a1f2c3d-0001-4000-8000-000000000001"


async def test_service_hit_is_in_the_requested_language_with_provider_url_and_hours(catalogue):
    hit = (await services(catalogue, "företagsfinansiering rådgivning", "sv")).items[0]
    assert (hit.name, hit.language, hit.fell_back) == ("Rådgivning om företagsfinansiering", "sv", False)
    assert hit.summary.startswith("Vi ger råd") and hit.provider == "Business Espoo"
    assert hit.url == "https://www.businessespoo.fi/sv" and hit.phone == "+358 9 816 30000"
    assert hit.open_now is True
    christmas = (await services(catalogue, "rahoitus", "fi", now=NOW.replace(month=12, day=24))).items[0]
    assert christmas.open_now is False
    evening = (await services(catalogue, "rahoitus", "fi", now=NOW.replace(hour=19))).items[0]
    assert evening.open_now is False


async def test_service_language_fallback_and_unknown_hours(catalogue):
    hit = (await services(catalogue, "starttiraha", "en")).items[0]
    assert (hit.name, hit.language, hit.fell_back) == ("Starttiraha", "fi", True)
    assert hit.open_now is False and hit.provider == "TE-palvelut"  # the phone line is open 9-12
    export = (await services(catalogue, "vientineuvonta", "fi")).items[0]
    assert export.name == "Vientineuvonta" and export.open_now is None  # a web page has no hours


async def test_service_paging_and_nothing_found(catalogue):
    first = await services(catalogue, "", "fi", limit=2)
    assert (len(first.items), first.has_more, first.total) == (2, True, 3)
    rest = await services(catalogue, "", "fi", limit=2, offset=2)
    assert (len(rest.items), rest.has_more) == (1, False)
    assert {h.id for h in first.items}.isdisjoint(h.id for h in rest.items)
    none = await services(catalogue, "avaruusmatkailu", "fi")
    assert (none.items, none.has_more, none.total) == ((), False, 0)


async def events(factory, language, text=None, **kwargs):
    async with factory() as session:
        return await find_events(session, language, text, now=kwargs.pop("now", NOW), **kwargs)


async def test_events_never_ended_and_in_date_order(catalogue):
    page = await events(catalogue, "fi", limit=10)
    names = [e.name for e in page.items]
    assert names == ["Käynnissä oleva messu", "Yrittäjien verkostoitumisilta", "Verkostoitumista ja rahoitusta",
                     "Rahoitusaamu", "Vientipäivä"]
    assert all(e.end is None or e.end > NOW for e in page.items)
    assert page.items[0].start.tzinfo is not None and page.items[0].start.utcoffset() == timedelta(hours=2)


async def test_events_by_topic_and_date_range(catalogue):
    topic = await events(catalogue, "fi", "verkostoitumista")
    assert [e.name for e in topic.items] == ["Yrittäjien verkostoitumisilta", "Verkostoitumista ja rahoitusta"]
    both = await events(catalogue, "en", "networking and funding events")
    assert [e.external_id for e in both.items] == ["espoo:test0005"]  # every word first
    either = await events(catalogue, "en", "networking hackathon")
    assert [e.external_id for e in either.items] == ["espoo:test0004", "espoo:test0005"]  # else any word
    start, end = parse_date_range("ensi viikolla", "fi", NOW)
    next_week = await events(catalogue, "fi", "rahoitustapahtumat ensi viikolla", start=start, end=end)
    assert [e.name for e in next_week.items] == ["Verkostoitumista ja rahoitusta", "Rahoitusaamu"]
    later = await events(catalogue, "sv", "export", start=NOW + timedelta(days=30))
    assert [(e.name, e.fell_back) for e in later.items] == [("Exportdagen", False)]


async def test_event_language_fallback_and_paging(catalogue):
    page = await events(catalogue, "en", limit=2)
    assert [(e.name, e.fell_back) for e in page.items] == [("Ongoing fair", False),
                                                          ("Entrepreneurs' networking evening", False)]
    assert page.has_more
    more = await events(catalogue, "en", limit=2, offset=2)
    assert [(e.name, e.language, e.fell_back) for e in more.items][0] == ("Verkostoitumista ja rahoitusta", "fi", True)
    last = await events(catalogue, "en", limit=2, offset=4)
    assert len(last.items) == 1 and not last.has_more
    assert "verkostoituminen" in more.items[0].keywords or "networking" in more.items[0].keywords


async def offers(factory, language, text=None, **kwargs):
    async with factory() as session:
        return await find_offers(session, language, text, now=kwargs.pop("now", NOW), **kwargs)


async def test_offers_open_newest_first(catalogue):
    page = await offers(catalogue, "fi", limit=10)
    assert [o.title for o in page.items] == ["Sairaanhoitaja", "Data engineer", "Ohjelmistokehittäjä", "Leipuri"]
    assert page.items[1].fell_back and page.items[1].language == "en"
    assert all(o.deadline is None or o.deadline > NOW for o in page.items)


async def test_offers_by_occupation_or_keyword(catalogue):
    assert [o.title for o in (await offers(catalogue, "fi", "ohjelmistokehittäjää")).items] == ["Ohjelmistokehittäjä"]
    assert [o.title for o in (await offers(catalogue, "en", "developers")).items] == ["Software developer"]
    assert [o.title for o in (await offers(catalogue, "fi", "avoimet työpaikat")).items][:1] == ["Sairaanhoitaja"]
    assert (await offers(catalogue, "fi", "astronautti")).items == ()
    first = await offers(catalogue, "fi", limit=3)
    second = await offers(catalogue, "fi", limit=3, offset=3)
    assert first.has_more and not second.has_more and len(second.items) == 1


async def test_bad_arguments_are_refused(catalogue):
    with pytest.raises(ValueError):
        await offers(catalogue, "de")
    with pytest.raises(ValueError):
        await events(catalogue, "fi", now=NOW.replace(tzinfo=None))
    assert HELSINKI.key == "Europe/Helsinki"


QUERIES = [("fi", "verkostoitumista", None), ("en", "networking and funding events", None),
           ("en", "networking hackathon", None), ("fi", "rahoitustapahtumat ensi viikolla", "ensi viikolla"),
           ("sv", "export", None), ("fi", "avaruus", None)]


async def _listing(factory):
    found = []
    for language, text, phrase in QUERIES:
        span = parse_date_range(phrase, language, NOW) if phrase else None
        start, end = span if span else (None, None)
        for offset in (0, 1):
            page = await events(factory, language, text, start=start, end=end, limit=2, offset=offset)
            found.append(([e.external_id for e in page.items], page.has_more))
    for language, text in (("fi", "ohjelmistokehittäjää"), ("en", "developers"), ("fi", "leipuri kokki"), ("fi", None)):
        for offset in (0, 2):
            page = await offers(factory, language, text, limit=2, offset=offset)
            found.append(([o.external_id for o in page.items], page.has_more))
    return found


async def test_the_date_ordered_walk_and_its_fallback_give_the_same_pages(catalogue, monkeypatch):
    from bot.catalog import matching

    by_candidates = await _listing(catalogue)
    monkeypatch.setattr(matching, "CANDIDATE_CAP", 0)   # every text query walks the records in order
    monkeypatch.setattr(matching, "FIRST_CHUNK", 1)
    walked = await _listing(catalogue)
    monkeypatch.setattr(matching, "SCAN_LIMIT", 1)      # and gives up at once: exact candidate sets
    fallen_back = await _listing(catalogue)
    assert walked == by_candidates and fallen_back == by_candidates
    assert any(ids for ids, _ in by_candidates) and any(more for _, more in by_candidates)


async def test_a_word_of_another_language_is_found_when_the_users_language_finds_nothing(catalogue):
    hit = (await services(catalogue, "rahoitusta", "en")).items[0]
    assert (hit.name, hit.fell_back) == ("Business funding advice", False)
    page = await events(catalogue, "en", "vientipäivää")
    assert [(e.name, e.fell_back) for e in page.items] == [("Export day", False)]
    assert [o.title for o in (await offers(catalogue, "en", "ohjelmistokehittäjä")).items] == ["Software developer"]
    assert (await services(catalogue, "funding", "en")).total == 1  # found in English: no other language tried
