"""Every route of the public web app answers with the security headers (bot/headers.py).

The routes come from the app's own router, so a new route is checked without being listed here.
"""
from __future__ import annotations

import re
from typing import AsyncIterator, List, Tuple

import pytest

from bot.headers import HSTS
from bot.web import create_public_app
from tests.handoff.support import RunningApp, app_settings
from tests.web_support import http, rasa, running_app  # noqa: F401  (fixtures)

HTTPS_URL = "https://chat.businessespoo.example"


def public_routes() -> List[Tuple[str, str]]:
    """(method, path) of every route of the public app, path parameters filled with a dummy value."""
    app = create_public_app(app_settings("sqlite+aiosqlite:///unused.db", "http://127.0.0.1:9"))
    routes = []
    for route in app.router.routes():
        if route.method == "HEAD":
            continue
        info = route.resource.get_info() if route.resource else {}
        if "directory" in info:  # a static folder: one of its files
            path = info["prefix"] + "/" + next(p.name for p in sorted(info["directory"].iterdir()) if p.is_file())
        else:
            path = re.sub(r"\{(\w+)\}", "1", info.get("path") or info.get("formatter") or "")
        routes.append((route.method, path))
    return routes


ROUTES = public_routes()


def test_the_walk_covers_the_public_routes():
    paths = {path for _, path in ROUTES}
    assert {"/", "/health", "/ws", "/widget.js", "/demo", "/api/messages", "/api/conversations"} <= paths
    assert any(p.startswith("/static/") for p in paths) and any(p.startswith("/console/") for p in paths)


@pytest.fixture(params=["", HTTPS_URL])
async def site(request, tmp_path, rasa) -> AsyncIterator[RunningApp]:  # noqa: F811
    """The app on plain http (development) and behind an https public URL."""
    env = {"BOT_PUBLIC_URL": request.param} if request.param else {}
    async with running_app(tmp_path, rasa.url, **env) as running:
        yield running


async def test_every_route_sends_the_security_headers(site, http):  # noqa: F811
    https = site.settings.public_url.startswith("https://")
    for method, path in ROUTES + [("GET", "/no/such/page"), ("GET", "/static/no-such-file.css")]:
        async with http.request(method, site.url + path, json={}, allow_redirects=False) as response:
            headers = response.headers
            where = f"{method} {path} ({response.status})"
            assert headers.get("X-Content-Type-Options") == "nosniff", where
            assert headers.get("Referrer-Policy") == "same-origin", where
            server = headers.get("Server", "")
            assert "aiohttp" not in server.lower() and "python" not in server.lower(), where
            assert headers.get("Strict-Transport-Security") == (HSTS if https else None), where


async def test_the_websocket_handshake_sends_them_too(site, http):  # noqa: F811
    origin = {"Origin": site.settings.public_url}
    async with http.ws_connect(site.url.replace("http", "ws") + "/ws", headers=origin) as ws:
        headers = ws._response.headers
    assert headers["X-Content-Type-Options"] == "nosniff" and "aiohttp" not in headers["Server"].lower()
