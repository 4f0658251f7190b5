"""A personal identity code typed into the real assistant leaves no trace: not in Rasa's
tracker, not in any file of the stack's databases (SQLite, deleted pages included), not in
its logs. (PostgreSQL tables: tests/handoff/test_contact_drafts.py.)"""
from __future__ import annotations

import json
import urllib.request
from typing import Any, Dict, List

import pytest

HETU = "131052-308T"
MESSAGES = [
    ("fi", f"Hei, henkilötunnukseni on {HETU}, voinko perustaa toiminimen?"),
    ("sv", f"Mitt personnummer är {HETU.lower()}, hur startar jag ett företag?"),
    ("en", f"My personal identity code is {HETU}, can I get a start-up grant?"),
]


def post(url: str, body: Dict[str, Any]) -> Dict[str, Any]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def chatted(live) -> List[str]:  # type: ignore[no-untyped-def]
    """The conversation ids of one message with the code in each language; their shown texts checked."""
    conversations = []
    for language, text in MESSAGES:
        token = post(f"{live.web_url}/api/conversations", {})["conversation"]
        answer = post(f"{live.web_url}/api/messages", {"conversation": token, "text": text, "language": language})
        assert "[personal id]" in answer["user"]["text"] and HETU.lower() not in answer["user"]["text"].lower()
        conversations.append(token.split(".")[0])
    return conversations


def test_the_tracker_has_the_placeholder_only(live, chatted) -> None:  # type: ignore[no-untyped-def]
    for conversation_id in chatted:
        events = json.dumps(live.tracker_events(conversation_id), ensure_ascii=False)
        assert "[personal id]" in events
        assert HETU.lower() not in events.lower()


def test_no_database_file_holds_the_code(live, chatted) -> None:  # type: ignore[no-untyped-def]
    files = [p for p in live.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "tracker.db" for p in files) and any(p.name == "bot.db" for p in files)
    for path in files:
        content = path.read_bytes().lower()
        assert HETU.lower().encode() not in content, path
        assert HETU.lower().encode("utf-16-le") not in content, path


def test_the_logs_do_not_hold_the_code(live, chatted) -> None:  # type: ignore[no-untyped-def]
    logs = live.logs()
    assert {"rasa.log", "web.log", "actions.log"} <= {p.name for p in (live.data_dir / "log").iterdir()}
    assert HETU.lower() not in logs.lower()
