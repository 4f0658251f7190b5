"""What each insights page shows: headline figures, tables and their charts, from the counters.

A page is built in one read-only session (bot/insights/report.py does the sums). Names are
the console's words: intents by their console labels, answers by their topic and question.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from sqlalchemy.ext.asyncio import AsyncSession

from bot import locale
from bot.config import LANGUAGES
from bot.console.naming import intent_label, language_name
from bot.content.questions import QuestionBook, load_question_book
from bot.insights import charts
from bot.insights.report import (Filters, by_key, by_metric_key, by_period, item_titles, percentile, ratio, top,
                                  totals)
from bot.insights.tables import Column, Table, cell

PAGES = ("traffic", "understanding", "handoff", "lookups")
TOP_ROWS = 30
ENTRY_PAGES_PER_PERIOD = 5  # the pages of the period's table by day or week; the others summed
FEEDBACK_METRICS = ("answer", "helpful_up", "helpful_down", "answer_then_negative", "answer_then_human", "click")


@dataclass
class Page:
    """One page: its name, headline figures [(label, text)] and tables."""

    name: str
    figures: List[Tuple[str, str]] = field(default_factory=list)
    tables: List[Table] = field(default_factory=list)


@functools.lru_cache(maxsize=2)
def question_book(responses_dir: Path) -> QuestionBook:
    return load_question_book(responses_dir)


class Words:
    """The page's texts and formats in the console's language."""

    def __init__(self, language: str, responses_dir: Path) -> None:
        self.language, self.responses_dir = language, responses_dir

    def __call__(self, key: str, **values: Any) -> str:
        return locale.text(self.language, f"insights.{key}", **values)

    def fmt(self, kind: str) -> Callable[[float], str]:
        return lambda value: cell(value, kind, self.language)

    def period(self, filters: Filters, day: Any) -> str:
        text = cell(day, "day", self.language)
        return text if filters.by == "day" else self("week_of", day=text)

    def tick(self, day: Any) -> str:
        """A short day for a chart's axis: 4.11. (fi, sv) or 4 Nov (en)."""
        return f"{day.day} {cell(day, 'day', 'en').split()[1]}" if self.language == "en" else f"{day.day}.{day.month}."

    def answer(self, name: str) -> str:
        """An answer's name for an adviser: its topic, and the question of a specific answer."""
        base = name.removeprefix("utter_")
        topic, _, _ = base.partition("/")
        specific = question_book(self.responses_dir).answers.get(base)
        label = intent_label(self.language, topic)
        return f"{label}: {specific.titles[self.language]}" if specific is not None else label

    def kind(self, kind: str) -> str:
        return self(f"kind_{kind}") if kind in ("services", "events", "offers") else kind


async def _entry_pages(session: AsyncSession, filters: Filters, w: Words, conversations: int) -> Tuple[Table, Table]:
    """The entry pages of the period (totals) and per day or week: the pages most conversations started
    on, the rest of each period summed as "other pages"."""
    periods = await by_period(session, ("entry_conversation", "entry_message"), filters, split="key")
    totals_of: Dict[Tuple[str, str], int] = {}
    for (_, metric, page), value in periods.items():
        totals_of[(metric, page)] = totals_of.get((metric, page), 0) + value
    ranked = top({k: v for (m, k), v in totals_of.items() if m == "entry_conversation"}, TOP_ROWS)
    columns = [Column(w("col_page"), "text"), Column(w("col_conversations")), Column(w("col_messages"))]
    entry = Table("pages", w("table_pages"), columns + [Column(w("col_share"), "pct")],
                  [[page or w("unknown_page"), count, totals_of.get(("entry_message", page), 0),
                    ratio(count, conversations)] for page, count in ranked])
    shown = [page for page, _ in ranked[:ENTRY_PAGES_PER_PERIOD]]
    per = Table("pages_periods", w("table_pages_periods"), [Column(w("col_period"), "day")] + columns)
    others = sorted({page for (_, page) in totals_of} - set(shown))
    for day in filters.periods():
        for page in shown:
            counted = [periods.get((day, metric, page), 0) for metric in ("entry_conversation", "entry_message")]
            if any(counted):
                per.rows.append([day, page or w("unknown_page"), *counted])
        rest = [sum(periods.get((day, metric, page), 0) for page in others)
                for metric in ("entry_conversation", "entry_message")]
        if any(rest):
            per.rows.append([day, w("other_pages"), *rest])
    return entry, per


