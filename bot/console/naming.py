"""Words an adviser reads instead of codes: intent labels, language names, a conversation's name.

A conversation is named by its first question, its language and when it started (Finnish
time); its id stays beside them, secondary. Everything returned is plain text: templates
escape it and console.js sets it with textContent.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot import locale
from bot.config import LANGUAGES
from bot.console.guard import format_time
from bot.content.intents import ALL_INTENTS, BUSINESS_INTENTS
from bot.handoff.summary import shorten

INTENT_GROUP = "console_intents"
ACTION_GROUP = "console_actions"
FALLBACK_INTENT = "nlu_fallback"
QUESTION_CHARS = 70


def intent_label(language: str, intent: Optional[str]) -> str:
    """The adviser's word for an intent ("" for none); an unknown one as its words, never a code."""
    if not intent:
        return ""
    labels = locale.texts(language, INTENT_GROUP)
    return labels.get(intent) or intent.replace("_", " ").strip().capitalize()


def action_label(language: str, action: str) -> str:
    """The adviser's word for what the assistant did (a custom action); an unknown one as words."""
    return locale.texts(language, ACTION_GROUP).get(action) or action.removeprefix("action_").replace("_", " ").capitalize()


def topic_labels(language: str, intents: Iterable[str]) -> List[str]:
    """The business topics among `intents`, as labels (greetings, yes and no are not topics)."""
    return [intent_label(language, name) for name in intents if name in BUSINESS_INTENTS]


def intent_options(language: str) -> List[Tuple[str, List[Tuple[str, str]]]]:
    """The review's intent filter: (group label, [(intent, label)]) for topics, then the rest."""
    def sort(names: Iterable[str]) -> List[Tuple[str, str]]:
        return sorted(((name, intent_label(language, name)) for name in names), key=lambda pair: pair[1].lower())

    others = [name for name in (*ALL_INTENTS, FALLBACK_INTENT) if name not in BUSINESS_INTENTS]
    return [
        (locale.text(language, "console.intent_group_topics"), sort(BUSINESS_INTENTS)),
        (locale.text(language, "console.intent_group_conversation"), sort(others)),
    ]


def language_name(language: str, code: Optional[str]) -> str:
    """The name of a conversation's language in the console's language ("–" when unknown)."""
    return locale.text(language, f"console.language_{code}") if code in LANGUAGES else "–"


def payload_label(language: str, payload: str) -> str:
    """A readable word for a button payload "/intent{...}" whose button is not known."""
    name, _, rest = payload.lstrip("/").partition("{")
    label = locale.texts(language, INTENT_GROUP).get(name.strip()) or locale.text(language, "console.choice_unknown")
    try:
        values = json.loads("{" + rest) if rest else {}
    except ValueError:
        values = {}
    shown = [str(v) for v in values.values() if isinstance(v, (str, int, float))] if isinstance(values, dict) else []
    return f"{label} ({', '.join(shown)})" if shown else label


def conversation_name(
    language: str, conversation_id: str, question: str, conversation_language: Optional[str],
    started: Optional[datetime],
) -> Dict[str, Any]:
    """How a list or a page names a conversation: its question (short and whole), language, start, id."""
    lang_name = language_name(language, conversation_language)
    time = format_time(started, language) if started else "–"
    short = shorten(question, QUESTION_CHARS) if question else locale.text(language, "console.no_question")
    return {
        "question": short, "question_full": question, "has_question": bool(question),
        "language_name": lang_name, "started": time, "short_id": conversation_id[:8],
        "id_text": locale.text(language, "console.conversation_id", id=conversation_id[:8]),
        "meta": f"{lang_name} · {time}",
        "title": locale.text(language, "console.conversation_title", question=short, lang_name=lang_name, time=time),
    }


def row_name(language: str, row: Any) -> Dict[str, Any]:
    """The name of a review row (HandoffConversation)."""
    return conversation_name(
        language, row.conversation_id, row.first_question or "", row.language, row.started_at or row.created_at,
    )
