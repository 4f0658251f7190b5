"""The contact request form: questions, validation of each answer, and submission."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import database
from actions.language import slot_language
from bot import pii
from bot.handoff import contact_drafts
from bot.language import normalise_language, requested_language
from bot.validation import NO_BUSINESS_ID, normalise_business_id, normalise_email, normalise_phone, says_no_business_id

logger = logging.getLogger(__name__)

FORM_SLOTS = ("company_name", "business_id", "contact_topic", "contact", "contact_language", "consent")
MAX_TEXT = {"company_name": 200, "contact_topic": 1000}


def _ask_action(slot: str) -> type:
    class AskForSlot(Action):
        def name(self) -> Text:
            return f"action_ask_{slot}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
            dispatcher.utter_message(response=f"utter_ask_{slot}")
            return []

    AskForSlot.__name__ = AskForSlot.__qualname__ = f"ActionAsk_{slot}"
    return AskForSlot


# One question action per slot (`action_ask_<slot>`): the questions are answers of
# the NLG endpoint, in the conversation's language.
ASK_ACTIONS = [_ask_action(slot) for slot in FORM_SLOTS]


def contact_method(value: str) -> Optional[Dict[str, str]]:
    """{'method': 'email'|'phone', 'value': normalised} for an e-mail address or a phone number."""
    email = normalise_email(value)
    if email:
        return {"method": "email", "value": email}
    phone = normalise_phone(value)
    if phone:
        return {"method": "phone", "value": phone}
    return None


def _has_contact_placeholder(text: str) -> bool:
    return any(pii.PLACEHOLDERS[kind] in text for kind in contact_drafts.CONTACT_KINDS)


async def _contact_draft(conversation_id: str) -> Optional[contact_drafts.Contact]:
    """The contact detail the web app kept aside for this conversation's form, if any."""
    try:
        async with database.session() as session:
            return await contact_drafts.peek(session, conversation_id)
    except (SQLAlchemyError, OSError) as exc:
        logger.error("contact draft of %s not read: %s", conversation_id, type(exc).__name__)
        return None


async def _discard_contact_draft(conversation_id: str) -> None:
    """Forget the contact detail of a form the company did not consent to submit."""
    try:
        async with database.session() as session:
            await contact_drafts.take(session, conversation_id)
    except (SQLAlchemyError, OSError) as exc:
        logger.error("contact draft of %s not deleted: %s", conversation_id, type(exc).__name__)


class ValidateContactRequestForm(FormValidationAction):
    """Checks each answer; an invalid one is asked again with the reason."""

    def name(self) -> Text:
        return "validate_contact_request_form"

    def _text(self, slot: str, value: Any) -> Dict[Text, Any]:
        text = str(value or "").strip()
        return {slot: text[: MAX_TEXT[slot]] if text else None}

    async def validate_company_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._text("company_name", value)

    async def validate_contact_topic(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._text("contact_topic", value)

    async def validate_business_id(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "")
        normalised = normalise_business_id(text)
        said_no = (tracker.latest_message or {}).get("intent", {}).get("name") == "deny"
        if normalised is None and (said_no or says_no_business_id(text)):
            return {"business_id": NO_BUSINESS_ID}  # a company still being founded: the ID is optional
        if normalised is None:
            dispatcher.utter_message(response="utter_invalid_business_id")
        return {"business_id": normalised}

    async def validate_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "")
        draft = await _contact_draft(tracker.sender_id) if _has_contact_placeholder(text) else None
        if draft is not None:  # the web app kept the detail aside; the tracker gets the placeholder only
            return {"contact": pii.PLACEHOLDERS[draft.method]}
        found = contact_method(text)
        if found is None:
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"contact": None}
        return {"contact": found["value"]}

    async def validate_contact_language(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "")
        return {"contact_language": normalise_language(text) or requested_language(text)}


class ActionSubmitContactRequest(Action):
    """Stores a consented contact request in the advisers' queue, then clears the form."""

    def name(self) -> Text:
        return "action_submit_contact_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        cleared = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("consent") is not True:
            await _discard_contact_draft(tracker.sender_id)
            dispatcher.utter_message(response="utter_contact_request_cancelled")
            return cleared
        from bot.handoff import create_contact_request

        try:
            async with database.session() as session:
                draft = await contact_drafts.take(session, tracker.sender_id)
                contact = (
                    {"method": draft.method, "value": draft.value} if draft
                    else contact_method(tracker.get_slot("contact") or "") or {"method": "", "value": ""}
                )
                await create_contact_request(
                    session,
                    conversation_id=tracker.sender_id,
                    language=tracker.get_slot("contact_language") or slot_language(tracker),
                    company_name=tracker.get_slot("company_name"),
                    business_id=tracker.get_slot("business_id"),
                    topic=tracker.get_slot("contact_topic"),
                    contact_method=contact["method"],
                    contact_value=contact["value"],
                    consent=True,
                )
        except (SQLAlchemyError, OSError, ValueError) as exc:
            # a database error's text can quote the row's values: only its class is logged
            reason = exc if isinstance(exc, ValueError) else type(exc).__name__
            logger.error("contact request of %s not stored: %s", tracker.sender_id, reason)
            dispatcher.utter_message(response="utter_contact_request_failed")
            return cleared
        dispatcher.utter_message(response="utter_contact_request_saved")
        return cleared
