"""Base forms and compound parts of words, for the look-up parser.

Finnish uses Voikko (Debian's libvoikko1 + voikko-fi, the `libvoikko` binding; `make voikko`)
when it is installed: "ohjelmistokehittäjää" -> ohjelmisto + kehittäjä, "ravintola-alan" ->
ravintola + ala, "tapiolassa" -> Tapiola. Without it, and for Swedish and English, a word is
split against the catalogue's own vocabulary (`split_on`) and its inflection is left to the
search keys (bot/catalog/search.py: Snowball plus our endings), which the vocabulary is
normalised with too. `USE_VOIKKO = False` (or LOOKUP_NO_VOIKKO=1) measures the fallback.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any, Callable, List, Optional, Sequence

USE_VOIKKO = os.environ.get("LOOKUP_NO_VOIKKO", "") != "1"
MIN_PART = 3
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _voikko() -> Optional[Any]:
    try:
        import libvoikko  # type: ignore[import-not-found]

        return libvoikko.Voikko("fi")
    except (ImportError, OSError, Exception):  # no binding, no library or no dictionary
        return None


def voikko_available() -> bool:
    """Whether Finnish is analysed with Voikko in this process."""
    return USE_VOIKKO and _voikko() is not None


def _parts_of(analysis: Any, word: str) -> List[str]:
    """Compound parts of one Voikko analysis: non-final parts as written, the last in base form."""
    structure = str(analysis.get("STRUCTURE") or "")
    base = str(analysis.get("BASEFORM") or word).lower()
    parts: List[str] = []
    current = ""
    position = 0
    for mark in structure:
        if mark == "=":
            if current:
                parts.append(current)
            current = ""
            continue
        if position < len(word):
            current += word[position]
        position += 1
    if current:
        parts.append(current)
    parts = [p.strip("-") for p in parts if p.strip("-")]
    if len(parts) < 2:
        return [base]
    head = "".join(parts[:-1])
    last = base.replace("-", "")[len(head):] if base.replace("-", "").startswith(head) else parts[-1]
    return parts[:-1] + [last or parts[-1]]


@lru_cache(maxsize=50_000)
def finnish_parts(word: str) -> Optional[List[str]]:
    """Voikko's compound parts of a folded Finnish word (base form of the last), None without Voikko
    or when Voikko does not know the word."""
    if not voikko_available():
        return None
    with _LOCK:  # a Voikko handle is not thread-safe
        analyses = _voikko().analyze(word)
    if not analyses:
        return None
    nouns = [a for a in analyses if a.get("CLASS") != "teonsana"]  # "verkostoituminen" is no verb here
    if not nouns:
        return None
    best = min(nouns, key=lambda a: str(a.get("STRUCTURE") or "").count("="))
    return [p for p in _parts_of(best, word) if p]


def split_on(word: str, known: Callable[[str], bool], linking: Sequence[str] = ("",)) -> List[str]:
    """`word` as two or three parts that `known` accepts ("restaurangbranschen" -> restaurang +
    branschen), each at least MIN_PART letters, a linking letter ("s" in Swedish) allowed
    between them; [word] when no split is found. Longest first part wins."""
    if known(word) or len(word) < 2 * MIN_PART:
        return [word]
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:cut]
        if not known(head):
            continue
        for link in linking:
            rest = word[cut + len(link):] if word[cut:].startswith(link) else None
            if rest is None or len(rest) < MIN_PART:
                continue
            if known(rest):
                return [head, rest]
            tail = split_on(rest, known, ("",))
            if len(tail) > 1:
                return [head] + tail
    return [word]
