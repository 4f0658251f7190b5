"""`make bench-catalog`: the catalogue at scale, on SQLite and on PostgreSQL.

Fills a fresh database with 100,000 events, 50,000 recruitment offers and 5,000 services
(with 2,500 channels) in the real API shapes through the importers, prints the import rate
(records per second), then p50/p95 of each lookup (one session per call, as the actions do)
over varied queries, and the time to load the shipped samples into an empty database.
PostgreSQL: CATALOG_TEST_POSTGRES_URL (bot/config.py), in a schema of its own, dropped after.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.catalog.dates import parse_date_range  # noqa: E402
from bot.db import make_engine, make_sessionmaker, migrate, optimize  # noqa: E402
from bot.catalog.hours import HELSINKI  # noqa: E402
from bot.catalog.importers import jobs, linked_events, ptv  # noqa: E402
from bot.catalog.queries import find_events, find_offers, search_services  # noqa: E402
from bot.catalog.samples import load_samples  # noqa: E402
from bot.config import load_settings  # noqa: E402

TOPICS = [
    ({"fi": "verkostoituminen", "sv": "nätverkande", "en": "networking"}),
    ({"fi": "rahoitus", "sv": "finansiering", "en": "funding"}),
    ({"fi": "rekrytointi", "sv": "rekrytering", "en": "recruitment"}),
    ({"fi": "vienti", "sv": "export", "en": "export"}),
    ({"fi": "kestävä kehitys", "sv": "hållbar utveckling", "en": "sustainability"}),
    ({"fi": "tekoäly", "sv": "artificiell intelligens", "en": "artificial intelligence"}),
    ({"fi": "markkinointi", "sv": "marknadsföring", "en": "marketing"}),
    ({"fi": "yrittäjyys", "sv": "företagande", "en": "entrepreneurship"}),
    ({"fi": "konsertti", "sv": "konsert", "en": "concert"}),
    ({"fi": "näyttely", "sv": "utställning", "en": "exhibition"}),
    ({"fi": "liikunta", "sv": "motion", "en": "sports"}),
    ({"fi": "lapset", "sv": "barn", "en": "children"}),
]
FORMS = [("aamu", "morgon", "breakfast"), ("ilta", "kväll", "evening"), ("työpaja", "verkstad", "workshop"),
         ("seminaari", "seminarium", "seminar"), ("klinikka", "klinik", "clinic"), ("messut", "mässa", "fair")]
PLACES = ["Otaniemi", "Tapiola", "Leppävaara", "Matinkylä", "Espoonlahti", "Kivenlahti", "Kauklahti", "Olari",
          "Niittykumpu", "Kilo", "Karakallio", "Suurpelto", "Kera", "Keilaniemi", "Soukka", "Saunalahti"]
OCCUPATIONS = [("ohjelmistokehittäjä", "software developer"), ("sairaanhoitaja", "nurse"), ("kirjanpitäjä", "accountant"),
               ("myyjä", "sales assistant"), ("sähköasentaja", "electrician"), ("kokki", "cook"),
               ("lähihoitaja", "practical nurse"), ("varastotyöntekijä", "warehouse worker"), ("opettaja", "teacher"),
               ("data-analyytikko", "data analyst"), ("projektipäällikkö", "project manager"), ("siivooja", "cleaner"),
               ("leipuri", "baker"), ("kiinteistönhoitaja", "caretaker"), ("asiakaspalvelija", "customer service agent"),
               ("UX-suunnittelija", "UX designer"), ("insinööri", "engineer"), ("hammashoitaja", "dental nurse")]
SERVICE_WORDS = [("neuvonta", "rådgivning", "advice"), ("rahoitus", "finansiering", "funding"),
                 ("koulutus", "utbildning", "training"), ("lupa", "tillstånd", "permit"),
                 ("rekrytointi", "rekrytering", "recruitment"), ("vienti", "export", "export"),
                 ("tila", "lokal", "premises"), ("verotus", "beskattning", "taxation"),
                 ("starttiraha", "startpeng", "start-up grant"), ("kansainvälistyminen", "internationalisering",
                                                                  "internationalisation")]


def make_events(count: int, now: datetime, rng: random.Random) -> Dict[str, Any]:
    data = []
    for i in range(count):
        topic = TOPICS[rng.randrange(len(TOPICS))]
        form = FORMS[rng.randrange(len(FORMS))]
        place = PLACES[rng.randrange(len(PLACES))]
        start = now + timedelta(days=rng.uniform(-30, 700), hours=rng.randint(0, 10))
        name = {"fi": f"{topic['fi'].capitalize()} {form[0]} {place} {i}", "en": f"{topic['en'].capitalize()} {form[2]} {i}"}
        if i % 3 == 0:
            name["sv"] = f"{topic['sv'].capitalize()} {form[1]} {i}"
        second = TOPICS[rng.randrange(len(TOPICS))]
        data.append({
            "id": f"bench:{i}", "data_source": "espoo", "name": name,
            "short_description": {"fi": f"{topic['fi']} ja {second['fi']} {place}ssa", "en": f"{topic['en']} and {second['en']}"},
            "start_time": start.isoformat(), "end_time": (start + timedelta(hours=rng.choice((1, 2, 3, 30)))).isoformat(),
            "location": {"name": {"fi": place, "sv": place}},
            "keywords": [{"name": topic}, {"name": second}],
            "offers": [{"is_free": i % 2 == 0, "price": None, "info_url": None}],
            "info_url": {"fi": f"https://example.fi/e/{i}"}, "last_modified_time": now.isoformat(),
        })
    return {"meta": {"count": count}, "data": data}


def make_offers(count: int, now: datetime, rng: random.Random) -> Dict[str, Any]:
    items = []
    for i in range(count):
        fi, en = OCCUPATIONS[rng.randrange(len(OCCUPATIONS))]
        place = PLACES[rng.randrange(len(PLACES))]
        titles = [{"kieliKoodi": "fi", "arvo": fi.capitalize()}] + ([{"kieliKoodi": "en", "arvo": en}] if i % 3 == 0 else [])
        published = now - timedelta(days=rng.uniform(-3, 90))
        items.append({
            "ilmoituksenID": str(uuid.UUID(int=i + 1)),
            "ilmoittajanNimi": [{"kieliKoodi": "fi", "arvo": f"{place}n Yritys {i % 700} Oy"}],
            "perustiedot": {"tyonOtsikko": titles, "tyonKuvaus": [{"kieliKoodi": "fi", "arvo": f"{fi} {place}"}]},
            "sijainti": {"toimipaikka": {"postitoimipaikka": "Espoo"}},
            "hakeminen": {"hakuaikaPaattyy": (published + timedelta(days=rng.randint(5, 120))).isoformat()
                          if i % 10 else None},
            "julkaisupvm": published.isoformat(), "muokattupvm": published.isoformat(),
        })
    return {"ilmoituksienMaara": count, "ilmoitukset": items}


def make_ptv(services: int, channels: int, rng: random.Random) -> Dict[str, Any]:
    items: List[Dict[str, Any]] = []
    for c in range(channels):
        items.append({
            "id": str(uuid.UUID(int=10_000_000 + c)), "serviceChannelType": rng.choice(("ServiceLocation", "WebPage", "Phone")),
            "serviceChannelNames": [{"type": "Name", "language": "fi", "value": f"Kanava {c}"}],
            "webPages": [{"url": f"https://example.fi/c/{c}", "language": "fi"}],
            "serviceHours": [{"serviceHourType": "DaysOfTheWeek", "validForNow": True, "openingHour": [
                {"dayFrom": "Monday", "dayTo": "Friday", "from": "08:00:00", "to": "16:00:00"}]},
                {"serviceHourType": "Exceptional", "validFrom": "2026-12-24", "validTo": "2026-12-26", "isClosed": True}],
        })
    for s in range(services):
        a, b = SERVICE_WORDS[rng.randrange(len(SERVICE_WORDS))], SERVICE_WORDS[rng.randrange(len(SERVICE_WORDS))]
        place = PLACES[s % len(PLACES)]
        items.append({
            "id": str(uuid.UUID(int=20_000_000 + s)), "type": "Service",
            "serviceNames": [{"type": "Name", "language": "fi", "value": f"{a[0].capitalize()} {b[0]} {place} {s}"},
                             {"type": "Name", "language": "sv", "value": f"{a[1].capitalize()} {b[1]} {s}"},
                             {"type": "Name", "language": "en", "value": f"{a[2].capitalize()} {b[2]} {s}"}],
            "serviceDescriptions": [{"type": "Summary", "language": "fi", "value": f"{a[0]} ja {b[0]} yrityksille"}],
            "organizations": [{"organization": {"id": str(uuid.UUID(int=30_000_000 + s % 200)), "name": f"Org {s % 200}"},
                               "roleType": "Responsible"}],
            "serviceChannels": [{"serviceChannel": {"id": str(uuid.UUID(int=10_000_000 + rng.randrange(channels)))}}],
        })
    return {"pageNumber": 1, "pageSize": len(items), "pageCount": 1, "itemList": items}


def percentiles(samples: List[float]) -> Tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


async def timed_lookups(factory: Any, now: datetime, rounds: int, rng: random.Random) -> Dict[str, Tuple[float, float]]:
    languages = ("fi", "sv", "en")
    service_queries = ["rahoitusta", "rahoituksen neuvonta", "finansiering", "funding advice", "starttiraha",
                       "vientiin neuvontaa", "koulutus", "företagets tillstånd", "permits", "", "tilat yritykselle"]
    event_queries = [None, "verkostoituminen", "networking", "rahoitustapahtumat", "export", "nätverkande",
                     "konsertti", "funding workshop", "tekoäly seminaari", "kestävä kehitys"]
    date_phrases = [None, "ensi viikolla", "next week", "i maj", "this weekend", "huomenna", "toukokuussa", "15.6."]
    offer_queries = [None, "ohjelmistokehittäjä", "sairaanhoitajaa", "nurse", "software developer", "kokki",
                     "data-analyytikko", "opettaja", "avoimet työpaikat"]

    async def one(call: Callable[[Any], Awaitable[Any]]) -> float:
        started = time.perf_counter()
        async with factory() as session:
            await call(session)
        return time.perf_counter() - started

    results: Dict[str, List[float]] = {"search_services": [], "find_events": [], "find_offers": [], "parse_date_range": []}
    for i in range(rounds):
        language = languages[i % 3]
        query = rng.choice(service_queries)
        offset = rng.choice((0, 0, 0, 5))
        results["search_services"].append(await one(lambda s: search_services(s, query, language, 5, offset, now)))
        phrase = rng.choice(date_phrases)
        started = time.perf_counter()
        span = parse_date_range(phrase, language, now) if phrase else None
        results["parse_date_range"].append(time.perf_counter() - started)
        topic = rng.choice(event_queries)
        start, end = span if span else (None, None)
        results["find_events"].append(await one(lambda s: find_events(s, language, topic, start, end, 5, offset, now)))
        words = rng.choice(offer_queries)
        results["find_offers"].append(await one(lambda s: find_offers(s, language, words, 5, offset, now)))
    return {name: percentiles(values) for name, values in results.items()}


async def bench_backend(name: str, url: str, schema: str, sizes: Dict[str, int], rounds: int) -> None:
    rng = random.Random(7)
    now = datetime.now(HELSINKI)
    if schema:
        admin = make_engine(url)
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
    engine = make_engine(url, schema=schema or None)
    try:
        await migrate(engine)
        factory = make_sessionmaker(engine)
        documents = [("services+channels", ptv, make_ptv(sizes["services"], sizes["services"] // 2, rng)),
                     ("events", linked_events, make_events(sizes["events"], now, rng)),
                     ("offers", jobs, make_offers(sizes["offers"], now, rng))]
        total_records, total_seconds = 0, 0.0
        for label, module, document in documents:
            started = time.perf_counter()
            report = await module.import_from_file(factory, None, document=document)
            seconds = time.perf_counter() - started
            records = report.inserted + report.skipped
            total_records += records
            total_seconds += seconds
            print(f"  import {label:18s} {records:7d} records in {seconds:6.1f}s = {records / seconds:7.0f} records/s")
        print(f"  import total              {total_records:7d} records in {total_seconds:6.1f}s = "
              f"{total_records / total_seconds:7.0f} records/s")
        if schema:  # what autovacuum does on a live server; SQLite only needs the statistics
            autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
            async with autocommit.connect() as connection:
                await connection.execute(text("VACUUM ANALYZE"))
        else:
            await optimize(engine)
        await timed_lookups(factory, now, 30, random.Random(1))  # warm up caches and prepared statements
        for lookup, (p50, p95) in (await timed_lookups(factory, now, rounds, random.Random(2))).items():
            print(f"  {lookup:18s} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
    finally:
        await engine.dispose()
        if schema:
            admin = make_engine(url)
            async with admin.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await admin.dispose()


async def bench_samples(url: str, schema: str) -> float:
    if schema:
        admin = make_engine(url)
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
    engine = make_engine(url, schema=schema or None)
    started = time.perf_counter()
    try:
        await load_samples(engine, load_settings().catalog_dir)
        return time.perf_counter() - started
    finally:
        await engine.dispose()
        if schema:
            admin = make_engine(url)
            async with admin.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--services", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=300, help="lookups of each kind to time")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = {"events": args.events, "offers": args.offers, "services": args.services}
    pg_url = load_settings().catalog_test_postgres_url
    with tempfile.TemporaryDirectory() as tmp:
        backends = {"sqlite": (f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", ""),
                    "postgresql": (pg_url, f"catalog_bench_{uuid.uuid4().hex[:8]}")}
        for name in args.backends.split(","):
            url, schema = backends[name]
            print(f"{name}: {sizes['events']} events, {sizes['offers']} offers, {sizes['services']} services", flush=True)
            asyncio.run(bench_backend(name, url, schema, sizes, args.rounds))
            samples_url = f"sqlite+aiosqlite:///{Path(tmp) / 'samples.db'}" if name == "sqlite" else url
            seconds = asyncio.run(bench_samples(samples_url, schema))
            print(f"  load-samples into an empty database: {seconds:.2f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
