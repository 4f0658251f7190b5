"""Full-text search that works the same on SQLite and PostgreSQL: an inverted index of stems.

Every record is indexed once per language (fi, sv, en): its text in that language, or, when
the record lacks that language, its text in the fallback language; the words are reduced to
*keys* by `term_key` (Snowball stemmer plus our own normalisation, below). A query word
is reduced the same way and matches every indexed key that *starts with* its key (keys of
at least PREFIX_MIN characters; shorter keys must be equal), with one B-tree range scan
`term >= key AND term < key + U+FFFF`. So inflected forms meet, and a word also finds
compounds that start with it ("rahoitus" finds "rahoitushaku").

Finnish: Snowball gives rahoitus / rahoitu / rahoituks for "rahoitus", "rahoitusta",
"rahoituksen". `term_key` then drops the -in left of -minen (verkostoitumin -> verkostoitum),
a final -ks or -s (rahoitu), a final vowel
(kaupa -> kaup), a final d/t after a long vowel or diphthong (kestävyyd -> kestävyy, kiertotaloud -> kiertotalou) and reduces a final
consonant pair of the gradation (nt/nn -> n: vient, vien -> vien), so all forms share one key.
Swedish: a final -et/-ets/-s left by Snowball goes (företaget(s) -> företag). English:
Snowball's plurals and suffixes.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import snowballstemmer

from bot.config import LANGUAGES

FALLBACK_ORDER: Dict[str, Tuple[str, ...]] = {
    "fi": ("fi", "en", "sv"),
    "sv": ("sv", "fi", "en"),
    "en": ("en", "fi", "sv"),
}
PREFIX_MIN = 4
MAX_KEY = 40
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_JOINERS = re.compile(r"[-'’]")
_STEMMER_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}

STOPWORDS: Dict[str, frozenset] = {
    "fi": frozenset(
        "ja tai on ei se ne että kun jos mitä mikä mitkä missä miten mistä mihin milloin kuka ketkä "
        "olen olet ovat oli olisi ole onko voi voiko voinko voisin haluan haluaisin tarvitsen etsin "
        "minä mä sinä hän me te he minun meidän teidän mun mulle minulle meille jotain joku jokin "
        "kanssa myös vain nyt sitten kuin vai tämä tuo nämä noi niitä näitä olla saada löytyy löytää "
        "kertoa kerro näytä näytätkö onks onko ois kiitos hei moi hyvä uusi uusia paljon lisää "
        "yritykselleni yritykseni meidän kaikki kaikkia".split()
    ),
    "sv": frozenset(
        "och eller är inte det den de att när om vad vilka vilken var hur varifrån vart vem "
        "jag du han hon vi ni dem min mitt mina vår vårt våra er ert era mig oss något någon "
        "med också bara nu sedan än denna detta dessa kan kunde vill skulle behöver letar söker "
        "finns hitta visa berätta tack hej bra ny nya mycket mer en ett i på av för till från "
        "mitt alla allt".split()
    ),
    "en": frozenset(
        "a an the and or is are was were be been not it its this that these those when if what "
        "which where how who whom i you he she we they me my our your us them something some "
        "with also only now then than can could would should will want need looking look find "
        "show tell please thanks hi hello good new many more of in on at for to from by about "
        "any there do does all every".split()
    ),
}

_FI_VOWELS = "aeiouyäö"
_FI_GRADATION = (("nt", "n"), ("nn", "n"), ("nk", "n"), ("ng", "n"), ("mp", "m"), ("mm", "m"),
                 ("lt", "l"), ("ll", "l"), ("rt", "r"), ("rr", "r"), ("kk", "k"), ("pp", "p"),
                 ("tt", "t"))


@lru_cache(maxsize=None)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAMES[language])


def fold(text: str) -> str:
    """Lower case with compatibility forms folded; keeps å, ä, ö (they carry meaning)."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> List[str]:
    """The words of `text`, folded; hyphenated compounds stay one word and also give their parts."""
    found: List[str] = []
    for word in WORD_RE.findall(fold(text)):
        if "-" in word or "'" in word or "’" in word:
            parts = [p for p in _JOINERS.split(word) if p]
            found.append("".join(parts))
            found.extend(parts)
        else:
            found.append(word)
    return found


