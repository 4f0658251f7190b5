"""`make bench-answers`: time from an editor's save to the live answer, with one and two web app instances.

Each web app instance is its own `python -m bot serve` process (the public app with the studio and
the internal app with the NLG), all on one database: SQLite for one instance, PostgreSQL (a database
of its own on CATALOG_TEST_POSTGRES_URL's server, dropped after) for one and two. An editor logs in
to the first instance and saves utter_start_business 20 times through the editor's form over HTTP;
after each save the NLG of every instance is asked (every 10 ms) until it answers the new text. The
time of a save is from sending the form to the last instance answering it: p50 and p95 of the 20.
Each NLG answers once before the first save, as in a running assistant; BENCH_VERBOSE=1 prints each
save's time and, after the slash, the time of its request.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.insights import _server, p95  # noqa: E402  (a PostgreSQL database of its own; the p95)
from bot.config import load_settings  # noqa: E402
from bot.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from tests.console.support import ConsoleClient, make_adviser  # noqa: E402
from tests.studio.answers_support import form_of  # noqa: E402
from tests.test_supervisor import free_port  # noqa: E402

SAVES = 20
EDIT = "/console/studio/answers/edit/utter_start_business"
NLG_BODY = {"response": "utter_start_business", "arguments": {}, "channel": {"name": "rest"},
            "tracker": {"sender_id": "b" * 32, "slots": {"language": "en"}, "latest_message": {}}}


def _start(url: str, work: Path, index: int) -> Dict[str, object]:
    port, internal = free_port(), free_port()
    env = {**os.environ, "DATABASE_URL": url, "BOT_HOST": "127.0.0.1", "BOT_PORT": str(port),
           "BOT_INTERNAL_PORT": str(internal), "BOT_SECRET_KEY": "bench", "NLG_TOKEN": "bench-nlg",
           "RASA_TOKEN": "bench-rasa", "ACTION_TOKEN": "bench-action", "RASA_URL": "http://127.0.0.1:9",
           "TRACKER_DB": str(work / "tracker.db"), "INSIGHTS_INTERVAL_SECONDS": "0", "BOT_LOG_LEVEL": "warning",
           "BOT_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    log = open(work / f"instance-{index}.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    return {"process": process, "public": f"http://127.0.0.1:{port}",
            "nlg": f"http://127.0.0.1:{internal}/nlg?token=bench-nlg", "log": log}


async def _ready(http: aiohttp.ClientSession, instance: Dict[str, object]) -> None:
    for _ in range(300):
        try:
            async with http.get(f"{instance['public']}/health") as reply:
                if reply.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"an instance did not start: see {instance['log']}")


async def _live(http: aiohttp.ClientSession, nlg: str, marker: str, start: float) -> float:
    while True:
        async with http.post(nlg, json=NLG_BODY) as reply:
            if marker in (await reply.json())["text"]:
                return time.monotonic() - start
        if time.monotonic() - start > 10:
            raise RuntimeError("a save was not live after 10 s")
        await asyncio.sleep(0.01)


async def bench(url: str, instances: int, work: Path) -> List[float]:
    """The seconds from each of SAVES saves to its answer on every instance."""
    engine = make_engine(url)
    await migrate(engine)
    username = f"bench{uuid.uuid4().hex[:6]}"
    await make_adviser(make_sessionmaker(engine), username, role="editor")
    await engine.dispose()
    running = [_start(url, work, i) for i in range(instances)]
    times: List[float] = []
    posted: List[float] = []  # of which the save's request itself
    try:
        async with aiohttp.ClientSession() as http:
            for instance in running:
                await _ready(http, instance)
                async with http.post(str(instance["nlg"]), json=NLG_BODY) as reply:  # it has answered before
                    assert reply.status == 200
            editor = ConsoleClient(str(running[0]["public"]))
            await editor.login(username)
            for n in range(SAVES):
                _, page = await editor.get(EDIT)
                form = form_of(page)
                marker = f"bench-{uuid.uuid4().hex[:8]}"
                form["text.en.0"] = f"Save {n + 1} ({marker}): our advisers help you start a company."
                start = time.monotonic()
                response, _ = await editor.post(EDIT, form, csrf=None)
                assert response.status == 303, response.status
                posted.append(time.monotonic() - start)
                seen = await asyncio.gather(*(_live(http, str(i["nlg"]), marker, start) for i in running))
                times.append(max(seen))
            await editor.close()
    finally:
        for instance in running:
            instance["process"].terminate()  # type: ignore[union-attr]
            instance["process"].wait(timeout=20)  # type: ignore[union-attr]
            instance["log"].close()  # type: ignore[union-attr]
    if os.environ.get("BENCH_VERBOSE"):
        print(" ".join(f"{t * 1000:.0f}/{p * 1000:.0f}" for t, p in zip(times, posted)))
    return times


async def main() -> None:
    poll = load_settings().answers_poll_seconds
    print(f"Save to live answer ({SAVES} saves each; ANSWERS_POLL_SECONDS={poll}):")
    print(f"{'database':<12} {'instances':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        runs = [("sqlite", f"sqlite+aiosqlite:///{work / 'bench.db'}", 1)]
        name = f"bench_answers_{uuid.uuid4().hex[:8]}"
        await _server(name, "CREATE")
        pg = str(make_url(load_settings().catalog_test_postgres_url).set(database=name))
        runs += [("postgresql", pg, 1), ("postgresql", pg, 2)]
        try:
            for label, url, count in runs:
                times = await bench(url, count, work)
                ms = [t * 1000 for t in times]
                print(f"{label:<12} {count:>9} {statistics.median(ms):>8.0f} {p95(ms):>8.0f} {max(ms):>8.0f}",
                      flush=True)
        finally:
            await _server(name, "DROP")


if __name__ == "__main__":
    asyncio.run(main())
