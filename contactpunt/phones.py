"""Phone numbers: what people type, stored as E.164, shown the Dutch way."""

from __future__ import annotations

import re

import phonenumbers

_PHONE_CHARACTERS = re.compile(r"^[0-9+\s\-().]+$")
# Numbers that cost the caller extra (0900, 0906, 0909 and shared-cost lines) are nobody's own phone.
_REJECTED_TYPES = {phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.SHARED_COST}


def normalize_phone(value: str) -> str | None:
    """06…, +31…, 0031… and landlines → E.164 (`+31612345678`); None when not a valid number."""
    if not value or not _PHONE_CHARACTERS.match(value):
        return None
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) in _REJECTED_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored number the way people in the Netherlands write it (`06 12345678`)."""
    try:
        number = phonenumbers.parse(e164, "NL")
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 31
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
