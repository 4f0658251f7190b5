"""The history's diff (bot/studio/answer_diff.py): whole words, changes that read as phrases, every field."""
from __future__ import annotations

import copy
from pathlib import Path

from bot.studio.answer_diff import diff, words
from bot.studio.answer_docs import read_docs

DOCS = read_docs(Path(__file__).resolve().parents[2] / "data" / "responses")


def test_words_are_compared_whole_and_neighbouring_changes_read_as_one():
    assert words("free of charge and in confidence", "at no cost and in confidence") == [
        ("-", "free of charge"), ("+", "at no cost"), ("=", " and in confidence")]
    assert words("Starttiraha on {x} päivässä.", "Starttiraha on {y} päivässä!") == [
        ("=", "Starttiraha on "), ("-", "{x}"), ("+", "{y}"), ("=", " päivässä"), ("-", "."), ("+", "!")]
    assert words("same", "same") == [("=", "same")]
    assert words("", "new text") == [("+", "new text")]


def test_a_diff_names_each_changed_field_of_a_topic_answer():
    old = DOCS["utter_funding"]
    new = copy.deepcopy(old)
    new["languages"]["sv"][0]["text"] = new["languages"]["sv"][0]["text"].replace("Business Finland", "BF")
    new["languages"]["en"][0]["buttons"][1]["title"] = "Start-up grant"
    changes = diff(old, new)
    assert [(c.language, c.label, c.number) for c in changes] == [("sv", "text", 0), ("en", "button", 2)]
    assert ("+", "BF") in changes[0].segments
    assert changes[1].segments == [("-", "Startup"), ("+", "Start-up"), ("=", " grant → /startup_grant")]


def test_a_diff_of_a_specific_answer_covers_date_title_and_link():
    old = DOCS["utter_funding/finnvera_loans"]
    new = copy.deepcopy(old)
    new["checked"] = "2027-01-15"
    new["languages"]["fi"]["link"]["url"] = "https://www.finnvera.fi/uusi"
    assert [(c.language, c.label) for c in diff(old, new)] == [("", "checked"), ("fi", "link")]
    assert diff(old, old) == []
