"""A process whose PostgreSQL or Redis cannot be reached refuses to start, naming the setting and the URL
(password masked), instead of falling back to memory or waiting for ever (issue 14). Real processes:
`python -m bot serve`, `python -m bot actions` and Rasa's launcher, on ports where nothing listens."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from tests.test_supervisor import free_port

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-pw"


def _start(argv, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    full: Dict[str, str] = {
        **os.environ, "BOT_PROJECT_ROOT": str(ROOT), "BOT_LOG_DIR": str(tmp_path / "log"),
        "BOT_HOST": "127.0.0.1", "BOT_PORT": str(free_port()), "BOT_INTERNAL_PORT": str(free_port()),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}", "RASA_TOKEN": "t", "NLG_TOKEN": "t",
        "ACTION_TOKEN": "t", "BOT_SECRET_KEY": "t", "TRACKER_DB": str(tmp_path / "tracker.db"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **env,
    }
    return subprocess.run([sys.executable, *argv], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120)


def _unreachable_postgres() -> str:
    return f"postgresql+asyncpg://bot:{SECRET}@127.0.0.1:{free_port()}/bot"


def _unreachable_redis() -> str:
    return f"redis://:{SECRET}@127.0.0.1:{free_port()}/0"


WEB = ["-m", "bot", "serve"]
ACTIONS = ["-m", "bot", "actions"]
RASA = ["-m", "bot.rasa.launcher", "--enable-api", "--port", "1"]  # never reached: the check comes first


@pytest.mark.parametrize("argv, setting, url", [
    (WEB, "REDIS_URL", _unreachable_redis()),
    (WEB, "DATABASE_URL", _unreachable_postgres()),
    (WEB, "TRACKER_STORE_URL", _unreachable_postgres()),
    (ACTIONS, "DATABASE_URL", _unreachable_postgres()),
    (RASA, "TRACKER_STORE_URL", _unreachable_postgres()),
    (RASA, "REDIS_URL", _unreachable_redis()),
], ids=["web-redis", "web-database", "web-tracker", "actions-database", "rasa-tracker", "rasa-redis"])
def test_an_unreachable_service_stops_the_start(tmp_path, argv, setting, url):
    done = _start(argv, tmp_path, **{setting: url})
    said = done.stdout + done.stderr
    assert done.returncode != 0
    port = url.rsplit(":", 1)[1].split("/")[0]
    line = next((line for line in said.splitlines() if line.startswith("cannot start")), "")
    assert setting in line and f"***@127.0.0.1:{port}" in line, said[-2000:]
    assert SECRET not in said
    assert "Traceback" not in said
