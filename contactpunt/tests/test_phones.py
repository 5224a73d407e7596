"""Phone numbers: what people type, stored as E.164 and shown the Dutch way."""

import pytest
from django.core.exceptions import ValidationError

from contactpunt.forms import PhoneField
from contactpunt.phones import format_phone, normalize_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("06 1234 5678", "+31612345678"),
        (" 06 12 34 56 78 ", "+31612345678"),
        ("+31612345678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("+31 (0)6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("0031 6 1234 5678", "+31612345678"),
        ("050 123 4567", "+31501234567"),
        ("050-1234567", "+31501234567"),
        ("(050) 1234567", "+31501234567"),
        ("020 123 4567", "+31201234567"),
        ("+31 20 123 4567", "+31201234567"),
        ("0031 20 123 4567", "+31201234567"),
        ("085 123 4567", "+31851234567"),
        ("+32 470 12 34 56", "+32470123456"),  # people near the border may have a Belgian mobile
    ],
)
def test_mobile_numbers_landlines_and_international_prefixes_are_normalised(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "06-CALLME",
        "06abcdefgh",
        "O612345678",  # a letter O instead of a zero
        "0612",  # too short
        "06123456789",  # too long
        "1234567",
        "112",
        "0900 1234567",  # premium rate: nobody's own number
        "0909 1234567",
        "06 1234 5678 ext 2",
        "+31 6 1234 5678 9",
        "<script>alert(1)</script>",
        "",
        "   ",
    ],
)
def test_numbers_with_letters_or_of_the_wrong_length_are_rejected(typed):
    assert normalize_phone(typed) is None


def test_none_is_not_a_phone_number():
    assert normalize_phone(None) is None


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+31612345678", "06 12345678"),
        ("+31501234567", "050 123 4567"),
        ("+31201234567", "020 123 4567"),
        ("+32470123456", "+32 470 12 34 56"),
        ("not a number", "not a number"),
    ],
)
def test_stored_numbers_are_shown_the_dutch_way(stored, shown):
    assert format_phone(stored) == shown


def test_the_form_field_cleans_shows_and_explains_in_dutch():
    field = PhoneField()

    assert field.clean("06-12345678") == "+31612345678"
    assert field.prepare_value("+31612345678") == "06 12345678"
    assert field.prepare_value("06 1234") == "06 1234"
    with pytest.raises(ValidationError) as error:
        field.clean("06-CALLME")
    assert "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678 of 050 1234567." in str(error.value)
