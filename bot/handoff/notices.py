"""What the widget shows the company when an adviser joins (in the conversation's language)."""
from __future__ import annotations

_JOINED = {
    "fi": "Neuvoja {name} liittyi keskusteluun.",
    "sv": "Rådgivaren {name} har anslutit till konversationen.",
    "en": "Adviser {name} has joined the conversation.",
}


def adviser_joined(language: str, name: str) -> str:
    """'Adviser Anna has joined the conversation.' in `language` (Finnish when unknown)."""
    return _JOINED.get(language, _JOINED["fi"]).format(name=name)


def adviser_metadata(adviser_id: int, name: str, notice: str = "") -> dict:
    """The metadata that marks a bot event as written by an adviser."""
    metadata = {"adviser": name, "adviser_id": adviser_id}
    if notice:
        metadata["notice"] = notice
    return metadata
