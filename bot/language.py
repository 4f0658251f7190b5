"""Which language a conversation is in: page metadata, explicit requests, detection."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional

from bot.config import LANGUAGES, load_settings

# Detection of short messages is unreliable ("ok", "hej", "tack"): only a
# message of this many words, detected with at least this confidence, switches.
MIN_WORDS_FOR_DETECTION = 3
MIN_DETECTION_CONFIDENCE = 0.80

# Word stems that name a language in any of the three languages.
_LANGUAGE_WORDS = {
    "fi": ("suomi", "suomea", "suomeksi", "suomen kiel", "finska", "finsk", "finnish", "finnis"),
    "sv": ("ruotsi", "ruotsia", "ruotsiksi", "svenska", "svensk", "swedish", "swedis"),
    "en": ("englanti", "englantia", "englanniksi", "engelska", "engelsk", "english", "englis"),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def normalise_language(value: Any) -> Optional[str]:
    """Return 'fi', 'sv' or 'en' for a language code such as 'sv-FI', else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in LANGUAGES else None


def language_or_default(language: Optional[str]) -> str:
    """`language` when it is one of LANGUAGES, else the configured default (BOT_DEFAULT_LANGUAGE)."""
    return language if language in LANGUAGES else load_settings().default_language  # type: ignore[return-value]


def requested_language(text: str) -> Optional[str]:
    """The language a change-language request names ("puhu ruotsia" -> 'sv'), if exactly one."""
    folded = unicodedata.normalize("NFC", text.lower())
    found = {
        lang
        for lang, stems in _LANGUAGE_WORDS.items()
        if any(stem in folded for stem in stems)
    }
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(Language.FINNISH, Language.SWEDISH, Language.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )


_LINGUA_CODES = {"FINNISH": "fi", "SWEDISH": "sv", "ENGLISH": "en"}


def detect_language(text: str) -> Optional[str]:
    """The language `text` is confidently written in, or None when unsure or too short."""
    if len(_WORD.findall(text)) < MIN_WORDS_FOR_DETECTION:
        return None
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None
    best = values[0]
    if best.value < MIN_DETECTION_CONFIDENCE:
        return None
    return _LINGUA_CODES.get(best.language.name)


def warm_up() -> None:
    """Load the detection models now rather than on the first message."""
    _detector()


def conversation_language(
    *,
    current: Optional[str],
    intent: Optional[str],
    text: str,
    entities: Iterable[Mapping[str, Any]] = (),
    metadata: Optional[Mapping[str, Any]] = None,
    default: str = "fi",
) -> str:
    """Decide the conversation's language after a user message.

    Order: an explicit request (a language entity: a button, or a request the NLU found
    before a question; the words of a change_language message), a confident detection of
    the message, the language kept so far, the page's language from the metadata, the default.
    """
    for entity in entities:
        if entity.get("entity") == "language":
            chosen = normalise_language(entity.get("value"))
            if chosen:
                return chosen
    if intent == "change_language":
        chosen = requested_language(text)
        if chosen:
            return chosen
    if text and not text.startswith("/"):
        detected = detect_language(text)
        if detected:
            return detected
    kept = normalise_language(current)
    if kept:
        return kept
    page = normalise_language((metadata or {}).get("language"))
    return page or default


def language_after_message(current: Optional[str], message: Mapping[str, Any], default: str) -> str:
    """The conversation's language after the user message `message` (the tracker's latest message:
    intent, text, entities, metadata); the `language` slot's mapping in Rasa and the action server."""
    return conversation_language(
        current=current,
        intent=(message.get("intent") or {}).get("name"),
        text=message.get("text") or "",
        entities=message.get("entities") or [],
        metadata=message.get("metadata") or {},
        default=default,
    )
