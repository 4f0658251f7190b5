"""Specific answers: the reader of data/responses/questions/, the NLG's choice, the selector's rule."""
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.rasa.nlg import generate, specific_question
from bot.rasa.question_selector import rescued_topic, select, switched_topic
from bot.content.questions import QuestionFileError, load_question_book
from bot.content.responses import ResponseCatalog

TOPIC = {
    "fi": {"utter_taxes_and_accounting": [{"text": "Verot yleisesti.", "buttons": [{"title": "Neuvoja", "payload": "/book_appointment"}]}]},
    "sv": {"utter_taxes_and_accounting": [{"text": "Skatter allmänt.", "buttons": [{"title": "Rådgivare", "payload": "/book_appointment"}]}]},
    "en": {"utter_taxes_and_accounting": [{"text": "Taxes in general.", "buttons": [{"title": "Adviser", "payload": "/book_appointment"}]}]},
}


def question(key, fi_text="Raja on {vat_threshold} vuodessa."):
    def part(title, text, label, url):
        return {"title": title, "text": text, "link": {"label": label, "url": url}}
    return {key: {
        "checked": date(2026, 11, 30),
        "fi": part("Milloin alv-velvolliseksi?", fi_text, "Arvonlisävero (Vero.fi)", "https://www.vero.fi/yritykset-ja-yhteisot/verot-ja-maksut/arvonlisaverotus/"),
        "sv": part("När momsskyldig?", "Gränsen är {vat_threshold} per år.", "Moms (Vero.fi)", "https://www.vero.fi/sv/foretag-och-samfund/skatter-och-avgifter/mervardesbeskattning/"),
        "en": part("When must I register for VAT?", "The limit is {vat_threshold} a year.", "VAT (Vero.fi)", "https://www.vero.fi/en/businesses-and-corporations/taxes-and-charges/vat/"),
    }}


def write(directory: Path, questions: dict) -> Path:
    for language, table in TOPIC.items():
        (directory / f"{language}.yml").write_text(yaml.safe_dump(table, allow_unicode=True))
    (directory / "questions").mkdir(exist_ok=True)
    (directory / "questions" / "taxes_and_accounting.yml").write_text(yaml.dump(questions, allow_unicode=True))
    (directory / "figures.yml").write_text(
        "vat_threshold: {value: 20000, unit: eur, note: per year, source: 'https://www.vero.fi/', checked: 2026-11-30}\n")
    return directory


@pytest.fixture
def catalog(tmp_path: Path) -> ResponseCatalog:
    questions = {**question("taxes_and_accounting/vat_threshold"), **question("taxes_and_accounting/vat_rates")}
    return ResponseCatalog.from_directory(write(tmp_path, questions))


def test_a_specific_answer_has_its_figure_link_and_checked_date(catalog):
    answer = catalog.questions.answers["taxes_and_accounting/vat_threshold"]
    assert answer.render("fi") == ("Raja on 20\u00a0000\u00a0€ vuodessa.\nArvonlisävero (Vero.fi): "
                                   "https://www.vero.fi/yritykset-ja-yhteisot/verot-ja-maksut/arvonlisaverotus/\n"
                                   "Tieto tarkistettu 30.11.2026.")
    assert answer.render("en").endswith("Checked on 30 Nov 2026.")
    assert catalog.variations("utter_taxes_and_accounting/vat_threshold", "sv")[0]["text"].startswith(
        "Gränsen är 20\u00a0000\u00a0€ per år.")


@pytest.mark.parametrize("broken", [
    {"fi": None},
    {"sv": {"title": "x" * 41}},
    {"en": {"text": "See https://www.vero.fi/en/"}},
    {"fi": {"link": {"label": "Vero", "url": "http://www.vero.fi/"}}},
    {"fi": {"text": "Raja on {no_such_figure}."}},
    {"checked": "last year"},
])
def test_a_broken_entry_is_refused_with_its_name(tmp_path: Path, broken):
    entry = question("taxes_and_accounting/vat_threshold")["taxes_and_accounting/vat_threshold"]
    for field, value in broken.items():
        if isinstance(value, dict):
            entry[field] = {**entry[field], **value}
        else:
            entry[field] = value
    write(tmp_path, {"taxes_and_accounting/vat_threshold": entry})
    with pytest.raises(QuestionFileError, match="vat_threshold"):
        load_question_book(tmp_path)


def test_a_key_must_belong_to_the_topic_of_its_file(tmp_path: Path):
    write(tmp_path, question("funding/vat_threshold"))
    with pytest.raises(QuestionFileError, match="taxes_and_accounting/"):
        load_question_book(tmp_path)


