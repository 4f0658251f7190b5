"""A realistic year of traffic for the tests and the benchmark: tracker events (as Rasa's SQL
tracker store keeps them) and the handoff tables, in three languages.

Seasons and weekdays shape the volume (quiet weekends, July and Christmas); conversations
come from a handful of entry pages, ask business topics with a long tail, sometimes are
not understood (twice), search for services, events and offers (some with no result), ask
for a person (most answered by an adviser, some rated) or leave a contact request.
Nothing here is a real person's: the texts are made up, the ids random.
"""
from __future__ import annotations

import json
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.config import HELSINKI
from bot.content.intents import BUSINESS_INTENTS
from bot.db import session_scope
from bot.handoff.models import CLAIMED, CLOSED, KIND_CONTACT, KIND_LIVE, TIMED_OUT, HandoffConversation, HandoffRequest
from bot.handoff.privacy import EVENTS, TRACKER_METADATA

LANGUAGE_WEIGHTS = (("fi", 0.6), ("sv", 0.12), ("en", 0.28))
PAGES = {
    "fi": ("https://www.espoo.fi/fi/yrityspalvelut", "https://www.espoo.fi/fi/business-espoo/aloittavalle-yrittajalle",
           "https://www.espoo.fi/fi/tyo-ja-yrittaminen/tapahtumat?kategoria=yritys"),
    "sv": ("https://www.espoo.fi/sv/foretagstjanster", "https://www.espoo.fi/sv/business-espoo"),
    "en": ("https://www.espoo.fi/en/business-espoo", "https://www.espoo.fi/en/business-espoo/starting-business",
           "https://businessespoo.fi/en/"),
}
SEARCHES = {
    "fi": {"services": ["rahoitus kasvuun", "kirjanpitäjä", "vientiapu venäjä", "mentorointi"],
           "events": ["tapahtumat ensi viikolla", "ravintola-alan koulutus", "verkostoitumistapahtuma toukokuussa"],
           "offers": ["kesätyö nuorille", "kokki espoo", "myyjä osa-aika"]},
    "sv": {"services": ["finansiering", "bokföring hjälp"], "events": ["evenemang nästa vecka", "kurs för företagare"],
           "offers": ["sommarjobb", "kock"]},
    "en": {"services": ["funding for growth", "accountant", "export help"],
           "events": ["events next week", "startup networking event"],
           "offers": ["summer jobs for students", "software developer", "cleaner part time"]},
}
GREETINGS = {"fi": "hei", "sv": "hej", "en": "hello"}
# Made-up catalogue items a search with results shows (bot/catalog/shown.py), a few asked far more than others.
ITEM_TITLES = {
    "services": {"fi": "Yrityspalvelu", "sv": "Företagstjänst", "en": "Business service"},
    "events": {"fi": "Yrittäjäaamu", "sv": "Företagarmorgon", "en": "Entrepreneur breakfast"},
    "offers": {"fi": "Myyjä", "sv": "Säljare", "en": "Sales assistant"},
}
ITEMS_PER_KIND = 40
WEEKDAY_FACTOR = (1.25, 1.2, 1.15, 1.1, 0.95, 0.3, 0.25)


def _month_factor(day: date) -> float:
    if day.month == 7:
        return 0.4
    if day.month == 12 and day.day >= 20 or day.month == 1 and day.day <= 6:
        return 0.5
    return 1.0 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 60) / 365)


@dataclass
class Conversation:
    """One made-up conversation: its tracker events and its handoff rows."""

    sender: str
    events: List[Dict[str, Any]] = field(default_factory=list)
    handoff: Optional[Dict[str, Any]] = None


