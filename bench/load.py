"""`make bench-load`: this assistant against stock Rasa (`rasa init`) under load, in one run.

Starts this assistant (`python -m bot run`, limits raised) and a stock `rasa init` project
(trained once into var/bench/stock, served by `rasa run` over its REST channel, as it comes:
in-memory tracker store, no action server). For 10 and 50 concurrent conversations of 20
turns of realistic fi/sv/en business messages (look-ups included) it runs three paths,
alternating their order between rounds so that the machine's noise falls on all of them:

- ours, through the widget's WebSocket gateway (/ws),
- ours, through the chat API (/api/conversations, /api/messages),
- stock Rasa over REST (/webhooks/rest/webhook).

It prints p50/p95/p99 reply times, messages per second, errors, the ratios to stock, the
resident memory of every process, the time from start to ready, and one conversation of 200
turns per system (p95 of turns 181-200 against turns 1-20). Results also go to
var/bench/load.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Awaitable, Callable, Dict, List, Sequence, Tuple

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat import OUT, free_port, gateway_turns, percentile, stack_processes, start_stack  # noqa: E402

STOCK_DIR = OUT / "stock"
TURNS = 20
LONG_TURNS = 200

# What companies write, in the three languages; the look-ups search the catalogue.
MESSAGES: Dict[str, List[str]] = {
    "fi": [
        "moi", "miten perustan toiminimen?", "mitä yritystapahtumia on tulossa ensi viikolla?",
        "paljonko yel maksaa", "voinko saada starttirahaa jos yritys on jo perustettu",
        "tarvitsen rahoitusta laajentamiseen", "onko espoossa avoimia työpaikkoja ohjelmistokehittäjille",
        "mitä pitää tehdä kun palkkaan ensimmäisen työntekijän", "missä on yrityspalvelut leppävaarassa",
        "kiitos", "haluan puhua neuvojan kanssa", "oy vai toiminimi?", "tarvitsenko anniskeluluvan kahvilaan",
        "milloin neuvojat on paikalla?", "mistä löydän toimitilan", "alv raja", "etsin ravintola-alan työpaikkoja",
        "miten haen palkkatukea", "entä jos haluun laajentaa viroon", "ok kiitti",
    ],
    "sv": [
        "hej", "hur grundar jag ett företag?", "vilka företagsevenemang finns nästa vecka?",
        "vad kostar FöPL-försäkringen", "kan jag få startpeng", "var kan mitt företag få finansiering",
        "vilka lediga jobb finns det inom restaurangbranschen i Esbo", "vad ska jag ordna när jag anställer",
        "behöver jag tillstånd för att servera öl", "tack", "jag vill prata med en rådgivare",
        "finns det nån rådgivning på svenska?", "hur registrerar jag mig för moms", "lokaler i Esbo",
        "lönesubvention", "när är rådgivarna på plats", "evenemang för startupföretag", "export till Sverige",
        "kostar rådgivningen något", "tack så mycket",
    ],
    "en": [
        "hello", "how do I start my own company?", "what business events are on next week?",
        "roughly what does YEL insurance cost", "can an existing company still get the startup grant",
        "where can my company get funding?", "show open jobs for software developers",
        "what must an employer arrange for a first employee", "do I need a licence to serve beer in my cafe",
        "thanks", "I want to talk to an adviser", "at what turnover does VAT registration start",
        "does a sole trader need a separate bank account", "premises for my company", "is the advice free",
        "when can advisers be reached", "recruitment events in Espoo", "I want to expand to Estonia",
        "pay subsidy", "ok thanks",
    ],
}
LANGUAGES = tuple(MESSAGES)


def script(index: int, turns: int) -> Tuple[str, List[str]]:
    """The language and messages of conversation `index`: the languages take turns."""
    language = LANGUAGES[index % len(LANGUAGES)]
    lines = MESSAGES[language]
    return language, [lines[(index + turn) % len(lines)] for turn in range(turns)]


def process_tree(pid: int) -> List[int]:
    """A process and all its descendants."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            queue.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except OSError:
            pass
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB."""
    total = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# -- the stock project --------------------------------------------------------------------------

def stock_env() -> Dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}


def ensure_stock_project() -> None:
    """`rasa init` into var/bench/stock once (it trains its model there)."""
    if list((STOCK_DIR / "models").glob("*.tar.gz")):
        return
    STOCK_DIR.mkdir(parents=True, exist_ok=True)
    print("training the stock `rasa init` project once into", STOCK_DIR, flush=True)
    subprocess.run([str(Path(sys.executable).parent / "rasa"), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
                   cwd=STOCK_DIR, env=stock_env(), check=True, stdout=subprocess.DEVNULL)


def start_stock() -> Tuple[subprocess.Popen, str, float]:
    """`rasa run` of the stock project on a free port; the process, its URL, seconds to ready."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port), "--model", "models"],
        cwd=STOCK_DIR, env=stock_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = started + 300
    probe = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=b'{"sender": "probe", "message": "hi"}',
                                   headers={"Content-Type": "application/json"})
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise SystemExit("stock rasa did not start")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return process, url, time.perf_counter() - started
        except OSError:
            time.sleep(0.5)
    raise SystemExit("stock rasa was not ready in 300 s")


