"""POST /nlg answers "when are the advisers in?" with today's and this week's hours from the
catalogue (the real sample channel, on SQLite and PostgreSQL), and still reads well without them."""
from datetime import datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.catalog.importers import ptv
from bot.catalog.queries import channel_hours
from bot.config import HELSINKI, PROJECT_ROOT, load_settings
from bot.rasa import nlg_hours
from bot.web.app import create_internal_app
from bot.web.keys import DB_KEY

SAMPLE_CHANNELS = PROJECT_ROOT / "data" / "catalog" / "ptv_channels.json"
LINKS = {"fi": "https://www.espoo.fi/fi/business-espoo-yritysten-parhaaksi",
         "sv": "https://www.espoo.fi/fi/business-espoo-yritysten-parhaaksi",
         "en": "https://www.espoo.fi/en/business-espoo-yritysten-parhaaksi"}
WEDNESDAY_BEFORE_CHRISTMAS = datetime(2026, 12, 23, 10, 0, tzinfo=HELSINKI)
EXPECTED = {
    "fi": "Tänään keskiviikkona 23.12. neuvonta palvelee klo 9–16. Tällä viikolla: ma–ke klo 9–16, to–su suljettu. "
          "Business Espoon yritysneuvojat tavoittaa puhelimitse numerosta 09 816 36363",
    "sv": "I dag, onsdag 23.12, har rådgivningen öppet kl. 9–16. Den här veckan: mån–ons kl. 9–16, tors–sön stängt. "
          "Business Espoos företagsrådgivare nås per telefon på 09 816 36363",
    "en": "Today, Wednesday 23 December, the advice service is open 9 am–4 pm. This week: Mon–Wed 9 am–4 pm, "
          "Thu–Sun closed. You can reach Business Espoo's business advisers by phone on +358 9 816 36363",
}
FALLBACK = {
    "fi": "Neuvonta palvelee arkisin virka-aikaan; tämän viikon tarkat palveluajat näet yhteystietosivulta. "
          "Business Espoon yritysneuvojat tavoittaa",
    "sv": "Rådgivningen har öppet vardagar under tjänstetid; veckans exakta tider finns på kontaktsidan. "
          "Business Espoos företagsrådgivare nås",
    "en": "The advice service is open on weekdays during office hours; this week's exact hours are on the "
          "contact page. You can reach Business Espoo's business advisers",
}


@pytest.fixture
def lookups(monkeypatch):
    """The catalogue lookups the NLG makes, counted; the moment is fixed."""
    calls = []

    async def counted(session, channel_id):
        calls.append(channel_id)
        return await channel_hours(session, channel_id)

    monkeypatch.setattr(nlg_hours, "channel_hours", counted)
    monkeypatch.setattr(nlg_hours, "now_in_helsinki", lambda: WEDNESDAY_BEFORE_CHRISTMAS)
    return calls


def settings(**env):
    return load_settings({"NLG_TOKEN": "t0ken", "BOT_RESPONSES_DIR": str(PROJECT_ROOT / "data" / "responses"), **env})


async def started(app):
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.fixture
async def client(factory):
    """The internal app on the test database with the sample channels loaded."""
    await ptv.import_from_file(factory, SAMPLE_CHANNELS)
    app = create_internal_app(settings())
    app[DB_KEY] = factory
    client = await started(app)
    yield client
    await client.close()


def opening_hours_request(language, response="utter_contact_info"):
    latest = {"intent": {"name": "contact_info"}, "entities": [], "text": "milloin neuvojat on paikalla?",
              "specific_question": {"name": "contact_info/opening_hours", "confidence": 0.9, "ranking": []}}
    return {"response": response, "arguments": {}, "channel": {"name": "rest"},
            "tracker": {"slots": {"language": language}, "latest_message": latest}}


async def ask(client, language, response="utter_contact_info"):
    reply = await client.post("/nlg?token=t0ken", json=opening_hours_request(language, response))
    assert reply.status == 200
    return await reply.json()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_the_answer_gives_today_and_this_week_from_the_catalogue(client, lookups, language):
    answer = await ask(client, language)
    assert answer["answer"] == "utter_contact_info/opening_hours"
    assert answer["text"].startswith(EXPECTED[language])
    assert f": {LINKS[language]}\n" in answer["text"]
    assert "{" not in answer["text"] and "  " not in answer["text"]
    assert lookups == [load_settings({}).advice_hours_channel_id]


async def test_answers_within_the_cache_period_cost_no_query(client, lookups):
    for language in ("fi", "sv", "en", "fi"):
        await ask(client, language)
    assert len(lookups) == 1


async def test_other_answers_never_look_the_hours_up(client, lookups):
    answer = await ask(client, "fi", response="utter_greet")
    assert answer["answer"] == "utter_greet"
    latest = opening_hours_request("fi")
    latest["tracker"]["latest_message"]["specific_question"]["name"] = "contact_info/phone_number"
    reply = await (await client.post("/nlg?token=t0ken", json=latest)).json()
    assert reply["answer"] == "utter_contact_info/phone_number"
    assert lookups == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_a_catalogue_without_the_channel_gives_the_fallback_sentence(factory, lookups, language):
    app = create_internal_app(settings())
    app[DB_KEY] = factory  # emptied by the fixture: no channels at all
    client = await started(app)
    try:
        answer = await ask(client, language)
    finally:
        await client.close()
    assert answer["text"].startswith(FALLBACK[language])
    assert LINKS[language] in answer["text"] and "{" not in answer["text"] and "  " not in answer["text"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_the_database_down_still_gives_a_whole_answer(lookups, language):
    # the app makes its own engine from DATABASE_URL: a PostgreSQL server that is not there
    app = create_internal_app(settings(DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:1/nothing_here"))
    client = await started(app)
    try:
        answer = await ask(client, language)
        again = await ask(client, language)
    finally:
        await client.close()
    assert answer["text"].startswith(FALLBACK[language])
    assert LINKS[language] in answer["text"] and "{" not in answer["text"]
    assert again["text"] == answer["text"]
    assert len(lookups) == 1  # the failure is kept for the cache period too
