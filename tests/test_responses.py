"""The answers: complete in three languages, short, with links and quick replies."""
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.rasa import domain_sync
from bot.config import LANGUAGES
from bot.content.intents import BUSINESS_INTENTS
from bot.content.responses import ResponseCatalog, ResponseFileError, load_language_file
from tests.conftest import ROOT

CATALOG = ResponseCatalog.from_directory(ROOT / "data" / "responses")
PAYLOAD = re.compile(r'^/([a-z_]+)(\{"language":"(fi|sv|en)"\}|\{"rating":"[1-5]"\})?$')
# Buttons of a form question send their title's text as the answer.
TEXT_ANSWERS = {"utter_ask_contact_language": {"suomi", "svenska", "english"}}


def test_languages_are_consistent_and_domain_is_in_step():
    assert domain_sync.problems(ROOT) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intent", BUSINESS_INTENTS)
def test_every_business_intent_routes_with_a_link_and_next_steps(language, intent):
    (variation,) = CATALOG.variations(f"utter_{intent}", language)
    assert "https://" in variation["text"]
    assert 2 <= len(variation["buttons"]) <= 4
    assert len(variation["text"]) <= 600


@pytest.mark.parametrize("language", LANGUAGES)
def test_quick_replies_name_real_intents(language):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name in CATALOG.names(language):
        for variation in CATALOG.variations(name, language):
            for button in variation.get("buttons") or []:
                if button["payload"] in TEXT_ANSWERS.get(name, ()):
                    continue
                match = PAYLOAD.match(button["payload"])
                assert match and match.group(1) in domain["intents"], (name, button)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_answer_asks_for_a_personal_identity_code(language):
    words = {"fi": "henkilötunnu", "sv": "personbeteckning", "en": "identity code"}[language]
    for name in CATALOG.names(language):
        for variation in CATALOG.variations(name, language):
            text = variation["text"].lower()
            if words in text:
                # Mentioned only as a warning not to type it, or as a fact in a specific answer
                # (online filing needs one); no answer asks the user for it.
                assert name == "utter_greet" or "/" in name, name


def test_rules_use_only_existing_answers():
    rules = yaml.safe_load((ROOT / "data" / "rules" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    used = {step["action"] for rule in rules for step in rule["steps"] if step.get("action", "").startswith("utter_")}
    assert used <= set(CATALOG.names("en"))


def test_domain_drift_is_detected(tmp_path: Path):
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(ROOT / "data" / "responses", tmp_path / "data" / "responses")
    english = tmp_path / "data" / "responses" / "en.yml"
    table = yaml.safe_load(english.read_text(encoding="utf-8"))
    table["utter_goodbye"][0]["text"] = "Goodbye, and good luck with your business!"
    english.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    assert any("sync-domain" in p for p in domain_sync.problems(tmp_path))
    assert domain_sync.write_domain_responses(tmp_path)
    assert domain_sync.problems(tmp_path) == []


def test_missing_translation_is_detected(tmp_path: Path):
    shutil.copytree(ROOT / "data" / "responses", tmp_path, dirs_exist_ok=True)
    swedish = yaml.safe_load((tmp_path / "sv.yml").read_text(encoding="utf-8"))
    del swedish["utter_goodbye"]
    (tmp_path / "sv.yml").write_text(yaml.safe_dump(swedish, allow_unicode=True), encoding="utf-8")
    assert "utter_goodbye missing in sv" in ResponseCatalog.from_directory(tmp_path).inconsistencies()


@pytest.mark.parametrize("content", ["- just a list", "utter_x: []", "greeting:\n  - text: hi", "utter_x:\n  - text: hi\n    html: <b>"])
def test_bad_response_files_are_refused(tmp_path: Path, content):
    path = tmp_path / "fi.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResponseFileError):
        load_language_file(path)


def test_every_answer_the_actions_send_exists():
    literal = re.compile(r'"(utter_[a-z_]+)"')
    sent = {name for path in (ROOT / "actions").glob("*.py") for name in literal.findall(path.read_text(encoding="utf-8"))}
    from actions.catalog import KINDS
    from actions.contact_form import FORM_SLOTS

    sent |= {f"utter_{kind}_{suffix}" for kind in KINDS for suffix in ("found", "found_more", "none")}
    sent |= {f"utter_ask_{slot}" for slot in FORM_SLOTS}
    assert sent - set(CATALOG.names("en")) == set()
