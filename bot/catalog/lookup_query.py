"""A look-up message as a structured query: what (occupation, sector or topic), where
(district, venue, municipality), when (a date range) and the free words left over.

"vilka lediga jobb finns det inom restaurangbranschen i Esbo" -> what restaurant industry,
where Espoo; "mitä yritystapahtumia on joulukuussa tapiolassa" -> where Tapiola, when
December. spaCy's blank Finnish, Swedish and English pipelines tokenise; compounds are split
(Voikko for Finnish when installed, else against the vocabulary: bot/catalog/morphology.py);
each piece's NORM is its search key (bot/catalog/search.py), widened to the vocabulary word
it starts with; a PhraseMatcher of the vocabulary's names (bot/catalog/vocabulary.py) finds
the entries. Dates come from bot/catalog/dates.py. spaCy is imported and the pipelines are
built on first use (`parser_for`), never at import time: do that off the event loop.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot.catalog.dates import is_date_word, parse_date_range
from bot.catalog.lookup_words import GENERIC, LINKING, generic_keys, is_generic, when_label
from bot.catalog.morphology import finnish_parts, split_on
from bot.catalog.search import MAX_KEY, fold, term_key
from bot.catalog.vocabulary import Entry, Vocabulary
from bot.config import LANGUAGES

MIN_PREFIX = 4
KIND_PRIORITY = {"occupation": 0, "topic": 1, "venue": 2, "district": 3, "sector": 4, "municipality": 5}


@dataclass(frozen=True)
class Term:
    """One understood part of the query: an entry's kind, key, label and search phrases."""

    kind: str
    key: str
    label: str
    search: Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class LookupQuery:
    """What a look-up message asks for."""

    kind: str
    what: Tuple[Term, ...] = ()
    where: Tuple[Term, ...] = ()
    start: Optional[str] = None
    end: Optional[str] = None
    when: str = ""
    free: Tuple[str, ...] = ()

    def label(self) -> str:
        """"ravintola-ala, Espoo, joulukuu": what was searched, in the user's language."""
        parts = [t.label for t in self.what] + [t.label for t in self.where] + ([self.when] if self.when else [])
        return ", ".join(dict.fromkeys(parts + ([] if self.what else list(self.free))))

    @property
    def is_empty(self) -> bool:
        return not (self.what or self.where or self.start or self.free)

    def to_dict(self) -> Dict[str, Any]:
        def terms(found: Sequence[Term]) -> List[Dict[str, Any]]:
            return [{"kind": t.kind, "key": t.key, "label": t.label, "search": [list(p) for p in t.search]} for t in found]

        return {"kind": self.kind, "what": terms(self.what), "where": terms(self.where), "start": self.start,
                "end": self.end, "when": self.when, "free": list(self.free)}

    @classmethod
    def from_dict(cls, value: Any) -> Optional["LookupQuery"]:
        if not isinstance(value, dict):
            return None
        try:
            def terms(items: Any) -> Tuple[Term, ...]:
                return tuple(Term(str(t["kind"]), str(t["key"]), str(t["label"]),
                                  tuple((str(a), str(b)) for a, b in t["search"])) for t in items or ())

            return cls(str(value["kind"]), terms(value.get("what")), terms(value.get("where")), value.get("start"),
                       value.get("end"), str(value.get("when") or ""), tuple(str(w) for w in value.get("free") or ()))
        except (KeyError, TypeError, ValueError):
            return None