class Generator:
    """Conversations of a year; `answers` are the response names of data/responses (for realistic keys)."""

    def __init__(self, answers: Sequence[str], seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.answers = set(answers)
        self.topics = list(BUSINESS_INTENTS)
        # A long tail: the first topics are asked most (Zipf-like weights).
        self.topic_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.topics))]
        self.item_weights = [1 / (rank + 1) for rank in range(ITEMS_PER_KIND)]
        self.specific = {t: sorted(a for a in answers if a.startswith(f"utter_{t}/")) for t in self.topics}

    def _answer_of(self, topic: str) -> str:
        options = self.specific.get(topic) or []
        if options and self.rng.random() < 0.6:
            return self.rng.choice(options)
        return f"utter_{topic}"

    def _moment(self, day: date) -> float:
        hour = min(23.0, max(0.0, self.rng.gauss(12.5, 3.0)))
        local = datetime.combine(day, time(int(hour), int(hour % 1 * 60)), HELSINKI)
        return local.timestamp() + self.rng.random() * 59

    def conversation(self, day: date) -> Conversation:
        """One conversation started on `day`."""
        rng = self.rng
        language = rng.choices([l for l, _ in LANGUAGE_WEIGHTS], [w for _, w in LANGUAGE_WEIGHTS])[0]
        page_language = language if rng.random() < 0.85 else "fi"
        page = rng.choice(PAGES[page_language])
        made = Conversation(uuid.uuid4().hex)
        clock = self._moment(day)
        made.events.append({"event": "session_started", "timestamp": clock})
        misunderstood = 0
        for turn in range(rng.choice((1, 1, 2, 2, 3, 4, 6))):
            clock += rng.uniform(5, 90)
            intent, text, answers = self._turn(language, turn, misunderstood)
            misunderstood = misunderstood + 1 if intent in ("nlu_fallback", "out_of_scope") else 0
            meta = {"page_url": page, "language": page_language}
            made.events.append({"event": "user", "timestamp": clock, "text": text, "metadata": meta,
                                "parse_data": {"intent": {"name": intent, "confidence": rng.uniform(0.3, 1.0)}}})
            made.events.append({"event": "slot", "timestamp": clock + 0.1, "name": "language", "value": language})
            if misunderstood:
                made.events.append({"event": "slot", "timestamp": clock + 0.2, "name": "misunderstanding",
                                    "value": "repeated" if misunderstood >= 2 else "first"})
            for offset, answer in enumerate(answers):
                meta = {"answer": answer, "utter_action": answer.split("/")[0]}
                if answer.endswith(("_found", "_found_more")):
                    meta["shown"] = self._shown(answer.split("_")[1], language)
                made.events.append({"event": "bot", "timestamp": clock + 0.5 + offset / 10, "text": "…",
                                    "metadata": meta})
            if intent == "request_human":
                made.handoff = self._handoff(made.sender, language, clock, day.weekday() < 5)
                made.events.append({"event": "action", "timestamp": clock + 0.3, "name": "action_escalate"})
                break
        return made

    def _shown(self, kind: str, language: str) -> List[Dict[str, str]]:
        """One page of results (1-3 items) as the look-up actions record it."""
        picks = self.rng.choices(range(ITEMS_PER_KIND), self.item_weights, k=self.rng.choice((1, 2, 3, 3)))
        return [{"kind": kind, "id": f"gen:{kind}:{n}", "title": f"{ITEM_TITLES[kind][language]} {n}",
                 "language": language} for n in dict.fromkeys(picks)]

    def _turn(self, language: str, turn: int, misunderstood: int) -> Tuple[str, str, List[str]]:
        rng = self.rng
        roll = rng.random()
        if turn == 0 and roll < 0.2:
            return "greet", GREETINGS[language], ["utter_greet"]
        if roll < 0.07:
            return "nlu_fallback", "asdf qwer", ["utter_offer_human" if misunderstood else "utter_default"]
        if roll < 0.12:
            return "out_of_scope", "what is the weather", ["utter_out_of_scope"]
        if roll < 0.16 and turn > 0:
            return "request_human", "ihminen", ["utter_handoff_queued"]
        if roll < 0.18 and turn > 0:
            return "feedback_negative", "ei auttanut", ["utter_feedback_negative"]
        if roll < 0.3:
            kind = rng.choice(("services", "events", "offers"))
            intent = {"services": "find_service", "events": "find_events", "offers": "find_recruitment_offers"}[kind]
            text = rng.choice(SEARCHES[language][kind])
            if rng.random() < 0.03:
                text += " anna.virtanen@example.fi"  # masked before it is counted
            found = rng.random() < 0.7
            answer = f"utter_{kind}_found" + ("_more" if found and rng.random() < 0.4 else "") if found \
                else f"utter_{kind}_none"
            return intent, text, [answer]
        topic = rng.choices(self.topics, self.topic_weights)[0]
        return topic, f"{topic.replace('_', ' ')}?", [self._answer_of(topic)]

    def _handoff(self, sender: str, language: str, clock: float, open_day: bool) -> Dict[str, Any]:
        rng = self.rng
        created = datetime.fromtimestamp(clock, timezone.utc)
        topic = rng.choices(self.topics, self.topic_weights)[0]
        if not open_day or rng.random() < 0.2:
            return {"kind": KIND_CONTACT, "language": language, "created": created, "topic": topic}
        answered = rng.random() < 0.8
        wait = rng.lognormvariate(math.log(90), 0.8) if answered else None
        rating = rng.choices((1, 2, 3, 4, 5), (0.05, 0.07, 0.13, 0.35, 0.4))[0] if answered and rng.random() < 0.6 \
            else None
        return {"kind": KIND_LIVE, "language": language, "created": created, "topic": topic,
                "claimed": created + timedelta(seconds=wait) if wait is not None else None, "rating": rating}

    def year(self, end: date, conversations: int, days: int = 365) -> Iterator[Conversation]:
        """About `conversations` conversations over the `days` days up to `end`."""
        span = [end - timedelta(days=n) for n in range(days - 1, -1, -1)]
        weights = [WEEKDAY_FACTOR[d.weekday()] * _month_factor(d) for d in span]
        per_weight = conversations / sum(weights)
        for day, weight in zip(span, weights):
            for _ in range(max(0, round(self.rng.gauss(weight * per_weight, math.sqrt(weight * per_weight))))):
                yield self.conversation(day)


