"""Texts of the web app itself (page labels, error messages) in fi, sv and en."""
from __future__ import annotations

from typing import Dict

UI_TEXT: Dict[str, Dict[str, str]] = {
    "fi": {
        "page_title": "Business Espoo – chat",
        "heading": "Business Espoon virtuaaliavustaja",
        "bot_notice": "Keskustelet botin kanssa, et ihmisen. Älä kirjoita henkilötunnuksia tai muita arkaluonteisia tietoja.",
        "privacy_link": "Tietosuojaseloste",
        "input_label": "Kirjoita viesti",
        "send": "Lähetä",
        "new_conversation": "Uusi keskustelu",
        "language_label": "Kieli",
        "you": "Sinä",
        "assistant": "Avustaja",
        "error_too_long": "Viesti on liian pitkä. Enimmäispituus on {limit} merkkiä.",
        "error_empty": "Viesti on tyhjä.",
        "error_malformed": "Viestiä ei voitu lukea.",
        "error_unknown_conversation": "Keskustelua ei tunnistettu. Aloita uusi keskustelu.",
        "error_unavailable": "Avustaja ei juuri nyt vastaa teknisen vian vuoksi. Viestiäsi ei käsitelty – yritä hetken päästä uudelleen.",
    },
    "sv": {
        "page_title": "Business Espoo – chatt",
        "heading": "Business Esbos virtuella assistent",
        "bot_notice": "Du chattar med en bot, inte med en människa. Skriv inte personbeteckningar eller andra känsliga uppgifter.",
        "privacy_link": "Dataskyddsbeskrivning",
        "input_label": "Skriv ett meddelande",
        "send": "Skicka",
        "new_conversation": "Ny konversation",
        "language_label": "Språk",
        "you": "Du",
        "assistant": "Assistenten",
        "error_too_long": "Meddelandet är för långt. Det får vara högst {limit} tecken.",
        "error_empty": "Meddelandet är tomt.",
        "error_malformed": "Meddelandet kunde inte läsas.",
        "error_unknown_conversation": "Konversationen kändes inte igen. Börja en ny konversation.",
        "error_unavailable": "Assistenten svarar inte just nu på grund av ett tekniskt fel. Ditt meddelande behandlades inte – försök igen om en stund.",
    },
    "en": {
        "page_title": "Business Espoo – chat",
        "heading": "Business Espoo's virtual assistant",
        "bot_notice": "You are chatting with a bot, not a person. Please do not type personal identity codes or other sensitive details.",
        "privacy_link": "Privacy notice",
        "input_label": "Type a message",
        "send": "Send",
        "new_conversation": "New conversation",
        "language_label": "Language",
        "you": "You",
        "assistant": "Assistant",
        "error_too_long": "The message is too long. The limit is {limit} characters.",
        "error_empty": "The message is empty.",
        "error_malformed": "The message could not be read.",
        "error_unknown_conversation": "This conversation was not recognised. Please start a new conversation.",
        "error_unavailable": "The assistant is not answering right now because of a technical problem. Your message was not processed – please try again in a moment.",
    },
}

def ui_text(language: str, key: str, **values: object) -> str:
    """One UI string in `language` (Finnish when the language is unknown)."""
    table = UI_TEXT.get(language, UI_TEXT["fi"])
    return table[key].format(**values) if values else table[key]