class LookupParser:
    """The spaCy pipelines and matchers of one vocabulary, one per language (built lazily)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._built: Dict[str, Tuple[Any, Any, Dict[str, Entry], frozenset]] = {}
        self._lock = threading.Lock()

    def pieces(self, word: str, language: str, known: frozenset) -> List[str]:
        """A folded word as the parts to match: hyphen parts, then compound parts."""
        found: List[str] = []
        for part in (p for p in word.replace("’", "-").replace("'", "-").split("-") if p):
            if language == "fi":
                parts = [fold(p) for p in finnish_parts(part) or ()]
                if parts:  # Voikko's base form when the vocabulary knows it, else its compound parts
                    whole = "".join(parts)
                    found.extend([whole] if self._known(whole, language, known) else parts)
                    continue
            found.extend(split_on(part, lambda w: self._known(w, language, known), LINKING[language]))
        return found

    @staticmethod
    def _known(word: str, language: str, known: frozenset) -> bool:
        """Whether a word is a vocabulary or generic word itself (not only starts with one)."""
        return word in GENERIC or term_key(word, language)[:MAX_KEY] in known

    @staticmethod
    def norm(word: str, language: str, known: frozenset) -> str:
        """The word's search key, or the longest vocabulary key it starts with."""
        key = term_key(word, language)[:MAX_KEY]
        if key in known:
            return key
        for size in range(len(key) - 1, MIN_PREFIX - 1, -1):
            if key[:size] in known:
                return key[:size]
        return key

    def _build(self, language: str) -> Tuple[Any, Any, Dict[str, Entry], frozenset]:
        spacy = import_spacy()
        from spacy.matcher import PhraseMatcher

        nlp = spacy.blank(language)
        entries = self.vocabulary.entries
        known = frozenset(term_key(w, language) for e in entries for n in e.names for w in _words(nlp, n))
        matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        by_id: Dict[str, Entry] = {}
        for number, entry in enumerate(entries):
            patterns = []
            for name in entry.names:
                words = [p for w in _words(nlp, name) for p in self.pieces(w, language, known)]
                if words:
                    patterns.append(self._doc(nlp, words, language, known))
            if patterns:
                match_id = f"{entry.kind}:{number}"
                by_id[match_id] = entry
                matcher.add(match_id, patterns)
        return nlp, matcher, by_id, known

    def built(self, language: str) -> Tuple[Any, Any, Dict[str, Entry], frozenset]:
        with self._lock:
            if language not in self._built:
                self._built[language] = self._build(language)
            return self._built[language]

    def _doc(self, nlp: Any, words: Sequence[str], language: str, known: frozenset) -> Any:
        from spacy.tokens import Doc

        doc = Doc(nlp.vocab, words=list(words))
        for token in doc:
            token.norm_ = self.norm(token.text, language, known)
        return doc

    def parse(self, text: str, kind: str, language: str, now: datetime) -> LookupQuery:
        """The structured query of a look-up message of `kind` (offers, events) in `language`."""
        language = language if language in LANGUAGES else "fi"
        nlp, matcher, by_id, known = self.built(language)
        words = _words(nlp, text)
        pieces = [p for w in words if not is_date_word(w) for p in self.pieces(w, language, known)]
        doc = self._doc(nlp, pieces, language, known)
        for token in doc:
            if token.text in GENERIC or term_key(token.text, language) in generic_keys(language):
                # "företag(s)evenemang" names no topic ("företagande")
                token.norm_ = "-"
        wanted = {e.kind for e in self.vocabulary.for_kind(kind)}
        spans = []
        for match_id, start, end in matcher(doc):
            entry = by_id[nlp.vocab.strings[match_id]]
            if entry.kind in wanted:
                spans.append((start, end, entry))
        spans.sort(key=lambda s: (-(s[1] - s[0]), s[0], KIND_PRIORITY.get(s[2].kind, 9)))
        taken: set = set()
        what: List[Term] = []
        where: List[Term] = []
        for start, end, entry in spans:
            if taken & set(range(start, end)):
                continue
            taken.update(range(start, end))
            term = Term(entry.kind, entry.key, entry.label(language), entry.search)
            target = where if entry.slot == "where" else what
            if all(t.key != term.key for t in target):
                target.append(term)
        free = tuple(dict.fromkeys(t.text for i, t in enumerate(doc)
                                   if i not in taken and t.norm_ != "-" and not is_generic(t.text)))
        found = parse_date_range(text, language, now) if kind == "events" else None
        start, end = (found[0].isoformat(), found[1].isoformat()) if found else (None, None)
        return LookupQuery(kind, tuple(what), tuple(where), start, end,
                           when_label(found, language) if found else "", free)


def import_spacy() -> Any:
    """spaCy, imported without TensorFlow when this process has not loaded it (the action server): thinc,
    spaCy's machine-learning layer, imports TensorFlow whenever it can, 440 MB that blank language
    classes and a PhraseMatcher never use."""
    hide = "tensorflow" not in sys.modules
    if hide:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]  # `import tensorflow` fails in thinc
    try:
        import spacy

        return spacy
    finally:
        if hide and sys.modules.get("tensorflow", False) is None:
            del sys.modules["tensorflow"]


def _words(nlp: Any, text: str) -> List[str]:
    """The folded words of `text` by spaCy's tokenizer (punctuation and numbers-with-dots dropped)."""
    return [fold(t.text).strip(".,:;!?\"”“()") for t in nlp.make_doc(text)
            if not t.is_punct and not t.is_space and fold(t.text).strip(".,:;!?\"”“()")]


_PARSERS: Dict[int, LookupParser] = {}


def parser_for(vocabulary: Vocabulary) -> LookupParser:
    """The parser of `vocabulary`, built once per process (its pipelines on first use)."""
    key = vocabulary.fingerprint
    if key not in _PARSERS:
        _PARSERS.clear()
        _PARSERS[key] = LookupParser(vocabulary)
    return _PARSERS[key]


def forget_parsers() -> None:
    """Drop the built parsers (after the morphology was switched, or in tests)."""
    _PARSERS.clear()
