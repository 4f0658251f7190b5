"""Tracker events and Rasa answers as the widget's entries."""
from bot.rasa import transcript


def user(text, message_id=None, shown=None, at=1.0):
    metadata = {"language": "en"}
    if message_id:
        metadata["client_message_id"] = message_id
    if shown:
        metadata["shown_text"] = shown
    return {"event": "user", "text": text, "timestamp": at, "metadata": metadata}


def bot(text, buttons=None, at=2.0, **metadata):
    return {"event": "bot", "text": text, "timestamp": at, "metadata": metadata, "data": {"buttons": buttons}}


EVENTS = [
    {"event": "action", "name": "action_listen", "timestamp": 0.5},
    user("/funding", "m1", "Funding", 1.0),
    {"event": "slot", "name": "language", "value": "en", "timestamp": 1.1},
    bot("Funding answer", [{"title": "Book", "payload": "/book_appointment"}], 1.2),
    bot("Second part", at=1.3),
    user("thanks", "m2", at=2.0),
    bot("You're welcome", at=2.1),
    bot("Hi, I am Anna", at=3.0, adviser="Anna"),
    bot(None, at=3.1),
]


def test_history_shows_user_and_bot_messages_with_titles_and_times():
    entries = transcript.history(EVENTS)
    assert [(e["who"], e["text"]) for e in entries] == [
        ("user", "Funding"), ("assistant", "Funding answer"), ("assistant", "Second part"),
        ("user", "thanks"), ("assistant", "You're welcome"), ("adviser", "Hi, I am Anna"),
    ]
    assert entries[0]["id"] == "m1" and entries[0]["time"] == 1.0
    assert entries[1]["buttons"] == [{"title": "Book", "payload": "/book_appointment"}]
    assert transcript.history(EVENTS, limit=2)[0]["text"] == "You're welcome"


def test_replies_to_a_message_id():
    found = transcript.replies_to(EVENTS, "m1")
    assert found is not None
    message, replies = found
    assert message["text"] == "Funding"
    assert [r["text"] for r in replies] == ["Funding answer", "Second part"]
    assert transcript.replies_to(EVENTS, "unknown") is None


def test_rest_answers_keep_text_and_buttons_only():
    answers = [
        {"recipient_id": "x", "text": "Hello", "buttons": [{"title": "A", "payload": "/a"}, "junk"]},
        {"recipient_id": "x", "image": "http://img"},
    ]
    assert transcript.from_answers(answers, 5.0) == [
        {"who": "assistant", "text": "Hello", "buttons": [{"title": "A", "payload": "/a"}], "time": 5.0}
    ]
