"""The load balancer of the cluster: HAProxy from Debian's package (`make haproxy`).

One configuration, four frontends: the public one (BOT_HOST:BOT_PORT) to the web apps, WebSocket
upgrades included (`timeout tunnel`), and three on loopback: Rasa, the action servers and the NLG
endpoints (see layout.py). No stickiness: every instance serves any client (the conversation lives in
the tracker store, the limits and live wake-ups in Redis). Each server is health-checked every
two seconds and taken out after three failures (a Rasa server busy with a message answers its check
late: 5 s are allowed), a refused connection counts at once; a request whose connection failed goes to another server
(`retry-on conn-failure`, `option redispatch`), never a request the server may have processed.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import List

from bot.cluster.layout import Layout
from bot.supervisor import ProcessSpec, http_ok

# (frontend, health check path, instance kind, which of its ports)
_BACKENDS = (("rasa", "/", "rasa", 0), ("actions", "/health", "actions", 0), ("nlg", "/health", "web", 1))


def _backend(name: str, check: str, servers: List[str], balance: str = "roundrobin") -> List[str]:
    return [
        f"backend {name}", f"  balance {balance}", f"  option httpchk GET {check}", "  http-check expect status 200",
        *[f"  server {s} check inter 2s fall 3 rise 1" for s in servers], "",
    ]


def config_text(layout: Layout, rasa_timeout_seconds: float) -> str:
    """HAProxy's configuration for `layout`; server timeouts leave Rasa RASA_TIMEOUT_SECONDS and more."""
    front = layout.front
    server_timeout = int(rasa_timeout_seconds) + 30
    lines = [
        "global", "  maxconn 4096", "  log stdout format raw local0 notice", "",
        "defaults", "  mode http", "  log global", "  option httplog", "  option redispatch", "  retries 2",
        "  retry-on conn-failure", "  timeout connect 2s", "  timeout check 5s", "  timeout client 60s",
        f"  timeout server {server_timeout}s", "  timeout tunnel 1h", "  timeout http-request 10s", "",
        "frontend public", f"  bind {front.host}:{front.port}", "  option forwardfor", "  default_backend web", "",
        *_backend("web", "/health", [f"{i.name} 127.0.0.1:{i.ports[0]}" for i in layout.of_kind("web")]),
    ]
    binds = {"rasa": f"127.0.0.1:{front.rasa_port}", "actions": f"{front.action_host}:{front.action_port}",
             "nlg": f"{front.internal_host}:{front.internal_port}"}
    for name, check, kind, index in _BACKENDS:
        lines += [f"frontend {name}", f"  bind {binds[name]}", f"  default_backend {name}_servers", ""]
        servers = [f"{i.name} 127.0.0.1:{i.ports[index]}" for i in layout.of_kind(kind)]
        lines += _backend(f"{name}_servers", check, servers, "leastconn" if name == "rasa" else "roundrobin")
    return "\n".join(lines)


def haproxy_binary() -> str:
    """The haproxy command; RuntimeError naming `make haproxy` when it is not installed."""
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if not found:
        raise RuntimeError("HAProxy is not installed: run `make haproxy` (Debian's package)")
    return found


def write_config(layout: Layout, path: Path, rasa_timeout_seconds: float) -> Path:
    """Write and check (haproxy -c) the configuration; RuntimeError with HAProxy's words when it is wrong."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text(layout, rasa_timeout_seconds), encoding="utf-8")
    checked = subprocess.run([haproxy_binary(), "-c", "-q", "-f", str(path)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"HAProxy refused {path}: {checked.stdout}{checked.stderr}".strip())
    return path


def balancer_process(layout: Layout, config: Path) -> ProcessSpec:
    """HAProxy in the foreground, ready when the public frontend answers /health through a web app."""
    front = layout.front
    host = "127.0.0.1" if front.host in ("", "0.0.0.0", "::") else front.host
    return ProcessSpec("balancer", [haproxy_binary(), "-db", "-f", str(config)],
                       http_ok(f"http://{host}:{front.port}/health"))
