"""The handoff's background work on the public web app, started and stopped with the app."""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Callable, List

from aiohttp import web

from bot.config import Settings
from bot.handoff.live import Pusher
from bot.handoff.sweeper import run_retention, run_sweeper
from bot.web.keys import DB_KEY, GATEWAY_KEY, HTTP_KEY, LIVE_BUS_KEY, TRACKER_DB_KEY


def _background(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        bus = app.get(LIVE_BUS_KEY)
        changed = bus.publish if bus is not None else None
        tasks: List["asyncio.Task[None]"] = [
            asyncio.create_task(run_sweeper(app[DB_KEY], app[HTTP_KEY], settings, stop, changed)),
            asyncio.create_task(run_retention(app[DB_KEY], app[TRACKER_DB_KEY], settings, stop)),
        ]
        if GATEWAY_KEY in app:  # adviser messages to this process's widget connections
            gateway = app[GATEWAY_KEY]
            pusher = Pusher(app[DB_KEY], app[HTTP_KEY], settings, lambda: gateway.open, bus)
            tasks.append(asyncio.create_task(pusher.run(stop)))
        yield
        stop.set()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return context


def setup_handoff(app: web.Application, settings: Settings) -> None:
    """Run the handoff's background work while `app` runs: queue timeouts, search text and old
    contact drafts (bot/handoff/sweeper.py), retention (bot/handoff/privacy.py) and, when the
    widget's gateway is mounted, live pushes of advisers' messages (bot/handoff/live.py).

    Call after the HTTP session, the database and the gateway contexts are registered: cleanup
    contexts start in order and stop in reverse, so the tasks end before the engines close.
    """
    app.cleanup_ctx.append(_background(settings))
