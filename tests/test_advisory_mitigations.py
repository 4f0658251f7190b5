"""What stands between aiohttp 3.9.5's known advisories and this app (README, "Dependency audit")."""
from __future__ import annotations

import gzip
import json
import os

import pytest
from aiohttp import http_parser
from aiohttp.test_utils import make_mocked_request

from bot.web.app import STATIC_DIR
from bot.web.body_guard import is_encoded
from tests.web_support import http, rasa, web_app  # noqa: F401  (fixtures)


@pytest.mark.parametrize("headers, encoded", [
    ({}, False),
    ({"Content-Encoding": "identity"}, False),
    ({"Content-Encoding": "gzip"}, True),
    ({"Content-Encoding": "identity, deflate"}, True),
    ({"Content-Encoding": "BR"}, True),
])
def test_any_encoding_but_identity_counts_as_compressed(headers, encoded):
    assert is_encoded(make_mocked_request("POST", "/api/messages", headers=headers)) is encoded


def test_the_server_parses_http_with_the_c_parser():
    # The request-smuggling advisories of aiohttp 3.9.5 concern its pure-Python parser only.
    assert http_parser.HttpRequestParser is not http_parser.HttpRequestParserPy


def test_the_static_files_hold_no_symbolic_links():
    # CVE-2024-42367: a static file's compressed variant that is a link is followed out of the root.
    links = [os.path.join(d, n) for d, dirs, files in os.walk(STATIC_DIR) for n in dirs + files
             if os.path.islink(os.path.join(d, n))]
    assert links == []


# A body that inflates from about 100 kB to 100 MB; it must be refused unread.
BOMB = gzip.compress(b"{" + b" " * 100_000_000 + b"}", compresslevel=9)


@pytest.mark.parametrize("path", ["/api/messages?lang=sv", "/api/conversations?lang=sv", "/console/login?lang=sv"])
async def test_a_compressed_body_is_refused_with_a_clear_message(web_app, http, path):
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    async with http.post(web_app.url + path, data=BOMB, headers=headers) as answer:
        assert answer.status == 415
        body = json.loads(await answer.text())
    assert body == {"error": "error_content_encoding",
                    "message": "Komprimerade meddelanden tas inte emot. Skicka meddelandet okomprimerat."}


async def test_an_uncompressed_body_still_gets_through(web_app, http):
    async with http.post(web_app.url + "/api/conversations", json={}, headers={"Content-Encoding": "identity"}) as answer:
        assert answer.status == 201
