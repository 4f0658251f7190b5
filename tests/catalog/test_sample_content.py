"""The sample catalogue reads as a city would publish it (issue 12's review of the samples)."""
import json
import re
from collections import Counter
from datetime import datetime

from bot.catalog.sample_events import HOLIDAYS
from bot.config import load_settings
from bot.validation import normalise_business_id

SAMPLES = load_settings().catalog_dir
EVENTS = json.loads((SAMPLES / "linked_events.json").read_text(encoding="utf-8"))["data"]
OFFERS = json.loads((SAMPLES / "tyomarkkinatori.json").read_text(encoding="utf-8"))["ilmoitukset"]


def _texts(items):
    return {i["kieliKoodi"]: i["arvo"] for i in items}


def test_events_fall_on_working_days_at_the_time_their_name_says():
    for event in EVENTS:
        start = datetime.fromisoformat(event["start_time"])
        name = event["name"]["fi"].casefold()
        assert start.date() not in HOLIDAYS and start.weekday() < 5, event["name"]
        if "aamukahvi" in name:
            assert start.hour < 10
        if "ilta" in name or "joulu" in name:
            assert start.hour >= 16
        if "joulu" in name:
            assert start.month == 12 and start.day < 24


def test_no_numbered_clones_and_no_ely_centres_after_2025():
    assert not any(re.search(r"\b(II|III|IV)\b", text) for e in EVENTS for text in e["name"].values())
    for event in EVENTS:
        text = json.dumps(event["short_description"], ensure_ascii=False)
        assert "ELY" not in text and "NTM" not in text, event["name"]


def test_each_posting_is_a_distinct_vacancy_of_a_plausible_employer():
    keys = Counter((_texts(o["perustiedot"]["tyonOtsikko"]).get("fi") or _texts(o["perustiedot"]["tyonOtsikko"]).get("en"),
                    o["ilmoittajanNimi"][0]["arvo"]) for o in OFFERS)
    assert max(keys.values()) == 1
    ids = {o["ilmoittajanNimi"][0]["arvo"]: o["ilmoittajanYTunnus"] for o in OFFERS}
    assert all(normalise_business_id(value) == value for value in ids.values())
    assert len(set(ids.values())) == len(ids)  # one business ID per employer


def test_swedish_texts_are_swedish():
    for posting in OFFERS:
        summaries = _texts(posting["perustiedot"]["tyonTiivistelma"])
        if "sv" in summaries:
            assert summaries["sv"] != summaries.get("fi")
            assert not re.search(r"\b(ja|sinä|tehtävä|työ)\b", summaries["sv"])
    for event in EVENTS:
        if "sv" in event["short_description"]:
            assert event["short_description"]["sv"] != event["short_description"]["fi"]


def test_samples_have_no_page_of_their_own():
    assert all(e["info_url"] is None for e in EVENTS)
    assert all(o["hakeminen"]["hakemuksenUrl"] is None for o in OFFERS)
