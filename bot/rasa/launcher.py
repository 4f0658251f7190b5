"""`python -m bot.rasa.launcher ARGS`: `rasa run ARGS` with the auth token taken from RASA_TOKEN.

The token is added inside this process, so it never appears in the process list (`ps`).
Telemetry is off unless RASA_TELEMETRY_ENABLED says otherwise (bot/config.py). Rasa runs with
the speed-ups of bot/rasa/speedups.py (same results, less work per message) and hands the
conversation's topic to the NLU (bot/rasa/context.py, for short follow-ups). It loads the
model of `--model` first and then follows the model the web app publishes (bot/rasa/model_pull.py).

Before Rasa starts, the tracker store's database (TRACKER_STORE_URL) and, when set, Redis
(REDIS_URL, the lock store) must answer: otherwise it exits with a message naming the URL
(password masked), instead of Rasa waiting for the database for ever.

TensorFlow 2.12 (which Rasa imports) imports JAX when it is installed, only to offer TF Lite's
conversion of JAX models; the launcher hides JAX from it, which keeps 65 MB out of the Rasa server.
"""
from __future__ import annotations

import os
import sys

from bot.config import load_settings, rasa_telemetry_env
from bot.services import ServiceUnreachable, check_database_sync, check_redis_sync


def hide_jax() -> None:
    """Make `import jax` fail in this process (TensorFlow then leaves it out; nothing here uses JAX)."""
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]


def main() -> None:
    token = os.environ.get("RASA_TOKEN", "")
    if not token:
        sys.exit("RASA_TOKEN is not set")
    os.environ.update(rasa_telemetry_env())
    settings = load_settings()
    try:
        check_database_sync(settings.tracker_url, "TRACKER_STORE_URL", "Rasa's tracker store")
        if settings.redis_url:
            check_redis_sync(settings.redis_url)
    except ServiceUnreachable as exc:
        sys.exit(str(exc))
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    hide_jax()
    from rasa.__main__ import main as rasa_main

    from bot.rasa import context, model_pull, speedups
    from bot.rasa.lock_store import RedisUrlLockStore  # noqa: F401  fail here, not inside Rasa
    from bot.rasa.tracker_store import CachedSQLTrackerStore  # noqa: F401  Rasa would fall back to memory silently

    speedups.install()
    model_pull.install(model_pull.model_argument(sys.argv))  # the local model until the web app serves one
    context.install()
    rasa_main()


if __name__ == "__main__":
    main()
