"""Custom actions of the Business Espoo assistant (run by `python -m rasa_sdk --actions actions`)."""
from actions.catalog import ActionFindEvents, ActionFindOffers, ActionFindServices, ActionShowMore
from actions.contact_form import ASK_ACTIONS, ActionSubmitContactRequest, ValidateContactRequestForm
from actions.fallback import ActionCountMisunderstanding
from actions.handoff import ActionEscalate, ActionSaveRating
from actions.language import ActionCheckLanguageRequest, ActionDetectLanguage

__all__ = [
    "ASK_ACTIONS",
    "ActionCheckLanguageRequest",
    "ActionCountMisunderstanding",
    "ActionDetectLanguage",
    "ActionEscalate",
    "ActionFindEvents",
    "ActionFindOffers",
    "ActionFindServices",
    "ActionShowMore",
    "ActionSaveRating",
    "ActionSubmitContactRequest",
    "ValidateContactRequestForm",
]

# The action server imports this package once at start: load the language
# detector then, not while the first user waits.
from bot.language import warm_up as _warm_up_language_detection

_warm_up_language_detection()
