"""A WebSocket client that speaks the widget's protocol (bot/web/gateway.py), for tests and the bench."""
from __future__ import annotations

import asyncio
import json
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List, Optional

import aiohttp

Frame = Dict[str, Any]


class WidgetClient:
    """One WebSocket connection; frames that a wait skips are kept in `seen`."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen: List[Frame] = []
        self.conversation: Optional[str] = None

    async def send(self, frame: Any) -> None:
        await self.ws.send_str(frame if isinstance(frame, str) else json.dumps(frame))

    async def next(self, *types: str, timeout: float = 30) -> Frame:
        """The next frame of one of `types` (any type when none given)."""
        async def wait() -> Frame:
            while True:
                message = await self.ws.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(f"connection ended: {message.type} {message.data!r}")
                frame = json.loads(message.data)
                if not types or frame.get("type") in types:
                    return frame
                self.seen.append(frame)

        return await asyncio.wait_for(wait(), timeout)

    async def hello(self, token: Optional[str] = None, language: str = "fi") -> Frame:
        """Join a conversation (a new one without a token) and return the welcome."""
        await self.send({"type": "hello", "conversation": token, "language": language, "page_url": "http://test/"})
        welcome = await self.next("welcome")
        self.conversation = welcome["conversation"]
        return welcome

    async def post(self, text: str, message_id: Optional[str] = None, **extra: Any) -> str:
        """Send one message without waiting; returns its id."""
        message_id = message_id or uuid.uuid4().hex
        await self.send({"type": "message", "id": message_id, "text": text, **extra})
        return message_id

    async def say(self, text: str, **extra: Any) -> Frame:
        """Send one message and return its reply frame."""
        message_id = await self.post(text, **extra)
        reply = await self.next("reply", "error", "failed")
        assert reply["type"] == "reply" and reply["id"] == message_id, reply
        return reply

    async def close(self) -> None:
        await self.ws.close()


@asynccontextmanager
async def widget_client(
    session: aiohttp.ClientSession, ws_url: str, origin: Optional[str], language: str = "fi"
) -> AsyncIterator[WidgetClient]:
    """A connection to `ws_url` with an Origin header (the page's origin)."""
    headers = {"Origin": origin} if origin else {}
    async with session.ws_connect(f"{ws_url}?lang={language}", headers=headers) as ws:
        yield WidgetClient(ws)


def conversation_id(token: str) -> str:
    """The Rasa sender id of a conversation token."""
    return token.split(".")[0]