async def traffic(session: AsyncSession, filters: Filters, w: Words) -> Page:
    """Conversations and messages per day or week, per language and per entry page."""
    metrics = ("conversation", "message")
    periods = await by_period(session, metrics, filters, split="language")
    days = filters.periods()
    rows = []
    for day in days:
        per = {lang: periods.get((day, "conversation", lang), 0) for lang in LANGUAGES}
        messages = sum(periods.get((day, "message", lang), 0) for lang in LANGUAGES)
        rows.append([day, sum(per.values()), messages, *(per[lang] for lang in LANGUAGES)])
    conversations = sum(row[1] for row in rows)
    messages = sum(row[2] for row in rows)
    by_time = Table("periods", w("table_periods"), [
        Column(w("col_period"), "day"), Column(w("col_conversations")), Column(w("col_messages")),
        *(Column(w("col_conversations_in", lang_name=language_name(w.language, lang))) for lang in LANGUAGES)], rows)
    by_time.chart = charts.time_bars(w("chart_conversations"), [w.tick(r[0]) for r in rows],
                                     [r[1] for r in rows], w.fmt("int"))
    languages = Table("languages", w("table_languages"), [
        Column(w("col_language"), "text"), Column(w("col_conversations")), Column(w("col_messages")),
        Column(w("col_share"), "pct")])
    for lang in LANGUAGES:
        conv = sum(periods.get((day, "conversation", lang), 0) for day in days)
        msgs = sum(periods.get((day, "message", lang), 0) for day in days)
        languages.rows.append([language_name(w.language, lang), conv, msgs, ratio(conv, conversations)])
    entry, entry_periods = await _entry_pages(session, filters, w, conversations)
    figures = [(w("col_conversations"), cell(conversations, "int", w.language)),
               (w("col_messages"), cell(messages, "int", w.language)),
               (w("messages_per_conversation"), cell(ratio(messages, conversations), "num", w.language))]
    return Page("traffic", figures, [by_time, languages, entry, entry_periods])


