from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleMisunderstanding, misunderstandings_in_a_row
from actions.language import ActionChangeLanguage, ActionDetectLanguage
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


async def test_change_language_confirms_a_named_language():
    tracker = make_tracker([user_event("Kan vi prata engelska?", "change_language")], slots={"language": "en"})
    messages, _ = await run(ActionChangeLanguage(), tracker)
    assert [m["response"] for m in messages] == ["utter_language_changed"]


async def test_change_language_asks_when_no_language_is_named():
    tracker = make_tracker([user_event("can we use another language", "change_language")])
    messages, _ = await run(ActionChangeLanguage(), tracker)
    assert [m["response"] for m in messages] == ["utter_ask_language"]


def test_misunderstandings_are_counted_back_to_the_last_understood_message():
    events = [
        user_event("hi", "greet"), bot_event("utter_greet"),
        user_event("weather?", "out_of_scope"), bot_event(),
        user_event("asdf", "nlu_fallback"), bot_event(),
    ]
    assert misunderstandings_in_a_row(events) == 2
    assert misunderstandings_in_a_row(events + [user_event("funding", "funding")]) == 0
    assert misunderstandings_in_a_row([{"event": "session_started"}, user_event("x", "nlu_fallback")]) == 1


async def test_first_misunderstanding_says_what_the_bot_can_do():
    tracker = make_tracker([user_event("hi", "greet"), user_event("asdf qwerty", "nlu_fallback")])
    messages, _ = await run(ActionHandleMisunderstanding(), tracker)
    assert [m["response"] for m in messages] == ["utter_default"]


async def test_out_of_scope_gets_its_own_answer():
    tracker = make_tracker([user_event("what's the weather", "out_of_scope")])
    messages, _ = await run(ActionHandleMisunderstanding(), tracker)
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


async def test_second_misunderstanding_in_a_row_offers_a_person():
    tracker = make_tracker([
        user_event("what's the weather", "out_of_scope"), bot_event(),
        user_event("asdf qwerty", "nlu_fallback"),
    ])
    messages, _ = await run(ActionHandleMisunderstanding(), tracker)
    assert [m["response"] for m in messages] == ["utter_offer_human"]
