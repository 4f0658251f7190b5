"""Masking of personal data (bot/pii.py): real samples are masked, near misses stay as typed."""
from __future__ import annotations

import time

import pytest

from bot import pii

# (typed, stored): every sample is masked in place and the rest of the sentence is kept.
MASKED = [
    # Finnish personal identity codes: every century sign, 2023 signs included, any case.
    ("Henkilötunnukseni on 131052-308T.", "Henkilötunnukseni on [personal id]."),
    ("Mitt personnummer är 010594Y9032, tack.", "Mitt personnummer är [personal id], tack."),
    ("My ID code is 150370X2452 and my wife's 280264W018S.", "My ID code is [personal id] and my wife's [personal id]."),
    ("Tunnus 311299V532C, toinen 050505U777L", "Tunnus [personal id], toinen [personal id]"),
    ("Lapsen hetu 010101A123N ja 290204B4562.", "Lapsen hetu [personal id] ja [personal id]."),
    ("Barnens koder: 121212C789Y, 070615D321K, 300422E654B.", "Barnens koder: [personal id], [personal id], [personal id]."),
    ("born 2023: 170823F234W", "born 2023: [personal id]"),
    ("isoisän tunnus oli 240597+042W", "isoisän tunnus oli [personal id]"),
    ("hetu 131052-308t pienellä", "hetu [personal id] pienellä"),
    # Finnish phone numbers.
    ("Soita minulle numeroon 040 123 4567.", "Soita minulle numeroon [phone]."),
    ("puh. 040-1234567 tai 0401234567", "puh. [phone] tai [phone]"),
    ("Ring oss på 09 816 23000 eller (09) 816 23000.", "Ring oss på [phone] eller [phone]."),
    ("vaihde 010 123 4567, yritysnumero 020 690 0000", "vaihde [phone], yritysnumero [phone]"),
    ("vuonna 2023 040 123 4567 oli numeroni", "vuonna 2023 [phone] oli numeroni"),
    # International phone numbers.
    ("Call me on +358 40 123 4567 please.", "Call me on [phone] please."),
    ("+358401234567 tai +358 (0)40 123 4567", "[phone] tai [phone]"),
    ("Min kollega i Stockholm: +46 8 123 456 78.", "Min kollega i Stockholm: [phone]."),
    ("London office +44 20 7946 0958, US +1 (555) 123-4567", "London office [phone], US [phone]"),
    ("00358 40 123 4567 on numeroni", "[phone] on numeroni"),
    # E-mail addresses.
    ("Sähköpostini on matti.meikalainen@example.fi.", "Sähköpostini on [e-mail]."),
    ("Min e-post: anna-lena.sjöberg@företag.se", "Min e-post: [e-mail]"),
    ("write to o'brien+chat@mail.example.co.uk, thanks", "write to [e-mail], thanks"),
    # IBANs.
    ("Tilinumeromme on FI21 1234 5600 0007 85 ja FI2112345600000785.", "Tilinumeromme on [IBAN] ja [IBAN]."),
    ("Kontonummer: fi49 5000 9420 0287 30.", "Kontonummer: [IBAN]."),
    ("Our German account DE89 3704 0044 0532 0130 00 and UK GB82 WEST 1234 5698 7654 32",
     "Our German account [IBAN] and UK [IBAN]"),
    ("svenskt konto SE45 5000 0000 0583 9825 7466, norskt NO93 8601 1117 947", "svenskt konto [IBAN], norskt [IBAN]"),
    # Payment card numbers (Luhn-valid, 13–19 digits, grouped or not).
    ("Korttini 4111 1111 1111 1111 ei toimi.", "Korttini [card] ei toimi."),
    ("Mitt kort 5555-5555-5555-4444 nekades", "Mitt kort [card] nekades"),
    ("Amex 3782 822463 10005 and Visa 4222222222222", "Amex [card] and Visa [card]"),
    ("ostin vuonna 2023 4111 1111 1111 1111 kortilla", "ostin vuonna 2023 [card] kortilla"),
    # Several kinds in one message.
    ("Olen Matti, hetu 131052-308T, puh +358 40 123 4567, matti@example.fi, tili FI21 1234 5600 0007 85",
     "Olen Matti, hetu [personal id], puh [phone], [e-mail], tili [IBAN]"),
]

