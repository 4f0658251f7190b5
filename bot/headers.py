"""Security headers on every response of the public web app, set in one place (on_response_prepare).

Every response (pages, /static, /api, /health, /widget.js, /ws, errors) gets
`X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (unless the handler chose one)
and a `Server` header that names no software or version. `Strict-Transport-Security` is sent
when the public URL (BOT_PUBLIC_URL) is https or the request itself came over TLS; not on a
plain-http development setup (browsers ignore it over http anyway), and never because of a
client-supplied X-Forwarded-Proto. Console pages (/console) also get a strict CSP, no framing
and no caching.
"""
from __future__ import annotations

from aiohttp import web

from bot.chat import SETTINGS_KEY

SERVER_NAME = "business-espoo"  # aiohttp would announce "Python/3.x aiohttp/3.x"
HSTS = "max-age=31536000"  # a year; no includeSubDomains: other services of the domain are not ours
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


def uses_https(request: web.Request) -> bool:
    """Whether the site is served over https: its public URL says so, or this request is TLS."""
    settings = request.app.get(SETTINGS_KEY)
    public_url = settings.public_url if settings is not None else ""
    return public_url.lower().startswith("https://") or request.secure


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the headers of every response (see the module docstring)."""
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "same-origin")
    headers["Server"] = SERVER_NAME
    if uses_https(request):
        headers["Strict-Transport-Security"] = HSTS
    if request.path == "/console" or request.path.startswith("/console/"):
        headers["Content-Security-Policy"] = CONSOLE_CSP
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cache-Control"] = "no-store"
