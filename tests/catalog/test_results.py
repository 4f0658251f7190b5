"""Event and offer results as the chat shows them: each with its own page, once, and its
title marked when it is not in the conversation's language (issue 9)."""
from __future__ import annotations

import pytest

from bot.catalog import answers, links
from bot.catalog.dedupe import unique_ids
from bot.catalog.importers import jobs, linked_events
from bot.catalog.queries import find_events, find_offers

from .conftest import NOW
from .fake_apis import event, posting


async def load(factory, events=(), offers=()):
    if events:
        await linked_events.import_from_file(factory, None, document={"meta": {}, "data": list(events)})
    if offers:
        await jobs.import_from_file(factory, None, document={"ilmoitukset": list(offers)})


async def events_of(factory, language="en", **kwargs):
    async with factory() as session:
        return await find_events(session, language, now=NOW, **kwargs)


async def offers_of(factory, language="en", **kwargs):
    async with factory() as session:
        return await find_offers(session, language, now=NOW, **kwargs)


def by_id(page):
    return {hit.external_id: hit for hit in page.items}


# ---------------------------------------------------------------- 1. one page per result

async def test_each_event_links_to_its_own_page_and_only_over_https(factory):
    await load(factory, events=[
        event(1, days=1, info_url={"fi": "https://example.fi/tapahtuma/1", "en": "https://example.fi/event/1"}),
        event(2, days=2, info_url={"fi": "http://example.fi/e/2"}),                  # not https: no link
        event(3, days=3, info_url={"fi": "https://www.espoo.fi/fi/tapahtumat"}),     # the calendar, not its page
        event(4, days=4, id="espooevents:agqikxguri", info_url=None),                # Espoo's own instance
        event(5, days=5, info_url=None, offers=[{"is_free": False, "info_url": {"fi": "https://liput.example/5"}}]),
    ])
    hits = by_id(await events_of(factory, limit=10))
    assert hits["espoo:test0001"].url == "https://example.fi/event/1"
    assert hits["espoo:test0002"].url is None and hits["espoo:test0003"].url is None
    assert hits["espooevents:agqikxguri"].url == "https://www.espoo.fi/en/events/espooevents%3Aagqikxguri"
    assert hits["espoo:test0005"].url == "https://liput.example/5"
    text = answers.results_text("events", list(hits.values()), "en")
    own = [line.strip() for line in text.splitlines() if line.strip().startswith("https://")]
    assert len(own) == 3 == len(set(own))  # no two events share one link
    # the two without a page of their own: the calendar once, at the end
    assert text.splitlines()[-1] == "More about these events in the Espoo events calendar: https://www.espoo.fi/en/events"
    assert sum(line.endswith(": https://www.espoo.fi/en/events") for line in text.splitlines()) == 1


@pytest.mark.parametrize("language, label, page", [
    ("fi", "Lisätietoja tapahtumista Espoon tapahtumakalenterissa", "https://www.espoo.fi/fi/tapahtumat"),
    ("sv", "Mer om evenemangen i Esbo stads evenemangskalender", "https://www.espoo.fi/sv/evenemang"),
    ("en", "More about these events in the Espoo events calendar", "https://www.espoo.fi/en/events"),
])
async def test_an_event_without_a_page_of_its_own_names_the_calendar_as_such(factory, language, label, page):
    await load(factory, events=[event(1, days=1, info_url={"fi": "http://example.fi/e/1"}),
                                event(2, days=2, info_url=None)])
    hits = (await events_of(factory, language)).items
    assert all(len(answers.event_line(hit, language).splitlines()) == 1 for hit in hits)  # no link of their own
    assert answers.results_text("events", hits, language).splitlines()[-1] == f"{label}: {page}"


async def test_an_offer_links_to_its_application_or_posting_page(factory):
    await load(factory, offers=[
        posting(1, title={"fi": "Kokki", "en": "Cook"}),                              # its application page
        posting(2, title={"fi": "Leipuri", "en": "Baker"}, hakeminen={"hakemuksenUrl": None}),
        posting(3, title={"fi": "Siivooja", "en": "Cleaner"},
                hakeminen={"hakemuksenUrl": "https://tyomarkkinatori.fi/henkiloasiakkaat/avoimet-tyopaikat"}),
        dict(posting(4, title={"fi": "Myyjä", "en": "Seller"}, hakeminen={"hakemuksenUrl": None}), lahde="sample"),
    ])
    hits = {hit.title: hit for hit in (await offers_of(factory, "en")).items}
    assert hits["Cook"].url == "https://example.fi/job/1"
    posting_2 = "00000000-0000-4000-8000-000000000002"
    assert hits["Baker"].url == f"https://tyomarkkinatori.fi/henkiloasiakkaat/avoimet-tyopaikat/{posting_2}"
    assert answers.offer_line(hits["Baker"], "en").endswith(
        f"  https://tyomarkkinatori.fi/en/personal-customers/vacancies/{posting_2}")
    assert answers.offer_line(hits["Baker"], "fi").endswith(posting_2)
    assert hits["Cleaner"].url.endswith("/avoimet-tyopaikat/00000000-0000-4000-8000-000000000003")
    assert hits["Seller"].url is None  # an invented sample has no page anywhere
    assert "https://" not in answers.offer_line(hits["Seller"], "sv")
    assert answers.results_text("offers", [hits["Seller"]], "sv").splitlines()[-1] == (
        "De här och andra lediga jobb på Jobbmarknad: https://tyomarkkinatori.fi/sv/privatkunder/lediga-jobb")


