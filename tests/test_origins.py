"""Who may use the chat: origins by scheme, host and port; the chat API's Origin and Content-Type."""
from __future__ import annotations

from typing import Dict, Optional

import aiohttp
import pytest

from bot.config import load_settings
from bot.web.origins import origin_allowed
from tests.handoff.support import RunningApp
from tests.web_support import http, rasa, web_app  # noqa: F401  (fixtures)
from tests.ws_client import widget_client

PUBLIC = "https://chat.businessespoo.fi"
LISTED = "https://www.businessespoo.fi, https://www.espoo.fi:8443"


@pytest.mark.parametrize("origin, allowed", [
    ("https://chat.businessespoo.fi", True),
    ("https://CHAT.businessespoo.fi:443/", True),
    ("http://chat.businessespoo.fi", False),  # another scheme
    ("https://chat.businessespoo.fi:8443", False),  # another port
    ("https://www.businessespoo.fi", True),
    ("https://www.espoo.fi:8443", True),
    ("https://www.espoo.fi", False),
    ("https://www.businessespoo.fi.evil.test", False),
    ("http://localhost:8080", False),  # the development default is off once the public URL is set
    ("null", False), ("", False), (None, False), ("chat.businessespoo.fi", False), ("https://x:notaport", False),
])
def test_origins_are_compared_by_scheme_host_and_port(origin, allowed):
    settings = load_settings({"BOT_PUBLIC_URL": PUBLIC + "/", "BOT_ALLOWED_ORIGINS": LISTED})
    assert origin_allowed(origin, settings) is allowed


def test_without_a_public_url_the_loopback_pages_on_the_port_are_the_own_ones():
    settings = load_settings({"BOT_PORT": "8080"})
    assert origin_allowed("http://localhost:8080", settings) and origin_allowed("http://127.0.0.1:8080", settings)
    assert not origin_allowed("http://localhost:8081", settings)
    assert not origin_allowed("https://localhost:8080", settings)
    assert origin_allowed("https://anything.test", load_settings({"BOT_ALLOWED_ORIGINS": "*"}))
    assert load_settings({"BOT_ALLOWED_ORIGINS": "https://A.fi/ https://b.fi"}).allowed_origins == (
        "https://a.fi", "https://b.fi",
    )


def rebound(app: RunningApp, scheme: str = "http", name: Optional[str] = None) -> Dict[str, str]:
    """Origin and Host of a page that reached the app under another name or scheme."""
    port = app.url.rsplit(":", 1)[1]
    host = f"{name}:{port}" if name else f"127.0.0.1:{port}"
    return {"Origin": f"{scheme}://{host}", "Host": host}


@pytest.mark.parametrize("scheme, name", [("http", "rebound.evil.test"), ("https", None)])
async def test_a_rebound_or_other_scheme_page_gets_no_websocket(web_app, http, scheme, name):
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with http.ws_connect(web_app.url + "/ws", headers=rebound(web_app, scheme, name)):
            pass
    assert refused.value.status == 403
    async with widget_client(http, web_app.url.replace("http", "ws") + "/ws", web_app.url) as own:
        assert (await own.hello())["conversation"]


@pytest.mark.parametrize("path", ["/api/conversations", "/api/messages"])
async def test_the_api_refuses_other_origins(web_app, http, path):
    async with http.post(web_app.url + path, json={}, headers=rebound(web_app, "http", "rebound.evil.test")) as answer:
        assert answer.status == 403
        body = await answer.json()
    assert body["error"] == "error_origin" and body["message"] == "Tämä sivusto ei voi käyttää chattia."


@pytest.mark.parametrize("content_type, data", [
    ("text/plain", '{"conversation": "x", "text": "hei"}'),
    ("application/x-www-form-urlencoded", "conversation=x&text=hei"),
    (None, None),
])
async def test_the_api_takes_json_only(web_app, http, content_type, data):
    headers = {"Content-Type": content_type} if content_type else {}
    for path in ("/api/conversations", "/api/messages?lang=sv"):
        async with http.post(web_app.url + path, data=data, headers=headers) as answer:
            assert answer.status == 415, path
            body = await answer.json()
        assert body["error"] == "error_content_type"
    assert "JSON" in body["message"] and "skickas" in body["message"]


@pytest.mark.parametrize("origin", [None, "own"])
async def test_the_api_serves_its_own_pages_and_origin_less_clients(web_app, http, origin):
    headers = {"Origin": web_app.url} if origin else {}
    async with http.post(web_app.url + "/api/conversations", json={}, headers=headers) as answer:
        assert answer.status == 201
        assert (await answer.json())["conversation"]