def _finnish_key(stem: str) -> str:
    key = stem
    if len(key) > 5 and key.endswith("min"):
        key = key[:-2]
    if len(key) > 4 and key.endswith("ks"):
        key = key[:-2]
    elif len(key) > 4 and key.endswith("s") and key[-2] in _FI_VOWELS:
        key = key[:-1]
    if len(key) > 4 and key[-1] in "dt" and key[-2] in _FI_VOWELS and key[-3] in _FI_VOWELS:
        key = key[:-1]
    if len(key) > 4 and key[-1] in _FI_VOWELS and key[-2] not in _FI_VOWELS:
        key = key[:-1]
    if len(key) > 4:
        for pair, single in _FI_GRADATION:
            if key.endswith(pair):
                key = key[:-2] + single
                break
    return key


def _swedish_key(stem: str) -> str:
    for ending in ("ets", "et", "s"):
        if stem.endswith(ending) and len(stem) - len(ending) >= 3:
            return stem[: -len(ending)]
    return stem


@lru_cache(maxsize=200_000)
def term_key(word: str, language: str) -> str:
    """The index key of one folded word in `language`."""
    if word.isdigit():
        return word[:MAX_KEY]
    stem = _stemmer(language).stemWord(word)
    if language == "fi":
        stem = _finnish_key(stem)
    elif language == "sv":
        stem = _swedish_key(stem)
    return stem[:MAX_KEY]


def query_keys(text: str, language: str, skip: Optional[Callable[[str], bool]] = None,
               heads: Sequence[str] = ()) -> List[str]:
    """The distinct keys (at most 8) of a user's query in `language`, in order.

    Stop words of every language and the words for which `skip` says True are left out. A
    compound ending in one of `heads` keeps only its first part ("rahoitustapahtumat" with
    head "tapahtum" searches "rahoitus").
    """
    keys: List[str] = []
    for word in words(text):
        for head in heads:
            at = word.find(head)
            if at >= 4:
                word = word[:at].rstrip("-")
                break
        if len(word) < 2 or any(word in stop for stop in STOPWORDS.values()) or (skip and skip(word)):
            continue
        key = term_key(word, language)
        if key and key not in keys:
            keys.append(key)
    return keys[:8]


def key_range(key: str) -> Tuple[str, Optional[str]]:
    """(low, high) bounds of the keys a query key matches; high None means exactly `key`."""
    if len(key) >= PREFIX_MIN:
        return key, key + "\uffff"
    return key, None


def pick_language(texts: Mapping[str, str], language: str) -> Tuple[Optional[str], Optional[str]]:
    """(text, its language) of `texts` in `language`, else in the fallback order; (None, None) if empty."""
    for candidate in FALLBACK_ORDER.get(language, LANGUAGES):
        value = texts.get(candidate)
        if value:
            return value, candidate
    for candidate, value in texts.items():
        if value:
            return value, candidate
    return None, None


def index_terms(fields: Sequence[Tuple[Mapping[str, str], int]]) -> Dict[Tuple[str, str], int]:
    """{(language, key): weight} for a record's weighted multilingual fields, all three languages.

    `fields` is [(texts by language, weight)]; a field missing a language is indexed for
    that language from its fallback text. A key keeps its highest weight.
    """
    terms: Dict[Tuple[str, str], int] = {}
    for language in LANGUAGES:
        for texts, weight in fields:
            text, _ = pick_language(texts, language)
            if not text:
                continue
            for word in words(text):
                if len(word) < 2 and not word.isdigit():
                    continue
                key = term_key(word, language)
                if not key:
                    continue
                slot = (language, key)
                if terms.get(slot, 0) < weight:
                    terms[slot] = weight
    return terms
