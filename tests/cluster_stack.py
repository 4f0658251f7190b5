"""The cluster layout for tests: `python -m bot cluster` on free loopback ports (HAProxy, two web apps,
two Rasa servers, two action servers) with a PostgreSQL database and a Redis key prefix of its own."""
from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List

import pytest
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.ports import port_is_free
from tests.handoff.support import _drop_database
from tests.livestack import follow_output
from tests.test_supervisor import free_port

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 900
INSTANCES = 2


@dataclass
class ClusterStack:
    process: subprocess.Popen
    web_url: str  # the balancer
    log_dir: Path
    first_port: int
    rasa_url: str  # the balancer's frontend for the Rasa servers
    output: List[str] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.web_url.replace("http://", "ws://") + "/ws"

    def logs(self) -> str:
        files = sorted(self.log_dir.glob("*.log*"))
        return "".join(self.output) + "".join(p.read_text(encoding="utf-8", errors="replace")[-4000:] for p in files)


def ephemeral_low() -> int:
    """The lowest port the kernel hands to outgoing connections (Linux's default 32768)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_block(count: int) -> int:
    """The first of `count` consecutive free loopback ports, below the ports of outgoing connections (one
    of those took a port of the block between the check and the bind: "address already in use")."""
    for _ in range(200):
        first = random.randrange(10000, max(10001, ephemeral_low() - count))
        if all(port_is_free("127.0.0.1", p) for p in range(first, first + count)):
            return first
    raise RuntimeError("no block of free ports")


def start_cluster(tmp_dir: Path, postgres_url: str = "", **overrides: str) -> Iterator[ClusterStack]:
    """Start the cluster, yield it, stop it and drop its database (on the server of `postgres_url`, default
    CATALOG_TEST_POSTGRES_URL's); `overrides` are more settings."""
    database = f"cluster_test_{uuid.uuid4().hex[:10]}"
    url = str(make_url(postgres_url or load_settings().catalog_test_postgres_url).set(database=database))
    web, first, rasa = free_port(), free_block(4 * INSTANCES), free_port()
    env = {
        **os.environ, "BOT_HOST": "127.0.0.1", "BOT_PORT": str(web), "BOT_INTERNAL_PORT": str(free_port()),
        "RASA_URL": f"http://127.0.0.1:{rasa}", "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
        "BOT_CLUSTER_FIRST_PORT": str(first), "BOT_CLUSTER_INSTANCES": str(INSTANCES),
        "DATABASE_URL": url, "TRACKER_STORE_URL": url, "REDIS_URL": "redis://127.0.0.1:6379/0",
        "BOT_REDIS_PREFIX": f"test-cluster-{database}", "RASA_TOKEN": "test-rasa-token", "NLG_TOKEN": "test-nlg",
        "ACTION_TOKEN": "test-action", "BOT_SECRET_KEY": "test-secret", "BOT_LOG_DIR": str(tmp_dir / "log"),
        "BOT_MESSAGES_PER_MINUTE_PER_ADDRESS": "100000", "BOT_CONNECTIONS_PER_ADDRESS": "1000",
        "TRACKER_DB": str(tmp_dir / "unused-tracker.db"), **overrides,
    }
    process = subprocess.Popen([sys.executable, "-m", "bot", "cluster"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stack = ClusterStack(process, f"http://127.0.0.1:{web}", tmp_dir / "log", first, f"http://127.0.0.1:{rasa}")
    ready = follow_output(process, stack.output)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not ready.wait(1):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the cluster did not start:\n" + stack.logs()[-6000:])
        yield stack
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(60)
        if not postgres_url:
            asyncio.run(_drop_database(database))
