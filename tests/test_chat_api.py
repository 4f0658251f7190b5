"""The public chat API's refusals and its behaviour when Rasa is down (real HTTP on loopback)."""
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_settings
from bot.web.app import create_public_app
from tests.test_supervisor import free_port


@pytest.fixture
async def client(tmp_path):
    settings = load_settings({
        "BOT_PROJECT_ROOT": str(tmp_path),
        "RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there: Rasa is down
        "BOT_MAX_MESSAGE_CHARS": "50",
        "RASA_TIMEOUT_SECONDS": "2",
    })
    async with TestClient(TestServer(create_public_app(settings))) as test_client:
        yield test_client


async def new_conversation(client) -> str:
    response = await client.post("/api/conversations", json={})
    assert response.status == 201
    return (await response.json())["conversation"]


async def test_rasa_down_gives_a_polite_error_in_the_language(client):
    token = await new_conversation(client)
    response = await client.post("/api/messages", json={"conversation": token, "text": "Hej!", "language": "sv"})
    assert response.status == 503
    answer = await response.json()
    assert answer["error"] == "error_unavailable"
    assert "inte" in answer["message"] and "försök igen" in answer["message"]


async def test_unknown_sender_is_refused(client):
    response = await client.post("/api/messages", json={"conversation": "0" * 32 + "." + "1" * 32, "text": "hi"})
    assert response.status == 403
    assert (await response.json())["error"] == "error_unknown_conversation"


async def test_oversized_message_is_refused_with_the_limit(client):
    token = await new_conversation(client)
    response = await client.post("/api/messages", json={"conversation": token, "text": "x" * 51, "language": "en"})
    assert response.status == 413
    assert "50" in (await response.json())["message"]


async def test_oversized_body_is_refused_as_json(client):
    token = await new_conversation(client)
    response = await client.post("/api/messages", json={"conversation": token, "text": "x" * 100_000})
    assert response.status == 413
    assert (await response.json())["error"] == "error_too_long"


@pytest.mark.parametrize("raw", [b"{oops", b"[]", b'"text"', b"\xff\xfe"])
async def test_malformed_body_is_refused(client, raw):
    response = await client.post("/api/messages", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"] == "error_malformed"


async def test_empty_and_non_text_messages_are_refused(client):
    token = await new_conversation(client)
    assert (await client.post("/api/messages", json={"conversation": token, "text": "   "})).status == 422
    assert (await client.post("/api/messages", json={"conversation": token, "text": 42})).status == 400


async def test_chat_page_is_served_in_the_asked_language_with_escaped_config(client):
    response = await client.get("/?lang=sv")
    assert response.status == 200
    page = await response.text()
    assert '<html lang="sv">' in page
    assert "Business Espoos virtuella assistent" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


async def test_chat_page_follows_accept_language(client):
    page = await (await client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})).text()
    assert '<html lang="en">' in page
