"""The publishing gate: a new model may go live only when it is not worse than the running one.

The figures come from bot/studio/evaluate.py, per language: macro-F1 on the held-out test file
(`clean_f1`), the share of the near-miss out-of-scope set rejected (`near_miss`), the share of
business messages falsely rejected (`false_rejection`, shown, not gated) and F1 per intent. A
language's macro-F1 or rejection may fall by at most MODEL_GATE_TOLERANCE, and one intent's F1 by at
most MODEL_GATE_INTENT_TOLERANCE (bot/config.py): a topic that collapses is hidden in a language's
macro-F1 (funding 0.95 -> 0.82 moved Finnish macro-F1 by 0.008).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.config import LANGUAGES

# (figure, whether higher is better, gated)
MEASURES: Tuple[Tuple[str, bool, bool], ...] = (
    ("clean_f1", True, True), ("near_miss", True, True), ("false_rejection", False, False),
)
WORSE_INTENTS = 8  # how many of a language's intents that got worse are listed
Figures = Mapping[str, Mapping[str, Any]]  # language -> figure -> value


@dataclass(frozen=True)
class Verdict:
    """Whether the candidate may be published, and why not (each reason a dict for the locale texts)."""

    allowed: bool
    reasons: List[Dict[str, Any]]


def judge(candidate: Figures, running: Figures, tolerance: float, languages: Sequence[str] = LANGUAGES,
          intent_tolerance: Optional[float] = None) -> Verdict:
    """Refuse when any language's gated figure is worse than the running model's by more than `tolerance`,
    or (with `intent_tolerance`) any intent's F1 by more than that."""
    reasons: List[Dict[str, Any]] = []
    for language in languages:
        new, old = candidate.get(language), running.get(language)
        if not old:
            continue  # nothing to compare with: no held-out set of this language, or the running model untested
        if not new:
            reasons.append({"language": language, "measure": "missing"})
            continue
        for measure, higher_is_better, gated in MEASURES:
            if not gated or measure not in new or measure not in old:
                continue
            drop = (old[measure] - new[measure]) if higher_is_better else (new[measure] - old[measure])
            if drop > tolerance + 1e-9:
                reasons.append({"language": language, "measure": measure, "running": round(old[measure], 4),
                                "candidate": round(new[measure], 4), "drop": round(drop, 4)})
        if intent_tolerance is not None:
            reasons += _fallen_intents(language, new, old, intent_tolerance)
    return Verdict(not reasons, reasons)


def _fallen_intents(language: str, new: Mapping[str, Any], old: Mapping[str, Any],
                    tolerance: float) -> List[Dict[str, Any]]:
    """A reason for each intent whose F1 fell by more than `tolerance` (an intent the new model lost: to 0)."""
    was, now = old.get("per_intent") or {}, new.get("per_intent") or {}
    return [{"language": language, "measure": "intent", "intent": intent, "running": round(was[intent], 4),
             "candidate": round(now.get(intent, 0.0), 4), "drop": round(was[intent] - now.get(intent, 0.0), 4)}
            for intent in sorted(was) if was[intent] - now.get(intent, 0.0) > tolerance + 1e-9]


def comparison(candidate: Figures, running: Figures, tolerance: float,
               languages: Sequence[str] = LANGUAGES) -> List[Dict[str, Any]]:
    """The side-by-side table: one row per language and figure, with the change and whether it fails."""
    rows = []
    for language in languages:
        new, old = candidate.get(language) or {}, running.get(language) or {}
        for measure, higher_is_better, gated in MEASURES:
            if measure not in new and measure not in old:
                continue
            was, now = old.get(measure), new.get(measure)
            change = None if was is None or now is None else now - was
            worse = change is not None and ((-change if higher_is_better else change) > tolerance + 1e-9)
            rows.append({"language": language, "measure": measure, "running": was, "candidate": now,
                         "change": change, "gated": gated, "fails": worse and gated})
    return rows


def worse_intents(candidate: Figures, running: Figures, languages: Sequence[str] = LANGUAGES,
                  limit: int = WORSE_INTENTS) -> Dict[str, List[Tuple[str, float, float]]]:
    """Per language, the intents whose F1 fell: (intent, running F1, candidate F1), the biggest fall first."""
    found: Dict[str, List[Tuple[str, float, float]]] = {}
    for language in languages:
        new = (candidate.get(language) or {}).get("per_intent") or {}
        old = (running.get(language) or {}).get("per_intent") or {}
        fallen = [(intent, old[intent], new.get(intent, 0.0)) for intent in old if new.get(intent, 0.0) < old[intent] - 1e-9]
        fallen.sort(key=lambda item: (item[2] - item[1], item[0]))
        if fallen:
            found[language] = fallen[:limit]
    return found
