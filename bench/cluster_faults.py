"""`make bench-faults`: 20 conversations through the cluster's balancer while its parts fail (issue 14).

Starts `python -m bot cluster` (tests/cluster_stack.py) on a PostgreSQL and a Redis of its own (a
private PostgreSQL cluster made with initdb and a private redis-server, on free loopback ports, so
that restarting them disturbs nothing else on the machine). Twenty widget conversations (WebSocket
through HAProxy, fi/sv/en in turn) each send the script's messages with a pause between them,
reconnecting and resending as the widget does (retry: true) when the connection drops or a message
is reported not processed. Meanwhile: SIGKILL one Rasa server, one action server and one web app
(the supervisor starts each again), restart PostgreSQL, stop Redis for a few seconds.

Then, per conversation, from Rasa's tracker: messages lost (never logged), duplicated (logged more
than once), out of order; and what the user saw (answers, "not processed yet" notices, "not
processed" notices, errors, reconnects). Prints the table and the totals.

`--calm --pause 0 --instances N` runs the same conversations without faults or pauses and prints the
throughput and reply times instead (two Rasa servers against one).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ports import listener  # noqa: E402
from bot.rasa.events import MESSAGE_ID_KEY  # noqa: E402
from tests.cluster_stack import ClusterStack, start_cluster  # noqa: E402
from tests.test_supervisor import free_port  # noqa: E402

CONVERSATIONS = 20
SCRIPT = {
    "fi": ["Moikka!", "Miten perustan oman yrityksen?", "Mistä saan rahoitusta?", "Etsin toimitilaa Espoosta",
           "Kiitos!", "Tarvitsenko Y-tunnuksen?"],
    "sv": ["Hej hej!", "Hur startar jag ett företag?", "Var kan mitt företag få finansiering?",
           "Jag söker lokaler i Esbo", "Tack!", "Behöver jag ett FO-nummer?"],
    "en": ["Hello there", "How do I start my own company?", "Where can my company get funding?",
           "I am looking for premises in Espoo", "Thanks!", "Do I need a business ID?"],
}
PAUSE_SECONDS = 4.0
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LOGS = ROOT / "var" / "bench" / "faults"  # every process's log of the last run


@dataclass
class Seen:
    sent: List[str] = field(default_factory=list)
    frames: Counter = field(default_factory=Counter)
    reconnects: int = 0
    unanswered: int = 0
    reply_seconds: List[float] = field(default_factory=list)


class PrivateRedis:
    def __init__(self, directory: Path) -> None:
        self.port, self.directory, self.process = free_port(), directory, None

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
                                        stdout=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)


class PrivatePostgres:
    def __init__(self, directory: Path) -> None:
        self.port, self.data = free_port(), directory / "data"
        directory.mkdir(exist_ok=True)
        shutil.chown(directory, "postgres", "postgres")

    def _as_postgres(self, *argv: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "-o",
                          f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", action)

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        self._pg_ctl("stop")


def kill_listener(port: int, what: str, log: List[str]) -> None:
    found = listener(port)
    if found:
        os.kill(found[0], signal.SIGKILL)
    log.append(f"{time.strftime('%H:%M:%S')} killed {what} (port {port}, pid {found[0] if found else '?'})")


async def faults(stack: ClusterStack, postgres: PrivatePostgres, redis: PrivateRedis, log: List[str]) -> None:
    first = stack.first_port
    await asyncio.sleep(3)
    kill_listener(first + 4, "rasa1", log)
    await asyncio.sleep(7)
    kill_listener(first + 6, "actions1", log)
    await asyncio.sleep(7)
    kill_listener(first, "web1", log)
    await asyncio.sleep(7)
    started = time.monotonic()
    await asyncio.to_thread(postgres.restart)
    log.append(f"{time.strftime('%H:%M:%S')} restarted PostgreSQL ({time.monotonic() - started:.1f} s)")
    await asyncio.sleep(8)
    redis.stop()
    log.append(f"{time.strftime('%H:%M:%S')} stopped Redis")
    await asyncio.sleep(5)
    redis.start()
    log.append(f"{time.strftime('%H:%M:%S')} started Redis again")


async def converse(http: aiohttp.ClientSession, stack: ClusterStack, language: str, seen: Seen,
                   pause: float) -> str:
    token = None
    for text in SCRIPT[language]:
        message_id, attempt, answered = uuid.uuid4().hex, 0, False
        seen.sent.append(message_id)
        while not answered and attempt < 8:
            try:
                async with http.ws_connect(f"{stack.ws_url}?lang={language}", headers={"Origin": stack.web_url}) as ws:
                    await ws.send_json({"type": "hello", "conversation": token, "language": language})
                    await ws.send_json({"type": "message", "id": message_id, "text": text, "retry": attempt > 0})
                    sent_at = time.monotonic()
                    while True:
                        frame = json.loads((await ws.receive(timeout=120)).data)
                        kind = frame.get("type")
                        if kind == "welcome":
                            token = frame["conversation"]
                        elif frame.get("id") == message_id and kind in ("reply", "delayed", "failed", "error"):
                            seen.frames[kind] += 1
                            if kind == "reply":
                                seen.reply_seconds.append(time.monotonic() - sent_at)
                            if kind in ("reply", "failed", "error"):
                                answered = kind == "reply"
                                break
            except (aiohttp.ClientError, asyncio.TimeoutError, TypeError, ValueError):
                seen.reconnects += 1
            if not answered:
                attempt += 1
                await asyncio.sleep(1)
        seen.unanswered += not answered
        await asyncio.sleep(pause)
    return (token or "").split(".")[0]


async def tracker_user_ids(http: aiohttp.ClientSession, rasa_url: str, conversation_id: str) -> List[str]:
    url = f"{rasa_url}/conversations/{conversation_id}/tracker"
    async with http.get(url, params={"token": "test-rasa-token", "include_events": "ALL"}) as response:
        events = (await response.json())["events"]
    return [(e.get("metadata") or {}).get(MESSAGE_ID_KEY, "") for e in events if e.get("event") == "user"]


def throughput(seen: List[Seen], seconds: float) -> str:
    times = sorted(t for s in seen for t in s.reply_seconds)
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0.0
    return (f"{len(times)} replies in {seconds:.1f} s: {len(times) / seconds:.2f} messages/s, "
            f"reply p50 {statistics.median(times) if times else 0:.2f} s, p95 {p95:.2f} s")


async def drive(stack: ClusterStack, rasa_url: str, postgres: PrivatePostgres, redis: PrivateRedis,
                args: argparse.Namespace) -> None:
    log: List[str] = []
    seen = [Seen() for _ in range(CONVERSATIONS)]
    languages = ["fi", "sv", "en"]
    async with aiohttp.ClientSession() as http:
        chaos = None if args.calm else asyncio.create_task(faults(stack, postgres, redis, log))
        started = time.monotonic()
        ids = await asyncio.gather(*(converse(http, stack, languages[n % 3], s, args.pause)
                                     for n, s in enumerate(seen)))
        elapsed = time.monotonic() - started
        if chaos is not None:
            await chaos
        print(f"{args.instances} of each instance: {throughput(seen, elapsed)}")
        print("\n".join(log))
        print(f"\n{'conv':>4} {'sent':>4} {'lost':>4} {'dup':>4} {'order':>5} {'reply':>5} {'delay':>5} "
              f"{'failed':>6} {'error':>5} {'recon':>5} {'unans':>5}")
        totals: Counter = Counter()
        for n, (cid, s) in enumerate(zip(ids, seen)):
            logged = await tracker_user_ids(http, rasa_url, cid)
            counts = Counter(logged)
            lost = sum(1 for m in s.sent if counts[m] == 0)
            dup = sum(counts[m] - 1 for m in s.sent if counts[m] > 1)
            firsts = [m for i, m in enumerate(logged) if m in s.sent and m not in logged[:i]]
            order = int(firsts != [m for m in s.sent if m in firsts])
            row = {"sent": len(s.sent), "lost": lost, "dup": dup, "order": order, "reply": s.frames["reply"],
                   "delay": s.frames["delayed"], "failed": s.frames["failed"], "error": s.frames["error"],
                   "recon": s.reconnects, "unans": s.unanswered}
            totals.update(row)
            lost_at = [i + 1 for i, m in enumerate(s.sent) if counts[m] == 0]
            print(f"{n + 1:>4} " + " ".join(f"{v:>{max(4, len(k))}}" for k, v in row.items())
                  + (f"  lost: message {lost_at}" if lost_at else ""))
        print("total " + ", ".join(f"{k} {v}" for k, v in totals.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calm", action="store_true", help="no faults")
    parser.add_argument("--pause", type=float, default=PAUSE_SECONDS, help="seconds between a user's messages")
    parser.add_argument("--instances", type=int, default=2, help="web apps, Rasa servers and action servers each")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    work.chmod(0o755)  # the postgres user reaches its data directory inside
    redis, postgres = PrivateRedis(work), PrivatePostgres(work / "pg")
    try:
        redis.start()
        postgres.start()
        pg_url = f"postgresql+asyncpg://postgres@127.0.0.1:{postgres.port}/postgres"
        stacks = start_cluster(work, pg_url, REDIS_URL=f"redis://127.0.0.1:{redis.port}/0", HANDOFF_POLL_SECONDS="1",
                               BOT_CLUSTER_INSTANCES=str(args.instances))
        try:
            stack = next(stacks)
            asyncio.run(drive(stack, stack.rasa_url, postgres, redis, args))
        finally:
            stacks.close()
            shutil.rmtree(LOGS, ignore_errors=True)
            shutil.copytree(work / "log", LOGS)
            print(f"logs: {LOGS}")
    finally:
        redis.stop()
        if (postgres.data / "postmaster.pid").exists():
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
