"""The action server: rasa_sdk's app on loopback, refusing every caller without the action token.

rasa_sdk 3.6 has no token of its own and listens on all interfaces by default; Rasa sends
the token in the `X-Action-Token` header (endpoints.yml `action_endpoint.headers`).

The actions' database engine (actions/database.py) is made when the server starts, in the
worker process on its own event loop, and disposed of when it stops.
"""
from __future__ import annotations

import hmac
import logging
from typing import Any, Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import Settings
from bot.logsafe import printable

ACTION_TOKEN_HEADER = "X-Action-Token"
logger = logging.getLogger(__name__)


def token_matches(expected: str, supplied: str) -> bool:
    """True when `supplied` is the action token (an empty token matches nothing)."""
    return bool(expected) and hmac.compare_digest(supplied.encode(), expected.encode())


def _database_listeners(app: Sanic, database_url: str) -> None:
    """Open the actions' database at the server's start and close it at its stop."""
    from actions import database

    async def open_database(app: Sanic, loop: Any) -> None:
        database.open_database(database_url)

    async def close_database(app: Sanic, loop: Any) -> None:
        await database.close_database()

    app.register_listener(open_database, "before_server_start")
    app.register_listener(close_database, "after_server_stop")


def create_action_app(token: str, package: str = "actions", database_url: Optional[str] = None) -> Sanic:
    """rasa_sdk's Sanic app for `package` with the token check in front of every route but /health,
    and, with `database_url`, the actions' database open while it runs."""
    from rasa_sdk.endpoint import create_app

    if not token:
        raise ValueError("the action server needs a token (ACTION_TOKEN)")
    app = create_app(package, cors_origins=None)  # only Rasa calls it: no browser, no CORS
    if database_url:
        _database_listeners(app, database_url)

    @app.on_request
    async def require_token(request: Request) -> "HTTPResponse | None":
        if request.path == "/health":
            return None
        if token_matches(token, request.headers.get(ACTION_TOKEN_HEADER, "")):
            return None
        logger.warning("refused %s %s without a valid action token", request.method, printable(request.path))
        return response.json({"error": "missing or invalid action token"}, status=401)

    return app


def run(settings: Settings) -> None:
    """Serve the actions on the configured loopback address in this process."""
    app = create_action_app(settings.action_token, database_url=settings.database_url)
    logger.info("action server on %s", settings.action_server_url)
    app.run(settings.action_host, settings.action_port, workers=1,
            access_log=False, motd=False)
