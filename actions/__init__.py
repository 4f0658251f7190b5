"""Custom actions of the Business Espoo assistant (run by `python -m rasa_sdk --actions actions`)."""
from actions.fallback import ActionHandleMisunderstanding
from actions.language import ActionChangeLanguage, ActionDetectLanguage

__all__ = ["ActionChangeLanguage", "ActionDetectLanguage", "ActionHandleMisunderstanding"]

# The action server imports this package once at start: load the language
# detector then, not while the first user waits.
from bot.language import warm_up as _warm_up_language_detection

_warm_up_language_detection()
