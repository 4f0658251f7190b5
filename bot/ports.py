"""Before `python -m bot run` starts its children: are their ports free, and if not, who holds
them; and the children's tie to the supervisor's life.

A start that finds a port taken (often a Rasa or web app left from an earlier run) stops with a
message naming the port, the part that needs it, the setting that moves it, and the process
that listens there (from /proc on Linux; "an unknown process" elsewhere or without permission).
"""
from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from bot.config import Settings

PROC = Path("/proc")


def needed_ports(settings: Settings) -> List[Tuple[str, str, str, int]]:
    """(part, setting, host, port) of every port the assistant's children listen on."""
    return [
        ("web app", "BOT_PORT", settings.host, settings.port),
        ("NLG endpoint", "BOT_INTERNAL_PORT", settings.internal_host, settings.internal_port),
        ("Rasa", "RASA_URL", "127.0.0.1", settings.rasa_port),
        ("action server", "ACTION_SERVER_URL", settings.action_host, settings.action_port),
    ]


def port_is_free(host: str, port: int) -> bool:
    """Whether a listening socket could be bound to host:port now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def _listening_inodes(port: int) -> Iterator[str]:
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                yield inode


def listener(port: int) -> Optional[Tuple[int, str]]:
    """(pid, command line) of the process listening on `port`, when /proc tells."""
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not inodes:
        return None
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    return int(entry.name), command.strip()
        except OSError:
            continue  # gone, or not ours to read
    return None


def taken_ports(settings: Settings, needed: Optional[List[Tuple[str, str, str, int]]] = None) -> List[str]:
    """One message per port that is taken (empty when every port is free); `needed` (part, setting,
    host, port) defaults to the ports of `python -m bot run`."""
    messages = []
    for part, setting, host, port in needed if needed is not None else needed_ports(settings):
        if port_is_free(host, port):
            continue
        holder = listener(port)
        who = f"process {holder[0]} ({holder[1][:160]})" if holder else "an unknown process"
        messages.append(f"port {port} for the {part} is taken by {who}: stop it, or choose another port with {setting}")
    return messages


class DieWithParent:
    """A preexec_fn (it runs in the child between fork and exec): Linux sends the child SIGTERM
    when `parent` dies, even by SIGKILL, so no Rasa or web app outlives `python -m bot run`."""

    PR_SET_PDEATHSIG = 1

    def __init__(self, parent: int) -> None:
        self.parent = parent
        self.prctl = None
        try:
            import ctypes

            self.prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):  # not Linux: the signal handlers of `run` remain
            self.prctl = None

    def __call__(self) -> None:
        if self.prctl is None:
            return
        import signal

        self.prctl(self.PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != self.parent:  # the parent died before the request took effect
            os._exit(1)


def child_exit_guard() -> Dict[str, object]:
    """Keyword arguments for create_subprocess_exec that tie a child's life to this process."""
    return {"preexec_fn": DieWithParent(os.getpid())}