# Near misses and things that must never be masked (business IDs are public).
KEPT = [
    # Personal identity codes with a wrong check character, a wrong date or sign.
    "Henkilötunnukseni on 131052-308U.",
    "Mitt personnummer är 010594Y9033.",
    "My ID code is 310252-123A (no 31 February).",
    "Tunnus 131052G308T ei ole oikea.",
    "Hetu 131052-3085 ei kelpaa",
    "barnets kod 290203B4562",
    # Business IDs, valid and mistyped, also ones starting with 0.
    "Y-tunnuksemme on 0112038-9.",
    "FO-nummer 1572860-0 och 2650128-1",
    "Our business ID is 1234567-8, or maybe 12345678.",
    # Years, prices, amounts, postcodes, dates and times.
    "Yritys perustettiin vuonna 2023 ja liikevaihto oli 30 000 euroa.",
    "Omsättningen var 1 050 000 000 € och 2 040 000 kr.",
    "The grant is 10 000 EUR, the loan 0 - 100 000 euros.",
    "Postinumero 02100 Espoo, toimisto osoitteessa Keilaranta 14, 02150 Espoo.",
    "Tapaaminen 01.02.2024 klo 08-16, tai 01-02-2024.",
    "ALV 25,5 % ja 0,5 prosenttia vuodessa",
    # Wrong check digits.
    "Tili FI21 1234 5600 0007 86 on väärin.",
    "Konto DE89 3704 0044 0532 0130 01",
    "Kortti 4111 1111 1111 1112 ja 5555-5555-5555-4445",
    "Order 1234567890123 shipped",
    # Not e-mail addresses or phone numbers.
    "matti@localhost, @example.fi and matti@example",
    "Puhelinnumero 040 123 on liian lyhyt.",
    "Versio 3.6.21 ja Python 3.10",
]


@pytest.mark.parametrize("typed, stored", MASKED)
def test_masks_personal_data(typed: str, stored: str) -> None:
    assert pii.mask(typed) == stored


@pytest.mark.parametrize("typed", KEPT)
def test_keeps_near_misses_and_public_data(typed: str) -> None:
    assert pii.findings(typed) == []
    assert pii.mask(typed) == typed


def test_findings_name_kind_and_place() -> None:
    text = "hetu 131052-308T, puh 040 123 4567"
    found = pii.findings(text)
    assert [(f.kind, text[f.start:f.end]) for f in found] == [
        (pii.PERSONAL_ID, "131052-308T"),
        (pii.PHONE, "040 123 4567"),
    ]
    assert all(f.value == text[f.start:f.end] for f in found)


@pytest.mark.parametrize("code, valid", [
    ("131052-308T", True), ("170823F234W", True), ("240597+042W", True),
    ("131052-308U", False), ("290203B4562", False), ("131052G308T", False), ("131052-308", False),
])
def test_hetu_check(code: str, valid: bool) -> None:
    found = pii.findings(f"tunnus {code} tässä")
    assert (pii.PERSONAL_ID in [f.kind for f in found]) is valid


@pytest.mark.parametrize("number, valid", [
    ("FI21 1234 5600 0007 85", True), ("gb82west12345698765432", True),
    ("FI21 1234 5600 0007 86", False), ("FI21", False),
])
def test_iban_check(number: str, valid: bool) -> None:
    assert pii.iban_is_valid(number) is valid


@pytest.mark.parametrize("number, valid", [
    ("4111 1111 1111 1111", True), ("378282246310005", True), ("4222222222222", True),
    ("4111 1111 1111 1112", False), ("411111111111", False), ("4111 1111 1111 1111 0000 0", False),
])
def test_card_check(number: str, valid: bool) -> None:
    assert pii.card_number_is_valid(number) is valid


def test_every_placeholder_is_masked_text_itself() -> None:
    """Masking is idempotent: a placeholder is never taken for personal data."""
    once = pii.mask(" ".join(typed for typed, _ in MASKED))
    assert pii.mask(once) == once
    assert all(placeholder in once for placeholder in pii.PLACEHOLDERS.values())


@pytest.mark.parametrize("text", [
    "1 " * 1000, "0" * 2000, "FI21 " * 400, "a@" * 1000, "+3" * 1000, "4111 " * 400, "131052-" * 280,
])
def test_long_inputs_are_fast(text: str) -> None:
    """A message of the largest allowed size (2000 characters) is masked without the patterns
    backtracking for ever: counted in this thread's CPU time, which other processes on a busy
    machine do not inflate."""
    started = time.thread_time()
    pii.mask(text)
    assert time.thread_time() - started < 0.5
