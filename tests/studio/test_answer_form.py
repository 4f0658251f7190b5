"""The answer editor's form (bot/studio/answer_form.py): fields to a document and back, a variation
added in the spare fields, one removed by emptying it in every language."""
from __future__ import annotations

from typing import Dict

from bot.studio.answer_form import doc_from_form, rows

SHAPE = {"kind": "response", "languages": {
    lang: [{"text": f"{lang} one", "buttons": [{"title": f"{lang} fund", "payload": "/funding"}]}, {"text": f"{lang} two"}]
    for lang in ("fi", "sv", "en")}}


def _form(doc) -> Dict[str, str]:  # type: ignore[no-untyped-def]
    """The fields the editor's page posts for `doc` unchanged (the spare variation empty)."""
    fields = {}
    for row in rows(doc):
        for lang, item in row["langs"].items():
            fields[f"text.{lang}.{row['number']}"] = item["text"]
            for j, button in enumerate(item["buttons"]):
                fields[f"button.{lang}.{row['number']}.{j}.title"] = button["title"]
                fields[f"button.{lang}.{row['number']}.{j}.payload"] = button["payload"]
    return fields


def test_an_unchanged_form_gives_back_the_document_and_the_page_has_one_spare_variation():
    shown = rows(SHAPE)
    assert [(r["number"], r["spare"]) for r in shown] == [(0, False), (1, False), (2, True)]
    assert shown[2]["langs"]["sv"] == {"text": "", "buttons": [{"title": "", "payload": ""}]}
    assert doc_from_form(_form(SHAPE), SHAPE) == SHAPE


def test_the_spare_fields_add_a_variation_and_emptying_one_everywhere_removes_it():
    form = _form(SHAPE)
    for lang in ("fi", "sv", "en"):
        form[f"text.{lang}.2"] = f"{lang} three"
        form[f"text.{lang}.0"] = ""
        form[f"button.{lang}.0.0.title"] = form[f"button.{lang}.0.0.payload"] = ""
    doc = doc_from_form(form, SHAPE)
    assert doc["languages"]["sv"] == [{"text": "sv two"}, {"text": "sv three"}]


def test_a_variation_emptied_in_one_language_only_stays_for_the_check_to_explain():
    form = _form(SHAPE)
    form["text.sv.1"] = ""
    doc = doc_from_form(form, SHAPE)
    assert [v["text"] for v in doc["languages"]["sv"]] == ["sv one", ""]
    assert [v["text"] for v in doc["languages"]["fi"]] == ["fi one", "fi two"]


def test_every_variation_emptied_leaves_one_empty_variation():
    form = {name: "" for name in _form(SHAPE)}
    assert doc_from_form(form, SHAPE)["languages"] == {lang: [{"text": ""}] for lang in ("fi", "sv", "en")}
