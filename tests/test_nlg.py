from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_settings
from bot.rasa.nlg import fill_placeholders, tracker_language
from bot.web.app import create_internal_app

VARIATIONS = {
    "fi": {"utter_greet": [{"text": "Hei {name}!", "buttons": [{"title": "Apua", "payload": "/help"}]}]},
    "sv": {"utter_greet": [{"text": "Hej {name}!", "buttons": [{"title": "Hjälp", "payload": "/help"}]}]},
    "en": {"utter_greet": [{"text": "Hi {name}!", "buttons": [{"title": "Help", "payload": "/help"}]}],
           "utter_only_english": [{"text": "English only"}]},
}


@pytest.fixture
async def client(tmp_path: Path):
    for lang, table in VARIATIONS.items():
        (tmp_path / f"{lang}.yml").write_text(yaml.safe_dump(table, allow_unicode=True))
    settings = load_settings({"BOT_RESPONSES_DIR": str(tmp_path), "NLG_TOKEN": "t0ken"})
    async with TestClient(TestServer(create_internal_app(settings))) as test_client:
        yield test_client


def body(response="utter_greet", language=None, page=None, arguments=None):
    slots = {"language": language, "name": "Aino"}
    tracker = {"slots": slots, "latest_message": {"metadata": {"language": page} if page else {}}}
    return {"response": response, "arguments": arguments or {}, "tracker": tracker, "channel": {"name": "rest"}}


@pytest.mark.parametrize("language, expected", [("fi", "Hei Aino!"), ("sv", "Hej Aino!"), ("en", "Hi Aino!")])
async def test_answers_in_the_language_slot(client, language, expected):
    response = await client.post("/nlg?token=t0ken", json=body(language=language))
    assert response.status == 200
    answer = await response.json()
    assert answer["text"] == expected
    assert [b["payload"] for b in answer["buttons"]] == ["/help"]


async def test_page_language_when_the_slot_is_empty(client):
    answer = await (await client.post("/nlg?token=t0ken", json=body(page="sv-FI"))).json()
    assert answer["text"] == "Hej Aino!"


async def test_arguments_fill_placeholders(client):
    answer = await (await client.post("/nlg?token=t0ken", json=body(language="en", arguments={"name": "Eero"}))).json()
    assert answer["text"] == "Hi Eero!"


async def test_response_missing_in_the_language_and_the_default_is_unknown(client):
    response = await client.post("/nlg?token=t0ken", json=body("utter_only_english", language="sv"))
    assert response.status == 404


async def test_wrong_token_is_refused(client):
    assert (await client.post("/nlg?token=nope", json=body(language="fi"))).status == 401
    assert (await client.post("/nlg", json=body(language="fi"))).status == 401


@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b'{"tracker": {}}'])
async def test_malformed_requests_get_a_clear_error(client, payload):
    response = await client.post("/nlg?token=t0ken", data=payload, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert "malformed" in (await response.json())["error"]


async def test_unknown_response_is_404(client):
    response = await client.post("/nlg?token=t0ken", json=body("utter_nothing", language="fi"))
    assert response.status == 404


def test_unknown_placeholders_stay():
    assert fill_placeholders("{a} and {b}", {"a": 1}) == "1 and {b}"


def test_tracker_language_order():
    assert tracker_language({"slots": {"language": "en"}, "latest_message": {"metadata": {"language": "sv"}}}, "fi") == "en"
    assert tracker_language({"slots": {}, "latest_message": {"metadata": {"language": "sv"}}}, "fi") == "sv"
    assert tracker_language({}, "fi") == "fi"
