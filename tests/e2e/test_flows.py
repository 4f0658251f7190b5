"""Conversations that flow (issue 9), in the widget in real Chromium against the real assistant:
a question after a greeting or thanks is answered, a question about the languages of service
is answered (not only a language switch), and a short follow-up keeps the topic."""
from __future__ import annotations

from typing import Dict, List, Tuple

import pytest

from tests.e2e.widget_page import Widget, user_events
from tests.livestack import responses

# (message, the specific answer it must get); none is a training example.
OPENED_WITH_SMALL_TALK: Dict[str, List[Tuple[str, str]]] = {
    "fi": [("moi, meillä on kahvila tapiolassa ja kysyisin anniskeluluvasta", "permits/alcohol_licence"),
           ("kiitos, voitko suositella tilitoimistoa?", "taxes_and_accounting/recommend_accountant")],
    "sv": [("hej, vi har ett café i hagalund och undrar om vi behöver tillstånd att servera öl",
            "permits/alcohol_licence"),
           ("tack! kan ni rekommendera en bra bokföringsbyrå?", "taxes_and_accounting/recommend_accountant")],
    "en": [("hi, we run a cafe in Tapiola and I'd like to ask whether we need a licence to serve beer",
            "permits/alcohol_licence"),
           ("thanks, could you recommend an accounting firm?", "taxes_and_accounting/recommend_accountant")],
}
# (question, the specific answers that answer it)
LANGUAGE_QUESTION = {
    "fi": ("saako teiltä neuvontaa englanniksi?", ["business_advice/advice_languages"]),
    "sv": ("finns det nån rådgivning på svenska?", ["business_advice/advice_languages"]),
    "en": ("can I get business advice in English?",
           ["business_advice/advice_languages", "foreign_entrepreneur/advice_in_english"]),
}
# (a topic question, a follow-up that names no topic, the specific answer the follow-up must get)
FOLLOW_UPS = {
    "fi": ("kerro yrittäjän eläkevakuutuksesta", "paljonko se maksaa mulle kaikkinensa?",
           "entrepreneur_insurance/yel_cost"),
    "sv": ("berätta om startpengen", "hur länge kan man få den?", "startup_grant/duration"),
    "en": ("tell me about the YEL pension insurance", "how much does it cost me?",
           "entrepreneur_insurance/yel_cost"),
}


def open_widget(live, page, language: str) -> Widget:
    page.goto(f"{live.web_url}/demo?lang={language}")
    widget = Widget(page, language)
    widget.open()
    return widget


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_question_after_a_greeting_or_thanks_is_answered(live, page, language):
    widget = open_widget(live, page, language)
    texts = responses(language)
    for message, key in OPENED_WITH_SMALL_TALK[language]:
        assert widget.chat(message) in texts[f"utter_{key}"], message


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_question_about_the_languages_of_service_is_answered(live, page, language):
    widget = open_widget(live, page, language)
    question, keys = LANGUAGE_QUESTION[language]
    texts = responses(language)
    assert widget.chat(question) in set().union(*(texts[f"utter_{key}"] for key in keys))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_short_follow_up_keeps_the_topic(live, page, language):
    widget = open_widget(live, page, language)
    topic_question, follow_up, key = FOLLOW_UPS[language]
    topic = key.split("/")[0]
    assert widget.chat(topic_question) in responses(language)[f"utter_{topic}"]
    assert widget.chat(follow_up) in responses(language)[f"utter_{key}"]
    said = user_events(live, widget.conversation_id())
    assert said[-1]["parse_data"]["follow_up"] == topic
    assert all("context" not in (event.get("metadata") or {}) for event in said)  # used for parsing, not stored
