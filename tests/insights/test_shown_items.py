"""The catalogue items look-ups showed: recorded by the actions' helper, counted per day and language with
their titles (hand-counted), and the lookups page's "most shown" tables and CSV from the counters."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from bot.catalog.hits import EventHit, OfferHit
from bot.catalog.shown import read_items, shown_items
from bot.config import load_settings
from bot.db import session_scope
from bot.insights import pages
from bot.insights.models import ShownItem
from bot.insights.report import Filters
from bot.insights.tables import to_csv
from tests.insights.events import DAY, MONDAY, bot, item, slot, store, user
from tests.insights.test_aggregation import MON, TUE, counts, run

EV1_FI, EV1_EN = item("events", "le:1", "Yrittäjäaamu", "fi"), item("events", "le:1", "Entrepreneur breakfast", "en")
EV2, EV3 = item("events", "le:2", "Kasvuklinikka", "fi"), item("events", "le:3", "Startup Sauna", "en")
EV4 = item("events", "le:4", "Vientipäivä", "fi")
OF1 = item("offers", "tmt:9", "Kokki", "fi")
SV1 = item("services", "ptv:7", "Rådgivning", "sv")
JUNK = [{"kind": "events"}, "le:5", {"kind": "people", "id": "p", "title": "Anna Virtanen"}, {"kind": "events", "id": 5}]

E = [user(MONDAY, "find_events", "yrittäjätapahtumat"), slot(MONDAY + 0.1, "language", "fi"),
     bot(MONDAY + 0.2, "utter_events_found_more", shown=[EV1_FI, EV2, EV3]),
     user(MONDAY + 10, "show_more", "/show_more"), bot(MONDAY + 10.2, "utter_events_found", shown=[EV4])]
F = [user(MONDAY + 50, "find_events", "events", language="en"), slot(MONDAY + 50.1, "language", "en"),
     bot(MONDAY + 50.2, "utter_events_found", shown=[EV1_EN, EV3]),
     user(MONDAY + 60, "find_recruitment_offers", "cook", language="en"),
     bot(MONDAY + 60.2, "utter_offers_found", shown=[OF1, *JUNK])]
G = [user(MONDAY + DAY, "find_service", "neuvonta", language="sv"), slot(MONDAY + DAY + 0.1, "language", "sv"),
     bot(MONDAY + DAY + 0.2, "utter_services_found", shown=[SV1]),
     bot(MONDAY + DAY + 30, None, adviser="Anna") | {"metadata": {"adviser": "Anna", "shown": [EV2]}}]
RESPONSES = load_settings().responses_dir


def test_the_actions_record_the_items_of_a_page_and_the_job_reads_only_well_formed_ones():
    now = datetime(2026, 11, 2, 8, tzinfo=timezone.utc)
    event = EventHit(3, "linkedevents:agg-3", "Yrittäjä\n aamu", "", now, None, None, None, True, None, (), "fi", False)
    offer = OfferHit(4, "", "Kokki", "", "Ravintola Oy", "Espoo", None, now, None, "sv", True)
    assert shown_items("events", [event]) == [{"kind": "events", "id": "linkedevents:agg-3", "title": "Yrittäjä aamu",
                                               "language": "fi"}]
    assert shown_items("offers", [offer]) == [{"kind": "offers", "id": "4", "title": "Kokki", "language": "sv"}]
    assert shown_items("people", [offer]) == []
    assert read_items([OF1, *JUNK]) == [OF1] and read_items("x") == [] and read_items(None) == []


async def test_shown_items_are_counted_per_day_and_language_with_their_titles(factory, tracker, clean):
    for sender, events in (("conv-e", E), ("conv-f", F), ("conv-g", G)):
        await store(tracker, sender, events)
    await run(factory, tracker)
    await run(factory, tracker)  # nothing counted twice
    shown = {k: v for k, v in (await counts(factory)).items() if k[0].startswith("shown_")}
    assert shown == {
        ("shown_events", MON, "fi", "le:1"): 1, ("shown_events", MON, "fi", "le:2"): 1,
        ("shown_events", MON, "fi", "le:3"): 1, ("shown_events", MON, "fi", "le:4"): 1,  # the second page too
        ("shown_events", MON, "en", "le:1"): 1, ("shown_events", MON, "en", "le:3"): 1,
        ("shown_offers", MON, "en", "tmt:9"): 1,  # the malformed items and other kinds left out
        ("shown_services", TUE, "sv", "ptv:7"): 1,  # an adviser's message shows no look-up
    }
    async with session_scope(factory) as session:
        titles = {(r.kind, r.item, r.language): r.title for r in (await session.execute(select(ShownItem))).scalars()}
    assert titles == {("events", "le:1", "fi"): "Yrittäjäaamu", ("events", "le:1", "en"): "Entrepreneur breakfast",
                      ("events", "le:2", "fi"): "Kasvuklinikka", ("events", "le:3", "en"): "Startup Sauna",
                      ("events", "le:4", "fi"): "Vientipäivä", ("offers", "tmt:9", "fi"): "Kokki",
                      ("services", "ptv:7", "sv"): "Rådgivning"}


async def _lookups(factory, filters: Filters, language: str) -> pages.Page:
    async with session_scope(factory) as session:
        return await pages.lookups(session, filters, pages.Words(language, RESPONSES))


async def test_the_lookups_page_shows_the_most_shown_events_and_offers(factory, tracker, clean):
    for sender, events in (("conv-e", E), ("conv-f", F), ("conv-g", G)):
        await store(tracker, sender, events)
    await run(factory, tracker)
    # The days (daily counters) and the whole month (monthly sums) give the same tables.
    for filters in (Filters(MON, TUE, by="day"), Filters(date(2026, 11, 1), date(2026, 11, 30))):
        page = await _lookups(factory, filters, "en")
        tables = {t.id: t for t in page.tables}
        assert tables["shown_events"].rows == [["Entrepreneur breakfast", "le:1", 2, 2 / 6], ["Startup Sauna", "le:3", 2, 2 / 6],
                                               ["Kasvuklinikka", "le:2", 1, 1 / 6], ["Vientipäivä", "le:4", 1, 1 / 6]]
        assert tables["shown_offers"].rows == [["Kokki", "tmt:9", 1, 1.0]]
        assert tables["shown_services"].rows == [["Rådgivning", "ptv:7", 1, 1.0]]
        assert ("Events shown", "6") in page.figures and ("Offers shown", "1") in page.figures
        assert tables["shown_events"].chart is not None
    finnish = {t.id: t for t in (await _lookups(factory, Filters(MON, TUE), "fi")).tables}
    assert finnish["shown_events"].rows[0][0] == "Yrittäjäaamu"  # the title in the console's language
    english_only = {t.id: t for t in (await _lookups(factory, Filters(MON, MON, "en"), "en")).tables}
    assert [r[1:3] for r in english_only["shown_events"].rows] == [["le:1", 1], ["le:3", 1]]
    assert english_only["shown_services"].rows == []  # Tuesday, Swedish
    assert to_csv(english_only["shown_events"]).splitlines() == [
        "Title,Identifier,Times shown,Share", "Entrepreneur breakfast,le:1,1,0.5000", "Startup Sauna,le:3,1,0.5000"]
