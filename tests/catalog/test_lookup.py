"""Look-up understanding: the parser on representative messages, the structured search's ranking,
and precision at 3 on the sample catalogue (tests/catalog/lookup_cases/) on SQLite and PostgreSQL."""
import json
from datetime import datetime

import pytest

from bot.catalog import morphology
from bot.catalog.importers import jobs
from bot.catalog.lookup_query import LookupQuery, LookupParser
from bot.catalog.lookup_search import lookup_offers
from bot.catalog.lookup_words import when_label
from bot.catalog.samples import load_samples
from bot.catalog.vocabulary import build_vocabulary, load_vocabulary
from bot.config import HELSINKI

from .conftest import NOW as QUERY_NOW
from .fake_apis import posting
from .lookup_eval import SAMPLES, TODAY, evaluate, mean, set_voikko

NOW = datetime(2026, 12, 1, 12, tzinfo=HELSINKI)
# reached with `make bench-lookup` (all three languages 1.000 / 0.974 / 1.000): a small margin below
FLOOR = {"fi": 0.95, "sv": 0.92, "en": 0.95}
BEFORE = {"fi": 0.80, "sv": 0.72, "en": 0.85}  # the whole-sentence search stays below these


def _texts(items):
    return {i["kieliKoodi"]: i["arvo"] for i in items}


@pytest.fixture(scope="module")
def parser():
    offers = json.loads((SAMPLES / "tyomarkkinatori.json").read_text(encoding="utf-8"))["ilmoitukset"]
    events = json.loads((SAMPLES / "linked_events.json").read_text(encoding="utf-8"))["data"]
    vocabulary = build_vocabulary(
        [(_texts(o["perustiedot"]["tyonOtsikko"]), [a["luokiteltuArvo"] for a in o["osaamisvaatimukset"]["ammatit"]])
         for o in offers],
        [k["name"] for e in events for k in e["keywords"]], [e["location"]["name"] for e in events])
    return LookupParser(vocabulary)


@pytest.mark.parametrize("language,kind,text,what,where,when,label", [
    ("sv", "offers", "vilka lediga jobb finns det inom restaurangbranschen i Esbo", ["restaurant"], ["espoo"], "",
     "restaurangbranschen, Esbo"),
    ("fi", "offers", "onks ravintola-alan töitä espoossa", ["restaurant"], ["espoo"], "", "ravintola-ala, Espoo"),
    ("en", "offers", "any software developer jobs in Otaniemi", ["occupation"], ["otaniemi"], "",
     "Software developer, Otaniemi"),
    ("fi", "events", "mitä yritystapahtumia on joulukuussa tapiolassa", [], ["tapiola"], "joulukuu", "Tapiola, joulukuu"),
    ("fi", "offers", "ohjelmistokehittäjää otaniemessä", ["occupation"], ["otaniemi"], "", "Ohjelmistokehittäjä, Otaniemi"),
    ("fi", "events", "verkostoitumistapahtumia ensi viikolla", ["networking"], [], "viikko 50", "verkostoituminen, viikko 50"),
    ("sv", "events", "företagsevenemang i Hagalund i december", [], ["tapiola"], "december", "Hagalund, december"),
    ("sv", "events", "nätverksevenemang nästa vecka", ["networking"], [], "vecka 50", "nätverkande, vecka 50"),
    ("en", "events", "funding events at Dipoli on Friday", ["funding"], ["Dipoli"], "Fri 4 Dec", "funding, Dipoli, Fri 4 Dec"),
])
def test_messages_become_structured_queries(parser, language, kind, text, what, where, when, label):
    query = parser.parse(text, kind, language, NOW)
    assert [t.key if t.kind != "occupation" else "occupation" for t in query.what] == what
    assert [t.key for t in query.where] == where
    assert query.when == when and query.label() == label


