"""Links in answers through a signed redirect of the web app, so that a click counts per answer.

The NLG (bot/rasa/nlg.py) gives each answer a `custom` part {answer, links: {url: "/go/<token>"}}
for the links of its text that are links of the answers, in data/responses or in an answer saved in
the studio (no other link ever gets a token, so a link an action writes into a text from what a
user typed never does); the widget and the chat page keep the text and the link's label as they are
and point the link's href at the token (resolved against the web app's address). GET /go/<token>
checks the token's HMAC (a key derived from BOT_SECRET_KEY) and that its target is still a link of
the answers, counts a click for the answer and language, and redirects; anything else is 404: no
open redirect.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import AbstractSet, Any, Callable, Dict, FrozenSet, Iterator, Optional, Tuple

from bot.config import LANGUAGES

# The same links the widget, the chat page and the studio's preview make clickable (bot/web/static/links.js).
URL_PATTERN = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
GO_PATH = "/go/"
MAX_TOKEN = 1024


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@functools.lru_cache(maxsize=4)
def answer_links(responses_dir: Path) -> FrozenSet[str]:
    """Every link in the answers' texts (data/responses, the specific answers too), in every language."""
    from bot.content.responses import ResponseCatalog

    catalog = ResponseCatalog.from_directory(responses_dir)
    found = set()
    for language in LANGUAGES:
        for name in catalog.names(language):
            for variation in catalog.variations(name, language):
                found.update(URL_PATTERN.findall(variation.get("text") or ""))
        for specific in catalog.questions.answers.values():
            found.update(URL_PATTERN.findall(specific.render(language)))
    return frozenset(found)


def doc_links(doc: Any) -> FrozenSet[str]:
    """Every link in the texts of an answer's document (bot/studio/answer_docs.py), at any depth."""
    return frozenset(url for text in _strings(doc) for url in URL_PATTERN.findall(text))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@functools.lru_cache(maxsize=4)
def answer_names(responses_dir: Path) -> FrozenSet[str]:
    """The name of every answer: the responses of data/responses and the specific answers (utter_<topic>/<key>)."""
    from bot.content.responses import ResponseCatalog

    catalog = ResponseCatalog.from_directory(responses_dir)
    names = {name for language in LANGUAGES for name in catalog.names(language)}
    return frozenset(names | {f"utter_{key}" for key in catalog.questions.answers})


def asks_helpful(answer: str) -> bool:
    """Whether "was this helpful?" goes under the answer: a business topic's answer (a specific one too)
    and a search's results, not a greeting, a question of a form or a small-talk answer."""
    from bot.content.intents import BUSINESS_INTENTS

    topic = answer.removeprefix("utter_").split("/")[0]
    return topic in BUSINESS_INTENTS or topic.startswith(SEARCH_ANSWERS)


SEARCH_ANSWERS = ("services_", "events_", "offers_")


class LinkSigner:
    """Makes and reads the tokens of /go/ links."""

    def __init__(self, secret: str, responses_dir: Path,
                 live_links: Callable[[], AbstractSet[str]] = frozenset) -> None:
        """`live_links`: the links of the answers saved in the studio, as the NLG's catalogue has them."""
        self._key = hmac.new(secret.encode(), b"insights:go-links", hashlib.sha256).digest()
        self.responses_dir = responses_dir
        self.live_links = live_links

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()[:18])

    def token(self, answer: str, language: str, url: str) -> str:
        payload = _b64(json.dumps([answer, language, url], separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def read(self, token: str, saved_links: AbstractSet[str] = frozenset()) -> Optional[Tuple[str, str, str]]:
        """(answer, language, url) of a token this signer made for a link of the answers (the files' or
        one of `saved_links`); else None."""
        found = self.verified(token)
        if found is None or (found[2] not in answer_links(self.responses_dir) and found[2] not in saved_links):
            return None
        return found

    def verified(self, token: str) -> Optional[Tuple[str, str, str]]:
        """(answer, language, url) of a token this signer made, whatever its link; else None."""
        if len(token) > MAX_TOKEN or token.count(".") != 1:
            return None
        payload, mac = token.split(".")
        if not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            return None
        try:
            answer, language, url = json.loads(_unb64(payload))
        except (ValueError, TypeError):
            return None
        if not all(isinstance(v, str) for v in (answer, language, url)) or language not in LANGUAGES:
            return None
        return answer, language, url

    def custom(self, answer: str, language: str, text: Optional[str]) -> Dict[str, Any]:
        """The `custom` part of an NLG answer: a /go/ path for each of its answer links, and its name
        when the company is asked whether it helped (`asks_helpful`)."""
        known = answer_links(self.responses_dir) | self.live_links()
        found: Dict[str, Any] = {}
        links = {url: GO_PATH + self.token(answer, language, url)
                 for url in URL_PATTERN.findall(text or "") if url in known}
        if links:
            found["links"] = links
        if asks_helpful(answer):
            found["answer"] = answer
        return found
