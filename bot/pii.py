"""Personal data in free text: find it and mask it before the text is stored anywhere.

Recognised, each only when its own check passes (a near miss stays as typed):

- Finnish personal identity codes (henkilötunnus / personbeteckning): DDMMYY, a century
  sign (+ 1800s; - Y X W V U 1900s; A B C D E F 2000s, the 2023 signs included), a
  three-digit individual number and the check character of (DDMMYY + NNN) mod 31; the
  date must exist.
- IBANs of any country, with or without spaces (ISO 13616 mod-97 check).
- Payment card numbers of 13–19 digits, grouped by spaces or dashes or not (Luhn).
- E-mail addresses.
- Phone numbers: Finnish ones starting with a 0 (040 123 4567, 09 816 23000, (09) 816 23000)
  and international ones starting with + or 00 (+358 40 123 4567, +44 20 7946 0958).
  Business IDs (1234567-8), dates, postcodes, years and amounts ("30 000 euroa",
  "1 050 000 000 €") are not phone numbers.

Each finding becomes a fixed placeholder in brackets (`PLACEHOLDERS`): the same in every
language, so that the masked text means the same to Rasa, to the language detection and
to an adviser of any language, and a search for "[phone]" finds every masked number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from bot.validation import normalise_business_id

PERSONAL_ID = "personal_id"
IBAN = "iban"
CARD = "card"
EMAIL = "email"
PHONE = "phone"

PLACEHOLDERS = {
    PERSONAL_ID: "[personal id]",
    IBAN: "[IBAN]",
    CARD: "[card]",
    EMAIL: "[e-mail]",
    PHONE: "[phone]",
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text: its kind and where it is."""

    kind: str
    start: int
    end: int
    value: str


# --- Finnish personal identity code ------------------------------------------------------

HETU_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, **{sign: 1900 for sign in "-YXWVU"}, **{sign: 2000 for sign in "ABCDEF"}}
_HETU = re.compile(
    r"(?<![\w+\-])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])(?![\w])", re.IGNORECASE
)


def _hetu_match_is_valid(match: "re.Match[str]") -> bool:
    """True for a Finnish personal identity code with a real date and the right check character."""
    day, month, year, sign, individual, check = match.groups()
    try:
        date(CENTURIES[sign.upper()] + int(year), int(month), int(day))
    except ValueError:
        return False
    return HETU_CHECK_CHARS[int(day + month + year + individual) % 31] == check.upper()


# --- IBAN and payment cards -------------------------------------------------------------

_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){10,32}", re.IGNORECASE)
# An account number shaped like an IBAN (grouped by four) whose check failed: its digits
# are neither a card nor a phone number.
_IBAN_SHAPE = re.compile(
    r"(?<![\w])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,3})?(?![\w])", re.IGNORECASE
)
_DIGIT_RUN = re.compile(r"(?<![\w\-])\d(?:[ \-\u00a0]?\d){12,}(?![\w])")


