"""A logged-in (or anonymous) HTTP client of the console on the real web app."""
from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple

import aiohttp

from bot.console.accounts import create_adviser

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def make_adviser(factory: Any, username: str, role: str = "adviser", display_name: str = "",
                       language: str = "en") -> int:
    async with factory() as session:
        adviser = await create_adviser(session, username, display_name or username.title(), PASSWORD, role, language)
        return adviser.id


class ConsoleClient:
    """Cookies kept per client, like one browser."""

    def __init__(self, base: str, headers: Optional[Dict[str, str]] = None) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), headers=headers or {})
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

    async def login(self, username: str, password: str = PASSWORD) -> aiohttp.ClientResponse:
        _, page = await self.get("/console/login")
        login_csrf = _CSRF.search(page).group(1)
        response, _ = await self.post("/console/login", {"username": username, "password": password,
                                                         "next": "/console/"}, csrf=login_csrf)
        if response.status == 303:
            _, queue = await self.get("/console/")
            self.csrf = _CSRF.search(queue).group(1)
        return response