def nlg_body(latest, language="fi"):
    return {"response": "utter_taxes_and_accounting", "arguments": {},
            "tracker": {"slots": {"language": language}, "latest_message": latest}}


def latest(selection=None, entities=(), intent="taxes_and_accounting"):
    message = {"intent": {"name": intent}, "entities": list(entities), "text": "..."}
    if selection is not None:
        message["specific_question"] = selection
    return message


def test_the_nlg_answers_the_question_the_nlu_chose(catalog):
    selection = {"name": "taxes_and_accounting/vat_threshold", "confidence": 0.9, "ranking": []}
    answer = generate(catalog, nlg_body(latest(selection), "sv"))
    assert answer["text"].startswith("Gränsen är 20\u00a0000\u00a0€")
    assert answer["answer"] == "utter_taxes_and_accounting/vat_threshold"
    assert [b["payload"] for b in answer["buttons"]] == ["/book_appointment"]


def test_a_doubtful_question_gets_the_topic_answer_with_quick_replies(catalog):
    selection = {"name": None, "confidence": 0.4, "ranking": [
        {"name": "taxes_and_accounting/vat_rates", "confidence": 0.4},
        {"name": "taxes_and_accounting/vat_threshold", "confidence": 0.3}]}
    answer = generate(catalog, nlg_body(latest(selection), "en"))
    assert answer["text"] == "Taxes in general.\n\nDid you mean one of these?"
    assert answer["answer"] == "utter_taxes_and_accounting"
    assert answer["buttons"] == [
        {"title": "When must I register for VAT?",
         "payload": '/taxes_and_accounting{"question": "taxes_and_accounting/vat_rates"}'},
        {"title": "When must I register for VAT?",
         "payload": '/taxes_and_accounting{"question": "taxes_and_accounting/vat_threshold"}'},
    ]


def test_a_quick_reply_names_its_question(catalog):
    entity = {"entity": "question", "value": "taxes_and_accounting/vat_threshold"}
    answer = generate(catalog, nlg_body(latest(entities=[entity]), "fi"))
    assert answer["text"].startswith("Raja on 20\u00a0000\u00a0€")


@pytest.mark.parametrize("message", [
    latest({"name": "taxes_and_accounting/vat_threshold", "ranking": []}, intent="funding"),
    latest(entities=[{"entity": "question", "value": "funding/finnvera_loans"}]),
    latest({"name": "taxes_and_accounting/no_such_question", "ranking": []}),
    latest(),
])
def test_no_specific_answer_from_another_topic_or_an_unknown_key(catalog, message):
    chosen, suggestions = specific_question("utter_taxes_and_accounting", message, catalog.questions)
    assert chosen is None and suggestions == []


@pytest.mark.parametrize("scores, expected", [
    ({"taxes_and_accounting/vat_threshold": 0.8, "taxes_and_accounting/vat_rates": -0.2,
      "taxes_and_accounting": 0.1, "funding": 0.9}, "taxes_and_accounting/vat_threshold"),
    # leads the runner-up question by 0.1 only
    ({"taxes_and_accounting/vat_threshold": 0.3, "taxes_and_accounting/vat_rates": 0.2,
      "taxes_and_accounting": -0.5}, None),
    # leads the other questions but not the topic's general examples
    ({"taxes_and_accounting/vat_threshold": 0.3, "taxes_and_accounting/vat_rates": -0.5,
      "taxes_and_accounting": 0.2}, None),
    ({"taxes_and_accounting": 0.9, "funding": 0.1}, None),
])
def test_the_selector_chooses_only_a_clear_question_of_the_topic(scores, expected):
    chosen = select(scores, "taxes_and_accounting", margin=0.3, length=3)
    assert chosen["name"] == expected
    ranked = [r["name"] for r in chosen["ranking"]]
    assert ranked == sorted((k for k in scores if k.startswith("taxes_and_accounting/")), key=lambda k: -scores[k])


def test_nothing_is_chosen_when_the_topic_itself_is_doubtful():
    scores = {"taxes_and_accounting/vat_threshold": 2.0, "taxes_and_accounting/vat_rates": -1.0,
              "taxes_and_accounting": -1.0}
    doubtful = select(scores, "taxes_and_accounting", margin=0.3, length=3, topic_is_sure=False)
    assert doubtful["name"] is None
    assert doubtful["ranking"][0]["name"] == "taxes_and_accounting/vat_threshold"