def test_unknown_words_are_kept_free_and_the_query_travels_in_a_slot(parser):
    query = parser.parse("avoimia paikkoja zyxwvutsrq-osaajille", "offers", "fi", NOW)
    assert not query.what and "zyxwvutsrq" in query.free
    assert LookupQuery.from_dict(query.to_dict()) == query
    assert LookupQuery.from_dict({"kind": "offers", "what": [{"bad": 1}]}) is None


def test_compounds_split_on_the_vocabulary_without_voikko(parser):
    set_voikko(False)
    try:
        nlp, matcher, by_id, known = parser.built("sv")
        assert parser.pieces("restaurangjobb", "sv", known) == ["restaurang", "jobb"]
        assert parser.pieces("företagsevenemang", "sv", known) == ["företags", "evenemang"]
        assert parser.pieces("ravintola-alan", "fi", parser.built("fi")[3]) == ["ravintola", "alan"]
    finally:
        set_voikko(True)


@pytest.mark.skipif(not morphology.voikko_available(), reason="Voikko is not installed (make voikko)")
def test_voikko_gives_compound_parts_and_base_forms():
    assert morphology.finnish_parts("ohjelmistokehittäjää") == ["ohjelmisto", "kehittäjä"]
    assert morphology.finnish_parts("tapiolassa") == ["tapiola"]


def test_when_labels():
    start = datetime(2026, 12, 7, tzinfo=HELSINKI)
    assert when_label((start, datetime(2026, 12, 14, tzinfo=HELSINKI)), "en") == "week 50"
    assert when_label((datetime(2026, 12, 1, tzinfo=HELSINKI), datetime(2027, 1, 1, tzinfo=HELSINKI)), "sv") == "december"


async def test_the_occupation_asked_for_comes_first(factory):
    offers = [
        posting(1, title={"fi": "Robotiikkainsinööri", "en": "Robotics engineer"}, published_days_ago=1,
                perustiedot={"tyonOtsikko": [{"kieliKoodi": "en", "arvo": "Robotics engineer"}],
                             "tyonKuvaus": [{"kieliKoodi": "en", "arvo": "You develop software for software developers."}]}),
        posting(2, title={"en": "Software developer (part-time)"}, published_days_ago=5),
        posting(3, title={"en": "Senior software developer"}, published_days_ago=3),
    ]
    await jobs.import_from_file(factory, None, document={"ilmoitukset": offers})
    async with factory() as session:
        parser = LookupParser(await load_vocabulary(session))
        query = parser.parse("software developers", "offers", "en", QUERY_NOW)
        page = await lookup_offers(session, "en", query, limit=3, now=QUERY_NOW)
    # the occupation itself, then a title holding it, then a mention in the summary
    assert [hit.title for hit in page.items] == ["Software developer (part-time)", "Senior software developer",
                                                 "Robotics engineer"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
async def test_precision_at_3_on_the_sample_catalogue(engine, factory, language):
    await load_samples(engine, SAMPLES, today=TODAY, force=True)
    after = await evaluate(factory, language, "after")
    before = await evaluate(factory, language, "before")
    assert len(after) >= 30
    assert mean(after) >= FLOOR[language], [s for s in after if s.precision < 1]
    assert mean(before) < BEFORE[language] < mean(after)


def test_look_ups_load_spacy_without_tensorflow():
    """The action server parses look-ups with spaCy but never loads TensorFlow for it (bot/catalog/lookup_query.py)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys\n"
        "from bot.catalog.lookup_query import LookupParser\n"
        "from bot.catalog.vocabulary import build_vocabulary\n"
        "from datetime import datetime\n"
        "parser = LookupParser(build_vocabulary([({'fi': 'Kokki'}, ['kokit'])], [], []))\n"
        "query = parser.parse('avoimia kokin töitä espoossa', 'offers', 'fi', datetime(2026, 12, 1))\n"
        "import spacy.matcher, thinc.compat\n"
        "assert 'tensorflow' not in sys.modules and not thinc.compat.has_tensorflow, sorted(sys.modules)[:5]\n"
        "print(query.label if hasattr(query, 'label') else query)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()  # the parser ran
