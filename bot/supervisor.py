"""Starts the Rasa server, the action server and the web app together and stops them together.

Each child's output goes to its log file under `log_dir` (bot/startlog.py), or, without a
`log_dir`, to this console with the child's name in front of each line. Ctrl-C, SIGTERM and
SIGHUP (the terminal closing) stop every child; if this process is killed outright, Linux ends
the children too (bot/ports.py, a parent-death signal).
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable, Dict, List, Optional, Sequence

import aiohttp

from bot.config import Settings
from bot.ports import child_exit_guard
from bot.rasa.client import RasaClient
from bot.startlog import failure_report, log_path, open_log

HealthCheck = Callable[[aiohttp.ClientSession], Awaitable[bool]]


@dataclass
class ProcessSpec:
    """One child process and how to tell it is ready."""

    name: str
    argv: Sequence[str]
    ready: HealthCheck
    env: Dict[str, str] = field(default_factory=dict)


def http_ok(url: str) -> HealthCheck:
    async def check(session: aiohttp.ClientSession) -> bool:
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    return check


def actions_process(settings: Settings, name: str = "actions", **env: str) -> ProcessSpec:
    """The action server on ACTION_SERVER_URL's host and port."""
    return ProcessSpec(name, [sys.executable, "-m", "bot", "actions"],
                       http_ok(f"{settings.action_server_url}/health"), {**settings.child_env(), **env})


def web_process(settings: Settings, name: str = "web", **env: str) -> ProcessSpec:
    """The web app (public site on BOT_PORT, NLG on BOT_INTERNAL_PORT)."""
    return ProcessSpec(name, [sys.executable, "-m", "bot", "serve"],
                       http_ok(f"http://127.0.0.1:{settings.port}/health"), {**settings.child_env(), **env})


def rasa_process(settings: Settings, model: Path, name: str = "rasa", **env: str) -> ProcessSpec:
    """A Rasa server on 127.0.0.1 at RASA_URL's port, ready when its model is loaded."""

    async def rasa_ready(session: aiohttp.ClientSession) -> bool:
        return await RasaClient(session, settings).model_is_loaded()

    return ProcessSpec(
        name,
        [
            sys.executable, "-m", "bot.rasa.launcher", "--enable-api",
            "--interface", "127.0.0.1", "--port", str(settings.rasa_port),
            "--model", str(model), "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
        ],
        rasa_ready,
        {**settings.child_env(), **env},
    )


def default_processes(settings: Settings, model: Path) -> List[ProcessSpec]:
    """The three processes of the assistant on their configured addresses."""
    settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    return [actions_process(settings), web_process(settings), rasa_process(settings, model)]


class ChildExited(RuntimeError):
    """A child process ended while the others were starting."""

    def __init__(self, name: str, code: Optional[int]) -> None:
        super().__init__(f"{name} exited with code {code} while starting")
        self.name = name


