"""The web app's one client for Rasa's HTTP API on loopback.

Every call but the REST channel's webhook carries the web app's token (`RASA_TOKEN`);
any failure (network, timeout, non-200, bad JSON) is RasaUnavailable.
"""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional
from urllib.parse import quote

import aiohttp

from bot.config import Settings

STATUS_TIMEOUT_SECONDS = 5.0
# Told the id of a conversation this client wrote events to (the live bus: bot/handoff/live_bus.py).
Changed = Callable[[str], Awaitable[None]]


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error."""


class RasaClient:
    """Calls to one Rasa server with the web app's HTTP session and settings (cheap to make per use);
    `changed` is awaited after each write to a conversation's tracker (appended events, actions run)."""

    def __init__(self, http: aiohttp.ClientSession, settings: Settings, changed: Optional[Changed] = None) -> None:
        self.http = http
        self.settings = settings
        self.changed = changed

    async def _call(
        self, method: str, path: str, payload: Any = None, params: Optional[Mapping[str, str]] = None,
        token: bool = True, timeout_seconds: Optional[float] = None,
    ) -> Any:
        query = {**({"token": self.settings.rasa_token} if token else {}), **(params or {})}
        url = f"{self.settings.rasa_url}{path}"
        timeout = aiohttp.ClientTimeout(total=timeout_seconds or self.settings.rasa_timeout_seconds)
        try:
            async with self.http.request(method, url, json=payload, params=query, timeout=timeout) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status} to {method} {url}")
                return await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa is not reachable: {exc!r}") from exc

    @staticmethod
    def _conversation(conversation_id: str, tail: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}/{tail}"

    async def model_is_loaded(self) -> bool:
        """True when Rasa's /status says a model is loaded (False when Rasa does not answer)."""
        try:
            status = await self._call("GET", "/status", timeout_seconds=STATUS_TIMEOUT_SECONDS)
        except RasaUnavailable:
            return False
        return isinstance(status, dict) and bool(status.get("model_file"))

    async def send_message(
        self, conversation_id: str, text: str, metadata: Optional[Mapping[str, Any]] = None
    ) -> List[Dict[str, Any]]:
        """Post one user message to Rasa's REST channel and return the bot's messages."""
        payload = {"sender": conversation_id, "message": text, "metadata": dict(metadata or {})}
        messages = await self._call("POST", "/webhooks/rest/webhook", payload=payload, token=False)
        if not isinstance(messages, list):
            raise RasaUnavailable("Rasa answered something else than a list of messages")
        return messages

    async def tracker(self, conversation_id: str, include_events: Optional[str] = None) -> Dict[str, Any]:
        """The conversation's tracker: slots, active loop and events (Rasa's `include_events`; default AFTER_RESTART)."""
        params = {"include_events": include_events} if include_events else None
        tracker = await self._call("GET", self._conversation(conversation_id, "tracker"), params=params)
        if not isinstance(tracker, dict):
            raise RasaUnavailable("Rasa answered something else than a tracker")
        return tracker

    async def _events(self, conversation_id: str, include_events: Optional[str]) -> List[Dict[str, Any]]:
        events = (await self.tracker(conversation_id, include_events)).get("events")
        if not isinstance(events, list):
            raise RasaUnavailable("Rasa answered a tracker without events")
        return [e for e in events if isinstance(e, dict)]

    async def events(self, conversation_id: str) -> List[Dict[str, Any]]:
        """The events since the conversation's last restart, oldest first (what the widget shows)."""
        return await self._events(conversation_id, None)

    async def all_events(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Every event of the conversation, oldest first (the whole tracker, all sessions)."""
        return await self._events(conversation_id, "ALL")

    async def append_event(self, conversation_id: str, event: Mapping[str, Any]) -> None:
        """Append one event to the conversation's tracker."""
        await self._call("POST", self._conversation(conversation_id, "tracker/events"), payload=dict(event))
        if self.changed is not None:
            await self.changed(conversation_id)

    async def append_bot_message(self, conversation_id: str, text: str, metadata: Mapping[str, Any]) -> None:
        """Write a bot message to the tracker (an adviser's message: metadata names the adviser)."""
        await self.append_event(conversation_id, {"event": "bot", "text": text, "metadata": dict(metadata)})

    async def pause(self, conversation_id: str) -> None:
        """Append ConversationPaused: Rasa logs the user's messages and predicts nothing."""
        await self.append_event(conversation_id, {"event": "pause"})

    async def resume(self, conversation_id: str) -> None:
        """Append ConversationResumed: Rasa predicts again."""
        await self.append_event(conversation_id, {"event": "resume"})

    async def listen(self, conversation_id: str) -> None:
        """Append action_listen: Rasa waits for the user as after its own answers."""
        await self.append_event(conversation_id, {"event": "action", "name": "action_listen"})

    async def execute(self, conversation_id: str, action: str) -> None:
        """Run one action of the assistant in the conversation (its answers land in the tracker)."""
        await self._call("POST", self._conversation(conversation_id, "execute"), payload={"name": action})
        if self.changed is not None:
            await self.changed(conversation_id)
