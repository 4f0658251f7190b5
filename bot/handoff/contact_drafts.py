"""The e-mail address or phone number a company gives the contact request form, kept aside.

Every user message is masked before Rasa sees it (bot/pii.py), so the tracker never holds
a contact detail. When the form is asking for the contact (`requested_slot` contact) and
the message has an e-mail address or a phone number, the web app keeps the first one here,
one row per conversation; the form's slot gets only the placeholder ("[e-mail]"). The
submit action moves it into the contact request (consent given) or deletes it (refused);
a draft nobody submitted is deleted after `DRAFT_MAX_AGE` by the web app's sweeper.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping, Optional

from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot import pii
from bot.db import session_scope
from bot.handoff.models import ContactDraft
from bot.handoff.queue import utcnow
from bot.rasa.client import RasaClient
from bot.validation import normalise_email, normalise_phone

logger = logging.getLogger(__name__)
FORM = "contact_request_form"
SLOT = "contact"
CONTACT_KINDS = (pii.EMAIL, pii.PHONE)
DRAFT_MAX_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class Contact:
    """A normalised contact detail: method 'email' or 'phone' and its value."""

    method: str
    value: str


def contact_of(finding: pii.Finding) -> Optional[Contact]:
    """The normalised contact detail of an e-mail or phone finding (+358 40 1234567 -> +358401234567)."""
    if finding.kind == pii.EMAIL:
        email = normalise_email(finding.value)
        return Contact(pii.EMAIL, email) if email else None
    if finding.kind == pii.PHONE:
        phone = normalise_phone(re.sub(r"\(0\)", "", finding.value))
        return Contact(pii.PHONE, phone) if phone else None
    return None


def form_asks_for_contact(tracker: Mapping[str, Any]) -> bool:
    """True when Rasa's tracker state shows the contact form waiting for the contact detail."""
    loop = tracker.get("active_loop") or {}
    slots = tracker.get("slots") or {}
    return isinstance(loop, Mapping) and loop.get("name") == FORM and slots.get("requested_slot") == SLOT


async def keep(session: AsyncSession, conversation_id: str, contact: Contact, now: Optional[datetime] = None) -> None:
    """Keep `contact` as the conversation's draft (replacing an earlier one), in the caller's unit of work."""
    await session.execute(delete(ContactDraft).where(ContactDraft.conversation_id == conversation_id))
    session.add(ContactDraft(
        conversation_id=conversation_id, method=contact.method, value=contact.value, created_at=now or utcnow(),
    ))


async def take(session: AsyncSession, conversation_id: str) -> Optional[Contact]:
    """The conversation's draft, deleted in the caller's unit of work."""
    row = await session.get(ContactDraft, conversation_id)
    if row is None:
        return None
    contact = Contact(row.method, row.value)
    await session.delete(row)
    return contact


async def peek(session: AsyncSession, conversation_id: str) -> Optional[Contact]:
    """The conversation's draft, left in place."""
    row = await session.get(ContactDraft, conversation_id)
    return Contact(row.method, row.value) if row else None


async def purge(factory: "sessionmaker[AsyncSession]", now: Optional[datetime] = None) -> int:
    """Delete drafts older than DRAFT_MAX_AGE (forms left unfinished); how many."""
    cutoff = (now or utcnow()) - DRAFT_MAX_AGE
    async with session_scope(factory) as session:
        result = await session.execute(delete(ContactDraft).where(ContactDraft.created_at < cutoff))
    return int(result.rowcount or 0)


async def text_for_rasa(
    rasa: RasaClient,
    conversation_id: str,
    text: str,
    factory: "sessionmaker[AsyncSession]",
) -> str:
    """What Rasa may store of a user message: `text` with its personal data masked.

    An e-mail address or phone number answering the contact form's question is kept as the
    conversation's draft first, in a unit of work of its own on `factory` (the web app's
    database; Rasa's tracker is read only when the message has one).
    RasaUnavailable when the tracker cannot be read: the caller retries as for any send.
    """
    found = pii.findings(text)
    if not found:
        return text
    contacts = [c for c in map(contact_of, found) if c is not None]
    if contacts:
        tracker = await rasa.tracker(conversation_id, include_events="NONE")
        if form_asks_for_contact(tracker):
            try:
                async with session_scope(factory) as session:
                    await keep(session, conversation_id, contacts[0])
            except (SQLAlchemyError, OSError) as exc:  # the form then asks for the contact again
                logger.error("contact draft of %s not kept: %s", conversation_id, type(exc).__name__)
    return pii.mask(text, found)
