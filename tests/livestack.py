"""The real assistant for tests: `python -m bot run` on free loopback ports (Rasa with the
trained model, the action server and the web app), started once per test session."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Set

import pytest

from tests.test_supervisor import free_port

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 600


@dataclass
class LiveStack:
    process: subprocess.Popen
    web_url: str
    rasa_url: str
    rasa_token: str
    ports: List[int]
    embed_port: int = 0  # a test site on this port may embed the widget (BOT_ALLOWED_ORIGINS)
    data_dir: Path = Path()  # the stack's databases
    output: List[str] = field(default_factory=list)

    def logs(self) -> str:
        """What the stack printed and every log file it wrote."""
        files = sorted((self.data_dir / "log").glob("*.log*"))
        return "".join(self.output) + "".join(p.read_text(encoding="utf-8", errors="replace") for p in files)

    @property
    def ws_url(self) -> str:
        return self.web_url.replace("http://", "ws://") + "/ws"

    def tracker_events(self, conversation_id: str) -> List[Dict[str, Any]]:
        """The conversation's events, straight from Rasa."""
        url = f"{self.rasa_url}/conversations/{conversation_id}/tracker?token={self.rasa_token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())["events"]


class AnswerTexts(set):  # type: ignore[type-arg]
    """Answer texts; `in` also matches a text whose {placeholders} (opening hours) were filled."""

    def __contains__(self, text: object) -> bool:
        if super().__contains__(text):
            return True
        return isinstance(text, str) and any(
            re.fullmatch(re.sub(r"\\\{[a-z_]+\\\}", ".+?", re.escape(t)), text, re.DOTALL)
            for t in self if "{" in t
        )

    def __or__(self, other: Iterable[str]) -> "AnswerTexts":  # type: ignore[override]
        return AnswerTexts(set(self) | set(other))


def responses(language: str) -> Dict[str, Set[str]]:
    """The answer texts in `language` by response name, the specific answers included; a topic
    answer may come with its "Did you mean...?" line (the quick replies of specific questions)."""
    from bot import locale
    from bot.content.responses import ResponseCatalog

    catalog = ResponseCatalog.from_directory(ROOT / "data" / "responses")
    suffix = f"\n\n{locale.text(language, 'questions.did_you_mean')}"
    texts: Dict[str, Set[str]] = {}
    for name, variations in catalog.tables[language].items():
        plain = {v["text"] for v in variations if v.get("text")}
        texts[name] = plain | ({t + suffix for t in plain} if catalog.questions.of_topic(name[6:]) else set())
    # A recognised topic may be answered by one of its specific answers.
    for answer in catalog.questions.answers.values():
        topic = f"utter_{answer.topic}"
        if topic in texts:
            texts[topic] = texts[topic] | texts[answer.response_name]
    return {name: AnswerTexts(answers) for name, answers in texts.items()}


def follow_output(process: subprocess.Popen, output: List[str]) -> threading.Event:
    """Collect the output of `python -m bot run` (or `cluster`) into `output`; the event is set once
    it says where to chat."""
    ready = threading.Event()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "Chat with it at" in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    return ready


def start_live_stack(tmp_dir: Path) -> Iterator[LiveStack]:
    """Start the stack, yield it, stop it (if a test has not already)."""
    ports = [free_port() for _ in range(4)]
    web, internal, rasa, actions = ports
    embed_port = free_port()
    env = {
        **os.environ,
        "BOT_PORT": str(web),
        "BOT_HOST": "127.0.0.1",
        "BOT_INTERNAL_PORT": str(internal),
        "RASA_URL": f"http://127.0.0.1:{rasa}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions}",
        "RASA_TOKEN": "test-rasa-token",
        "NLG_TOKEN": "test-nlg-token",
        "TRACKER_DB": str(tmp_dir / "tracker.db"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_dir / 'bot.db'}",
        # Every test client comes from 127.0.0.1: the per-address limits are tested on their own.
        "BOT_MESSAGES_PER_MINUTE_PER_ADDRESS": "100000",
        "BOT_CONNECTIONS_PER_ADDRESS": "1000",
        "BOT_ALLOWED_ORIGINS": f"http://127.0.0.1:{embed_port}",
        "BOT_LOG_DIR": str(tmp_dir / "log"),  # each process's log (the console shows the start summary)
    }
    # As `make run` does: the sample catalogue first, then the three processes.
    subprocess.run([sys.executable, "-m", "bot", "catalog", "load-samples"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    stack = LiveStack(
        process, f"http://127.0.0.1:{web}", f"http://127.0.0.1:{rasa}", "test-rasa-token", ports, embed_port,
        tmp_dir,
    )
    ready = follow_output(process, stack.output)
    deadline = time.monotonic() + START_TIMEOUT
    while not ready.wait(1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the assistant did not start:\n" + "".join(stack.output[-60:]))
    yield stack
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(60)
