"""Stems and keys: inflected forms meet, in Finnish, Swedish and English."""
import pytest

from bot.catalog.search import index_terms, key_range, pick_language, query_keys, term_key


def _matches(query_word: str, indexed_word: str, language: str) -> bool:
    query, indexed = term_key(query_word, language), term_key(indexed_word, language)
    low, high = key_range(query)
    return indexed == low if high is None else low <= indexed < high


@pytest.mark.parametrize("language,query,indexed", [
    ("fi", "rahoitusta", "rahoitus"), ("fi", "rahoituksen", "rahoitus"), ("fi", "rahoitus", "rahoituksella"),
    ("fi", "rahoitusta", "rahoitusinfo"), ("fi", "yrityksille", "yritys"), ("fi", "yritys", "yrityksen"),
    ("fi", "viennin", "vienti"), ("fi", "vientiä", "viennin"), ("fi", "kaupan", "kauppa"),
    ("fi", "verkostoituminen", "verkostoitumisesta"), ("fi", "verkostoitumista", "verkostoituminen"),
    ("fi", "rekrytoinnin", "rekrytointi"), ("fi", "rekrytointi", "rekrytointitapahtuma"),
    ("fi", "kestävyyden", "kestävyys"), ("fi", "kiertotaloutta", "kiertotalous"),
    ("fi", "neuvontaa", "neuvonta"), ("fi", "koulutusta", "koulutukset"),
    ("fi", "ohjelmistokehittäjää", "ohjelmistokehittäjä"), ("fi", "sairaanhoitajan", "sairaanhoitaja"),
    ("sv", "företagets", "företag"), ("sv", "företaget", "företagen"), ("sv", "finansieringen", "finansiering"),
    ("sv", "tjänster", "tjänsten"), ("sv", "lånet", "lån"), ("sv", "rådgivningen", "rådgivning"),
    ("en", "services", "service"), ("en", "companies", "company"), ("en", "events", "event"),
    ("en", "funding", "fund"), ("en", "businesses", "business"), ("en", "developers", "developer"),
])
def test_inflected_forms_find_each_other(language, query, indexed):
    assert _matches(query, indexed, language), (term_key(query, language), term_key(indexed, language))


@pytest.mark.parametrize("language,query,indexed", [
    ("fi", "rahoitus", "vienti"), ("fi", "laina", "lakimies"), ("sv", "företag", "förening"),
    ("en", "funding", "fun"), ("en", "event", "prevention"),
])
def test_unrelated_words_do_not_match(language, query, indexed):
    assert not _matches(query, indexed, language)


def test_short_keys_match_exactly_not_as_prefix():
    assert key_range("ai") == ("ai", None)
    low, high = key_range("rahoit")
    assert low == "rahoit" and high and high > "rahoitusinfo"


def test_query_keys_drop_stop_words_and_skipped_words():
    assert query_keys("Mistä löytyy rahoitusta yritykselleni?", "fi") == [term_key("rahoitusta", "fi")]
    assert query_keys("networking events next week", "en", skip=lambda w: w in {"events", "next", "week"}) == ["network"]
    assert query_keys("", "sv") == []


def test_records_are_indexed_in_every_language_with_fallback():
    terms = index_terms([({"fi": "Yritysrahoitus"}, 3), ({"en": "Funding advice"}, 1)])
    languages = {language for language, _ in terms}
    assert languages == {"fi", "sv", "en"}
    assert ("fi", term_key("yritysrahoitus", "fi")) in terms and terms[("fi", term_key("yritysrahoitus", "fi"))] == 3
    assert ("sv", term_key("funding", "sv")) in terms  # the sv slice falls back to the text there is


def test_pick_language_falls_back_in_order():
    assert pick_language({"fi": "a", "en": "b"}, "sv") == ("a", "fi")
    assert pick_language({"en": "b", "sv": "c"}, "fi") == ("b", "en")
    assert pick_language({}, "fi") == (None, None)
