"""Rasa's NLG endpoint: turns a response name into text in the conversation's language."""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from aiohttp import web

from bot import locale
from bot.language import normalise_language
from bot.catalog.hours_text import HOURS_PLACEHOLDERS, fallback_values
from bot.content.questions import QuestionBook, live_placeholders
from bot.content.responses import ResponseCatalog, Variation
from bot.web.keys import ADVICE_HOURS_KEY, ANSWER_LANGUAGES_KEY, GO_LINKS_KEY, NLG_CATALOG_KEY, NLG_TOKEN_KEY

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SPACES = re.compile(r" {2,}")


def tracker_language(tracker: Mapping[str, Any], default: str) -> str:
    """The language slot of a tracker, else the page language of its latest message."""
    slots = tracker.get("slots") or {}
    chosen = normalise_language(slots.get("language"))
    if chosen:
        return chosen
    latest = tracker.get("latest_message") or {}
    page = normalise_language((latest.get("metadata") or {}).get("language"))
    return page or default


def fill_placeholders(text: str, values: Mapping[str, Any]) -> str:
    """Replace {name} with values[name]; unknown placeholders stay as they are."""

    def substitute(match: "re.Match[str]") -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return _PLACEHOLDER.sub(substitute, text)


def render(variation: Variation, values: Mapping[str, Any]) -> Dict[str, Any]:
    """The JSON body Rasa expects from an NLG endpoint."""
    text: Optional[str] = variation.get("text")
    return {
        "text": fill_placeholders(text, values) if text else text,
        "buttons": [
            {"title": fill_placeholders(b["title"], values), "payload": b["payload"]}
            for b in variation.get("buttons") or []
        ],
        "image": variation.get("image"),
        "elements": [],
        "attachments": [],
        "custom": variation.get("custom") or {},
    }


# The entity of a "Did you mean...?" button and the NLU output of bot.rasa.question_selector.
QUESTION_ENTITY = "question"
SELECTION_KEY = "specific_question"


def specific_question(name: str, latest: Mapping[str, Any], book: QuestionBook) -> Tuple[Optional[str], List[str]]:
    """For the topic answer `name`: the specific question to answer instead (or None) and,
    when there is none, the topic's likeliest questions to offer as quick replies."""
    topic = name[len("utter_"):]
    if (latest.get("intent") or {}).get("name") != topic or not book.of_topic(topic):
        return None, []
    for entity in latest.get("entities") or []:
        value = entity.get("value")
        if entity.get("entity") == QUESTION_ENTITY and value in book.answers and value.startswith(f"{topic}/"):
            return value, []
    selection = latest.get(SELECTION_KEY) or {}
    chosen = selection.get("name")
    if chosen in book.answers and chosen.startswith(f"{topic}/"):
        return chosen, []
    ranked = [r.get("name") for r in selection.get("ranking") or []]
    return None, [key for key in ranked if key in book.answers and key.startswith(f"{topic}/")][:3]


def suggestion_variation(topic: Variation, keys: List[str], book: QuestionBook, language: str) -> Variation:
    """The topic answer with its likeliest specific questions as quick replies."""
    buttons = [
        {"title": book.answers[key].titles[language],
         "payload": f'/{book.answers[key].topic}{{"{QUESTION_ENTITY}": "{key}"}}'}
        for key in keys
    ]
    return {**topic, "text": f"{topic['text']}\n\n{locale.text(language, 'questions.did_you_mean')}", "buttons": buttons}


@dataclass(frozen=True)
class Planned:
    """What one NLG request will say, before values that need a lookup (the opening hours) are in."""

    answer: str  # the response name said ("utter_<topic>/<key>" for a specific answer)
    language: str
    variation: Variation
    values: Mapping[str, Any]  # the tracker's slots and the request's arguments

    @property
    def live(self) -> List[str]:
        """The placeholders the caller looks up before `finish` (bot/content/questions.py LIVE_PLACEHOLDERS)."""
        return live_placeholders(self.variation.get("text") or "")