async def understanding(session: AsyncSession, filters: Filters, w: Words) -> Page:
    """Top intents and their change, the rates of not understanding, the answers that did not help."""
    now_intents, before_intents = await by_key(session, "intent", filters), await by_key(session, "intent", filters.previous())
    now_total, before_total = sum(now_intents.values()), sum(before_intents.values())
    head = await totals(session, ("conversation", "not_understood_twice"), filters)
    previous = await totals(session, ("conversation", "not_understood_twice"), filters.previous())

    def rates(intents: Dict[str, int], total: int, conv: Dict[str, int]) -> List[Optional[float]]:
        return [ratio(intents.get("out_of_scope", 0), total), ratio(intents.get("nlu_fallback", 0), total),
                ratio(conv["not_understood_twice"], conv["conversation"])]

    names = [w("rate_out_of_scope"), w("rate_fallback"), w("rate_twice")]
    rate_table = Table("rates", w("table_rates"), [Column(w("col_rate"), "text"), Column(w("col_this_period"), "pct"),
                                                   Column(w("col_previous_period"), "pct")])
    for name, now, before in zip(names, rates(now_intents, now_total, head), rates(before_intents, before_total, previous)):
        rate_table.rows.append([name, now, before])
    intents = Table("intents", w("table_intents"), [
        Column(w("col_intent"), "text"), Column(w("col_messages")), Column(w("col_share"), "pct"),
        Column(w("col_previous_share"), "pct"), Column(w("col_change"), "pp")])
    for name, count in top(now_intents, TOP_ROWS):
        share, before = ratio(count, now_total), ratio(before_intents.get(name, 0), before_total)
        change = share - before if share is not None and before is not None else None
        intents.rows.append([intent_label(w.language, name if name != "none" else ""), count, share, before, change])
    top_rows = intents.rows[:12]
    intents.chart = charts.category_bars(w("chart_intents"), [r[0] for r in top_rows], [r[2] or 0 for r in top_rows],
                                         w.fmt("pct"))
    sums = await by_metric_key(session, FEEDBACK_METRICS, filters)
    answers: Dict[str, Dict[str, int]] = {}
    for (metric, key), value in sums.items():
        answers.setdefault(key, {})[metric] = value
    troubled = Table("answers", w("table_answers"), [
        Column(w("col_answer"), "text"), Column(w("col_answer_name"), "text", page=False), Column(w("col_shown")),
        Column(w("col_helpful_up")), Column(w("col_helpful_down")), Column(w("col_then_negative")),
        Column(w("col_then_human")), Column(w("col_problem_rate"), "pct")])
    trouble = {k: v.get("helpful_down", 0) + v.get("answer_then_negative", 0) + v.get("answer_then_human", 0)
               for k, v in answers.items()}
    for name, problems in top({k: v for k, v in trouble.items() if v}, TOP_ROWS):
        v = answers[name]
        troubled.rows.append([w.answer(name), name, v.get("answer", 0), v.get("helpful_up", 0), v.get("helpful_down", 0),
                              v.get("answer_then_negative", 0), v.get("answer_then_human", 0),
                              ratio(problems, v.get("answer", 0))])
    clicks = Table("clicks", w("table_clicks"), [
        Column(w("col_answer"), "text"), Column(w("col_answer_name"), "text", page=False), Column(w("col_shown")),
        Column(w("col_clicks")), Column(w("col_click_through"), "pct")])
    for name, count in top({k: v.get("click", 0) for k, v in answers.items() if v.get("click")}, TOP_ROWS):
        shown = answers[name].get("answer", 0)
        clicks.rows.append([w.answer(name), name, shown, count, ratio(count, shown)])
    figures = [(row[0], cell(row[1], "pct", w.language)) for row in rate_table.rows]
    return Page("understanding", figures, [rate_table, intents, troubled, clicks])


async def handoff(session: AsyncSession, filters: Filters, w: Words) -> Page:
    """Requests for a person, the share answered, waiting times, contact requests by topic, ratings."""
    metrics = ("handoff_request", "handoff_answered", "handoff_wait", "rating")
    periods = await by_period(session, metrics, filters, split="key")
    keyed_by_day: Dict[Tuple[Any, str], Dict[str, int]] = {}
    for (d, m, k), v in periods.items():
        keyed_by_day.setdefault((d, m), {})[k] = v
    rows = []
    for day in filters.periods():
        waits, ratings = keyed_by_day.get((day, "handoff_wait"), {}), keyed_by_day.get((day, "rating"), {})
        requests, answered = periods.get((day, "handoff_request", ""), 0), periods.get((day, "handoff_answered", ""), 0)
        count = sum(ratings.values())
        average = ratio(sum(int(k) * v for k, v in ratings.items()), count)
        rows.append([day, requests, answered, ratio(answered, requests), percentile(waits, 0.5),
                     percentile(waits, 0.9), count, average])
    table = Table("handoff_periods", w("table_handoff"), [
        Column(w("col_period"), "day"), Column(w("col_requests")), Column(w("col_answered")),
        Column(w("col_answered_share"), "pct"), Column(w("col_wait_p50"), "seconds"),
        Column(w("col_wait_p90"), "seconds"), Column(w("col_ratings")), Column(w("col_rating_average"), "num")], rows)
    table.chart = charts.time_bars(w("chart_requests"), [w.tick(r[0]) for r in rows], [r[1] for r in rows],
                                   w.fmt("int"))
    keyed = await by_metric_key(session, ("handoff_wait", "rating", "contact_request"), filters)
    waits = {k: v for (m, k), v in keyed.items() if m == "handoff_wait"}
    ratings = {int(k): v for (m, k), v in keyed.items() if m == "rating"}
    rated = sum(ratings.values())
    rating_table = Table("ratings", w("table_ratings"), [Column(w("col_rating"), "text"), Column(w("col_count")),
                                                         Column(w("col_share"), "pct")],
                         [[str(n), ratings.get(n, 0), ratio(ratings.get(n, 0), rated)] for n in range(5, 0, -1)])
    rating_table.chart = charts.category_bars(w("chart_ratings"), [r[0] for r in rating_table.rows],
                                              [r[1] for r in rating_table.rows], w.fmt("int"))
    topics = {k: v for (m, k), v in keyed.items() if m == "contact_request"}
    contact = Table("contact_topics", w("table_contact_topics"), [
        Column(w("col_topic"), "text"), Column(w("col_contact_requests")), Column(w("col_share"), "pct")],
        [[intent_label(w.language, k) if k != "other" else w("other_topic"), v, ratio(v, sum(topics.values()))]
         for k, v in top(topics, TOP_ROWS)])
    requests, answered = sum(r[1] for r in rows), sum(r[2] for r in rows)
    average = ratio(sum(n * v for n, v in ratings.items()), rated)
    figures = [(w("col_requests"), cell(requests, "int", w.language)),
               (w("col_answered_share"), cell(ratio(answered, requests), "pct", w.language)),
               (w("col_wait_p50"), cell(percentile(waits, 0.5), "seconds", w.language)),
               (w("col_wait_p90"), cell(percentile(waits, 0.9), "seconds", w.language)),
               (w("col_rating_average"), cell(average, "num", w.language))]
    return Page("handoff", figures, [table, rating_table, contact])


