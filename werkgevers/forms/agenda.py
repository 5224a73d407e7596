"""Forms of the public agenda: the filters, the short sign-up form, and the employer's attendance record.

Forms validate and normalise; `werkgevers.registrations` saves.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.forms import PhoneField, PostcodeField
from contactpunt.models import Branch, Region
from kandidaten.forms import reject_markup, validate_name
from kandidaten.models import ConsentPurpose

from ..models import DATED_KINDS, OfferKind, OfferQuerySet

DATE_INPUT = "%Y-%m-%d"
_PC4 = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})?$")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AgendaFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Choose a date on or after the 'from' date."))
        return cleaned


class AgendaFilter(django_filters.FilterSet):
    """What a visitor narrows the agenda down by. GET parameters: nothing personal."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        field_name="location__region",
        empty_label=_("All regions"),
    )
    place = django_filters.CharFilter(
        label=_("Place or postcode"),
        method="filter_place",
        max_length=100,
        help_text=_("For example Groningen or 9711."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "address-level2"}),
    )
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"),
        queryset=Branch.objects.filter(active=True),
        empty_label=_("All branches"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of activity"),
        choices=[(value, label) for value, label in OfferKind.choices if value in DATED_KINDS],
        empty_label=_("All activities"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_date_from",
        input_formats=[DATE_INPUT, "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
    )
    date_to = django_filters.DateFilter(
        label=_("Up to and including"),
        method="filter_date_to",
        input_formats=[DATE_INPUT, "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
    )

    class Meta:
        form = AgendaFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("region", "branch", "kind"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose one of the options in the list.")
        for name in ("date_from", "date_to"):
            self.form.fields[name].error_messages["invalid"] = _("Enter a date, for example 25-11-2026.")

    def filter_place(self, queryset: OfferQuerySet, name: str, value: str) -> OfferQuerySet:
        text = " ".join(value.split())
        if not text:
            return queryset
        if match := _PC4.match(text):
            return queryset.filter(location__postcode__startswith=match.group(1))
        return queryset.filter(Q(location__place__icontains=text) | Q(location__name__icontains=text))

    def filter_date_from(self, queryset: OfferQuerySet, name: str, value: date) -> OfferQuerySet:
        return queryset.filter(starts_at__gte=_start_of(value))

    def filter_date_to(self, queryset: OfferQuerySet, name: str, value: date) -> OfferQuerySet:
        return queryset.filter(starts_at__lt=_start_of(value + timedelta(days=1)))


class ActivitySignupForm(forms.Form):
    """The short sign-up form on an activity's page, with a honeypot for bots."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        validators=[validate_name, reject_markup],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        validators=[validate_name, reject_markup],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the confirmation to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(help_text=_("For a message if something changes on the day."))
    postcode = PostcodeField(help_text=_("For example 9711 AB. For the contact point near you."))
    consent_contact = forms.BooleanField(
        label=_(
            "I agree that the employer receives my name, e-mail address and phone number for this activity, "
            "and that the contact point may contact me about work in zorg en welzijn."
        ),
        required=True,
        error_messages={"required": _("We can only sign you up if you agree to this. Please tick this box.")},
    )
    consent_share_with_employers = forms.BooleanField(
        label=_("A coordinator may also share my details with other employers they introduce me to (optional)."),
        required=False,
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    sections = [
        (_("Your details"), ["first_name", "last_name", "email", "phone", "postcode"]),
        (_("Your consent"), ["consent_contact", "consent_share_with_employers"]),
    ]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.sections]

    def error_summary(self) -> list[tuple[str, str, list]]:
        """(anchor id, label, errors) per field with an error, for the summary on top of the form."""
        return [
            (field.id_for_label, str(field.label), field.errors)
            for _legend, fields in self.fieldsets()
            for field in fields
            if field.errors
        ]

    def details(self) -> dict:
        """The cleaned values as candidate_register takes them."""
        return {name: self.cleaned_data[name] for name in ("first_name", "last_name", "email", "phone", "postcode")}

    def consents(self) -> dict[str, bool | None]:
        """Campaign news is not asked here: None keeps an earlier answer."""
        return {
            ConsentPurpose.CONTACT: self.cleaned_data["consent_contact"],
            ConsentPurpose.SHARE_WITH_EMPLOYERS: self.cleaned_data.get("consent_share_with_employers", False),
            ConsentPurpose.CAMPAIGN_NEWS: None,
        }


class AttendanceForm(forms.Form):
    """The employer records whether a person came."""

    attended = forms.TypedChoiceField(
        choices=[("yes", _("Attended")), ("no", _("Did not come"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Choose whether the person came."),
            "invalid_choice": _("Choose whether the person came."),
        },
    )
