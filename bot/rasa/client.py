"""The web app's calls to the Rasa server on loopback."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error."""


async def request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    timeout_seconds: float,
    params: Optional[Mapping[str, str]] = None,
    payload: Any = None,
) -> Any:
    """One call to Rasa; any failure (network, timeout, non-200, bad JSON) is RasaUnavailable."""
    try:
        async with session.request(
            method, url, json=payload, params=dict(params or {}),
            timeout=aiohttp.ClientTimeout(total=timeout_seconds),
        ) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status} to {method} {url}")
            return await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise RasaUnavailable(f"Rasa is not reachable: {exc!r}") from exc


async def send_message(
    session: aiohttp.ClientSession,
    rasa_url: str,
    sender: str,
    text: str,
    metadata: Optional[Mapping[str, Any]] = None,
    timeout_seconds: float = 30.0,
) -> List[Dict[str, Any]]:
    """Post one user message to Rasa's REST channel and return the bot's messages."""
    payload = {"sender": sender, "message": text, "metadata": dict(metadata or {})}
    messages = await request_json(session, "POST", f"{rasa_url}/webhooks/rest/webhook", timeout_seconds, payload=payload)
    if not isinstance(messages, list):
        raise RasaUnavailable("Rasa answered something else than a list of messages")
    return messages


async def model_is_loaded(session: aiohttp.ClientSession, rasa_url: str, token: str) -> bool:
    """True when Rasa's /status says a model is loaded."""
    try:
        status = await request_json(session, "GET", f"{rasa_url}/status", 5, params={"token": token})
    except RasaUnavailable:
        return False
    return isinstance(status, dict) and bool(status.get("model_file"))


async def fetch_tracker_events(
    session: aiohttp.ClientSession,
    rasa_url: str,
    token: str,
    sender: str,
    timeout_seconds: float = 30.0,
    include_events: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """The events of one conversation's tracker (Rasa's HTTP API, with the web app's token)."""
    params = {"token": token, **({"include_events": include_events} if include_events else {})}
    tracker = await request_json(
        session, "GET", f"{rasa_url}/conversations/{quote(sender, safe='')}/tracker", timeout_seconds, params=params
    )
    events = tracker.get("events") if isinstance(tracker, dict) else None
    if not isinstance(events, list):
        raise RasaUnavailable("Rasa answered a tracker without events")
    return [e for e in events if isinstance(e, dict)]
