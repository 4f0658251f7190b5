"""The answer check (bot/studio/answer_check.py): each problem the editor is told about, in her language."""
from __future__ import annotations

import copy
from pathlib import Path

from bot.content.responses import MAX_ANSWER_CHARS, read_figures
from bot.studio.answer_check import check, messages
from bot.studio.answer_docs import read_docs

ROOT = Path(__file__).resolve().parents[2]
DOCS = read_docs(ROOT / "data" / "responses")
FIGURES = read_figures(ROOT / "data" / "responses")


def problems(name: str, change) -> list:
    doc = copy.deepcopy(DOCS[name])
    change(doc)
    return [(p.code, p.language, p.where) for p in check(name, doc, domain_file=ROOT / "domain.yml", figures=FIGURES)]


def test_every_shipped_answer_passes():
    assert {name: found for name, doc in DOCS.items()
            if (found := check(name, doc, domain_file=ROOT / "domain.yml", figures=FIGURES))} == {}


def test_a_missing_language_and_a_missing_variation():
    assert problems("utter_funding", lambda d: d["languages"]["sv"][0].update(text="  ")) == [
        ("missing_language", "sv", "text.sv.0")]
    assert problems("utter_greet", lambda d: d["languages"]["en"].pop()) == [("missing_language", "en", "text.en.2")]


def test_a_button_must_name_an_intent_of_the_domain():
    def buttons(d):
        d["languages"]["fi"][0]["buttons"] = [{"title": "Rahoitus", "payload": "/funding"},
                                             {"title": "Kieli", "payload": '/change_language{"language":"sv"}'},
                                             {"title": "X", "payload": "/fundingg"}, {"title": "", "payload": "rahoitus"}]
    assert problems("utter_funding", buttons) == [("unknown_intent", "fi", "button.fi.0.2.payload"),
                                                  ("button_title", "fi", "button.fi.0.3.title"),
                                                  ("unknown_intent", "fi", "button.fi.0.3.payload"),
                                                  ("buttons_differ", "sv", "button.sv.0.0.payload"),
                                                  ("buttons_differ", "en", "button.en.0.0.payload")]
    # a form's question may offer a plain answer (the language of contact)
    assert problems("utter_ask_contact_language", lambda d: None) == []


def test_every_language_offers_the_same_quick_replies():
    def reorder(d):
        d["languages"]["sv"][0]["buttons"].reverse()
    assert problems("utter_funding", reorder) == [("buttons_differ", "sv", "button.sv.0.0.payload")]


def test_placeholders_links_and_length():
    assert problems("utter_startup_grant", lambda d: d["languages"]["en"][0].update(
        text="{startup_grant_daily} a day, {results}, {no_such_figure}")) == [
        ("unknown_placeholder", "en", "text.en.0")]
    assert problems("utter_funding", lambda d: d["languages"]["fi"][0].update(text="Katso http://finnvera.fi.")) == [
        ("not_https", "fi", "text.fi.0")]
    # the limit counts the figures as written: 1,200 characters of "x" plus a figure is over it
    long_text = "x" * (MAX_ANSWER_CHARS - 3) + "{startup_grant_daily}"
    assert problems("utter_startup_grant", lambda d: d["languages"]["sv"][0].update(text=long_text)) == [
        ("too_long", "sv", "text.sv.0")]


def test_a_specific_answer_checks_its_link_title_and_date():
    def broken(d):
        d["checked"] = "30.11.2026"
        d["languages"]["en"]["link"]["url"] = "http://www.finnvera.fi"
        d["languages"]["sv"]["title"] = "x" * 41
        d["languages"]["fi"]["text"] += " https://www.finnvera.fi"
    found = problems("utter_funding/finnvera_loans", broken)
    assert found == [("url_in_text", "fi", "text.fi"), ("title_too_long", "sv", "title.sv"),
                     ("not_https", "en", "link_url.en")]
    assert problems("utter_funding/finnvera_loans", lambda d: d.update(checked="30.11.2026")) == [
        ("checked", "", "checked")]


def test_messages_speak_the_editors_language():
    name, doc = "utter_funding", copy.deepcopy(DOCS["utter_funding"])
    doc["languages"]["en"][0]["buttons"][0]["payload"] = "/nope"
    found = check(name, doc, domain_file=ROOT / "domain.yml", figures=FIGURES)
    assert messages(found, "sv")[0]["message"].startswith("English: snabbsvarets ämne /nope känner assistenten inte")
    assert messages(found, "fi")[0]["message"].startswith("English: pikavastauksen aihe /nope ei ole")
