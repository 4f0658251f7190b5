"""`make bench-insights`: the insights over a generated year of traffic, on SQLite and PostgreSQL.

For each database: a year of conversations in three languages (bot/insights/generator.py) is
written into a tracker store (SQLite, as Rasa's) and the app's handoff tables; the time of the
first aggregation of the whole year is measured, then the real web app renders each insights
page (as an admin, over HTTP on loopback) with varied filters: the last 28 days by day, the
year by week, the year in one language by day, a quarter by week; p50 and p95 per page.
PostgreSQL: a database of its own on CATALOG_TEST_POSTGRES_URL's server, dropped after.
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.content.responses import ResponseCatalog  # noqa: E402
from bot.db import make_engine, make_sessionmaker, migrate, optimize, session_scope  # noqa: E402
from bot.insights.generator import Generator, write  # noqa: E402
from bot.insights.job import aggregate_once  # noqa: E402
from bot.insights.models import DailyCount  # noqa: E402
from bot.insights.pages import PAGES  # noqa: E402
from tests.console.support import ConsoleClient, make_adviser  # noqa: E402
from tests.test_supervisor import free_port  # noqa: E402

TARGET_MS = 200


def p95(samples: List[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def variations(end: date) -> List[str]:
    year, quarter = end - timedelta(days=364), end - timedelta(days=90)
    return ["", f"?from={year}&to={end}&by=week", f"?from={year}&to={end}&language=sv&by=day",
            f"?from={quarter}&to={end}&language=en&by=week"]


async def _server(database: str, action: str) -> None:
    url = make_url(load_settings().catalog_test_postgres_url)
    connection = await asyncpg.connect(str(url.set(drivername="postgresql", database="postgres")))
    try:
        await connection.execute(f'{action} DATABASE "{database}"' + (" WITH (FORCE)" if action == "DROP" else ""))
    finally:
        await connection.close()


async def bench(name: str, url: str, conversations: int, rounds: int, work: Path) -> Tuple[float, int, Dict[str, Tuple[float, float, float]]]:
    """(seconds to aggregate, conversations written, {page: (CPU p95, p50, p95 in ms)}) on the database at `url`.

    The CPU time (of this process: the web app and the client both) is what a render costs; the
    wall-clock time also holds what other processes took of the machine meanwhile."""
    end = date.today() - timedelta(days=1)
    engine = make_engine(url)
    await migrate(engine)
    factory = make_sessionmaker(engine)
    tracker_path = work / f"tracker-{name}.db"
    tracker = make_engine(f"sqlite+aiosqlite:///{tracker_path}")
    names = ResponseCatalog.from_directory(load_settings().responses_dir).names("fi")
    made = await write(Generator(names, seed=11).year(end, conversations), factory, make_sessionmaker(tracker))
    settings = load_settings({"DATABASE_URL": url, "TRACKER_DB": str(tracker_path), "BOT_SECRET_KEY": "bench",
                              "BOT_RETENTION_DAYS": "36500", "INSIGHTS_INTERVAL_SECONDS": "86400",
                              "BOT_HOST": "127.0.0.1"})
    started = time.perf_counter()
    await aggregate_once(factory, make_sessionmaker(tracker), settings, "bench",
                         now=datetime.now(timezone.utc) + timedelta(hours=1))
    seconds = time.perf_counter() - started
    await tracker.dispose()
    await optimize(engine)  # the planner's statistics, as autovacuum keeps them on a live server
    if name == "postgresql":
        async with engine.connect() as connection:  # VACUUM runs outside a transaction
            await (await connection.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql("VACUUM")
    async with session_scope(factory) as session:
        rows = await session.scalar(select(func.count()).select_from(DailyCount))
    print(f"{name}: {made} conversations, aggregated into {rows} daily rows in {seconds:.1f} s", flush=True)
    await make_adviser(factory, "bench", role="admin")
    await engine.dispose()

    from bot.web.app import create_public_app

    port = free_port()
    settings = dataclasses.replace(settings, port=port)
    runner = web.AppRunner(create_public_app(settings), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    client = ConsoleClient(f"http://127.0.0.1:{port}")
    timings: Dict[str, Tuple[float, float, float]] = {}
    try:
        assert (await client.login("bench")).status == 303
        await asyncio.sleep(5)  # the app's start-up work (the jobs' first runs) is done before timing
        for page in PAGES:
            samples: List[float] = []
            cpu_samples: List[float] = []
            for query in variations(end):
                await client.get(f"/console/insights/{page}{query}")  # warm
                for _ in range(rounds):
                    begin, cpu = time.perf_counter(), time.process_time()
                    response, _ = await client.get(f"/console/insights/{page}{query}")
                    samples.append((time.perf_counter() - begin) * 1000)
                    cpu_samples.append((time.process_time() - cpu) * 1000)
                    assert response.status == 200, (page, query, response.status)
            timings[page] = (p95(cpu_samples), statistics.median(samples), p95(samples))
    finally:
        await client.close()
        await runner.cleanup()
    return seconds, made, timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=40_000, help="conversations in the year")
    parser.add_argument("--rounds", type=int, default=10, help="renders per page and filter")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                results[backend] = asyncio.run(bench("sqlite", f"sqlite+aiosqlite:///{work / 'app.db'}",
                                                     args.conversations, args.rounds, work))
                continue
            database = f"insights_bench_{uuid.uuid4().hex[:8]}"
            asyncio.run(_server(database, "CREATE"))
            try:
                url = str(make_url(load_settings().catalog_test_postgres_url).set(database=database))
                results[backend] = asyncio.run(bench("postgresql", url, args.conversations, args.rounds, work))
            finally:
                asyncio.run(_server(database, "DROP"))
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; per page: CPU p95 / wall p50 / wall p95 (ms)")
    print(f"{'database':<11} {'aggregate':>10}  " + "  ".join(f"{p:>22}" for p in PAGES))
    worst = 0.0
    for backend, (seconds, _, timings) in results.items():
        cells = "  ".join(f"{t[0]:>6.1f} /{t[1]:>6.1f} /{t[2]:>6.1f}" for t in (timings[p] for p in PAGES))
        print(f"{backend:<11} {seconds:>9.1f}s  {cells}")
        worst = max([worst, *(t[2] for t in timings.values())])
    print(f"\nslowest page p95 {worst:.1f} ms (target under {TARGET_MS} ms)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