def plan(catalog: ResponseCatalog, body: Mapping[str, Any]) -> Optional[Planned]:
    """Choose the answer of one NLG request body, or None when the response is unknown.

    A topic answer becomes the specific answer the NLU picked (or the button named).
    """
    name = body.get("response") or body.get("template")
    if not isinstance(name, str):
        raise ValueError("the request names no response")
    tracker = body.get("tracker") or {}
    language = tracker_language(tracker, catalog.default_language)
    chosen, suggestions = specific_question(name, tracker.get("latest_message") or {}, catalog.questions)
    answer = f"utter_{chosen}" if chosen else name
    variation = catalog.choose(answer, language)
    if variation is None:
        return None
    if suggestions and variation.get("text"):
        variation = suggestion_variation(variation, suggestions, catalog.questions, language)
    values: Dict[str, Any] = dict(tracker.get("slots") or {})
    values.update(body.get("arguments") or {})
    return Planned(answer, language, variation, values)


def finish(planned: Planned, live: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """The JSON body for Rasa; the name of what was said goes back as `answer` (kept in the
    event's metadata). The live placeholders take their values from `live`; any that `live`
    lacks get the fallback (the hours: a sentence pointing to the contact page, no week), so
    no raw {hours_today} is ever shown, and a value left empty leaves no double space."""
    needed = planned.live
    if not needed:
        return {**render(planned.variation, planned.values), "answer": planned.answer}
    given = dict(live or {})
    if any(given.get(name) is None for name in needed):
        given = fallback_values(planned.language)
    values = {**planned.values, **{name: given[name] for name in needed}}
    answer = render(planned.variation, values)
    answer["text"] = "\n".join(_SPACES.sub(" ", line).strip(" ") for line in answer["text"].split("\n"))
    return {**answer, "answer": planned.answer}


def generate(catalog: ResponseCatalog, body: Mapping[str, Any],
             live: Optional[Mapping[str, str]] = None) -> Optional[Dict[str, Any]]:
    """Answer one NLG request body (`plan`, then `finish` with the `live` values), or None when
    the response is unknown. Pure: the caller looks up what `live` holds."""
    planned = plan(catalog, body)
    return None if planned is None else finish(planned, live)


async def handle_nlg(request: web.Request) -> web.Response:
    """POST /nlg from Rasa. The opening hours are looked up (cached) only for an answer that shows them."""
    expected = request.app[NLG_TOKEN_KEY]
    if expected and not hmac.compare_digest(request.query.get("token", ""), expected):
        return web.json_response({"error": "invalid NLG token"}, status=401)
    try:
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        planned = plan(request.app[NLG_CATALOG_KEY].current, body)  # the studio's saves (bot/studio/answer_live.py)
    except ValueError as exc:
        return web.json_response({"error": f"malformed NLG request: {exc}"}, status=400)
    if planned is None:
        return web.json_response({"error": f"unknown response {body.get('response')!r}"}, status=404)
    sender = (body.get("tracker") or {}).get("sender_id")
    languages = request.app.get(ANSWER_LANGUAGES_KEY)
    if languages is not None and isinstance(sender, str) and sender:
        languages.note(sender, planned.language)  # for the gateway's reply frame (bot/web/answer_languages.py)
    live: Dict[str, str] = {}
    hours = request.app.get(ADVICE_HOURS_KEY)
    if hours is not None and set(planned.live) & HOURS_PLACEHOLDERS:
        live = await hours.values(planned.language)
    answer = finish(planned, live)
    links = request.app.get(GO_LINKS_KEY)
    if links is not None:  # the answer's name and its links through /go/ (bot/insights/links.py)
        answer["custom"] = {**answer["custom"], **links.custom(planned.answer, planned.language, answer["text"])}
    return web.json_response(answer)
