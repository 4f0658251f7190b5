"""Look-ups in the sample catalogue through the real stack, in each language."""
import pytest

from tests.livestack import responses
from tests.test_server import Chat

LOOKUPS = {
    "fi": {"events": "Mitä yritystapahtumia on tulossa?", "offers": "Näytä avoimet ohjelmistokehittäjän paikat",
           "service": "Mikä palvelu auttaa liiketoimintasuunnitelman kanssa?", "more": "näytä lisää"},
    "sv": {"events": "Vilka företagsevenemang ordnas framöver?", "offers": "Visa alla lediga jobb",
           "service": "Vilken tjänst hjälper med affärsplanen?", "more": "visa fler"},
    "en": {"events": "What business events are coming up?", "offers": "Show open jobs for software developers",
           "service": "Which service helps with a business plan?", "more": "show more"},
}


def heading(language: str, name: str) -> str:
    (text,) = responses(language)[name]
    return text.split("{results}")[0]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_event_offer_and_service_lookups(live, language):
    chat = Chat(live, language)
    asked = LOOKUPS[language]

    events = chat.say(asked["events"])[0]
    assert events["text"].startswith(heading(language, "utter_events_found"))
    assert "•" in events["text"]
    titles = [b["title"] for b in events["buttons"]]
    more = [b for b in events["buttons"] if b["payload"] == "/show_more"]
    assert more, titles
    next_page = chat.say(asked["more"])[0]
    assert next_page["text"].startswith(heading(language, "utter_events_found"))
    assert next_page["text"] != events["text"]

    offers = chat.say(asked["offers"])[0]
    assert offers["text"].startswith(heading(language, "utter_offers_found")), offers["text"]

    service = chat.say(asked["service"])[0]
    assert service["text"].startswith(heading(language, "utter_services_found")), service["text"]
    assert "https://" in service["text"]
