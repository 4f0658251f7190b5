"""A logged-in (or anonymous) HTTP client of the console on the real web app."""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple

import aiohttp

from bot.console.accounts import create_adviser
from bot.db import session_scope

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def make_adviser(factory: Any, username: str, role: str = "adviser", display_name: str = "",
                       language: str = "en") -> int:
    async with session_scope(factory) as session:
        adviser = await create_adviser(session, username, display_name or username.title(), PASSWORD, role, language)
        return adviser.id


class ConsoleClient:
    """Cookies kept per client, like one browser; `address` is its own source address on loopback
    (any of 127.0.0.0/8), so the web app sees different clients without trusting any header."""

    def __init__(self, base: str, headers: Optional[Dict[str, str]] = None, address: str = "127.0.0.1") -> None:
        self.base = base
        self.address = address
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), headers=headers or {},
            connector=aiohttp.TCPConnector(local_addr=(address, 0)),
        )
        self.csrf = ""

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str, **kwargs: Any) -> Tuple[aiohttp.ClientResponse, str]:
        async with self.http.get(self.base + path, allow_redirects=False, **kwargs) as response:
            return response, await response.text()

    async def post(self, path: str, data: Optional[Dict[str, str]] = None, csrf: Optional[str] = "auto",
                   **kwargs: Any) -> Tuple[aiohttp.ClientResponse, str]:
        form = dict(data or {})
        if csrf == "auto":
            form["csrf_token"] = self.csrf
        elif csrf is not None:
            form["csrf_token"] = csrf
        async with self.http.post(self.base + path, data=form, allow_redirects=False, **kwargs) as response:
            return response, await response.text()

    async def login_form_token(self) -> str:
        """The CSRF token of a fresh log-in form (its cookie lands in this client's jar)."""
        _, page = await self.get("/console/login")
        return _CSRF.search(page).group(1)

    async def login_attempt(self, username: str, password: str = PASSWORD) -> Tuple[aiohttp.ClientResponse, str]:
        """One log-in through the form: (response, body)."""
        login_csrf = await self.login_form_token()
        response, body = await self.post("/console/login", {"username": username, "password": password,
                                                            "next": "/console/"}, csrf=login_csrf)
        if response.status == 303:
            _, queue = await self.get("/console/")
            self.csrf = _CSRF.search(queue).group(1)
        return response, body

    async def login(self, username: str, password: str = PASSWORD) -> aiohttp.ClientResponse:
        return (await self.login_attempt(username, password))[0]