class Supervisor:
    """Runs child processes (output to a log file each, or streamed with a prefix), stops them together."""

    def __init__(
        self, specs: Sequence[ProcessSpec], cwd: Path, stop_timeout: float = 15.0, log_dir: Optional[Path] = None
    ) -> None:
        self.specs = list(specs)
        self.cwd = cwd
        self.stop_timeout = stop_timeout
        self.log_dir = log_dir
        self.processes: Dict[str, asyncio.subprocess.Process] = {}
        self._log_tasks: List["asyncio.Task[None]"] = []

    async def _stream(self, name: str, stream: asyncio.StreamReader) -> None:
        width = max(len(s.name) for s in self.specs)
        while True:
            line = await stream.readline()
            if not line:
                return
            sys.stdout.write(f"{name:<{width}} | {line.decode(errors='replace').rstrip()}\n")
            sys.stdout.flush()

    def log_file(self, name: str) -> Optional[Path]:
        """The log file of the child `name` (None when its output goes to the console)."""
        return log_path(self.log_dir, name) if self.log_dir is not None else None

    async def start(self) -> None:
        for spec in self.specs:
            await self.start_one(spec)

    async def start_one(self, spec: ProcessSpec, append: bool = False) -> None:
        """Start the child of `spec` (a restart appends to its log)."""
        path = self.log_file(spec.name)
        log = await asyncio.to_thread(open_log, path, append) if path is not None else None
        try:
            process = await asyncio.create_subprocess_exec(
                *spec.argv,
                cwd=self.cwd,
                env={**os.environ, **spec.env},
                stdout=log if log is not None else asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
                **child_exit_guard(),  # ends with this process, even when it is killed
            )
        finally:
            if log is not None:
                log.close()  # the child writes through its own copy of the descriptor
        self.processes[spec.name] = process
        if process.stdout is not None:
            self._log_tasks.append(asyncio.create_task(self._stream(spec.name, process.stdout)))

    async def report_failure(self, name: str) -> None:
        """Print the end of the log of the child `name` (when it has a log file)."""
        lines = await asyncio.to_thread(failure_report, name, self.log_file(name))
        if lines:
            print("\n".join(lines), file=sys.stderr, flush=True)

    def exited(self) -> Optional[str]:
        """The name of a child that has exited, if any."""
        for name, process in self.processes.items():
            if process.returncode is not None:
                return name
        return None

    async def wait_ready(self, timeout: float) -> None:
        """Wait until every child passes its health check; fail if one exits or time runs out."""
        deadline = time.monotonic() + timeout
        pending = {spec.name: spec for spec in self.specs}
        async with aiohttp.ClientSession() as session:
            while pending:
                dead = self.exited()
                if dead:
                    raise ChildExited(dead, self.processes[dead].returncode)
                for name, spec in list(pending.items()):
                    if await spec.ready(session):
                        print(f"{name} is ready", flush=True)
                        del pending[name]
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
                if pending:
                    await asyncio.sleep(0.5)

    async def wait_any_exit(self, stop: asyncio.Event) -> Optional[str]:
        """Block until a child exits (returns its name) or `stop` is set (returns None)."""
        waits = {asyncio.create_task(p.wait()): n for n, p in self.processes.items()}
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([*waits, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in [*waits, stopper]:
            if task not in done:
                task.cancel()
        return next((waits[t] for t in done if t in waits), None)

    async def stop(self) -> None:
        """SIGTERM every child (its whole process group), SIGKILL what is left after the timeout."""
        for process in self.processes.values():
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(
                asyncio.gather(*(p.wait() for p in self.processes.values())), self.stop_timeout
            )
        except asyncio.TimeoutError:
            for process in self.processes.values():
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
            await asyncio.gather(*(p.wait() for p in self.processes.values()))
        await asyncio.gather(*self._log_tasks, return_exceptions=True)


async def _keep_running(supervisor: Supervisor, stop: asyncio.Event) -> None:
    """Start each child that dies again (the end of its log printed), after 1 s, doubling to 30 s for a
    child that keeps dying within a minute of its start, until `stop` (the cluster: no instance takes
    the others down)."""
    delays: Dict[str, float] = {}
    started: Dict[str, float] = {name: time.monotonic() for name in supervisor.processes}
    while True:
        dead = await supervisor.wait_any_exit(stop)
        if dead is None:
            return
        code = supervisor.processes[dead].returncode
        quick = time.monotonic() - started.get(dead, 0.0) < 60
        delays[dead] = min(30.0, delays.get(dead, 0.5) * 2) if quick else 1.0
        print(f"{dead} stopped unexpectedly (code {code}); starting it again in {delays[dead]:.0f} s",
              file=sys.stderr, flush=True)
        await supervisor.report_failure(dead)
        try:
            await asyncio.wait_for(stop.wait(), delays[dead])
            return
        except asyncio.TimeoutError:
            pass
        await supervisor.start_one(next(s for s in supervisor.specs if s.name == dead), append=True)
        started[dead] = time.monotonic()


async def run(
    specs: Sequence[ProcessSpec], cwd: Path, public_url: str, ready_timeout: float = 600.0,
    log_dir: Optional[Path] = None, restart: bool = False,
) -> int:
    """Start everything, print where to chat, run until Ctrl-C or a child dies (its log's end printed);
    with `restart`, a child that dies is started again instead."""
    supervisor = Supervisor(specs, cwd, log_dir=log_dir)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # Ctrl-C, kill, the terminal closing
        loop.add_signal_handler(sig, stop.set)
    await supervisor.start()
    code = 0
    try:
        ready = asyncio.create_task(supervisor.wait_ready(ready_timeout))
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([ready, stopper], return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            stopper.cancel()
            ready.result()
            print(f"\nThe assistant is running. Chat with it at {public_url}\nPress Ctrl-C to stop.\n", flush=True)
            if restart:
                await _keep_running(supervisor, stop)
            dead = None if restart else await supervisor.wait_any_exit(stop)
            if dead:
                print(f"{dead} stopped unexpectedly; stopping the rest", file=sys.stderr, flush=True)
                await supervisor.report_failure(dead)
                code = 1
        else:
            ready.cancel()
    except ChildExited as exc:
        print(f"start failed: {exc}", file=sys.stderr, flush=True)
        await supervisor.report_failure(exc.name)
        code = 1
    except (RuntimeError, TimeoutError) as exc:
        print(f"start failed: {exc}", file=sys.stderr, flush=True)
        code = 1
    finally:
        print("stopping...", flush=True)
        await supervisor.stop()
    return code
