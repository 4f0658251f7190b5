"""The contact request form and the rating, without a database."""
import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.contact_form import ASK_ACTIONS, ValidateContactRequestForm, contact_method
from actions.handoff import rating_from, topics_seen
from bot.validation import NO_BUSINESS_ID, normalise_business_id
from tests.conftest import make_tracker, user_event
from tests.livestack import responses


@pytest.fixture
def form():
    return ValidateContactRequestForm()


async def validate(form, slot, value):
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = await method(value, dispatcher, make_tracker([]), {})
    return result[slot], [m.get("response") for m in dispatcher.messages]


async def test_business_id_is_normalised(form):
    assert await validate(form, "business_id", " 01120389 ") == ("0112038-9", [])


@pytest.mark.parametrize("value", ["0112038-8", "abc", "", "1234567"])
async def test_bad_business_id_is_asked_again_with_the_reason(form, value):
    assert await validate(form, "business_id", value) == (None, ["utter_invalid_business_id"])


@pytest.mark.parametrize("value", [
    "ei oo vielä y-tunnusta, vasta perustamassa", "ei vielä Y-tunnusta", "yritys on vasta perusteilla",
    "vi har inget FO-nummer än", "inget FO-nummer ännu", "företaget håller på att grundas",
    "no business ID yet", "We don't have one, I'm setting up the company", "not yet",
])
async def test_no_business_id_yet_is_accepted_in_every_language(form, value):
    assert await validate(form, "business_id", value) == (NO_BUSINESS_ID, [])


async def test_the_no_id_button_is_accepted(form):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/deny", "deny")])
    result = await form.validate_business_id("/deny", dispatcher, tracker, {})
    assert (result["business_id"], dispatcher.messages) == (NO_BUSINESS_ID, [])


async def test_the_example_in_the_question_is_a_valid_business_id():
    for language in ("fi", "sv", "en"):
        for variation in responses(language)["utter_ask_business_id"]:
            examples = re.findall(r"\d{7}-\d", variation)
            assert examples and all(normalise_business_id(example) for example in examples), variation


async def test_contact_accepts_email_and_phone(form):
    assert await validate(form, "contact", "yrittaja@example.fi") == ("yrittaja@example.fi", [])
    assert await validate(form, "contact", "040 123 4567") == ("+358401234567", [])


async def test_bad_contact_is_asked_again(form):
    assert await validate(form, "contact", "call me maybe") == (None, ["utter_invalid_contact"])


@pytest.mark.parametrize("value, expected", [("svenska", "sv"), ("suomi", "fi"), ("English", "en"), ("fi", "fi"), ("klingon", None)])
async def test_contact_language(form, value, expected):
    assert (await validate(form, "contact_language", value))[0] == expected


async def test_long_texts_are_cut_and_empty_ones_refused(form):
    assert len((await validate(form, "contact_topic", "x" * 5000))[0]) == 1000
    assert (await validate(form, "company_name", "   "))[0] is None


def test_contact_method():
    assert contact_method("a@b.fi") == {"method": "email", "value": "a@b.fi"}
    assert contact_method("+358 40 1234567") == {"method": "phone", "value": "+358401234567"}
    assert contact_method("nope") is None


async def test_each_form_slot_has_a_question_action():
    names = []
    for action_class in ASK_ACTIONS:
        dispatcher = CollectingDispatcher()
        action = action_class()
        await action.run(dispatcher, make_tracker([]), {})
        names.append((action.name(), dispatcher.messages[0]["response"]))
    assert ("action_ask_business_id", "utter_ask_business_id") in names
    assert len(names) == 6


@pytest.mark.parametrize("slot, text, expected", [
    ("4", '/rate{"rating":"4"}', 4), (None, "annan nelosen", 4), (None, "jag ger betyget fem", 5),
    (None, "I'd rate this one a four", 4), (None, "3/5", 3), (None, "great", None), (None, "10", None),
])
def test_rating_from(slot, text, expected):
    assert rating_from(slot, text) == expected


def test_topics_seen_keeps_business_intents_in_order():
    events = [user_event("hi", "greet"), user_event("funding?", "funding"),
              user_event("permits", "permits"), user_event("more funding", "funding")]
    assert topics_seen(events) == ["funding", "permits"]


def test_escalation_reason():
    from actions.handoff import escalation_reason

    after_offer = [{"event": "action", "name": "utter_offer_human"}, {"event": "action", "name": "action_listen"},
                   {"event": "user", "text": "yes"}, {"event": "action", "name": "action_escalate"}]
    assert escalation_reason(after_offer, []) == "fallback"
    asked = [{"event": "user", "text": "person"}, {"event": "action", "name": "action_escalate"}]
    assert escalation_reason(asked, ["funding"]) == "requested"
    assert escalation_reason(asked, ["business_in_difficulty"]) == "business_in_difficulty"
