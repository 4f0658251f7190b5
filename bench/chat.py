"""`make bench-chat`: reply times through the WebSocket gateway against Rasa's REST channel.

Starts the real assistant (`python -m bot run` on free loopback ports, limits raised),
then for N = 1, 10, 50 concurrent conversations sends the same scripted messages
(a) through the gateway (/ws on the web app) and (b) straight to Rasa's REST channel,
each conversation waiting for its answer before the next message. Prints p50/p95/p99
reply time and messages per second for both, and the gateway's p95 against the direct
one. The two runs of each N alternate in order between rounds so that neither always
runs on a warmer or fuller tracker store. Results also go to var/bench/chat.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SCRIPT = [
    "Hello there", "/funding", "How do I start my own company?", "/pay_subsidy",
    "Where can my company get funding?", "/premises", "Thanks!", "/training",
]
TOKEN = "bench-rasa-token"
TARGET_OVERHEAD = 0.10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_processes(supervisor: int) -> Dict[str, int]:
    """The PIDs of the web app, Rasa and the action server (children of the supervisor)."""
    found: Dict[str, int] = {}
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    for child in map(int, children):
        command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        for name, marker in (("web", "bot serve"), ("rasa", "bot.rasa.launcher"), ("actions", "bot actions")):
            if marker in command:
                found[name] = child
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_stack(tracker_dir: str) -> Tuple[subprocess.Popen, str, str]:
    """`python -m bot run` on free ports; returns the process, the web URL and the Rasa URL."""
    web, internal, rasa, actions = (free_port() for _ in range(4))
    env = {
        **os.environ, "BOT_HOST": "127.0.0.1", "BOT_PORT": str(web), "BOT_INTERNAL_PORT": str(internal),
        "RASA_URL": f"http://127.0.0.1:{rasa}", "ACTION_SERVER_URL": f"http://127.0.0.1:{actions}",
        "RASA_TOKEN": TOKEN, "TRACKER_DB": f"{tracker_dir}/tracker.db",
        "BOT_MESSAGES_PER_MINUTE": "100000", "BOT_MESSAGES_PER_MINUTE_PER_ADDRESS": "1000000",
        "BOT_CONNECTIONS_PER_ADDRESS": "100000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    tail: List[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        tail = (tail + [line])[-40:]
        if "Chat with it at" in line:
            break
    else:
        raise SystemExit("the assistant did not start:\n" + "".join(tail))
    # Keep draining its output so that it never blocks on a full pipe.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, f"http://127.0.0.1:{web}", f"http://127.0.0.1:{rasa}"


async def gateway_turns(session: aiohttp.ClientSession, web_url: str, language: str,
                        messages: Sequence[str]) -> List[Tuple[float, Dict]]:
    """One conversation through the gateway: for each message, its reply time in seconds and the
    frame that ended it (reply, failed or error)."""
    turns = []
    ws_url = web_url.replace("http://", "ws://") + f"/ws?lang={language}"
    async with session.ws_connect(ws_url, headers={"Origin": web_url}) as ws:
        await ws.send_json({"type": "hello", "conversation": None, "language": language, "page_url": web_url + "/"})
        while (await ws.receive_json()).get("type") != "welcome":
            pass
        for text in messages:
            message_id = uuid.uuid4().hex
            started = time.perf_counter()
            await ws.send_json({"type": "message", "id": message_id, "text": text})
            while True:
                frame = await ws.receive_json()
                if frame.get("id") == message_id and frame["type"] in ("reply", "failed", "error"):
                    break
            turns.append((time.perf_counter() - started, frame))
    return turns


async def gateway_conversation(session: aiohttp.ClientSession, web_url: str, messages: Sequence[str]) -> List[float]:
    """One English conversation through the gateway; the reply time of each message in seconds."""
    times = []
    for seconds, frame in await gateway_turns(session, web_url, "en", messages):
        if frame["type"] != "reply":
            raise RuntimeError(f"gateway refused a message: {frame}")
        times.append(seconds)
    return times


async def direct_conversation(session: aiohttp.ClientSession, rasa_url: str, messages: Sequence[str]) -> List[float]:
    """One conversation posted straight to Rasa's REST channel, with the gateway's metadata."""
    times = []
    sender = uuid.uuid4().hex
    for text in messages:
        metadata = {"language": "en", "client_message_id": uuid.uuid4().hex, "page_url": rasa_url}
        started = time.perf_counter()
        async with session.post(
            f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text, "metadata": metadata}
        ) as response:
            response.raise_for_status()
            await response.json()
        times.append(time.perf_counter() - started)
    return times


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def run_phase(
    mode: str, n: int, per_conversation: int, web_url: str, rasa_url: str, pids: Dict[str, int]
) -> Dict[str, float]:
    """N concurrent conversations in one mode: reply-time percentiles (ms), messages per second,
    and the CPU time each process of the stack spent per message."""
    messages = [SCRIPT[i % len(SCRIPT)] for i in range(per_conversation)]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        if mode == "gateway":
            jobs = [gateway_conversation(session, web_url, messages) for _ in range(n)]
        else:
            jobs = [direct_conversation(session, rasa_url, messages) for _ in range(n)]
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        started = time.perf_counter()
        results = await asyncio.gather(*jobs)
        elapsed = time.perf_counter() - started
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    times = [t for result in results for t in result]
    return {
        **{f"_cpu_{name}": seconds for name, seconds in cpu.items()},
        "messages": len(times),
        "p50_ms": 1000 * percentile(times, 0.50),
        "p95_ms": 1000 * percentile(times, 0.95),
        "p99_ms": 1000 * percentile(times, 0.99),
        "msg_per_s": len(times) / elapsed,
        "_times": times,  # type: ignore[dict-item]
        "_elapsed": elapsed,
    }


def merge(phases: List[Dict[str, float]]) -> Dict[str, float]:
    times = [t for p in phases for t in p["_times"]]  # type: ignore[union-attr]
    elapsed = sum(p["_elapsed"] for p in phases)
    cpu_keys = [key for key in phases[0] if key.startswith("_cpu_")]
    return {
        **{f"cpu_ms_per_msg_{key[5:]}": 1000 * sum(p[key] for p in phases) / len(times) for key in cpu_keys},
        "messages": len(times),
        "p50_ms": 1000 * percentile(times, 0.50),
        "p95_ms": 1000 * percentile(times, 0.95),
        "p99_ms": 1000 * percentile(times, 0.99),
        "msg_per_s": len(times) / elapsed,
    }


async def bench(
    levels: Sequence[int], rounds: int, total: int, web_url: str, rasa_url: str, pids: Dict[str, int]
) -> Dict[str, Dict]:
    # Warm up both paths (first NLU runs, connections, SQLite pages).
    await run_phase("gateway", 2, 8, web_url, rasa_url, pids)
    await run_phase("direct", 2, 8, web_url, rasa_url, pids)
    report: Dict[str, Dict] = {}
    for n in levels:
        per_conversation = max(2, total // (n * rounds))
        phases: Dict[str, List[Dict[str, float]]] = {"gateway": [], "direct": []}
        for round_index in range(rounds):
            order = ("gateway", "direct") if round_index % 2 == 0 else ("direct", "gateway")
            for mode in order:
                phases[mode].append(await run_phase(mode, n, per_conversation, web_url, rasa_url, pids))
        report[str(n)] = {mode: merge(results) for mode, results in phases.items()}
    return report


def print_report(report: Dict[str, Dict]) -> bool:
    print(f"\n{'N':>3} {'path':<8} {'msgs':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>7}")
    within = True
    for n, modes in report.items():
        for mode in ("gateway", "direct"):
            r = modes[mode]
            print(f"{n:>3} {mode:<8} {r['messages']:>5} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
                  f"{r['p99_ms']:>8.1f} {r['msg_per_s']:>7.1f}")
        ratio = modes["gateway"]["p95_ms"] / modes["direct"]["p95_ms"]
        modes["p95_ratio"] = ratio
        modes["p50_ratio"] = modes["gateway"]["p50_ms"] / modes["direct"]["p50_ms"]
        verdict = "within" if ratio - 1 < TARGET_OVERHEAD else "OVER"
        within = within and ratio - 1 < TARGET_OVERHEAD
        print(f"{n:>3} gateway/direct: p50 x{modes['p50_ratio']:.3f}, p95 x{ratio:.3f} "
              f"({100 * (ratio - 1):+.1f} %, target < +{100 * TARGET_OVERHEAD:.0f} %: {verdict})")
        gateway, direct = modes["gateway"], modes["direct"]
        if "cpu_ms_per_msg_web" in gateway:
            stack = sum(direct[f"cpu_ms_per_msg_{name}"] for name in ("web", "rasa", "actions"))
            extra = gateway["cpu_ms_per_msg_web"] - direct["cpu_ms_per_msg_web"]
            modes["cpu_overhead"] = extra / stack
            print(f"{n:>3} CPU per message: web app {gateway['cpu_ms_per_msg_web']:.2f} ms through the gateway, "
                  f"{direct['cpu_ms_per_msg_web']:.2f} ms direct (NLG only); the whole stack direct {stack:.1f} ms: "
                  f"the gateway costs {100 * extra / stack:+.1f} % CPU")
    return within


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,10,50", help="numbers of concurrent conversations")
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds per level and path")
    parser.add_argument(
        "--messages", type=int, default=300, help="messages per level and path (at least 2 a conversation)"
    )
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    with tempfile.TemporaryDirectory() as tracker_dir:
        process, web_url, rasa_url = start_stack(tracker_dir)
        try:
            pids = stack_processes(process.pid)
            report = asyncio.run(bench(levels, args.rounds, args.messages, web_url, rasa_url, pids))
        finally:
            process.send_signal(2)
            process.wait(60)
    within = print_report(report)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "chat.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten to {OUT / 'chat.json'}; gateway p95 overhead target {'met' if within else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
