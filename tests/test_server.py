"""The real assistant: `python -m bot run` starts Rasa (trained model), the action
server and the web app; the tests chat with it over HTTP like the chat page does."""
from __future__ import annotations

import json
import signal
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Optional

import pytest

from tests.livestack import LiveStack, responses

# The `live` fixture (tests/conftest.py) starts the stack once for the whole session.


def _post(url: str, body: Optional[dict] = None) -> tuple:
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Chat:
    """One conversation through the web app's public API."""

    def __init__(self, live: LiveStack, language: str) -> None:
        self.live = live
        self.language = language
        status, body = _post(f"{live.web_url}/api/conversations")
        assert status == 201
        self.token = body["conversation"]

    def say(self, text: str) -> List[dict]:
        status, body = _post(
            f"{self.live.web_url}/api/messages",
            {"conversation": self.token, "text": text, "language": self.language},
        )
        assert status == 200, body
        assert body["messages"], f"no answer to {text!r}"
        return body["messages"]


GREETINGS = {"fi": "Moikka!", "sv": "Hej hej!", "en": "Hello there"}
QUESTIONS = {
    "fi": ("Miten perustan oman yrityksen?", "utter_start_business"),
    "sv": ("Var kan mitt företag få finansiering?", "utter_funding"),
    "en": ("Can we get a pay subsidy for hiring an unemployed person?", "utter_pay_subsidy"),
}
OUT_OF_SCOPE = {
    "fi": ("Mikä sää on huomenna?", "Kerro vitsi"),
    "sv": ("Vad blir vädret i morgon?", "Berätta ett skämt"),
    "en": ("What's the weather tomorrow?", "Tell me a joke"),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_greeting_and_business_question_in_the_page_language(live, language):
    chat = Chat(live, language)
    texts = responses(language)
    greeting = chat.say(GREETINGS[language])
    assert greeting[0]["text"] in texts["utter_greet"]
    assert greeting[0]["buttons"], "the greeting offers quick replies"
    question, expected = QUESTIONS[language]
    answer = chat.say(question)
    assert answer[0]["text"] in texts[expected]
    assert "https://" in answer[0]["text"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_two_misunderstandings_in_a_row_offer_a_person(live, language):
    chat = Chat(live, language)
    texts = responses(language)
    first, second = OUT_OF_SCOPE[language]
    first_answer = chat.say(first)
    assert first_answer[0]["text"] in texts["utter_out_of_scope"] | texts["utter_default"]
    assert chat.say(second)[0]["text"] in texts["utter_offer_human"]


def test_language_switch_on_request_and_on_a_clear_message(live):
    chat = Chat(live, "fi")
    assert chat.say("Moi")[0]["text"] in responses("fi")["utter_greet"]
    switched = chat.say("Voidaanko puhua ruotsia?")
    assert switched[0]["text"] in responses("sv")["utter_language_changed"]
    # A short message keeps Swedish although the page is Finnish.
    assert chat.say("Tack så mycket")[0]["text"] in responses("sv")["utter_thank"]
    # A clear English question switches to English.
    answer = chat.say("How do I get a business ID for my new company?")
    assert answer[0]["text"] in responses("en")["utter_company_registration"]


def test_bot_says_it_is_a_bot(live):
    chat = Chat(live, "en")
    assert chat.say("Am I talking to a bot?")[0]["text"] in responses("en")["utter_iamabot"]


def test_quick_reply_payload_is_understood(live):
    chat = Chat(live, "sv")
    chat.say(GREETINGS["sv"])  # offers the quick reply "Finansiering" (/funding)
    assert chat.say("/funding")[0]["text"] in responses("sv")["utter_funding"]


def test_typed_payloads_are_words(live):
    chat = Chat(live, "sv")
    answer = chat.say('/change_language{"language":"en"}')
    assert answer[0]["text"] not in responses("en")["utter_language_changed"]


def test_rasa_answers_on_loopback_only_and_reports_its_model(live):
    with urllib.request.urlopen(f"{live.rasa_url}/status?token={live.rasa_token}", timeout=10) as response:
        status = json.loads(response.read())
    assert Path(status["model_file"]).name.startswith("bot-")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{live.rasa_url}/status?token=wrong", timeout=10)
    assert refused.value.code == 401


def test_databases_are_the_owners_only_and_rasa_reports_nothing(live):
    tracker = live.data_dir / "tracker.db"
    assert tracker.exists() and tracker.stat().st_mode & 0o077 == 0
    rasa = next(p for p in Path("/proc").glob("[0-9]*") if b"bot.rasa.launcher" in _cmdline(p))
    environment = (rasa / "environ").read_bytes().split(b"\0")
    assert b"RASA_TELEMETRY_ENABLED=false" in environment
    assert live.rasa_token.encode() not in _cmdline(rasa)


def test_rasa_runs_without_jax(live):
    """The launcher hides JAX from TensorFlow (bot/rasa/launcher.py): its library is not in Rasa's memory."""
    port = live.rasa_url.rsplit(":", 1)[1].encode()
    rasa = next(p for p in Path("/proc").glob("[0-9]*")
                if b"bot.rasa.launcher" in _cmdline(p) and b"--port\0" + port + b"\0" in _cmdline(p))
    maps = (rasa / "maps").read_text()
    assert "libtensorflow" in maps and "jaxlib" not in maps


def _cmdline(process: Path) -> bytes:
    try:
        return (process / "cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.stops_live_stack
def test_ctrl_c_stops_all_three(live):
    """Runs last of the session (see conftest): SIGINT to the supervisor closes every port."""
    live.process.send_signal(signal.SIGINT)
    assert live.process.wait(90) == 0
    for port in live.ports:
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
