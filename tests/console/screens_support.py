"""Conversations that look like real ones, for the console's browser test and its screenshots:
a topic asked, a button pressed, a contact request, a question with markup, one in progress."""
from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import select

from bot.console.accounts import create_adviser
from bot.db import session_scope
from bot.handoff import create_contact_request, enqueue, save_rating
from bot.handoff.models import HandoffRequest
from bot.handoff.queue import claim
from tests.console.support import PASSWORD

LIVE = "5ea1f00d" + "0" * 24
CONTACT = "c0ffee00" + "0" * 24
MINE = "a11ce000" + "0" * 24
RATED = "4a7ed000" + "0" * 24
XSS = "<img src=x onerror=alert(1)> Miten haen lupaa?"
OFFER = [{"title": "Kyllä, yhdistä neuvojalle", "payload": "/affirm"}, {"title": "Ei kiitos", "payload": "/deny"}]


def _say(rasa: Any, cid: str, text: str, intent: str, **metadata: Any) -> None:
    rasa.append(cid, {"event": "user", "text": text, "metadata": metadata,
                      "parse_data": {"intent": {"name": intent, "confidence": 0.91}, "entities": []}})


def _answer(rasa: Any, cid: str, text: str, buttons: Any = None) -> None:
    rasa.append(cid, {"event": "bot", "text": text, "metadata": {}, "data": {"buttons": buttons} if buttons else {}})


def _conversations(rasa: Any) -> None:
    rasa.append(MINE, {"event": "session_started"})
    _say(rasa, MINE, "Hei", "greet")
    _answer(rasa, MINE, "Hei! Olen Business Espoon virtuaaliavustaja. Miten voin auttaa?")
    _say(rasa, MINE, "Paljonko starttirahaa voi saada ja kuinka pitkäksi aikaa, kun perustan siivousyrityksen?",
         "startup_grant")
    _answer(rasa, MINE, "Starttirahaa myöntää TE-palvelut. Haluatko puhua yritysneuvojan kanssa?", OFFER)
    _say(rasa, MINE, "/affirm", "affirm")
    rasa.append(MINE, {"event": "action", "name": "action_escalate"})
    _answer(rasa, MINE, "Yhdistän sinut yritysneuvojalle. Jonossa ennen sinua: 0.")
    rasa.append(MINE, {"event": "pause"})
    rasa.append(MINE, {"event": "bot", "text": "Neuvoja Anna Neuvoja liittyi keskusteluun.",
                       "metadata": {"adviser": "Anna Neuvoja", "adviser_id": 1}})
    _say(rasa, MINE, XSS, "permits")
    for cid, question, intent in ((LIVE, "Tarvitsen rahoitusta kahvilan laajentamiseen Tapiolassa", "funding"),
                                  (CONTACT, "Tarvitsenko anniskeluluvan terassille?", "permits"),
                                  (RATED, "How do I register a limited company?", "company_registration")):
        _say(rasa, cid, question, intent)
        _answer(rasa, cid, "…")
    _say(rasa, LIVE, "Voinko puhua ihmisen kanssa?", "request_human")
    rasa.append(RATED, {"event": "slot", "name": "language", "value": "en"})


async def seed(factory: Any, rasa: Any, settings: Any) -> Dict[str, int]:
    """The conversations above in the fake Rasa and the database; the advisers' ids."""
    _conversations(rasa)
    async with session_scope(factory) as session:
        anna = await create_adviser(session, "anna", "Anna Neuvoja", PASSWORD, "admin", "fi")
        bertil = await create_adviser(session, "bertil", "Bertil Berg", PASSWORD, "adviser", "sv")
        ids = {"anna": anna.id, "bertil": bertil.id}
    async with session_scope(factory) as session:
        await enqueue(session, LIVE, "fi", ["funding", "request_human"], "requested", settings=settings)
        await enqueue(session, MINE, "fi", ["startup_grant"], "fallback", settings=settings)
        await create_contact_request(session, CONTACT, "fi", "Kahvila Kuppi Oy", "1572860-0",
                                     "Terassilupa kesäksi, anniskelu", "email", "kuppi@example.fi", True)
        await save_rating(session, RATED, 4)
    async with session_scope(factory) as session:
        mine = await session.scalar(select(HandoffRequest.id).where(HandoffRequest.conversation_id == MINE))
        await claim(session, mine, ids["anna"])
    return ids
