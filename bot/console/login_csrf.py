"""The log-in form's CSRF token, bound to a cookie nonce by an HMAC with the server's secret key.

Before log-in there is no session to tie a token to. The login page sets a cookie with a random
nonce and puts `<issued>.<HMAC(BOT_SECRET_KEY, nonce, issued)>` in the form. A POST passes only
with a cookie and a field that belong together and are at most an hour old: a cookie made up by an
attacker together with a matching field, or a token from another browser's page, is refused.

Over HTTPS (the request, `X-Forwarded-Proto: https` or `CONSOLE_COOKIE_SECURE=true`) the cookie is
`__Host-console_login_csrf` (Secure, Path=/, no Domain), so neither a sibling subdomain nor a
plain-http page can plant one, and no other cookie name is accepted. On plain http (development on
localhost) browsers refuse `__Host-` cookies, so it is `console_login_csrf` on /console: there a
party that can set cookies for the host name (any service on it, on any port) could plant the nonce
of a pair it fetched itself and log the browser into its own account. Production runs on HTTPS.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import Any, Optional, Tuple

from aiohttp import web

from bot.web.keys import SECRET_KEY
from bot.console.guard import secure_cookies

LOGIN_CSRF_COOKIE = "console_login_csrf"
LOGIN_CSRF_HOST_COOKIE = "__Host-console_login_csrf"
MAX_AGE_SECONDS = 3600
_TOKEN = re.compile(r"^([0-9]{1,12})\.([0-9a-f]{64})$")


def cookie_name(request: web.Request) -> str:
    """The cookie of this request's scheme: `__Host-` prefixed on HTTPS."""
    return LOGIN_CSRF_HOST_COOKIE if secure_cookies(request) else LOGIN_CSRF_COOKIE


def _signature(secret: str, nonce: str, issued: int) -> str:
    message = f"console-login-csrf|{nonce}|{issued}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def make_pair(secret: str, now: Optional[float] = None) -> Tuple[str, str]:
    """A new (cookie nonce, form token)."""
    nonce, issued = secrets.token_urlsafe(32), int(now if now is not None else time.time())
    return nonce, f"{issued}.{_signature(secret, nonce, issued)}"


def pair_ok(secret: str, nonce: str, token: Any, now: Optional[float] = None) -> bool:
    """Whether `token` was made by this server for `nonce` within the last hour."""
    found = _TOKEN.match(token) if isinstance(token, str) else None
    if not nonce or len(nonce) > 100 or found is None:
        return False
    issued, current = int(found.group(1)), int(now if now is not None else time.time())
    if not current - MAX_AGE_SECONDS <= issued <= current + 60:
        return False
    return hmac.compare_digest(found.group(2), _signature(secret, nonce, issued))


def _set(response: web.StreamResponse, request: web.Request, value: str, max_age: int) -> None:
    name = cookie_name(request)
    host_only = name == LOGIN_CSRF_HOST_COOKIE
    response.set_cookie(
        name, value, max_age=max_age, path="/" if host_only else "/console", httponly=True, samesite="Strict",
        secure=host_only,
    )


def issue(request: web.Request) -> Tuple[str, str]:
    """A new (cookie nonce, form token) signed with the web app's secret key."""
    return make_pair(request.app[SECRET_KEY])


def set_cookie(response: web.StreamResponse, request: web.Request, nonce: str) -> None:
    """Put the nonce of the log-in form in its cookie (an hour)."""
    _set(response, request, nonce, MAX_AGE_SECONDS)


def clear_cookie(response: web.StreamResponse, request: web.Request) -> None:
    """Drop the cookie after a log-in (with the same attributes, or a browser keeps a __Host- one)."""
    _set(response, request, "", 0)


def check(request: web.Request, token: Any) -> bool:
    """Whether the posted `token` belongs to the nonce in this scheme's cookie."""
    return pair_ok(request.app[SECRET_KEY], request.cookies.get(cookie_name(request), ""), token)