@pytest.mark.parametrize("url, own", [
    ("https://example.fi/e/1", True), ("http://example.fi/e/1", False), ("javascript:alert(1)", False),
    ("https://user@example.fi/e/1", False), ("https://example.fi/a b", False), ("", False), (None, False),
    ("https://espoo.fi/en/events/", False), ("https://www.espoo.fi/fi/tapahtumat/espooevents%3Aabc", True),
    ("https://tyomarkkinatori.fi/en/personal-customers/vacancies?q=cook", False),
])
def test_own_page_is_https_and_not_a_general_page(url, own):
    assert links.own_page(url) == (url if own else None)


# ---------------------------------------------------------------- 2. the same offer once

async def test_the_same_offer_is_listed_once(factory):
    espoo = {"toimipaikka": {"postinumero": "02100", "postitoimipaikka": "Espoo"}}
    helsinki = {"toimipaikka": {"postinumero": "00100", "postitoimipaikka": "Helsinki"}}
    await load(factory, offers=[
        posting(1, title={"fi": "Kokki"}, published_days_ago=1, sijainti=espoo),
        posting(2, title={"fi": "kokki "}, published_days_ago=2, sijainti=espoo),      # the same, posted again
        posting(3, title={"fi": "Kokki"}, published_days_ago=3, sijainti=helsinki),    # another place
        posting(4, title={"fi": "Kokki"}, published_days_ago=4, sijainti=espoo,
                ilmoittajanNimi=[{"kieliKoodi": "fi", "arvo": "Toinen Oy"}]),           # another employer
        posting(5, title={"fi": "Leipuri"}, published_days_ago=5, sijainti=espoo),
    ])
    page = await offers_of(factory, "fi", limit=10)
    assert [hit.external_id[-1] for hit in page.items] == ["1", "3", "4", "5"]
    cooks = await offers_of(factory, "fi", text="kokki", limit=10)
    assert [hit.external_id[-1] for hit in cooks.items] == ["1", "3", "4"]
    first, second = await offers_of(factory, "fi", limit=2), await offers_of(factory, "fi", limit=2, offset=2)
    assert [h.external_id[-1] for h in first.items + second.items] == ["1", "3", "4", "5"]
    assert first.has_more and not second.has_more


async def test_the_same_event_imported_twice_is_listed_once(factory):
    twin = dict(event(1, days=1), id="espooevents:agtwin")  # the same event from a second source
    await load(factory, events=[event(1, days=1), twin, event(3, days=2)])
    page = await events_of(factory, "fi", limit=10)
    assert [hit.external_id for hit in page.items] == ["espoo:test0001", "espoo:test0003"]


def test_an_id_is_kept_once():
    assert unique_ids([3, 1, 3, 2, 1], {1: "a", 2: "b", 3: "c"}) == [3, 1, 2]
    assert unique_ids([1, 2, 4], {1: "a", 2: "a"}) == [1]  # 4 vanished meanwhile


# ---------------------------------------------------------------- 3. the title's language said

@pytest.mark.parametrize("language, mark", [("en", "(in Finnish)"), ("sv", "(på finska)")])
async def test_a_title_in_another_language_is_marked_in_the_users_language(factory, language, mark):
    await load(factory, events=[event(1, days=1, name={"fi": "Startup-ilta"}),
                                event(2, days=2, name={"fi": "Rahoitusaamu", "sv": "Finansieringsmorgon",
                                                       "en": "Funding breakfast"})],
               offers=[posting(1, title={"fi": "Leipuri"})])
    first, second = (await events_of(factory, language)).items
    assert f"Startup-ilta {mark} – " in answers.event_line(first, language)
    assert "(" not in answers.event_line(second, language).splitlines()[0]
    offer = (await offers_of(factory, language)).items[0]
    assert answers.offer_line(offer, language).startswith(f"• Leipuri {mark} – Testi Oy, Espoo")


async def test_a_finnish_title_in_a_finnish_list_is_not_marked_but_an_english_one_is(factory):
    await load(factory, offers=[posting(1, title={"fi": "Leipuri"}), posting(2, title={"en": "Data engineer"})])
    lines = {hit.title: answers.offer_line(hit, "fi") for hit in (await offers_of(factory, "fi")).items}
    assert lines["Leipuri"].startswith("• Leipuri – ")
    assert lines["Data engineer"].startswith("• Data engineer (englanniksi) – ")
