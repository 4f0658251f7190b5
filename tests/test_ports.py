"""bot/ports.py: a start names the port that is taken and who holds it; children die with the supervisor."""
import os
import signal
import socket
import subprocess
import sys
import time

from bot import ports
from bot.config import load_settings
from tests.conftest import ROOT
from tests.test_supervisor import free_port


def settings_on(web: int, internal: int, rasa: int, actions: int):
    return load_settings({
        "BOT_HOST": "127.0.0.1", "BOT_PORT": str(web), "BOT_INTERNAL_PORT": str(internal),
        "RASA_URL": f"http://127.0.0.1:{rasa}", "ACTION_SERVER_URL": f"http://127.0.0.1:{actions}",
    })


def test_free_ports_give_no_message():
    assert ports.taken_ports(settings_on(*(free_port() for _ in range(4)))) == []


def test_a_taken_port_is_named_with_its_part_setting_and_holder():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        messages = ports.taken_ports(settings_on(free_port(), free_port(), taken, free_port()))
    assert len(messages) == 1
    message = messages[0]
    assert message.startswith(f"port {taken} for the Rasa is taken by process {os.getpid()} (")
    assert "pytest" in message and message.endswith("choose another port with RASA_URL")


def test_run_refuses_to_start_on_a_taken_port(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        env = {**os.environ, "BOT_HOST": "127.0.0.1", "BOT_PORT": str(taken), "BOT_LOG_DIR": str(tmp_path)}
        result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=120)
    assert result.returncode == 1
    assert f"port {taken} for the web app is taken by process {os.getpid()}" in result.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead too
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_child_ends_when_its_supervisor_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         "from bot.ports import child_exit_guard\n"
         "child = subprocess.Popen(['sleep', '60'], start_new_session=True, **child_exit_guard())\n"
         "print(child.pid, flush=True)\n"
         "time.sleep(60)\n"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)  # no handler runs: only the kernel can end the child
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)
