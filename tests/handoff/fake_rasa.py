"""A small stand-in for Rasa's HTTP API on loopback: trackers, appended events, executed actions.

It behaves like Rasa where the handoff depends on it: token auth, events with growing
timestamps, no prediction while a conversation is paused, external intents logged as
"EXTERNAL: <intent>" user events with metadata is_external.
"""
from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from typing import Any, Dict, List, Optional, Tuple

from aiohttp import web


class FakeRasa:
    """Start with `await start()`, stop with `await stop()`; `url` is its address."""

    def __init__(self, token: str = "test-rasa-token") -> None:
        self.token = token
        self.trackers: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
        self.executed: List[Tuple[str, str]] = []
        self.fail = False
        self.delay = 0.0  # seconds the webhook takes before it logs the message (a slow Rasa)
        self.offer: List[Dict[str, str]] = []  # the buttons of the bot's answers to user messages
        self.url = ""
        self._runner: Optional[web.AppRunner] = None
        self._last = 0.0

    def _stamp(self) -> float:
        self._last = max(self._last + 0.000001, time.time())
        return self._last

    def append(self, conversation_id: str, event: Dict[str, Any]) -> Dict[str, Any]:
        """Log one event the way Rasa does (a timestamp when it has none)."""
        event = dict(event)
        if not isinstance(event.get("timestamp"), (int, float)):
            event["timestamp"] = self._stamp()
        self.trackers[conversation_id].append(event)
        return event

    def paused(self, conversation_id: str) -> bool:
        for event in reversed(self.trackers[conversation_id]):
            if event["event"] in ("pause", "resume", "restart", "session_started"):
                return event["event"] == "pause"
        return False

    def user_says(self, conversation_id: str, text: str, intent: str = "greet", confidence: float = 0.93,
                  metadata: Optional[Dict[str, Any]] = None) -> None:
        """A user message as the REST channel logs it, with the bot's answer when not paused."""
        self.append(conversation_id, {
            "event": "user", "text": text, "metadata": metadata or {},
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": []},
        })
        if not self.paused(conversation_id):
            self.append(conversation_id, {"event": "action", "name": "utter_" + intent})
            data = {"buttons": list(self.offer)} if self.offer else {}
            self.append(conversation_id, {"event": "bot", "text": f"answer to {text}", "metadata": {}, "data": data})

    def texts(self, conversation_id: str) -> List[str]:
        return [e.get("text") for e in self.trackers[conversation_id] if e["event"] == "bot"]

    def _check(self, request: web.Request) -> None:
        if request.query.get("token") != self.token:
            raise web.HTTPUnauthorized()
        if self.fail:
            raise web.HTTPInternalServerError()

    async def _tracker(self, request: web.Request) -> web.Response:
        self._check(request)
        cid = request.match_info["cid"]
        return web.json_response({"sender_id": cid, "events": self.trackers[cid]})

    async def _events(self, request: web.Request) -> web.Response:
        self._check(request)
        cid = request.match_info["cid"]
        body = await request.json()
        for event in body if isinstance(body, list) else [body]:
            self.append(cid, event)
        return web.json_response({"sender_id": cid, "events": self.trackers[cid]})

    async def _execute(self, request: web.Request) -> web.Response:
        self._check(request)
        cid = request.match_info["cid"]
        action = (await request.json())["name"]
        self.executed.append((cid, action))
        self.append(cid, {"event": "action", "name": action})
        text = f"answer of {action}"
        buttons = [{"title": str(n), "payload": f'/rate{{"rating":"{n}"}}'} for n in range(1, 6)]
        self.append(cid, {"event": "bot", "text": text, "metadata": {}, "data": {"buttons": buttons}})
        return web.json_response({"tracker": {"events": self.trackers[cid]},
                                  "messages": [{"recipient_id": cid, "text": text, "buttons": buttons}]})

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.fail:
            raise web.HTTPInternalServerError()
        if self.delay:
            await asyncio.sleep(self.delay)
        cid = body["sender"]
        before = len(self.trackers[cid])
        self.user_says(cid, body["message"], metadata=body.get("metadata") or {})
        new = self.trackers[cid][before:]
        return web.json_response([
            {"recipient_id": cid, "text": e["text"], **e.get("data", {})} for e in new if e["event"] == "bot"
        ])

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/conversations/{cid}/tracker", self._tracker)
        app.router.add_post("/conversations/{cid}/tracker/events", self._events)
        app.router.add_post("/conversations/{cid}/execute", self._execute)
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
