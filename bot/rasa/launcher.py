"""`python -m bot.rasa.launcher ARGS`: `rasa run ARGS` with the auth token taken from RASA_TOKEN.

The token is added inside this process, so it never appears in the process list (`ps`).
Telemetry is off unless RASA_TELEMETRY_ENABLED says otherwise (bot/config.py). Rasa runs with
the speed-ups of bot/rasa/speedups.py (same results, less work per message) and hands the
conversation's topic to the NLU (bot/rasa/context.py, for short follow-ups).
"""
from __future__ import annotations

import os
import sys

from bot.config import rasa_telemetry_env


def main() -> None:
    token = os.environ.get("RASA_TOKEN", "")
    if not token:
        sys.exit("RASA_TOKEN is not set")
    os.environ.update(rasa_telemetry_env())
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    from bot.rasa import context, speedups
    from bot.rasa.tracker_store import CachedSQLTrackerStore  # noqa: F401  Rasa would fall back to memory silently

    speedups.install()
    context.install()
    rasa_main()


if __name__ == "__main__":
    main()
