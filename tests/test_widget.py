"""The widget script and the demo page as the web app serves them (in-process HTTP on loopback)."""
import json
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_settings
from bot.web.app import create_public_app
from bot.web.widget import CONFIG_PLACEHOLDER, widget_source


@pytest.fixture
async def client(tmp_path):
    settings = load_settings({"BOT_PROJECT_ROOT": str(tmp_path), "BOT_MAX_MESSAGE_CHARS": "500"})
    async with TestClient(TestServer(create_public_app(settings))) as test_client:
        yield test_client


async def test_widget_script_carries_its_configuration(client):
    response = await client.get("/widget.js")
    assert response.status == 200
    assert response.content_type == "application/javascript"
    script = await response.text()
    assert CONFIG_PLACEHOLDER not in script
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});\n", script).group(1))
    assert config["maxChars"] == 500 and config["languages"] == ["fi", "sv", "en"]
    assert config["texts"]["sv"]["widget_open"] == "Fråga i chatten"
    assert set(config["texts"]["fi"]) == set(config["texts"]["sv"]) == set(config["texts"]["en"])


def test_widget_never_renders_data_as_html():
    source = widget_source()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source


@pytest.mark.parametrize("language, heading", [
    ("fi", "Yrityspalvelut Espoossa"), ("sv", "Företagstjänster i Esbo"), ("en", "Business services in Espoo"),
])
async def test_demo_page_in_each_language(client, language, heading):
    response = await client.get(f"/demo?lang={language}")
    page = await response.text()
    assert f'<html lang="{language}">' in page and heading in page
    assert '<script src="/widget.js" defer' in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


async def test_demo_page_ignores_a_strange_language(client):
    page = await (await client.get("/demo?lang=<script>alert(1)</script>")).text()
    assert '<html lang="fi">' in page and "<script>alert" not in page


async def test_no_file_is_read_on_a_request_once_served(client, monkeypatch):
    from pathlib import Path

    first = [await (await client.get(path)).text() for path in ("/widget.js", "/demo?lang=sv")]

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a file was read while serving a request")

    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    again = [await (await client.get(path)).text() for path in ("/widget.js", "/demo?lang=sv")]
    assert again == first
