"""Every route of the public web app answers with the security headers (bot/web/headers.py), and
its pages need no 'unsafe-inline' in their Content-Security-Policy.

The routes come from the app's own router, so a new route is checked without being listed here.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import AsyncIterator, List, Optional, Tuple

import pytest

from bot.web.headers import HSTS
from bot.web.app import create_public_app
from tests.conftest import ROOT
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


ALLOWED = "https://www.businessespoo.example"
TEMPLATES = [*(ROOT / "bot" / "templates").glob("*.html"), *(ROOT / "bot" / "console" / "templates").glob("*.html")]


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts, <style>,
    style attributes, on* handlers and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: List[str] = []
        self._script_type: Optional[str] = None

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        values = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.found.append("inline <script>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def inline_code(page: str) -> List[str]:
    finder = InlineCode()
    finder.feed(page)
    return finder.found


def test_the_inline_code_finder_finds_it():
    page = '<p style="x" onclick="y"><style>p{}</style><script>1</script><a href="javascript:z">'
    assert inline_code(page) == ["p style=", "p onclick=", "<style>", "inline <script>", "a href=javascript:"]
    assert inline_code('<script src="/a.js"></script><script type="application/json">{}</script>') == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_inline_code(template):
    assert inline_code(template.read_text(encoding="utf-8")) == []


async def test_every_route_sends_a_csp_without_unsafe_inline(tmp_path, rasa, http):  # noqa: F811
    async with running_app(tmp_path, rasa.url, BOT_ALLOWED_ORIGINS=ALLOWED) as site:
        for method, path in ROUTES + [("GET", "/no/such/page"), ("GET", "/?lang=sv"), ("GET", "/demo?lang=en")]:
            async with http.request(method, site.url + path, json={}, allow_redirects=False) as response:
                where = f"{method} {path} ({response.status})"
                csp = response.headers.get("Content-Security-Policy", "")
                directives = dict((d.split() + [""])[0:2] for d in csp.split("; "))
                assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
                assert directives.get("script-src") == "'self'" and directives.get("style-src") == "'self'", where
                ancestors = csp.split("frame-ancestors ")[1].split(";")[0]
                if path.startswith("/console"):
                    assert ancestors == "'none'", where
                else:
                    assert ancestors == f"'self' {ALLOWED}:443", where
                if response.content_type == "text/html" and response.status == 200:
                    assert inline_code(await response.text()) == [], where
        async with http.get(site.url + "/console/login") as response:  # the one console page without log-in
            assert response.status == 200 and inline_code(await response.text()) == []


async def test_any_site_may_frame_the_chat_when_all_origins_are_allowed(tmp_path, rasa, http):  # noqa: F811
    async with running_app(tmp_path, rasa.url, BOT_ALLOWED_ORIGINS="*") as site:
        for path, ancestors in (("/", "*"), ("/demo", "*"), ("/console/login", "'none'")):
            async with http.get(site.url + path) as response:
                assert response.headers["Content-Security-Policy"].endswith(f"frame-ancestors {ancestors}")
