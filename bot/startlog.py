"""What `python -m bot run` prints: a short summary of what starts where, and where its detail goes.

The detail (library warnings, Rasa's and Sanic's start notes, our INFO lines) goes to one log
file per process under BOT_LOG_DIR (var/log/: run.log, rasa.log, actions.log, web.log); with
`-v` (BOT_VERBOSE) it streams to the console instead. A child that dies while starting has
the tail of its log printed, so the error is visible without opening the file.
"""
from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import BinaryIO, Iterable, List, Optional

from bot.config import Settings

LOG_SUFFIX = ".log"
TAIL_LINES = 40
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def masked_url(url: str) -> str:
    """A database URL without its password ("postgresql://bot:***@db/bot")."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: mask what looks like user:password@
        return _PASSWORD.sub(r"\1***@", url)


def log_path(log_dir: Path, name: str) -> Path:
    """The log file of the process `name`."""
    return log_dir / f"{name}{LOG_SUFFIX}"


def shown_path(path: Path, root: Path) -> str:
    """`path` relative to the project root when inside it (shorter to read), else as it is."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def start_summary(settings: Settings, model: Path, names: Iterable[str], rasa_version: str = "") -> List[str]:
    """The lines printed before the processes start: model, databases, addresses, logs."""
    root = settings.project_root
    version = f" (Rasa {rasa_version})" if rasa_version else ""
    telemetry = "on" if settings.child_env()["RASA_TELEMETRY_ENABLED"].lower() == "true" else "off"
    logs = ", ".join(shown_path(log_path(settings.log_dir, n), root) for n in ["run", *names])
    return [
        "Business Espoo assistant",
        f"  model     {shown_path(model, root)}{version}",
        f"  database  {masked_url(settings.database_url)}",
        f"  tracker   {shown_path(settings.tracker_db, root)} (Rasa's conversations, SQLite)",
        f"  web app   listens on {settings.host}:{settings.port} (chat, widget, console); NLG for Rasa on "
        f"{settings.internal_host}:{settings.internal_port}",
        f"  Rasa      {settings.rasa_url} (telemetry {telemetry})",
        f"  actions   {settings.action_server_url}",
        "  logs      " + ("on this console (-v)" if settings.verbose else f"{logs} (-v: on this console)"),
    ]


def tail(path: Path, lines: int = TAIL_LINES) -> List[str]:
    """The last `lines` lines of the file at `path` ([] when it does not exist)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return [line.rstrip("\n") for line in deque(handle, maxlen=lines)]
    except OSError:
        return []


def fresh_log(path: Path) -> Path:
    """`path` made ready for a new run: its folder exists, the previous run's file is kept as <name>.log.1."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.replace(path.with_name(path.name + ".1"))
    return path


def open_log(path: Path, append: bool = False) -> BinaryIO:
    """A fresh log file at `path` opened for a child's output (the same file again, for a restart)."""
    return path.open("ab") if append and path.exists() else fresh_log(path).open("wb")


def failure_report(name: str, path: Optional[Path]) -> List[str]:
    """What to print when the child `name` stopped: the end of its log, and where the rest is."""
    if path is None:
        return []
    lines = tail(path)
    if not lines:
        return [f"({name} wrote nothing to {path})"]
    return [f"--- the last {len(lines)} lines of {path} ---", *lines, f"--- end of {path.name} ---"]