RANKING = [{"name": "funding", "confidence": 0.6}, {"name": "taxes_and_accounting", "confidence": 0.3},
           {"name": "permits", "confidence": 0.05}]


@pytest.mark.parametrize("best, expected", [
    ("taxes_and_accounting/vat_threshold", "taxes_and_accounting"),  # likely enough: switch
    ("permits/alcohol_licence", None),  # the intent classifier found permits unlikely
    ("funding/finnvera_loans", None),  # the same topic
    ("taxes_and_accounting", None),  # general examples of another topic: no specific question
])
def test_a_clear_question_of_a_likely_other_topic_switches_the_topic(best, expected):
    scores = {label: -1.0 for label in ("funding", "funding/finnvera_loans", "taxes_and_accounting",
                                        "taxes_and_accounting/vat_threshold", "permits/alcohol_licence")}
    scores[best] = 1.0
    switched = switched_topic(scores, RANKING, "funding", least=0.1)
    assert (switched or {}).get("name") == expected


NOT_UNDERSTOOD_RANKING = [{"name": "nlu_fallback", "confidence": 0.15}, {"name": "funding", "confidence": 0.12},
                          {"name": "permits", "confidence": 0.04}]


@pytest.mark.parametrize("best, runner_up, expected", [
    (0.3, -0.5, "funding"),  # a clear question of a topic the classifier ranked: rescued
    (0.3, 0.0, None),  # its lead is too small
    (-0.1, -0.9, None),  # no label is positive: nothing is clear
])
def test_a_message_not_understood_is_rescued_only_by_a_clear_question(best, runner_up, expected):
    scores = {"funding/finnvera_loans": best, "funding": runner_up, "out_of_scope": -1.0}
    rescued = rescued_topic(scores, NOT_UNDERSTOOD_RANKING, margin=0.4, least=0.1)
    assert (rescued or {}).get("name") == expected


def test_no_rescue_for_an_unlikely_topic_or_when_turned_off():
    scores = {"permits/alcohol_licence": 1.0, "permits": -1.0, "funding/finnvera_loans": -1.0}
    assert rescued_topic(scores, NOT_UNDERSTOOD_RANKING, margin=0.4, least=0.1) is None
    scores = {"funding/finnvera_loans": 1.0, "funding": -1.0}
    assert rescued_topic(scores, NOT_UNDERSTOOD_RANKING, margin=0.0, least=0.1) is None


def test_no_specific_answer_when_a_question_of_another_topic_scores_clearly_higher():
    scores = {"funding/finnvera_loans": 1.0, "funding/business_finland": 0.0, "funding": -1.0,
              "taxes_and_accounting/vat_threshold": 1.5}
    assert select(scores, "funding", margin=0.2, length=3)["name"] == "funding/finnvera_loans"
    assert select(scores, "funding", margin=0.2, length=3, rival_gap=0.2)["name"] is None
    assert select(scores, "funding", margin=0.2, length=3, rival_gap=0.6)["name"] == "funding/finnvera_loans"


class _FixedScores:
    """A stand-in for the selector's trained pipeline: the same decision scores for every text."""

    def __init__(self, scores):
        self.classes_ = list(scores)
        self._row = [list(scores.values())]

    def decision_function(self, texts):
        return self._row * len(texts)


@pytest.mark.parametrize("follow_up, expected", [(None, None), ("entrepreneur_insurance", "entrepreneur_insurance/yel_cost")])
def test_a_follow_up_keeps_its_specific_answer_when_another_topic_scores_higher(follow_up, expected):
    """'paljonko se maksaa?' after YEL: registration costs score higher on the bare words, but the topic is YEL."""
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa.follow_up import FOLLOW_UP_KEY
    from bot.rasa.question_selector import OUTPUT_KEY, SpecificQuestionSelector

    scores = {"entrepreneur_insurance": 0.0, "entrepreneur_insurance/yel_cost": 1.0,
              "entrepreneur_insurance/yel_discount": 0.2, "company_registration/registration_cost": 1.5}
    selector = SpecificQuestionSelector({"rival_gap": 0.2}, None, None, _FixedScores(scores))  # type: ignore[arg-type]
    message = Message({TEXT: "paljonko se maksaa?", INTENT: {"name": "entrepreneur_insurance", "confidence": 0.9}})
    if follow_up:
        message.set(FOLLOW_UP_KEY, follow_up)
    selector.process([message])
    assert message.get(OUTPUT_KEY)["name"] == expected
