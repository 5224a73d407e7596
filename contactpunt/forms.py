"""Form fields shared by every form where people type a postcode or phone number."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference
from .notifications import EMAIL, IN_APP, Choice, NotificationKind, PreferenceRow
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


class NotificationPreferencesForm(forms.Form):
    """Per kind of notification the user can receive: by e-mail, in the portal, and for some kinds
    whether the e-mail comes at once or in the daily digest. Kinds that cannot be switched off are
    shown switched on and locked."""

    def __init__(self, *args, rows: list[PreferenceRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            kind, choice, locked = row.kind, row.choice, not row.kind.can_disable
            if EMAIL in kind.channels:
                self.fields[f"{kind.name}-email"] = forms.BooleanField(
                    label=_("By e-mail"), required=False, initial=choice.email, disabled=locked
                )
            if IN_APP in kind.channels:
                self.fields[f"{kind.name}-in_app"] = forms.BooleanField(
                    label=_("In the portal"), required=False, initial=choice.in_app, disabled=locked
                )
            if kind.digestible:
                Delivery = NotificationPreference.Delivery
                self.fields[f"{kind.name}-delivery"] = forms.ChoiceField(
                    label=_("When by e-mail"),
                    choices=Delivery.choices,
                    widget=forms.RadioSelect,
                    initial=Delivery.DIGEST if choice.digest else Delivery.IMMEDIATELY,
                    disabled=locked,
                )

    def groups(self) -> list[tuple[NotificationKind, list[forms.BoundField]]]:
        """(kind, its bound fields) per kind, for a fieldset each."""
        return [
            (row.kind, [self[name] for name in self.fields if name.split("-", 1)[0] == row.kind.name])
            for row in self.rows
        ]

    def choices(self) -> dict[str, Choice]:
        data = self.cleaned_data
        return {
            row.kind.name: Choice(
                email=bool(data.get(f"{row.kind.name}-email")),
                in_app=bool(data.get(f"{row.kind.name}-in_app")),
                digest=data.get(f"{row.kind.name}-delivery") == NotificationPreference.Delivery.DIGEST,
            )
            for row in self.rows
        }
