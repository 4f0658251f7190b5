"""The web app's calls to the Rasa server on loopback."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Mapping, Optional

import aiohttp


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error."""


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
    try:
        async with session.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json=payload,
            timeout=aiohttp.ClientTimeout(total=timeout_seconds),
        ) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
            messages = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise RasaUnavailable(f"Rasa is not reachable: {exc!r}") from exc
    if not isinstance(messages, list):
        raise RasaUnavailable("Rasa answered something else than a list of messages")
    return messages


async def model_is_loaded(session: aiohttp.ClientSession, rasa_url: str, token: str) -> bool:
    """True when Rasa's /status says a model is loaded."""
    try:
        async with session.get(
            f"{rasa_url}/status", params={"token": token}, timeout=aiohttp.ClientTimeout(total=5)
        ) as response:
            if response.status != 200:
                return False
            status = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return False
    return bool(status.get("model_file"))


async def fetch_tracker_events(
    session: aiohttp.ClientSession,
    rasa_url: str,
    token: str,
    sender: str,
    timeout_seconds: float = 30.0,
) -> List[Dict[str, Any]]:
    """The events of one conversation's tracker (Rasa's HTTP API, with the web app's token)."""
    try:
        async with session.get(
            f"{rasa_url}/conversations/{sender}/tracker",
            params={"token": token},
            timeout=aiohttp.ClientTimeout(total=timeout_seconds),
        ) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status} for the tracker")
            tracker = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise RasaUnavailable(f"Rasa is not reachable: {exc!r}") from exc
    events = tracker.get("events") if isinstance(tracker, dict) else None
    if not isinstance(events, list):
        raise RasaUnavailable("Rasa answered a tracker without events")
    return [e for e in events if isinstance(e, dict)]
