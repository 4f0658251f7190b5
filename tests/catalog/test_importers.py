"""Importers against real HTTP on loopback: pages, retries, timeouts, bad records, reruns; and files."""
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.catalog.importers import jobs, linked_events, ptv
from bot.catalog.importers.base import HttpError, HttpOptions
from bot.catalog.models import Event, Offer, Organization, Service, ServiceChannel, SyncState, service_channel_links
from bot.catalog.queries import find_events, find_offers, search_services

from .conftest import FIXTURES, NOW
from .fake_apis import FakeApis, event, posting, start

FAST = HttpOptions(timeout_seconds=0.5, retries=3, backoff_seconds=0.01)


async def count(factory, model) -> int:
    async with factory() as session:
        return await session.scalar(select(func.count()).select_from(model))


@pytest.fixture
async def apis():
    state = FakeApis()
    server = await start(state)
    state.base = str(server.make_url("/"))
    yield state
    await server.close()


def bad_events():
    return [
        event(900, name={}),                                                      # missing name
        event(901, end_time="2026-11-01T10:00:00+02:00"),                         # ends before it starts
        event(902, name={"xx": "Klingon"}),                                       # unknown language
        event(903, start_time="next tuesday"),                                    # wrong date
    ]


async def test_linked_events_pages_retries_and_bad_records(factory, apis):
    apis.events = [event(i, days=i % 20 + 1) for i in range(22)] + bad_events()
    apis.failures = {"/linkedevents/v1/event/?page=2": [429], "/linkedevents/v1/event/?page=3": [500, 503]}
    seen = []
    report = await linked_events.import_from_url(factory, apis.base + "linkedevents/v1/event/", FAST,
                                                 progress=lambda r: seen.append(r.read), page_size=10)
    assert (report.inserted, report.skipped, report.pages) == (22, 4, 3)
    assert {reason.split()[0] for _, reason in report.problems} >= {"no", "end_time", "unknown", "bad"}
    assert seen == [10, 20, 26]  # progress after every page
    assert await count(factory, Event) == 22
    page_requests = [q.get("page", "1") for path, q in apis.requests if path.endswith("/event/")]
    assert page_requests == ["1", "2", "2", "3", "3", "3"]
    assert apis.requests[0][1]["include"] == "location,keywords"


async def test_rerun_changes_nothing_and_incremental_asks_only_for_changes(factory, apis):
    apis.events = [event(i, modified=f"2026-11-0{1 + i % 5}T10:00:00+00:00") for i in range(12)]
    url = apis.base + "linkedevents/v1/event/"
    first = await linked_events.import_from_url(factory, url, FAST)
    assert first.inserted == 12
    full = await linked_events.import_from_url(factory, url, FAST, incremental=False)
    assert (full.inserted, full.updated, full.unchanged) == (0, 0, 12)
    apis.requests.clear()
    apis.events[3] = event(3, name={"fi": "Vientiaamiainen", "en": "Export breakfast"},
                           modified="2026-11-20T10:00:00+00:00")
    apis.events[5] = event(5, modified="2026-11-21T10:00:00+00:00", event_status="EventCancelled")
    again = await linked_events.import_from_url(factory, url, FAST)
    assert apis.requests[0][1]["last_modified_since"].startswith("2026-11-05T10:00:00")
    assert (again.read, again.updated, again.removed, again.inserted) == (2, 1, 1, 0)
    async with factory() as session:
        page = await find_events(session, "en", "export", now=NOW)
        assert [e.name for e in page.items] == ["Export breakfast"]
        assert (await session.get(SyncState, f"linkedevents:{url}")).last_modified == datetime(
            2026, 11, 21, 10, tzinfo=timezone.utc)
    assert await count(factory, Event) == 11


async def test_a_slow_response_hits_the_timeout_and_the_retry_succeeds(factory, apis):
    apis.events = [event(i) for i in range(3)]
    apis.delays = {"/linkedevents/v1/event/": [1.0]}
    options = HttpOptions(timeout_seconds=0.25, retries=2, backoff_seconds=0.01)
    report = await linked_events.import_from_url(factory, apis.base + "linkedevents/v1/event/", options)
    assert report.inserted == 3 and len(apis.requests) == 2


async def test_a_source_that_keeps_failing_raises_and_keeps_what_it_had(factory, apis):
    apis.events = [event(i) for i in range(15)]
    apis.failures = {"/linkedevents/v1/event/?page=2": [500] * 10}
    url = apis.base + "linkedevents/v1/event/"
    with pytest.raises(HttpError, match="HTTP 500"):
        await linked_events.import_from_url(factory, url, FAST, page_size=10)
    assert await count(factory, Event) == 10  # the first page was committed
    async with factory() as session:
        assert await session.get(SyncState, f"linkedevents:{url}") is None  # no "since" was recorded


