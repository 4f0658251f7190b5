import pytest

from bot.language import (
    conversation_language,
    detect_language,
    normalise_language,
    requested_language,
)


@pytest.mark.parametrize(
    "value, expected",
    [("fi", "fi"), ("sv-FI", "sv"), ("EN_gb", "en"), ("de", None), (None, None), (3, None)],
)
def test_normalise_language(value, expected):
    assert normalise_language(value) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Voidaanko puhua ruotsia?", "sv"),
        ("englanniksi kiitos", "en"),
        ("Kan vi ta det på finska", "fi"),
        ("Can we speak Swedish?", "sv"),
        ("puhu suomea", "fi"),
        ("do you speak english or finnish", None),
        ("can we change the language", None),
    ],
)
def test_requested_language(text, expected):
    assert requested_language(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Miten perustan oman yrityksen Espooseen?", "fi"),
        ("Hur startar jag ett eget företag i Esbo?", "sv"),
        ("How do I start my own company in Espoo?", "en"),
        ("hej", None),
        ("ok", None),
        ("tack", None),
    ],
)
def test_detect_language_only_when_confident(text, expected):
    assert detect_language(text) == expected


def test_page_language_decides_the_first_message():
    assert conversation_language(current=None, intent="greet", text="Hej!", metadata={"language": "sv"}) == "sv"


def test_short_message_keeps_the_conversation_language():
    assert conversation_language(current="en", intent="affirm", text="ok", metadata={"language": "fi"}) == "en"


def test_clear_message_in_another_language_switches():
    language = conversation_language(
        current="fi", intent="start_business", text="How can I register a limited company in Finland?"
    )
    assert language == "en"


def test_change_language_request_wins_over_detection():
    # Written in Finnish but asks for Swedish.
    language = conversation_language(current="fi", intent="change_language", text="Voidaanko puhua ruotsia?")
    assert language == "sv"


def test_change_language_button_entity():
    language = conversation_language(
        current="fi",
        intent="change_language",
        text='/change_language{"language":"en"}',
        entities=[{"entity": "language", "value": "en"}],
    )
    assert language == "en"


def test_default_when_nothing_is_known():
    assert conversation_language(current=None, intent=None, text="?", default="sv") == "sv"
