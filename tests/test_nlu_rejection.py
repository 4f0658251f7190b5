"""Saying no to what is not a business matter (bot/rasa/nlu.py prefer_rejection, issue 12)."""
from bot.rasa.nlu import prefer_rejection


def ranking(**confidences):
    return [{"name": name, "confidence": value}
            for name, value in sorted(confidences.items(), key=lambda item: -item[1])]


def test_a_business_intent_with_much_rejection_mass_becomes_the_likelier_rejection():
    chosen = prefer_rejection(ranking(book_appointment=0.4, resident_matter=0.25, out_of_scope=0.15, greet=0.2), 0.8)
    assert chosen[0] == {"name": "resident_matter", "confidence": 0.4}
    assert [entry["name"] for entry in chosen] == ["resident_matter", "book_appointment", "greet"]


def test_the_rejection_keeps_the_business_intents_confidence_when_that_is_higher():
    chosen = prefer_rejection(ranking(book_appointment=0.6, resident_matter=0.15, out_of_scope=0.05, greet=0.2), 0.25)
    assert chosen[0] == {"name": "resident_matter", "confidence": 0.6}


def test_a_confident_business_intent_stays():
    original = ranking(book_appointment=0.7, resident_matter=0.2, out_of_scope=0.1)
    assert prefer_rejection(original, 0.8) == original


def test_off_and_non_business_tops_are_left_alone():
    original = ranking(book_appointment=0.4, resident_matter=0.35, out_of_scope=0.25)
    assert prefer_rejection(original, 0.0) == original
    greeting = ranking(greet=0.5, out_of_scope=0.5)
    assert prefer_rejection(greeting, 0.5) == greeting