async def test_jobs_pages_by_sivu_and_maara_with_bad_records(factory, apis):
    apis.postings = [posting(i, published_days_ago=i % 9) for i in range(23)] + [
        posting(90, title={}), posting(91, deadline_days=-30, published_days_ago=1),
        posting(92, julkaisupvm="yesterday"), posting(93, title={"klingon": "x"})]
    apis.failures = {"/tmt/jobpostings?sivu=1": [502]}
    url = apis.base + "tmt/jobpostings"
    report = await jobs.import_from_url(factory, url, FAST, page_size=10)
    assert (report.inserted, report.skipped, report.pages) == (23, 4, 3)
    assert [q["sivu"] for _, q in apis.requests] == ["0", "1", "1", "2"]
    rerun = await jobs.import_from_url(factory, url, FAST, page_size=10)
    assert (rerun.inserted, rerun.updated, rerun.unchanged) == (0, 0, 23)
    async with factory() as session:
        page = await find_offers(session, "fi", limit=50, now=NOW)
        assert len(page.items) == 23


async def test_ptv_guid_pages_with_details_and_channels(factory, apis):
    document = json.loads((FIXTURES / "ptv_services.json").read_text(encoding="utf-8"))
    apis.services = document["itemList"]
    apis.failures = {"/ptv/api/v11/Service/list": [500]}
    channels = await ptv.import_from_url(factory, apis.base + "ptv/api/v11/ServiceChannel/list/organization", FAST)
    assert (channels.inserted, channels.skipped) == (3, 1)
    services = await ptv.import_from_url(factory, apis.base + "ptv/api/v11/Service", FAST)
    assert (services.inserted, services.skipped, services.pages) == (3, 2, 3)
    detail_calls = [q["guids"] for path, q in apis.requests if path.endswith("/Service/list")]
    assert len(detail_calls) == 4 and detail_calls[0] == detail_calls[1]  # one retried after the 500
    assert await count(factory, Organization) == 2
    assert await count(factory, service_channel_links) == 4
    async with factory() as session:
        hit = (await search_services(session, "rahoitusta", "fi", now=NOW)).items[0]
    assert (hit.provider, hit.url, hit.open_now) == ("Business Espoo", "https://www.businessespoo.fi/fi", True)
    apis.requests.clear()
    again = await ptv.import_from_url(factory, apis.base + "ptv/api/v11/Service", FAST)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert apis.requests[0][1]["date"] == "2026-10-03T08:00:00"  # changes after the newest imported


async def test_ptv_files_report_bad_records_and_rerun_changes_nothing(factory):
    report = await ptv.import_from_file(factory, FIXTURES / "ptv_channels.json")
    assert (report.inserted, report.skipped) == (3, 1) and "Funday" in report.problems[0][1]
    report = await ptv.import_from_file(factory, FIXTURES / "ptv_services.json")
    assert (report.inserted, report.skipped) == (3, 2)
    assert sorted(reason for _, reason in report.problems) == ["no name in fi, sv or en", "unknown language 'xx'"]
    again = await ptv.import_from_file(factory, FIXTURES / "ptv_services.json")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    async with factory() as session:
        sources = set((await session.execute(select(ServiceChannel.source))).scalars())
        channel_types = set((await session.execute(select(ServiceChannel.channel_type))).scalars())
    assert sources == {"sample", "ptv"} and channel_types == {"ServiceLocation", "WebPage", "Phone"}


async def test_a_withdrawn_service_is_removed(factory):
    await ptv.import_from_file(factory, FIXTURES / "ptv_services.json")
    document = json.loads((FIXTURES / "ptv_services.json").read_text(encoding="utf-8"))
    document["itemList"][1]["publishingStatus"] = "Deleted"
    report = await ptv.import_from_file(factory, FIXTURES / "ptv_services.json", document=document)
    assert report.removed == 1 and await count(factory, Service) == 2
    async with factory() as session:
        assert (await search_services(session, "starttiraha", "fi", now=NOW)).items == ()


async def test_offers_file_rerun_and_events_file(factory, tmp_path):
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps({"ilmoituksienMaara": 2, "ilmoitukset": [posting(1), posting(2)]}), encoding="utf-8")
    assert (await jobs.import_from_file(factory, path)).inserted == 2
    assert (await jobs.import_from_file(factory, path)).unchanged == 2
    assert await count(factory, Offer) == 2
    path.write_text(json.dumps({"meta": {"count": 1}, "data": [event(1), event(2, name={"fi": ""})]}), encoding="utf-8")
    report = await linked_events.import_from_file(factory, path)
    assert report.inserted == 1 and report.skipped == 1
