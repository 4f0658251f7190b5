import asyncio
import socket
import sys
from pathlib import Path

from bot.supervisor import ProcessSpec, Supervisor, http_ok, run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_server(port: int) -> ProcessSpec:
    return ProcessSpec(
        f"http{port}",
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        http_ok(f"http://127.0.0.1:{port}/"),
    )


async def test_starts_waits_for_health_and_stops_everything(tmp_path: Path):
    specs = [http_server(free_port()), http_server(free_port())]
    supervisor = Supervisor(specs, tmp_path, stop_timeout=5)
    await supervisor.start()
    await supervisor.wait_ready(timeout=20)
    assert supervisor.exited() is None
    await supervisor.stop()
    assert all(p.returncode is not None for p in supervisor.processes.values())


async def test_a_child_that_dies_while_starting_is_reported(tmp_path: Path):
    dying = ProcessSpec("dying", [sys.executable, "-c", "import sys; sys.exit(3)"], http_ok("http://127.0.0.1:9/"))
    supervisor = Supervisor([dying], tmp_path)
    await supervisor.start()
    try:
        await supervisor.wait_ready(timeout=20)
    except RuntimeError as exc:
        assert "dying exited with code 3" in str(exc)
    else:
        raise AssertionError("a dead child must fail the start")
    finally:
        await supervisor.stop()


async def test_run_stops_the_rest_when_one_child_dies(tmp_path: Path):
    port = free_port()
    short_lived = ProcessSpec(
        "short", [sys.executable, "-c", "import time; time.sleep(3)"], lambda session: asyncio.sleep(0, True)
    )
    code = await asyncio.wait_for(run([http_server(port), short_lived], tmp_path, "http://x/", 20), 60)
    assert code == 1
    reader = asyncio.open_connection("127.0.0.1", port)
    try:
        await reader
    except OSError:
        pass
    else:
        raise AssertionError("the other child must have been stopped")


async def test_a_closed_terminal_stops_everything(tmp_path: Path):
    import os
    import signal

    port = free_port()
    running = asyncio.create_task(run([http_server(port)], tmp_path, "http://x/", 20))
    for _ in range(100):
        await asyncio.sleep(0.2)
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            continue
        writer.close()
        break
    os.kill(os.getpid(), signal.SIGHUP)  # as when the terminal of `make run` closes
    assert await asyncio.wait_for(running, 30) == 0
    try:
        await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        pass
    else:
        raise AssertionError("the child must have been stopped")


async def test_with_restart_a_child_that_dies_is_started_again(tmp_path: Path):
    from bot.supervisor import _keep_running

    counter = tmp_path / "starts"
    script = (f"import pathlib, sys, time; p = pathlib.Path({str(counter)!r}); "
              "n = len(p.read_text()) if p.exists() else 0; p.write_text('x' * (n + 1)); "
              "sys.exit(1) if n == 0 else time.sleep(60)")
    spec = ProcessSpec("flaky", [sys.executable, "-c", script], lambda session: asyncio.sleep(0, True))
    supervisor = Supervisor([spec], tmp_path, stop_timeout=5, log_dir=tmp_path / "log")
    await supervisor.start()
    stop = asyncio.Event()
    keeper = asyncio.create_task(_keep_running(supervisor, stop))
    try:
        for _ in range(100):
            if counter.exists() and len(counter.read_text()) == 2:
                break
            await asyncio.sleep(0.1)
        assert len(counter.read_text()) == 2 and supervisor.exited() is None
    finally:
        stop.set()
        await keeper
        await supervisor.stop()