def _handoff_rows(made: Conversation) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    h = made.handoff or {}
    end = h.get("claimed") or h["created"]
    review = {"conversation_id": made.sender, "language": h["language"], "intents": f" {h['topic']} ",
              "status": CLOSED if h.get("claimed") else TIMED_OUT, "escalated": h["kind"] == KIND_LIVE,
              "created_at": h["created"], "last_activity_at": end, "rating": h.get("rating"),
              "rated_at": end + timedelta(minutes=5) if h.get("rating") else None, "search_text": "",
              "first_question": ""}
    request = {"conversation_id": made.sender, "kind": h["kind"], "language": h["language"],
               "status": CLOSED if h.get("claimed") else (TIMED_OUT if h["kind"] == KIND_LIVE else CLAIMED),
               "intents": f" {h['topic']} ", "created_at": h["created"], "claimed_at": h.get("claimed"), "reason": ""}
    return review, request


async def write(conversations: Iterator[Conversation], app: "sessionmaker[AsyncSession]",
                tracker: "sessionmaker[AsyncSession]", chunk: int = 2000) -> int:
    """Write conversations into the tracker store (its `events` table made when missing) and the app's
    handoff tables; how many conversations."""
    async with session_scope(tracker) as session:
        await session.run_sync(lambda sync: TRACKER_METADATA.create_all(sync.connection()))
    count, events, reviews, requests = 0, [], [], []

    async def flush() -> None:
        if events:
            async with session_scope(tracker) as session:
                await session.execute(insert(EVENTS), events)
        if reviews:
            async with session_scope(app) as session:
                await session.execute(insert(HandoffConversation.__table__), reviews)
                await session.execute(insert(HandoffRequest.__table__), requests)
        events.clear(), reviews.clear(), requests.clear()

    for made in conversations:
        count += 1
        for event in made.events:
            events.append({"sender_id": made.sender, "type_name": event["event"], "timestamp": event["timestamp"],
                           "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
                           "action_name": event.get("name") if event["event"] == "action" else None,
                           "data": json.dumps(event)})
        if made.handoff:
            review, request = _handoff_rows(made)
            reviews.append(review)
            requests.append(request)
        if len(events) >= chunk * 10:
            await flush()
    await flush()
    return count
