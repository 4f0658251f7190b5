"""The publishing gate: a table of figures -> allowed or refused, with the reasons a publisher sees."""
from __future__ import annotations

import pytest

from bot.studio.gate import comparison, judge, worse_intents

RUNNING = {
    "fi": {"clean_f1": 0.90, "near_miss": 0.80, "false_rejection": 0.05, "per_intent": {"funding": 0.9, "premises": 0.8}},
    "sv": {"clean_f1": 0.85, "near_miss": 0.70, "false_rejection": 0.05},
    "en": {"clean_f1": 0.88, "near_miss": 0.75, "false_rejection": 0.04},
}


def _with(**changes: float):  # type: ignore[no-untyped-def]
    """RUNNING with some figures changed: language_measure=value."""
    figures = {language: dict(values) for language, values in RUNNING.items()}
    for key, value in changes.items():
        language, measure = key.split("_", 1)
        figures[language][measure] = value
    return figures


@pytest.mark.parametrize("candidate, tolerance, allowed, reasons", [
    (_with(), 0.01, True, []),  # the same figures
    (_with(fi_clean_f1=0.95, en_near_miss=0.9), 0.01, True, []),  # better
    (_with(sv_clean_f1=0.845), 0.01, True, []),  # worse, within the tolerance
    (_with(sv_clean_f1=0.84), 0.01, True, []),  # exactly the tolerance
    (_with(sv_clean_f1=0.83), 0.01, False, [("sv", "clean_f1", 0.02)]),
    (_with(fi_near_miss=0.70, en_clean_f1=0.80), 0.01, False, [("fi", "near_miss", 0.1), ("en", "clean_f1", 0.08)]),
    (_with(en_clean_f1=0.80), 0.1, True, []),  # a looser tolerance
    (_with(fi_false_rejection=0.5), 0.01, True, []),  # shown, not gated
])
def test_the_gate_refuses_a_language_that_got_worse_by_more_than_the_tolerance(candidate, tolerance, allowed, reasons):
    verdict = judge(candidate, RUNNING, tolerance)
    assert verdict.allowed is allowed
    assert [(r["language"], r["measure"], r["drop"]) for r in verdict.reasons] == reasons
    for reason in verdict.reasons:
        assert reason["running"] - reason["candidate"] == pytest.approx(reason["drop"])


def test_a_language_the_new_model_was_not_tested_in_is_a_refusal():
    candidate = {language: values for language, values in RUNNING.items() if language != "sv"}
    verdict = judge(candidate, RUNNING, 0.01)
    assert not verdict.allowed and verdict.reasons == [{"language": "sv", "measure": "missing"}]


def test_with_no_running_figures_there_is_nothing_to_be_worse_than():
    assert judge(RUNNING, {}, 0.01).allowed


def test_the_comparison_table_marks_the_failing_rows():
    rows = comparison(_with(sv_clean_f1=0.80, fi_false_rejection=0.3), RUNNING, 0.01)
    assert len(rows) == 9  # three figures in three languages
    failing = [(r["language"], r["measure"]) for r in rows if r["fails"]]
    assert failing == [("sv", "clean_f1")]
    sv_f1 = next(r for r in rows if r["language"] == "sv" and r["measure"] == "clean_f1")
    assert sv_f1["change"] == pytest.approx(-0.05) and sv_f1["running"] == 0.85 and sv_f1["candidate"] == 0.80
    false_rejection = next(r for r in rows if r["language"] == "fi" and r["measure"] == "false_rejection")
    assert not false_rejection["gated"] and not false_rejection["fails"]


def test_the_intents_that_got_worse_biggest_fall_first():
    candidate = _with()
    candidate["fi"]["per_intent"] = {"funding": 0.5, "premises": 0.7}
    assert worse_intents(candidate, RUNNING) == {"fi": [("funding", 0.9, 0.5), ("premises", 0.8, 0.7)]}
    assert worse_intents(RUNNING, RUNNING) == {}


def test_a_language_with_no_figures_on_either_side_is_not_judged():
    only_english = {"en": RUNNING["en"]}
    assert judge(only_english, only_english, 0.01).allowed


def test_one_topic_that_collapses_is_refused_though_the_macro_f1_stays_within_the_tolerance():
    """The accepted run of the note: Finnish funding 0.95 -> 0.82 moved the macro-F1 by only 0.008."""
    candidate = _with(fi_clean_f1=0.892)
    candidate["fi"]["per_intent"] = {"funding": 0.77, "premises": 0.8}
    assert judge(candidate, RUNNING, 0.01).allowed  # macro-F1 alone lets it through
    verdict = judge(candidate, RUNNING, 0.01, intent_tolerance=0.1)
    assert not verdict.allowed
    assert [(r["language"], r["measure"], r["intent"], r["drop"]) for r in verdict.reasons] == [
        ("fi", "intent", "funding", 0.13)]
    lost = _with()
    lost["fi"]["per_intent"] = {"funding": 0.9}  # the new model lost premises altogether
    assert [r["intent"] for r in judge(lost, RUNNING, 0.01, intent_tolerance=0.1).reasons] == ["premises"]
    small = _with()
    small["fi"]["per_intent"] = {"funding": 0.85, "premises": 0.8}
    assert judge(small, RUNNING, 0.01, intent_tolerance=0.1).allowed  # 0.05 is within a topic's tolerance
