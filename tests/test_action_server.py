"""The action server over real HTTP: loopback only, and nothing runs without the action token."""
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

import pytest

from bot.rasa.action_server import ACTION_TOKEN_HEADER, token_matches
from tests.conftest import ROOT
from tests.handoff.support import _migrate
from tests.test_supervisor import free_port

TOKEN = "test-action-token"


@pytest.fixture(scope="module")
def action_server(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    tmp = tmp_path_factory.mktemp("actions")
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{tmp / 'bot.db'}"))
    env = {**os.environ, "ACTION_SERVER_URL": f"http://127.0.0.1:{port}", "ACTION_TOKEN": TOKEN,
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "actions"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=2).close()
            break
        except OSError:
            assert process.poll() is None, "the action server exited while starting"
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the action server did not start")
    yield url
    process.terminate()
    process.wait(30)


def call(url: str, body: Optional[dict] = None, headers: Optional[Dict[str, str]] = None) -> Tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def rating_call(conversation_id: str) -> dict:
    """The forged request of the security review: a rating for an invented conversation."""
    return {
        "next_action": "action_save_rating",
        "sender_id": conversation_id,
        "version": "3.6.21",
        "domain": {},
        "tracker": {"sender_id": conversation_id, "slots": {"rating": 5, "language": "fi"},
                    "latest_message": {"intent": {"name": "rate"}, "entities": [], "text": "/rate"},
                    "events": [], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": "action_listen"},
    }


@pytest.mark.parametrize("headers", [{}, {ACTION_TOKEN_HEADER: "wrong"}, {ACTION_TOKEN_HEADER: ""},
                                     {"Authorization": f"Bearer {TOKEN}"}])
def test_a_forged_webhook_call_runs_nothing(action_server, headers):
    status, body = call(f"{action_server}/webhook", rating_call("forged"), headers)
    assert status == 401 and body == {"error": "missing or invalid action token"}
    status, _ = call(f"{action_server}/actions", headers=headers)
    assert status == 401


def test_rasa_with_the_token_reaches_the_actions(action_server):
    status, body = call(f"{action_server}/webhook", {"next_action": "no_such_action", "tracker": {}},
                        {ACTION_TOKEN_HEADER: TOKEN})
    assert status == 404 and body["action_name"] == "no_such_action"
    status, actions = call(f"{action_server}/actions", headers={ACTION_TOKEN_HEADER: TOKEN})
    assert status == 200 and {"name": "action_save_rating"} in actions


def test_the_actions_use_the_database_the_server_opened_at_its_start(action_server):
    status, body = call(f"{action_server}/webhook", rating_call("nobody"), {ACTION_TOKEN_HEADER: TOKEN})
    # "nothing to rate" is an answer read from the database (a database error would thank for the rating)
    assert status == 200 and [r.get("response") for r in body["responses"]] == ["utter_default"]


def test_health_needs_no_token(action_server):
    assert call(f"{action_server}/health") == (200, {"status": "ok"})


def listening_addresses(port: int) -> set:
    """Local IPv4/IPv6 addresses with a socket listening on `port` (from /proc/net)."""
    found = set()
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_it_listens_on_loopback_only(action_server):
    port = int(action_server.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing on 0.0.0.0 or ::


def test_token_comparison():
    assert token_matches("abc", "abc")
    assert not token_matches("abc", "abd") and not token_matches("", "") and not token_matches("abc", "")
