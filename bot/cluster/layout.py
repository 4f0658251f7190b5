"""Where each instance of the cluster listens, and the process that runs it.

Only the load balancer (HAProxy) listens on the public address (BOT_HOST:BOT_PORT). It also
holds the loopback addresses every part is configured with, and spreads each over the instances:

- RASA_URL (127.0.0.1:5005): the web apps to the Rasa servers. With the Redis lock store any Rasa
  server can take any message of any conversation, so no web app is tied to one Rasa server.
- ACTION_SERVER_URL (127.0.0.1:5055): the Rasa servers to the action servers (balanced, not one
  each: a dead action server then costs no Rasa server its actions, and HAProxy's health checks
  take it out within six seconds; a request whose connection failed is sent to the other at once).
- BOT_INTERNAL_PORT (127.0.0.1:5056): the Rasa servers to the web apps' NLG endpoints.

The instances take consecutive loopback ports from BOT_CLUSTER_FIRST_PORT (8100): each web app
two (public site, NLG), then the Rasa servers, then the action servers.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

from bot.config import Settings
from bot.supervisor import ProcessSpec, actions_process, rasa_process, web_process

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Instance:
    """One process of the cluster: its kind, name, settings and the loopback ports it listens on."""

    kind: str  # web, rasa, actions
    name: str
    settings: Settings
    ports: Tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    """Every instance of the cluster, and the front settings (the balancer's addresses)."""

    front: Settings
    instances: Tuple[Instance, ...]

    def of_kind(self, kind: str) -> List[Instance]:
        return [i for i in self.instances if i.kind == kind]


def public_origins(front: Settings) -> Tuple[str, ...]:
    """The allowed origins of a web app behind the balancer: the balancer's own, and the listed ones."""
    own = () if front.public_url else (f"http://localhost:{front.port}", f"http://127.0.0.1:{front.port}")
    return (*own, *front.allowed_origins)


def make_layout(front: Settings) -> Layout:
    """The instances for `front` (settings whose addresses are the balancer's)."""
    count, first = front.cluster_instances, front.cluster_first_port
    instances: List[Instance] = []
    for n in range(count):
        public, internal = first + 2 * n, first + 2 * n + 1
        settings = dataclasses.replace(front, host=LOOPBACK, port=public, internal_host=LOOPBACK,
                                       internal_port=internal, trust_forwarded_for=True,
                                       allowed_origins=public_origins(front))
        instances.append(Instance("web", f"web{n + 1}", settings, (public, internal)))
    for n in range(count):
        port = first + 2 * count + n
        settings = dataclasses.replace(front, rasa_url=f"http://{LOOPBACK}:{port}")
        instances.append(Instance("rasa", f"rasa{n + 1}", settings, (port,)))
    for n in range(count):
        port = first + 3 * count + n
        settings = dataclasses.replace(front, action_server_url=f"http://{LOOPBACK}:{port}")
        instances.append(Instance("actions", f"actions{n + 1}", settings, (port,)))
    return Layout(front, tuple(instances))


def instance_process(instance: Instance, model: Path) -> ProcessSpec:
    """The child process of `instance` (web apps trust the balancer's X-Forwarded-For)."""
    settings = instance.settings
    if instance.kind == "web":
        return web_process(settings, instance.name, BOT_TRUST_FORWARDED_FOR="true",
                           BOT_PUBLIC_URL=settings.public_url, BOT_ALLOWED_ORIGINS=" ".join(settings.allowed_origins),
                           BOT_SECRET_KEY=settings.secret_key)
    if instance.kind == "rasa":
        return rasa_process(settings, model, instance.name)
    return actions_process(settings, instance.name)


def needed_ports(layout: Layout) -> List[Tuple[str, str, str, int]]:
    """(part, setting, host, port) of every port of the cluster, the balancer's first."""
    front = layout.front
    ports = [
        ("load balancer", "BOT_PORT", front.host, front.port),
        ("balanced NLG endpoints", "BOT_INTERNAL_PORT", front.internal_host, front.internal_port),
        ("balanced Rasa servers", "RASA_URL", LOOPBACK, front.rasa_port),
        ("balanced action servers", "ACTION_SERVER_URL", front.action_host, front.action_port),
    ]
    for instance in layout.instances:
        ports += [(instance.name, "BOT_CLUSTER_FIRST_PORT", LOOPBACK, port) for port in instance.ports]
    return ports
