"""Helpers of the answer editor's tests: a running internal app (the NLG) and the editor's form."""
from __future__ import annotations

import asyncio
import re
import time
from html import unescape
from typing import Any, Dict, Optional

import aiohttp
from aiohttp import web

from bot.web.app import create_internal_app
from tests.test_supervisor import free_port

_INPUT = re.compile(r'<input id="([^"]+)" name="([^"]+)"[^>]*?value="([^"]*)"')
_TEXTAREA = re.compile(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', re.DOTALL)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class RunningNlg:
    """The real internal app (create_internal_app: the NLG and its poll of saved answers) on a free port."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.runner: Optional[web.AppRunner] = None
        self.url = ""
        self.http: Optional[aiohttp.ClientSession] = None

    async def __aenter__(self) -> "RunningNlg":
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.runner = web.AppRunner(create_internal_app(self.settings), access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.http.close()
        await self.runner.cleanup()

    async def say(self, response: str, language: str = "en") -> Dict[str, Any]:
        """What the NLG answers Rasa for `response` in `language`."""
        body = {"response": response, "arguments": {}, "channel": {"name": "rest"},
                "tracker": {"sender_id": "s" * 32, "slots": {"language": language}, "latest_message": {}}}
        async with self.http.post(f"{self.url}/nlg", json=body) as reply:
            assert reply.status == 200, await reply.text()
            return await reply.json()


async def until_said(nlg: RunningNlg, response: str, language: str, wanted: str, limit: float = 2.0) -> float:
    """Seconds until the NLG's text for `response` contains `wanted` (AssertionError after `limit`)."""
    start = time.monotonic()
    while True:
        text = (await nlg.say(response, language))["text"]
        elapsed = time.monotonic() - start
        if wanted in text:
            return elapsed
        assert elapsed < limit, f"not live after {elapsed:.2f} s: {text[:80]!r}"
        await asyncio.sleep(0.02)


def form_of(page: str) -> Dict[str, str]:
    """The fields of the editor's form as the browser would post them."""
    fields = {name: unescape(value) for name, value in _HIDDEN.findall(page)}
    fields.update({name: unescape(value) for _, name, value in _INPUT.findall(page)})
    fields.update({name: unescape(value) for name, value in _TEXTAREA.findall(page)})
    return fields