# -- one conversation on each path ---------------------------------------------------------------

Conversation = Callable[[aiohttp.ClientSession, str, str, Sequence[str]], Awaitable[Tuple[List[float], int]]]


async def over_gateway(session: aiohttp.ClientSession, url: str, language: str,
                       messages: Sequence[str]) -> Tuple[List[float], int]:
    """Reply times (s) and errors of one conversation through the WebSocket gateway."""
    turns = await gateway_turns(session, url, language, messages)
    return [seconds for seconds, _ in turns], sum(frame["type"] != "reply" for _, frame in turns)


async def over_api(session: aiohttp.ClientSession, url: str, language: str,
                   messages: Sequence[str]) -> Tuple[List[float], int]:
    """Reply times (s) and errors of one conversation through the chat API."""
    times, errors = [], 0
    headers = {"Origin": url}
    async with session.post(f"{url}/api/conversations", json={}, headers=headers) as answer:
        token = (await answer.json())["conversation"]
    for text in messages:
        started = time.perf_counter()
        async with session.post(f"{url}/api/messages", headers=headers,
                                json={"conversation": token, "text": text, "language": language}) as answer:
            body = await answer.json()
        times.append(time.perf_counter() - started)
        if answer.status == 200 and body.get("messages"):
            token = body["conversation"]
        else:
            errors += 1
    return times, errors


async def over_rest(session: aiohttp.ClientSession, url: str, language: str,
                    messages: Sequence[str]) -> Tuple[List[float], int]:
    """Reply times (s) and errors of one conversation to stock Rasa's REST channel."""
    times, errors = [], 0
    sender = uuid.uuid4().hex
    for text in messages:
        started = time.perf_counter()
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as answer:
            body = await answer.json()
        times.append(time.perf_counter() - started)
        errors += answer.status != 200 or not isinstance(body, list)
    return times, errors


PATHS: Dict[str, Conversation] = {"ours-ws": over_gateway, "ours-api": over_api, "stock-rest": over_rest}


