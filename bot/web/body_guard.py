"""Request bodies the web app refuses before any handler reads them: compressed ones.

aiohttp 3.9 (the newest that Rasa 3.6's pin allows) inflates a body sent with Content-Encoding
gzip, deflate or br while reading it, chunk by chunk, before `client_max_size` is checked, so
a small compressed body can expand to a large one in memory (a "zip bomb"; fixed upstream only
in aiohttp 3.13.3). No browser compresses what it posts, nor does Rasa, so any encoding other
than identity is refused with 415 (README, "Dependency audit").
"""
from __future__ import annotations

from aiohttp import web

from bot import locale
from bot.language import normalise_language


def is_encoded(request: web.BaseRequest) -> bool:
    """True when the request says its body is compressed (any Content-Encoding but identity)."""
    for header in request.headers.getall("Content-Encoding", []):
        if any(part.strip().lower() not in ("", "identity") for part in header.split(",")):
            return True
    return False


@web.middleware
async def encoded_body_guard(request: web.Request, handler: web.RequestHandler) -> web.StreamResponse:
    """Refuse a compressed request body with 415 and a clear message, before it is read."""
    if not is_encoded(request):
        return await handler(request)
    # The body is never read; the connection is closed after the answer.
    message = locale.text(normalise_language(request.query.get("lang")), "chat.error_content_encoding")
    return web.json_response({"error": "error_content_encoding", "message": message}, status=415,
                             headers={"Connection": "close"})
