"""Security headers on every response of the public web app, set in one place (on_response_prepare).

Every response (pages, /static, /api, /health, /widget.js, /ws, errors) gets
`X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (unless the handler chose one)
and a `Server` header that names no software or version. `Strict-Transport-Security` is sent
when the public URL (BOT_PUBLIC_URL) is https or the request itself came over TLS; not on a
plain-http development setup (browsers ignore it over http anyway), and never because of a
client-supplied X-Forwarded-Proto.

Content-Security-Policy, set here for every response and nowhere else: scripts and styles only
from our own files (no 'unsafe-inline': the pages carry no inline script, style, style
attribute or on* handler; their JSON settings sit in non-executed `application/json` blocks).
Console pages (/console) may not be framed at all (`frame-ancestors 'none'`) and are not
cached; the chat page, /demo and the rest may be framed by our own origin and the sites of
BOT_ALLOWED_ORIGINS (bot/web/origins.py).
"""
from __future__ import annotations

from aiohttp import web

from bot.config import Settings
from bot.web.keys import SETTINGS_KEY
from bot.web.origins import parse_origin

SERVER_NAME = "business-espoo"  # aiohttp would announce "Python/3.x aiohttp/3.x"
HSTS = "max-age=31536000"  # a year; no includeSubDomains: other services of the domain are not ours
# What every page may load; frame-ancestors is added per page (see content_security_policy).
BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
CONSOLE_CSP = BASE_CSP + "; frame-ancestors 'none'"


def is_console(path: str) -> bool:
    """Whether `path` is a page of the adviser console."""
    return path == "/console" or path.startswith("/console/")


def frame_ancestors(settings: Settings) -> str:
    """The sites that may frame the widget's own pages: ours and BOT_ALLOWED_ORIGINS ("*": any)."""
    if "*" in settings.allowed_origins:
        return "*"
    sources = ["'self'"]
    for origin in settings.allowed_origins:
        found = parse_origin(origin)
        if found is not None:
            scheme, host, port = found
            sources.append(f"{scheme}://{host}:{port}")
    return " ".join(sources)


def content_security_policy(request: web.Request) -> str:
    """The CSP of a response to `request` (see the module docstring)."""
    if is_console(request.path):
        return CONSOLE_CSP
    settings = request.app.get(SETTINGS_KEY)
    ancestors = frame_ancestors(settings) if settings is not None else "'self'"
    return f"{BASE_CSP}; frame-ancestors {ancestors}"


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
    headers["Content-Security-Policy"] = content_security_policy(request)
    if is_console(request.path):
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cache-Control"] = "no-store"
