import pytest

from bot.validation import (
    business_id_check_digit, normalise_business_id, normalise_email, normalise_phone, says_no_business_id,
)


@pytest.mark.parametrize("text, expected", [
    ("0112038-9", "0112038-9"),
    ("1572860-0", "1572860-0"),
    (" 0201256-6 ", "0201256-6"),
    ("01120389", "0112038-9"),
    ("112038-9", "0112038-9"),        # old six-digit form
])
def test_valid_business_ids(text, expected):
    assert normalise_business_id(text) == expected


@pytest.mark.parametrize("text", ["0112038-8", "1234567", "abc", "", "12345678-9", "0112038–9x"])
def test_invalid_business_ids(text):
    assert normalise_business_id(text) is None


def test_check_digit_remainder_one_has_no_valid_id():
    bodies = [f"{n:07d}" for n in range(1000, 1200)]
    assert any(business_id_check_digit(b) is None for b in bodies)


@pytest.mark.parametrize("text, ok", [("yrittaja@example.fi", True), ("a.b+c@sub.example.com", True),
                                      ("no at sign", False), ("x@y", False), ("x@@y.fi", False)])
def test_email(text, ok):
    assert (normalise_email(text) is not None) is ok


@pytest.mark.parametrize("text, expected", [("040 123 4567", "+358401234567"), ("+358 9 816 21", "+358981621"),
                                            ("0046-8-123 456 78", "+46812345678"), ("12", None), ("phone", None)])
def test_phone(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize("text", ["1572860-0", "1234567-8", "Kahvila Kuppi Oy", "Nokia", "Einstein Oy", "Noora Tmi"])
def test_an_id_or_a_name_is_not_read_as_no_business_id(text):
    assert not says_no_business_id(text)


@pytest.mark.parametrize("text", ["ei oo vielä y-tunnusta, vasta perustamassa", "Ei ole.", "en tiedä",
                                  "vi har inget FO-nummer än", "Inte än", "not yet", "None"])
def test_no_business_id_yet_is_understood(text):
    assert says_no_business_id(text)
