"""Messages that open with small talk and then ask: "moi, meillä on kahvila ja kysyisin anniskeluluvasta".

The intent classifier reads the whole message, and a greeting, thanks or a language request
at its start can outweigh the question that follows. When the classifier's answer is such a
conversational intent and the message has more than one clause, the clauses are classified
one by one; those that are not small talk are classified together, and when they make a
business question the classifier is sure enough of, that question is the message's intent.
The small talk is not answered separately: the question is what the company came for. A
language request among the dropped clauses is kept as a `language` entity, so the answer
comes in the language asked for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

from bot.language import requested_language

Ranking = List[Dict[str, object]]  # [{"name": intent, "confidence": p}, ...], best first
Classify = Callable[[Sequence[str]], List[Ranking]]

SMALL_TALK = frozenset({
    "greet", "thank", "goodbye", "affirm", "deny", "feedback_positive", "change_language",
})
NOT_A_QUESTION = SMALL_TALK | {"out_of_scope", "nlu_fallback"}
# Clause boundaries: punctuation, and "and"/"but" between clauses in the three languages.
_BOUNDARY = re.compile(r"[,.;:!?]+|\s+(?:ja|sekä|mutta|mut|och|men|samt|and|but)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Focus:
    """The question inside a message that opens with small talk."""

    text: str  # the clauses that are not small talk, joined
    ranking: Ranking  # the intent ranking of `text`
    small_talk: List[str]  # the conversational intents of the dropped clauses
    language: Optional[str]  # the language a dropped language request named, if any


def clauses(text: str) -> List[str]:
    """The clauses of a message, in order, without their separators."""
    return [part.strip() for part in _BOUNDARY.split(text) if part and part.strip()]


def find_focus(text: str, classify: Classify, least: float) -> Optional[Focus]:
    """The business question after the small talk of `text`, or None when there is none that
    the classifier gives at least `least` (then the message is what it first seemed)."""
    parts = clauses(text)
    if len(parts) < 2:
        return None
    tops = [str(ranking[0]["name"]) for ranking in classify(parts)]
    kept = [part for part, top in zip(parts, tops) if top not in SMALL_TALK]
    dropped = [(part, top) for part, top in zip(parts, tops) if top in SMALL_TALK]
    if not kept or not dropped:
        return None
    remainder = " ".join(kept)
    ranking = classify([remainder])[0]
    best = ranking[0]
    if best["name"] in NOT_A_QUESTION or float(best["confidence"]) < least:  # type: ignore[arg-type]
        return None
    requested = [requested_language(part) for part, top in dropped if top == "change_language"]
    language = next((code for code in requested if code), None)
    return Focus(remainder, ranking, [top for _, top in dropped], language)
