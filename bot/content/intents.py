"""The intent contract of shared/design/intents.md."""
from typing import Tuple

BUSINESS_INTENTS: Tuple[str, ...] = (
    "start_business",
    "startup_grant",
    "business_advice",
    "funding",
    "hiring_help",
    "pay_subsidy",
    "international_recruitment",
    "summer_jobs",
    "apprenticeship",
    "internationalisation",
    "premises",
    "permits",
    "procurement",
    "training",
    "ownership_change",
    "sustainability",
    "business_in_difficulty",
    "taxes_and_accounting",
    "entrepreneur_insurance",
    "company_registration",
    "startup_ecosystem",
    "foreign_entrepreneur",
    "find_events",
    "find_recruitment_offers",
    "find_service",
    "contact_info",
    "book_appointment",
    "request_human",
)

CONVERSATION_INTENTS: Tuple[str, ...] = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "help",
    "change_language",
    "feedback_positive",
    "feedback_negative",
    "resident_matter",  # a private person's matter: not a business intent, answered with the city's advice
    "out_of_scope",
    "show_more",
    "rate",
    "cancel",
)

ALL_INTENTS: Tuple[str, ...] = BUSINESS_INTENTS + CONVERSATION_INTENTS
