"""What a native reader's review fixed in the answers stays fixed (issue 12): one form of
address in Finnish, one name for Työmarkkinatori and the brand in Swedish, answers that say
what the buttons really do, the same facts in every language, yearly facts from figures.yml,
counts that read right, and a few wordings for the small talk."""
import random
import re
from pathlib import Path
from typing import Iterator, Tuple

import pytest
import yaml

from bot import locale
from bot.config import LANGUAGES
from bot.content.figures import format_figure, load_figures
from bot.content.responses import ResponseCatalog
from tests.conftest import ROOT

RESPONSES = ROOT / "data" / "responses"
CATALOG = ResponseCatalog.from_directory(RESPONSES)
FIGURES = load_figures(RESPONSES / "figures.yml")


def answer_texts(language: str) -> Iterator[Tuple[str, str]]:
    """(where, text) of every answer the assistant can say in `language`: the topic answers,
    the specific answers with their link label, and the interface texts."""
    for name in CATALOG.names(language):
        for variation in CATALOG.variations(name, language):
            yield name, variation.get("text") or ""
            for button in variation.get("buttons") or []:
                yield f"{name} button", button["title"]
    for key, answer in CATALOG.questions.answers.items():
        yield f"{key} title", answer.titles[language]
    for group, entries in locale.tables()[language].items():
        for key, value in entries.items():
            yield f"locale {group}.{key}", value


# --- Finnish: one form of address (sinä) -------------------------------------------------

# te-forms: the pronoun, 2nd person plural verbs (voitte, sovitte) and possessives (yrityksenne).
TE_FORMS = re.compile(r"\b(te|teidän|teille|teitä|teillä|teiltä|teistä|teihin|\w+tte|\w+nne)\b", re.IGNORECASE)
NOT_ADDRESS = {"sinne", "tänne", "minne", "tuonne", "tilanne", "kanne"}


def test_finnish_answers_say_sina_never_te():
    found = []
    for where, text in answer_texts("fi"):
        if where.endswith(" title"):
            continue  # a question title is the user's own voice ("Mikä on puhelinnumeronne?")
        found += [(where, m.group(0)) for m in TE_FORMS.finditer(text) if m.group(0).lower() not in NOT_ADDRESS]
    assert found == []


def test_the_te_check_sees_what_it_must():
    hits = {m.group(0) for m in TE_FORMS.finditer("Voitte sopia teidän yrityksessänne, kun tarvitsette apua.")}
    assert hits == {"Voitte", "teidän", "yrityksessänne", "tarvitsette"}


def test_the_console_shows_no_intent_jargon():
    # "Aikomus" (intent) means nothing to an adviser: the console says "Tulkinta"/"Aihe".
    finnish = " ".join(text for _, text in answer_texts("fi"))
    assert "aikomus" not in finnish.lower()
    assert locale.text("fi", "console.understood", intent="Starttiraha", confidence="0,91").startswith("Tulkinta:")


# --- Swedish: Finland-Swedish names, used one way ----------------------------------------

def test_swedish_names_tyomarkkinatori_only_jobbmarknad():
    other_names = re.compile(r"Työmarkkinatori|Job Market|Jobbmarknaden\w*|Jobbmarknads\b|Jobbmarknadens|arbetsmarknadstorg", re.I)
    assert [(where, m.group(0)) for where, text in answer_texts("sv") for m in other_names.finditer(text)] == []
    assert any("Jobbmarknad" in text for _, text in answer_texts("sv"))


def test_swedish_keeps_the_brand_business_espoo():
    assert [where for where, text in answer_texts("sv") if re.search(r"Business Esbo|Företagsesbo", text)] == []


def test_swedish_says_grundanmalan():
    assert [where for where, text in answer_texts("sv") if re.search(r"etableringsanmälan|startanmälan", text, re.I)] == []
    assert "grundanmälan" in CATALOG.variations("utter_company_registration", "sv")[0]["text"]


def test_swedish_addresses_the_company_with_du():
    company_ni = re.compile(r"\b(ert|er) (företag|personal)\b|\bom ni anställer\b", re.I)
    assert [where for where, text in answer_texts("sv") if company_ni.search(text)] == []


# --- answers say what really happens -------------------------------------------------------