SHOWN_KINDS = ("events", "offers", "services")


async def _shown(session: AsyncSession, filters: Filters, w: Words, kind: str) -> Tuple[Table, int]:
    """The catalogue items of one kind the answers showed most often, by their titles."""
    counts = await by_key(session, f"shown_{kind}", filters)
    rows = top(counts, TOP_ROWS)
    titles = await item_titles(session, kind, [item for item, _ in rows], w.language)
    whole = sum(counts.values())
    table = Table(f"shown_{kind}", w(f"table_shown_{kind}"), [
        Column(w("col_title"), "text"), Column(w("col_item"), "text", page=False), Column(w("col_times_shown")),
        Column(w("col_share"), "pct")],
        [[titles.get(item, item), item, count, ratio(count, whole)] for item, count in rows])
    if table.rows and kind != "services":
        chart_rows = table.rows[:10]
        table.chart = charts.category_bars(w(f"table_shown_{kind}"), [r[0][:60] for r in chart_rows],
                                           [r[2] for r in chart_rows], w.fmt("int"))
    return table, whole


async def lookups(session: AsyncSession, filters: Filters, w: Words) -> Page:
    """Searches with no result (grouped by their words), searches with results, and the events, offers
    and services the answers showed most often."""
    tables, total = [], 0
    for metric, title in (("search_none", "table_search_none"), ("lookup", "table_lookups")):
        counts = await by_key(session, metric, filters)
        if metric == "search_none":
            total = sum(counts.values())
        table = Table(metric, w(title), [Column(w("col_kind"), "text"), Column(w("col_words"), "text"),
                                         Column(w("col_searches"))])
        for key, count in top(counts, TOP_ROWS * 2):
            kind, _, words = key.partition(":")
            table.rows.append([w.kind(kind), words or w("no_words"), count])
        tables.append(table)
    shown = [await _shown(session, filters, w, kind) for kind in SHOWN_KINDS]
    figures = [(w("searches_without_result"), cell(total, "int", w.language))]
    figures += [(w(f"shown_{kind}_total"), cell(whole, "int", w.language)) for kind, (_, whole) in zip(SHOWN_KINDS, shown)]
    items = [table for table, _ in shown]
    return Page("lookups", figures, items[:2] + tables + items[2:])


BUILDERS: Dict[str, Callable[[AsyncSession, Filters, Words], Awaitable[Page]]] = {
    "traffic": traffic, "understanding": understanding, "handoff": handoff, "lookups": lookups,
}
