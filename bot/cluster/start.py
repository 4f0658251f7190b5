"""`python -m bot cluster`: prepare the databases, then start every instance and the balancer.

The settings are the usual ones (bot/config.py); DATABASE_URL, TRACKER_STORE_URL and REDIS_URL
default to PostgreSQL and Redis on this machine (CLUSTER_DEFAULTS), and must not be SQLite or
empty: several processes share them. A PostgreSQL database that does not exist yet is created;
one that cannot be reached, or a Redis that does not answer, stops the start with its URL
(password masked). Then the model, the migrations and the samples as `make run` has them, the
HAProxy configuration beside the logs (BOT_LOG_DIR), and bot/supervisor.py runs the lot.
"""
from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from pathlib import Path
from typing import List, Mapping, Optional

from bot.cluster.layout import Layout
from bot.config import CLUSTER_DEFAULTS, Settings, load_settings
from bot.services import ServiceUnreachable, check_database, check_redis_sync, ensure_database


def cluster_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """The settings with CLUSTER_DEFAULTS for what `env` (default: os.environ) leaves unset."""
    env = os.environ if env is None else env
    return load_settings({**CLUSTER_DEFAULTS, **{k: v for k, v in env.items() if v or k not in CLUSTER_DEFAULTS}})


def layout_problems(settings: Settings) -> List[str]:
    """Why `settings` cannot run as a cluster (shared state in files or in one process)."""
    problems = [f"{name} must be a PostgreSQL URL for several instances, not {url.split(':', 1)[0]}"
                for name, url in (("DATABASE_URL", settings.database_url), ("TRACKER_STORE_URL", settings.tracker_url))
                if not url.startswith("postgresql")]
    if not settings.redis_url:
        problems.append("REDIS_URL must be set for several instances")
    return problems


async def _prepare_databases(settings: Settings) -> None:
    from bot.catalog.samples import load_samples
    from bot.db import make_engine

    for url, setting, what in ((settings.database_url, "DATABASE_URL", "the database"),
                               (settings.tracker_url, "TRACKER_STORE_URL", "Rasa's tracker store")):
        if await ensure_database(url):
            print(f"created the database {url.rsplit('/', 1)[-1]}", flush=True)
        await check_database(url, setting, what)
    engine = make_engine(settings.database_url)
    try:
        await load_samples(engine, settings.catalog_dir)  # migrates, then loads what changed (as `make run`)
    finally:
        await engine.dispose()


def run(settings: Settings) -> int:
    """Check, prepare and run the cluster until Ctrl-C; the exit code."""
    from bot import ports, supervisor
    from bot.cluster.haproxy import balancer_process, write_config
    from bot.cluster.layout import instance_process, make_layout, needed_ports
    from bot.rasa import models
    from bot.tokens import load_or_create_secret, with_tokens

    problems = layout_problems(settings)
    if problems:
        print("cannot start the cluster:\n  " + "\n  ".join(problems), file=sys.stderr, flush=True)
        return 1
    settings = with_tokens(settings)
    settings = dataclasses.replace(settings, secret_key=load_or_create_secret(
        settings.secret_key, settings.project_root / "var" / "secret.key"))
    layout = make_layout(settings)
    taken = ports.taken_ports(settings, needed_ports(layout))
    if taken:
        print("cannot start:\n  " + "\n  ".join(taken), file=sys.stderr, flush=True)
        return 1
    try:
        asyncio.run(_prepare_databases(settings))
        check_redis_sync(settings.redis_url)
        model = models.ensure_model(settings.project_root, settings.models_dir)
        config = write_config(layout, settings.log_dir / "haproxy.cfg", settings.rasa_timeout_seconds)  # beside its log
    except (ServiceUnreachable, RuntimeError) as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    specs = [*(instance_process(i, model) for i in layout.instances), balancer_process(layout, config)]
    print(_summary(layout, config), flush=True)
    log_dir = None if settings.verbose else settings.log_dir
    public_url = settings.public_url or f"http://localhost:{settings.port}/"
    return asyncio.run(supervisor.run(specs, settings.project_root, public_url, log_dir=log_dir, restart=True))


def _summary(layout: Layout, config: Path) -> str:
    """What runs where (passwords masked)."""
    from bot.startlog import masked_url

    front = layout.front
    lines = [
        "Business Espoo assistant, cluster layout:",
        f"  balancer  HAProxy on {front.host}:{front.port} ({config})",
        f"  database  {masked_url(front.database_url)}",
        f"  tracker   {masked_url(front.tracker_url)}",
        f"  redis     {masked_url(front.redis_url)} (lock store, limits, live pushes)",
    ]
    for instance in layout.instances:
        lines.append(f"  {instance.name:<9} 127.0.0.1:{', '.join(map(str, instance.ports))}")
    lines.append(f"  logs      {front.log_dir}/<name>.log")
    return "\n".join(lines)
