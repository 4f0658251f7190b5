"""Which web origins may use the chat: the web app's public origin and BOT_ALLOWED_ORIGINS.

An origin is compared as scheme, host and port (the default port of the scheme filled in),
never against the request's Host header: a page of another site whose name points at this
server (DNS rebinding) sends its own Origin and Host, and is refused.

The public origin is BOT_PUBLIC_URL; unset, it is http://localhost:BOT_PORT and
http://127.0.0.1:BOT_PORT (development). "*" in BOT_ALLOWED_ORIGINS allows any origin.

`api_guard` protects the chat API (/api/*): an Origin header, when present, must be allowed,
and a POST must carry Content-Type application/json (a form or text/plain post from another
site, which a browser sends without asking, is refused with 415).
"""
from __future__ import annotations

from typing import Optional, Tuple
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import Settings
from bot.language import normalise_language
from bot import locale
from bot.web.keys import SETTINGS_KEY

Origin = Tuple[str, str, int]
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
API_PREFIX = "/api/"


def parse_origin(value: Optional[str]) -> Optional[Origin]:
    """(scheme, host, port) of an origin or URL; None when it is not an http(s) origin."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def own_origins(settings: Settings) -> Tuple[Origin, ...]:
    """The web app's public origin(s)."""
    if settings.public_url:
        found = parse_origin(settings.public_url)
        return (found,) if found else ()
    return (("http", "localhost", settings.port), ("http", "127.0.0.1", settings.port))


def origin_allowed(origin: Optional[str], settings: Settings) -> bool:
    """True for "*", the public origin or a listed one (scheme, host and port all equal)."""
    if "*" in settings.allowed_origins:
        return True
    found = parse_origin(origin)
    if found is None:
        return False
    listed = (parse_origin(o) for o in settings.allowed_origins)
    return found in own_origins(settings) or found in listed


def _refusal(request: web.Request, status: int, code: str, settings: Settings) -> web.Response:
    language = normalise_language(request.query.get("lang")) or settings.default_language
    return web.json_response({"error": code, "message": locale.text(language, f"chat.{code}")}, status=status)


@web.middleware
async def api_guard(request: web.Request, handler: web.RequestHandler) -> web.StreamResponse:
    """Origin (when sent) and JSON-only POSTs for /api/*."""
    if request.path.startswith(API_PREFIX):
        settings = request.app[SETTINGS_KEY]
        origin = request.headers.get("Origin")
        if origin is not None and not origin_allowed(origin, settings):
            return _refusal(request, 403, "error_origin", settings)
        if request.method == "POST" and request.content_type != "application/json":
            return _refusal(request, 415, "error_content_type", settings)
    return await handler(request)
