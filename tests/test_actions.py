from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionCountMisunderstanding, misunderstandings_in_a_row
from actions.language import ActionCheckLanguageRequest, ActionDetectLanguage
from tests.conftest import make_tracker, user_event


def bot_event(name: str = "utter_default"):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": name}}


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def test_detect_language_takes_the_page_language_first():
    tracker = make_tracker([user_event("Hej!", "greet", metadata={"language": "sv"})])
    _, events = await run(ActionDetectLanguage(), tracker)
    assert events == [SlotSet("language", "sv")]


async def test_detect_language_switches_on_a_clear_message():
    tracker = make_tracker(
        [user_event("Hur får mitt företag finansiering för export?", "funding", metadata={"language": "fi"})],
        slots={"language": "fi"},
    )
    _, events = await run(ActionDetectLanguage(), tracker)
    assert events == [SlotSet("language", "sv")]


async def test_detect_language_keeps_the_language_for_short_messages():
    tracker = make_tracker([user_event("ok", "affirm", metadata={"language": "fi"})], slots={"language": "en"})
    _, events = await run(ActionDetectLanguage(), tracker)
    assert events == []


async def test_language_request_naming_a_language():
    tracker = make_tracker([user_event("Kan vi prata engelska?", "change_language")], slots={"language": "en"})
    _, events = await run(ActionCheckLanguageRequest(), tracker)
    assert events == [SlotSet("language_request", "named")]


async def test_language_request_from_a_button():
    tracker = make_tracker([user_event('/change_language{"language":"sv"}', "change_language",
                                       entities=[{"entity": "language", "value": "sv"}])])
    _, events = await run(ActionCheckLanguageRequest(), tracker)
    assert events == [SlotSet("language_request", "named")]


async def test_language_request_naming_no_language():
    tracker = make_tracker([user_event("can we use another language", "change_language")])
    _, events = await run(ActionCheckLanguageRequest(), tracker)
    assert events == [SlotSet("language_request", "unnamed")]


def test_misunderstandings_are_counted_back_to_the_last_understood_message():
    events = [
        user_event("hi", "greet"), bot_event("utter_greet"),
        user_event("weather?", "out_of_scope"), bot_event(),
        user_event("asdf", "nlu_fallback"), bot_event(),
    ]
    assert misunderstandings_in_a_row(events) == 2
    assert misunderstandings_in_a_row(events + [user_event("funding", "funding")]) == 0
    assert misunderstandings_in_a_row([{"event": "session_started"}, user_event("x", "nlu_fallback")]) == 1


async def test_first_misunderstanding():
    tracker = make_tracker([user_event("hi", "greet"), bot_event("utter_greet"), user_event("asdf qwerty", "nlu_fallback")])
    _, events = await run(ActionCountMisunderstanding(), tracker)
    assert events == [SlotSet("misunderstanding", "first")]


async def test_second_misunderstanding_in_a_row_is_repeated():
    tracker = make_tracker([
        user_event("what's the weather", "out_of_scope"), bot_event(),
        user_event("asdf qwerty", "nlu_fallback"),
    ])
    _, events = await run(ActionCountMisunderstanding(), tracker)
    assert events == [SlotSet("misunderstanding", "repeated")]