def test_request_human_is_the_failed_handoff_answer():
    # data/rules: "handoff failed, give the contact details" -> utter_request_human.
    rules = yaml.safe_load((ROOT / "data" / "rules" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    failed = next(r for r in rules if r["rule"].startswith("handoff failed"))
    assert {"action": "utter_request_human"} in failed["steps"]
    for language, words in {"fi": ("vielä",), "sv": ("ännu",), "en": ("yet",)}.items():
        text = CATALOG.variations("utter_request_human", language)[0]["text"]
        assert not any(re.search(rf"\b{w}\b", text) for w in words), language
        assert "36363" in text and "info@businessespoo.fi" in text


def test_a_button_that_starts_a_handoff_is_not_called_contact_details():
    # /request_human runs action_escalate (a live handoff), so no answer with that button may
    # promise to "tell how to reach" someone instead.
    promise = re.compile(r"voin kertoa, miten tavoitat|kan jag berätta hur du når|I can tell you how to reach", re.I)
    for language in LANGUAGES:
        for name in CATALOG.names(language):
            for variation in CATALOG.variations(name, language):
                payloads = [b["payload"] for b in variation.get("buttons") or []]
                if "/request_human" in payloads:
                    assert not promise.search(variation["text"]), (language, name)


def test_the_queue_message_reads_right_for_any_count():
    # "Edelläsi jonossa on 1 keskustelua" was wrong: the count stands after a colon.
    for language in LANGUAGES:
        text = CATALOG.variations("utter_handoff_queued", language)[0]["text"]
        assert re.search(r": \{waiting_ahead\}\.", text), language


# --- the same facts in every language, pages in the user's language ----------------------

def links(name: str, language: str):
    return re.findall(r"https://\S+", CATALOG.variations(name, language)[0]["text"])


def test_one_migri_employer_page_in_each_language():
    expected = {"fi": "https://migri.fi/tyonantajan-rooli-ja-velvollisuudet",
                "sv": "https://migri.fi/sv/arbetsgivarens-roll-och-skyldigheter",
                "en": "https://migri.fi/en/role-and-obligations-of-employers"}
    for language, url in expected.items():
        assert url in links("utter_international_recruitment", language)
        assert not any("eures" in link for link in links("utter_international_recruitment", language))


def test_facts_that_differ_between_languages_are_the_same_again():
    for language in LANGUAGES:
        summer = CATALOG.variations("utter_summer_jobs", language)[0]["text"]
        assert format_figure(FIGURES["espoo_summer_voucher"], language) in summer
        assert {"fi": "yksityishenkilö", "sv": "privatperson", "en": "private person"}[language] in summer
        registration = CATALOG.variations("utter_company_registration", language)[0]["text"]
        assert {"fi": "muutokset", "sv": "ändringar", "en": "Changes"}[language] in registration
        assert {"fi": "englanninkieliset lomakkeet", "sv": "blanketter på engelska", "en": "forms in English"}[language] in registration


def test_swedish_links_swedish_pages_where_they_exist():
    assert "https://www.suomi.fi/foretag/" in links("utter_start_business", "sv")
    assert "https://www.suomi.fi/foretag/" in links("utter_find_service", "sv")
    assert "https://www.ely-keskus.fi/sv/web/yrittajan-talousapu/tietoa-yrittajan-taloudesta" in links("utter_business_in_difficulty", "sv")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_support_answers_give_amounts_and_conditions(language):
    grant = CATALOG.variations("utter_startup_grant", language)[0]["text"]
    assert format_figure(FIGURES["startup_grant_daily"], language) in grant
    assert format_figure(FIGURES["startup_grant_monthly"], language) in grant
    subsidy = CATALOG.variations("utter_pay_subsidy", language)[0]["text"]
    for name in ("espoo_recruitment_support", "youth_support_max_month", "youth_support_max_total"):
        assert format_figure(FIGURES[name], language) in subsidy, name
    assert "12" in subsidy and "80" in subsidy and "30" in subsidy  # the conditions


# --- facts that change yearly live in figures.yml -----------------------------------------

def raw_texts() -> Iterator[Tuple[str, str, str]]:
    for language in LANGUAGES:
        table = yaml.safe_load((RESPONSES / f"{language}.yml").read_text(encoding="utf-8"))
        for name, variations in table.items():
            for variation in variations:
                yield language, name, variation.get("text") or ""
    for path in sorted((RESPONSES / "questions").glob("*.yml")):
        for key, entry in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            for language in LANGUAGES:
                yield language, key, entry[language]["text"]


def test_no_yearly_sum_or_phone_hours_is_typed_into_an_answer():
    typed = []
    for language, name, text in raw_texts():
        flat = " ".join(text.split()).replace("\u00a0", " ")
        for figure in FIGURES.values():
            if figure.unit in ("eur", "text"):
                written = format_figure(figure, language).replace("\u00a0", " ")
                if written in flat:
                    typed.append((language, name, figure.name))
    assert typed == []


def test_the_readme_lists_every_figure_with_its_checked_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Facts that change yearly", 1)[1].split("\n## ", 1)[0]
    assert "data/responses/figures.yml" in section
    for figure in FIGURES.values():
        assert re.search(rf"`{figure.name}`.*{figure.checked.isoformat()}", section), figure.name


# --- small talk varies -------------------------------------------------------------------

VARIED = ("utter_greet", "utter_thank", "utter_default", "utter_out_of_scope")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", VARIED)
def test_small_talk_has_several_wordings_with_the_same_buttons(language, name):
    variations = CATALOG.variations(name, language)
    assert len(variations) >= 3
    assert len({v["text"] for v in variations}) == len(variations)
    assert len({tuple(b["payload"] for b in v.get("buttons") or []) for v in variations}) == 1
    rng = random.Random(12)
    assert len({CATALOG.choose(name, language, rng)["text"] for _ in range(60)}) == len(variations)


def test_every_greeting_warns_about_personal_data():
    words = {"fi": "henkilötunnu", "sv": "personbeteckning", "en": "identity code"}
    for language in LANGUAGES:
        assert all(words[language] in v["text"] for v in CATALOG.variations("utter_greet", language))
