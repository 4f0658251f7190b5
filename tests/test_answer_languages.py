"""bot/web/answer_languages.py: the gateway learns an answer's language from this process's NLG,
without asking Rasa for the tracker again."""
import time
from pathlib import Path
from typing import Any, List

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_settings
from bot.rasa.client import RasaUnavailable
from bot.web.answer_languages import AnswerLanguages
from bot.web.app import create_internal_app
from bot.web.relay import ConversationRelay


def test_only_an_answer_written_after_the_message_counts():
    languages = AnswerLanguages()
    before = time.monotonic()
    languages.note("c1", "sv")
    assert languages.since("c1", before) == "sv"
    assert languages.since("c1", time.monotonic() + 1) is None  # written before this message was sent
    assert languages.since("c2", before) is None


def test_the_oldest_conversations_are_forgotten():
    languages = AnswerLanguages(size=2)
    for conversation in ("a", "b", "a", "c"):
        languages.note(conversation, "fi")
    assert [languages.since(c, 0.0) for c in ("a", "b", "c")] == ["fi", None, "fi"]


async def test_the_nlg_endpoint_notes_the_language_of_each_answer(tmp_path: Path):
    for language, text in (("fi", "Hei!"), ("sv", "Hej!"), ("en", "Hi!")):
        (tmp_path / f"{language}.yml").write_text(yaml.safe_dump({"utter_greet": [{"text": text}]}))
    settings = load_settings({"BOT_RESPONSES_DIR": str(tmp_path), "NLG_TOKEN": ""})
    languages = AnswerLanguages()
    started = time.monotonic()
    async with TestClient(TestServer(create_internal_app(settings, answer_languages=languages))) as client:
        tracker = {"sender_id": "conv-1", "slots": {"language": "sv"}, "latest_message": {}}
        response = await client.post("/nlg", json={"response": "utter_greet", "tracker": tracker})
        assert (await response.json())["text"] == "Hej!"
    assert languages.since("conv-1", started) == "sv"


class FakeRasa:
    def __init__(self, slots: Any) -> None:
        self.slots = slots
        self.asked: List[str] = []

    async def tracker(self, conversation_id: str, include_events: str) -> Any:
        self.asked.append(conversation_id)
        if self.slots is None:
            raise RasaUnavailable("down")
        return {"slots": self.slots}


class FakeRelay:
    def __init__(self, rasa: FakeRasa) -> None:
        self.rasa = rasa
        self.answer_languages = AnswerLanguages()


@pytest.mark.parametrize("slots, expected", [({"language": "en"}, "en"), (None, None)])
async def test_the_relay_asks_rasa_only_when_this_process_wrote_no_answer(slots, expected):
    rasa = FakeRasa(slots)
    relay = FakeRelay(rasa)
    conversation = ConversationRelay("conv-1", relay)  # type: ignore[arg-type]
    sent_at = time.monotonic()
    relay.answer_languages.note("conv-1", "sv")
    assert await conversation._language(sent_at) == "sv" and rasa.asked == []
    assert await conversation._language(time.monotonic() + 1) == expected  # another instance answered
    assert rasa.asked == ["conv-1"]