def iban_is_valid(text: str) -> bool:
    """True for an IBAN (spaces allowed, any case) whose mod-97 check holds."""
    compact = re.sub(r"[ \u00a0]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def luhn_is_valid(digits: str) -> bool:
    """True for a digit string whose Luhn check digit is right."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def card_number_is_valid(text: str) -> bool:
    """True for 13–19 digits (spaces or dashes between them allowed) that pass the Luhn check."""
    digits = re.sub(r"[ \-\u00a0]", "", text)
    return digits.isdigit() and 13 <= len(digits) <= 19 and luhn_is_valid(digits)


def _tokens(text: str, start: int, end: int, separators: str) -> List[Tuple[int, int]]:
    """(start, end) of the pieces of text[start:end] between separator characters."""
    return [
        (start + m.start(), start + m.end())
        for m in re.finditer(f"[^{re.escape(separators)}]+", text[start:end])
    ]


def _first_window(
    text: str,
    tokens: Sequence[Tuple[int, int]],
    valid: Callable[[str], bool],
    max_tokens: int,
    prefix_only: bool = False,
) -> Optional[Tuple[int, int]]:
    """The leftmost, then longest, run of at most `max_tokens` whole tokens that ends a word
    and passes `valid`, as (start, end) in `text`."""
    for i in range(1 if prefix_only else len(tokens)):
        for j in range(min(len(tokens), i + max_tokens), i, -1):
            start, end = tokens[i][0], tokens[j - 1][1]
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            if valid(text[start:end]):
                return start, end
    return None


# --- E-mail ------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+'\-])[\w.%+'\-]+@(?:[\w\-]+\.)+[^\W\d_]{2,}(?![\w\-])")


# --- Phone numbers -----------------------------------------------------------------------

_SEPARATOR = r"[ \-\u00a0]"
_NATIONAL = re.compile(
    rf"(?<![\w+\-/.,:])(?:\(0[1-9]\d{{0,2}}\){_SEPARATOR}?\d+|0[1-9]\d*)(?:{_SEPARATOR}\d+)*"
    r"(?![\w\-]|[.,:/]\d)"
)
_INTERNATIONAL = re.compile(
    rf"(?<![\w+])(?:\+|00)[1-9]\d*(?:(?:{_SEPARATOR}|\.|{_SEPARATOR}?\(\d{{1,4}}\){_SEPARATOR}?)\d+)*"
    r"(?![\w\-]|[.,:/]\d)"
)
_TRUNK_ZERO = re.compile(r"\(0\)")
_CURRENCY_AFTER = re.compile(r"\s?(?:€|\$|£|%|e\b|eur\b|euro|kr\b|kronor|snt\b|sek\b|usd\b)", re.IGNORECASE)
_DATE_SHAPE = re.compile(r"\d{1,2}-\d{1,2}-(?:\d{2}|\d{4})")
_HETU_SHAPE = re.compile(r"\d{6}-\d{4}")
_THOUSANDS_BEFORE = re.compile(r"\d[ \u00a0]$")
NATIONAL_DIGITS = (7, 12)
INTERNATIONAL_DIGITS = (8, 15)


def _phone_is_plausible(text: str, start: int, end: int, international: bool) -> bool:
    """A number-like match that is a phone number rather than an ID, a date or an amount."""
    candidate = text[start:end]
    if _CURRENCY_AFTER.match(text, end):
        return False
    if international:
        digits = re.sub(r"\D", "", _TRUNK_ZERO.sub("", candidate[1:] if candidate[0] == "+" else candidate[2:]))
        return INTERNATIONAL_DIGITS[0] <= len(digits) <= INTERNATIONAL_DIGITS[1]
    digits = re.sub(r"\D", "", candidate)
    if not NATIONAL_DIGITS[0] <= len(digits) <= NATIONAL_DIGITS[1]:
        return False
    if normalise_business_id(candidate) or re.fullmatch(r"\d{7}-\d", candidate):
        return False  # a business ID, or one mistyped: companies' public IDs stay
    if _DATE_SHAPE.fullmatch(candidate) or _HETU_SHAPE.fullmatch(candidate):
        return False  # 01-02-2024, or a personal identity code whose check failed
    groups = re.split(_SEPARATOR, candidate)
    if _THOUSANDS_BEFORE.search(text[:start]) and all(len(g) == 3 for g in groups):
        return False  # the rest of "1 050 000 000"
    return True


# --- Finding and masking -----------------------------------------------------------------


def _hetus(text: str) -> Iterator[Finding]:
    for match in _HETU.finditer(text):
        if _hetu_match_is_valid(match):
            yield Finding(PERSONAL_ID, match.start(), match.end(), match.group())


def _ibans(text: str) -> Iterator[Finding]:
    match = _IBAN.search(text)
    while match:
        tokens = _tokens(text, match.start(), match.end(), " \u00a0")
        window = _first_window(text, tokens, iban_is_valid, max_tokens=34, prefix_only=True)
        if window:
            yield Finding(IBAN, window[0], window[1], text[window[0]:window[1]])
        # a match can run on into the next IBAN ("FI21 ... 85 ja FI21..."): look again after this one
        match = _IBAN.search(text, window[1] if window else tokens[0][1])


def _cards(text: str) -> Iterator[Finding]:
    for match in _DIGIT_RUN.finditer(text):
        tokens = _tokens(text, match.start(), match.end(), " -\u00a0")
        while tokens:
            window = _first_window(text, tokens, card_number_is_valid, max_tokens=19)
            if window is None:
                break
            yield Finding(CARD, window[0], window[1], text[window[0]:window[1]])
            tokens = [t for t in tokens if t[0] >= window[1]]


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(EMAIL, match.start(), match.end(), match.group())


def _phones(text: str) -> Iterator[Finding]:
    for pattern, international in ((_INTERNATIONAL, True), (_NATIONAL, False)):
        for match in pattern.finditer(text):
            if _phone_is_plausible(text, match.start(), match.end(), international):
                yield Finding(PHONE, match.start(), match.end(), match.group())


# Earlier detectors win where findings overlap (an IBAN's digits are not a card number).
_DETECTORS: Tuple[Callable[[str], Iterator[Finding]], ...] = (_emails, _ibans, _hetus, _cards, _phones)
_NUMBER_KINDS = (CARD, PHONE)


def _overlaps(finding: Finding, spans: Sequence[Tuple[int, int]]) -> bool:
    return any(finding.start < end and start < finding.end for start, end in spans)


def findings(text: str) -> List[Finding]:
    """The personal data in `text`, in order, never overlapping."""
    found: List[Finding] = []
    iban_shaped = [m.span() for m in _IBAN_SHAPE.finditer(text)]
    for detect in _DETECTORS:
        for finding in detect(text):
            taken = [(f.start, f.end) for f in found]
            if finding.kind in _NUMBER_KINDS and _overlaps(finding, iban_shaped):
                continue
            if not _overlaps(finding, taken):
                found.append(finding)
    return sorted(found, key=lambda f: f.start)


def mask(text: str, found: Optional[Sequence[Finding]] = None) -> str:
    """`text` with every finding (default: `findings(text)`) replaced by its placeholder
    ("[phone]", "[personal id]"...)."""
    if not text:
        return text
    parts: List[str] = []
    position = 0
    for finding in findings(text) if found is None else found:
        parts.append(text[position:finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