async def run_phase(path: str, url: str, n: int, turns: int, first: int) -> Dict[str, object]:
    """N concurrent conversations on one path: every reply time, the errors and the wall time."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        jobs = [PATHS[path](session, url, *script(first + i, turns)) for i in range(n)]
        started = time.perf_counter()
        results = await asyncio.gather(*jobs, return_exceptions=True)
        elapsed = time.perf_counter() - started
    times = [t for r in results if not isinstance(r, BaseException) for t in r[0]]
    errors = sum(r[1] for r in results if not isinstance(r, BaseException))
    errors += sum(turns for r in results if isinstance(r, BaseException))  # a conversation that broke
    return {"times": times, "errors": errors, "elapsed": elapsed}


def summary(phases: List[Dict[str, object]]) -> Dict[str, float]:
    times = [t for p in phases for t in p["times"]]  # type: ignore[attr-defined]
    elapsed = sum(p["elapsed"] for p in phases)  # type: ignore[misc]
    return {
        "messages": len(times), "errors": sum(p["errors"] for p in phases),  # type: ignore[misc]
        "p50_ms": 1000 * percentile(times, 0.50), "p95_ms": 1000 * percentile(times, 0.95),
        "p99_ms": 1000 * percentile(times, 0.99), "msg_per_s": len(times) / elapsed,
    }


async def long_chat(path: str, url: str) -> Dict[str, float]:
    """One conversation of 200 turns: p95 of turns 1-20 and of turns 181-200."""
    async with aiohttp.ClientSession() as session:
        times, errors = await PATHS[path](session, url, *script(0, LONG_TURNS))
    first, last = times[:20], times[-20:]
    return {"p95_first_ms": 1000 * percentile(first, 0.95), "p95_last_ms": 1000 * percentile(last, 0.95),
            "ratio": percentile(last, 0.95) / percentile(first, 0.95), "errors": errors}


async def bench(urls: Dict[str, str], levels: Sequence[int], rounds: int) -> Dict[str, Dict]:
    for path in PATHS:  # warm up every path (first NLU runs, connections, database pages)
        await run_phase(path, urls[path], 3, 4, 1000)
    report: Dict[str, Dict] = {}
    for n in levels:
        phases: Dict[str, List[Dict[str, object]]] = {path: [] for path in PATHS}
        order = list(PATHS)
        for round_index in range(rounds):
            for path in order[round_index % 3:] + order[:round_index % 3]:
                phases[path].append(await run_phase(path, urls[path], n, TURNS, round_index * n))
        report[f"{n} concurrent"] = {path: summary(results) for path, results in phases.items()}
    report["200 turns"] = {path: await long_chat(path, urls[path]) for path in ("ours-api", "stock-rest")}
    return report


def print_report(report: Dict[str, Dict], memory: Dict[str, float], ready: Dict[str, float]) -> None:
    print(f"\n{'load':<14} {'path':<11} {'msgs':>5} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'msg/s':>7} {'x stock msg/s':>13} {'p95 / stock':>11}")
    for load, paths in report.items():
        if load == "200 turns":
            continue
        stock = paths["stock-rest"]
        for path, r in paths.items():
            print(f"{load:<14} {path:<11} {r['messages']:>5} {r['errors']:>6} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
                  f"{r['p99_ms']:>8.1f} {r['msg_per_s']:>7.1f} {r['msg_per_s'] / stock['msg_per_s']:>13.2f} "
                  f"{r['p95_ms'] / stock['p95_ms']:>11.2f}")
    print("\none conversation of 200 turns (p95 of turns 181-200 against turns 1-20):")
    for path, r in report["200 turns"].items():
        print(f"  {path:<11} {r['p95_first_ms']:7.1f} ms -> {r['p95_last_ms']:7.1f} ms: x{r['ratio']:.2f}"
              f" ({r['errors']} errors)")
    print("\nresident memory after the run (MB):", ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))
    print("start to ready (s):", ", ".join(f"{k} {v:.1f}" for k, v in ready.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,50", help="numbers of concurrent conversations")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per level (each runs every path once)")
    args = parser.parse_args()
    ensure_stock_project()
    tracker_dir = OUT / "load-tracker"
    tracker_dir.mkdir(parents=True, exist_ok=True)
    for old in tracker_dir.glob("*"):
        old.unlink()
    started = time.perf_counter()
    ours, web_url, _ = start_stack(str(tracker_dir))
    ready = {"ours": time.perf_counter() - started}
    stock, stock_url, ready["stock"] = start_stock()
    try:
        urls = {"ours-ws": web_url, "ours-api": web_url, "stock-rest": stock_url}
        report = asyncio.run(bench(urls, [int(n) for n in args.levels.split(",")], args.rounds))
        memory = {f"ours {name}": rss_mb(pid) for name, pid in stack_processes(ours.pid).items()}
        memory["ours all"] = sum(memory.values())
        memory["stock rasa"] = rss_mb(stock.pid)
    finally:
        for process in (ours, stock):
            process.send_signal(2)
        for process in (ours, stock):
            process.wait(60)
    print_report(report, memory, ready)
    report["memory_mb"], report["ready_s"] = memory, ready
    (OUT / "load.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten to {OUT / 'load.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
