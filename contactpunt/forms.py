"""Form fields shared by every form where people type a postcode or phone number."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .phones import format_phone, normalize_phone
from .postcodes import normalize_postcode


class PostcodeField(forms.CharField):
    """A Dutch postcode, cleaned to `1234 AB`."""

    default_error_messages = {
        "invalid": _("Enter a Dutch postcode: four digits and two letters, for example 9711 AB."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("label", _("Postcode"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "postal-code")
        self.widget.attrs.setdefault("inputmode", "text")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        postcode = normalize_postcode(value)
        if postcode is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return postcode


class PhoneField(forms.CharField):
    """A phone number, cleaned to E.164."""

    default_error_messages = {
        "invalid": _("Enter a valid phone number, for example 06 12345678 or 050 1234567."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("label", _("Phone number"))
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")

    def prepare_value(self, value):
        if value and isinstance(value, str) and value.startswith("+"):
            return format_phone(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        phone = normalize_phone(value)
        if phone is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phone
