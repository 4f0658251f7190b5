"""What `python -m bot run` prints before `Chat with it at`, and where the detail goes."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from bot import startlog
from bot.config import load_settings
from bot.supervisor import ProcessSpec, http_ok, run
from tests.test_supervisor import free_port

NAMES = ["actions", "web", "rasa"]


def settings_for(tmp_path: Path, **env: str):  # type: ignore[no-untyped-def]
    return load_settings({"BOT_PROJECT_ROOT": str(tmp_path), **env})


def test_the_summary_says_what_runs_where_in_a_few_lines(tmp_path: Path):
    settings = settings_for(
        tmp_path, DATABASE_URL="postgresql+asyncpg://bot:s3cret-pw@db.example:5432/bot", BOT_PORT="8123",
        RASA_URL="http://127.0.0.1:5999",
    )
    lines = startlog.start_summary(settings, tmp_path / "models" / "bot-abc.tar.gz", NAMES, "3.6.21")
    text = "\n".join(lines)
    assert len(lines) <= 10 and all(len(line) < 160 for line in lines)
    assert "models/bot-abc.tar.gz (Rasa 3.6.21)" in text
    assert "postgresql+asyncpg://bot:***@db.example:5432/bot" in text and "s3cret-pw" not in text
    assert "rasa_tracker.db" in text and ":8123" in text and "http://127.0.0.1:5999 (telemetry off)" in text
    assert all(f"var/log/{name}.log" in text for name in ["run", *NAMES]) and "-v" in text


def test_telemetry_is_off_unless_asked_for(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("RASA_TELEMETRY_ENABLED", raising=False)
    assert settings_for(tmp_path).child_env()["RASA_TELEMETRY_ENABLED"] == "false"
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")
    settings = settings_for(tmp_path)
    assert "(telemetry on)" in "\n".join(startlog.start_summary(settings, tmp_path / "m.tar.gz", NAMES))


def test_verbose_sends_the_detail_to_the_console(tmp_path: Path):
    settings = settings_for(tmp_path, BOT_VERBOSE="1", BOT_LOG_DIR=str(tmp_path / "logs"))
    assert settings.verbose and settings.log_dir == tmp_path / "logs"
    assert "on this console" in startlog.start_summary(settings, tmp_path / "m.tar.gz", NAMES)[-1]
    assert not settings_for(tmp_path).verbose
    quiet = dataclasses.replace(settings, verbose=False)
    assert "logs/web.log" in startlog.start_summary(quiet, tmp_path / "m.tar.gz", NAMES)[-1]


def test_passwords_are_masked_in_any_url():
    assert startlog.masked_url("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db"
    assert startlog.masked_url("sqlite+aiosqlite:////tmp/bot.db") == "sqlite+aiosqlite:////tmp/bot.db"
    assert startlog.masked_url("not a url://u:secret@host") == "not a url://u:***@host"


def test_a_fresh_log_keeps_the_previous_one(tmp_path: Path):
    path = startlog.log_path(tmp_path / "log", "web")
    with startlog.open_log(path) as first:
        first.write(b"first run\n")
    with startlog.open_log(path) as second:
        second.write(b"second run\n")
    assert path.read_text() == "second run\n" and (tmp_path / "log" / "web.log.1").read_text() == "first run\n"
    assert startlog.tail(path, 5) == ["second run"] and startlog.tail(tmp_path / "none.log") == []


async def test_a_child_that_dies_while_starting_has_its_log_tail_printed(tmp_path: Path, capsys):
    script = "import sys; print('noise\\n' * 100); print('the real cause: port taken', flush=True); sys.exit(2)"
    dying = ProcessSpec("web", [sys.executable, "-c", script], http_ok(f"http://127.0.0.1:{free_port()}/"))
    code = await run([dying], tmp_path, "http://x/", 20, log_dir=tmp_path / "log")
    captured = capsys.readouterr()
    assert code == 1
    assert "start failed: web exited with code 2" in captured.err and "the real cause: port taken" in captured.err
    assert captured.err.count("noise") < 50  # the tail, not the whole file
    assert "noise" not in captured.out and "the real cause" in (tmp_path / "log" / "web.log").read_text()
