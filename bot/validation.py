"""Checks of what a company types into the contact request: business ID, e-mail, phone."""
from __future__ import annotations

import re
from typing import Optional

_BUSINESS_ID = re.compile(r"^(\d{6,7})-?(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE_CHARS = re.compile(r"[\s\-()]")


def business_id_check_digit(body: str) -> Optional[int]:
    """The check digit of the seven digits of a Finnish business ID, None if no valid one exists."""
    remainder = sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def normalise_business_id(text: str) -> Optional[str]:
    """'1572860-0' for a valid Finnish business ID (Y-tunnus / FO-nummer) in `text`, else None."""
    match = _BUSINESS_ID.match(text.strip())
    if not match:
        return None
    body = match.group(1).zfill(7)
    check = business_id_check_digit(body)
    if check is None or check != int(match.group(2)):
        return None
    return f"{body}-{check}"


# "No business ID yet" as founders write it in Finnish, Swedish and English: a negation next to
# the ID or to having one, a company still being founded, or a bare "no"/"none".
NO_BUSINESS_ID = "none"  # the form's value for a company that has no business ID yet
_NO_ID_PATTERNS = (
    r"^(ei|eip[aä]|ei viel[aä]|ei oo|ei ole|nej|inte [aä]n|inget|ingen|no|none|nope|not yet|n/?a|-+)[.!]*$",
    r"\bei\b.{0,25}\b(y-?tunnus|tunnus|viel[aä]|ole|oo|ol)",
    r"\b(puuttuu|perustamassa|perustamatta|perusteilla|perustan|aloittamassa|en tied[aä])\b",
    r"\b(inget|ingen|saknar|saknas|har inte|har int|inte [aä]nnu|inte [aä]n|grundar|h[aå]ller p[aå] att|vet inte)\b",
    r"\b(no|don'?t|do not|haven'?t|have not|not yet|without|starting|setting up|not registered|not sure)\b",
)
_NO_ID = re.compile("|".join(f"(?:{p})" for p in _NO_ID_PATTERNS), re.IGNORECASE)


def says_no_business_id(text: str) -> bool:
    """Whether `text` says the company has no business ID yet (fi/sv/en), e.g.
    "ei oo vielä y-tunnusta, vasta perustamassa", "vi har inget FO-nummer än", "not yet"."""
    return bool(_NO_ID.search(" ".join(text.lower().split())))


def normalise_email(text: str) -> Optional[str]:
    candidate = text.strip()
    if len(candidate) > 254 or not _EMAIL.match(candidate):
        return None
    return candidate


def normalise_phone(text: str) -> Optional[str]:
    """An international form of a Finnish or international phone number, else None."""
    digits = _PHONE_CHARS.sub("", text.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0"):
        digits = "+358" + digits[1:]
    if not re.fullmatch(r"\+\d{7,15}", digits):
        return None
    return digits
