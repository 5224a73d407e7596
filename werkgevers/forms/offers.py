"""Forms for offers: one form whose fields depend on the kind, the copy form and the status buttons.

Forms validate and normalise; `werkgevers.offers` saves.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, Function, TargetGroup
from kandidaten.forms import ReferenceChoiceField, reject_markup

from ..models import Offer, Organisation
from ..offers import DATED_FIELDS, PLACE_FIELDS, VACANCY_FIELDS, fields_for_kind, kind_group, required_for_kind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATE_ISO = "%Y-%m-%d"
CHOOSE = _("Choose one of the options in the list.")


def _datetime_field(label, help_text="", required=False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"invalid": _("Enter a date and time, for example 25-11-2026 14:30.")},
    )


def _date_field(label, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        input_formats=[DATE_ISO, "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        error_messages={"invalid": _("Enter a date, for example 25-11-2026.")},
    )


def _number_field(label, low: int, high: int, message, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        widget=forms.NumberInput(attrs={"min": low, "max": high, "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Fill in a whole number."),
            "min_value": message,
            "max_value": message,
        },
    )


HOURS = _("Fill in a number of hours from 1 to 60.")


class OfferForm(forms.ModelForm):
    """An offer of one kind: only the fields that kind has are on the form.

    Locations and contact people are the organisation's own active ones; anything else is an error.
    """

    starts_at = _datetime_field(_("Start (date and time)"))
    ends_at = _datetime_field(_("End (date and time)"))
    signup_deadline = _datetime_field(_("Sign up before"), help_text=_("Leave empty to take sign-ups until the start."))
    capacity = _number_field(
        _("Number of places"), 1, 1000, _("Fill in a number of places from 1 to 1000."), _("How many people can come?")
    )
    places = _number_field(_("Number of places"), 1, 500, _("Fill in a number of places from 1 to 500."))
    start_date = _date_field(_("Start date"), _("Leave empty when the start is flexible."))
    hours_min = _number_field(_("Hours per week (from)"), 1, 60, HOURS)
    hours_max = _number_field(_("Hours per week (to)"), 1, 60, HOURS)
    duration_weeks = _number_field(_("Duration in weeks"), 1, 520, _("Fill in a number of weeks from 1 to 520."))
    valid_until = _date_field(_("Open until"), _("After this date the offer expires by itself."))
    max_introductions_per_week = _number_field(
        _("Maximum introductions per week"),
        1,
        100,
        _("Fill in a number from 1 to 100, or leave the field empty."),
        _("So that a popular offer is not flooded. Leave empty for no maximum."),
    )
    # Checked against the active lines by their key, so a number too big for the database is refused
    # as an unknown choice instead of failing the query.
    functions = ReferenceChoiceField(Function, label=_("Functions"))
    target_groups = ReferenceChoiceField(
        TargetGroup, label=_("Target groups welcome"), help_text=_("Leave empty when everybody is welcome.")
    )

    sections = [
        (_("About the offer"), ["title", "description", "branch", "functions", "target_groups"]),
        (_("When and how many"), [*dict.fromkeys((*DATED_FIELDS, *PLACE_FIELDS, *VACANCY_FIELDS))]),
        (_("Where and who"), ["location", "contact_person"]),
        (_("Who sees it"), ["visibility", "max_introductions_per_week"]),
    ]

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "branch",
            "functions",
            "target_groups",
            "location",
            "contact_person",
            "visibility",
            "max_introductions_per_week",
            "starts_at",
            "ends_at",
            "capacity",
            "signup_deadline",
            "places",
            "start_date",
            "hours_min",
            "hours_max",
            "duration_weeks",
            "min_education_level",
            "diploma_requirements",
            "trains_towards_level",
            "contract_type",
            "valid_until",
        ]
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "branch": _("Branch"),
            "location": _("Location"),
            "contact_person": _("Contact person"),
            "visibility": _("Who may see this offer?"),
            "min_education_level": _("Minimum education level"),
            "diploma_requirements": _("Diploma requirements"),
            "trains_towards_level": _("Trains towards level"),
            "contract_type": _("Contract"),
        }
        help_texts = {
            "title": _("For example: Meeloopdag in de ouderenzorg."),
            "description": _("What will people do or learn, and what should they bring? Plain language, please."),
            "location": _("Missing a location? Add it under Organisation."),
            "contact_person": _("Coordinators contact this person about the offer."),
            "diploma_requirements": _("For example: a VOG is needed; a diploma Helpende is an advantage."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, organisation: Organisation, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.group = kind_group(kind)
        self.instance.kind = kind
        keep = set(fields_for_kind(kind))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in required_for_kind(kind):
            self.fields[name].required = True
        for field in self.fields.values():
            if not field.required:
                field.label = _("%(label)s (optional)") % {"label": field.label}
        fields = self.fields
        fields["branch"].queryset = Branch.objects.filter(active=True)
        fields["branch"].empty_label = _("Choose…")
        fields["location"].queryset = organisation.locations.filter(active=True)
        fields["location"].empty_label = _("Choose…")
        fields["contact_person"].queryset = organisation.contact_people.filter(active=True)
        fields["contact_person"].empty_label = _("Choose…")
        for name in ("title", "description", "diploma_requirements"):
            if name in fields:
                fields[name].validators.append(reject_markup)
        for name in ("min_education_level", "trains_towards_level", "contract_type"):
            if name in fields:
                fields[name].choices = [("", _("Choose…")), *fields[name].choices[1:]]
        if self.group == "place":
            fields["places"].help_text = _("How many candidates can start?")
        # An unknown choice (an old form, someone fiddling) gets a plain message that does not echo it.
        for field in fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = CHOOSE
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_pk_value"] = CHOOSE
                field.error_messages["invalid_choice"] = CHOOSE
        fields["location"].error_messages["invalid_choice"] = _("Choose one of your own active locations.")
        fields["contact_person"].error_messages["invalid_choice"] = _("Choose one of your own active contact people.")

    def fieldsets(self) -> list[tuple[str, list]]:
        """(legend, [bound fields]) per section that has fields on this form."""
        sets = [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.sections]
        return [(legend, fields) for legend, fields in sets if fields]

    def error_summary(self) -> list[tuple[str, str, list]]:
        """(anchor id, label, errors) per field with an error, in the order of the form, for a summary on top."""
        summary = []
        for _legend, fields in self.fieldsets():
            for field in fields:
                if field.errors:
                    # A group of check boxes or radios has no single input: link to its first option.
                    anchor = field.id_for_label or f"{field.auto_id}_0"
                    summary.append((anchor, str(field.label), field.errors))
        return summary

    def _changed(self, name: str) -> bool:
        """A new offer, or a value other than the stored one: a date in the past is only refused when typed now.

        Compared to the minute, as the form shows it (the instance still holds the stored values here).
        """
        if self.instance.pk is None:
            return True
        old = getattr(self.instance, name)
        if isinstance(old, datetime):
            old = old.replace(second=0, microsecond=0)
        return self.cleaned_data.get(name) != old

    def clean(self):
        cleaned_data = super().clean()
        now = timezone.now()
        if self.group == "dated":
            self._clean_dated(cleaned_data, now)
        for name in ("start_date", "valid_until"):
            value = cleaned_data.get(name)
            if value and value < timezone.localdate(now) and self._changed(name):
                self.add_error(name, _("This date is in the past. Choose today or a later date."))
        hours_min, hours_max = cleaned_data.get("hours_min"), cleaned_data.get("hours_max")
        if hours_min and hours_max and hours_max < hours_min:
            self.add_error("hours_max", _("The hours 'to' cannot be fewer than the hours 'from'."))
        return cleaned_data

    def _clean_dated(self, cleaned_data: dict, now: datetime) -> None:
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        deadline, capacity = cleaned_data.get("signup_deadline"), cleaned_data.get("capacity")
        if starts_at and starts_at <= now and self._changed("starts_at"):
            self.add_error("starts_at", _("The start is in the past. Choose a date and time to come."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        if deadline:
            if starts_at and deadline > starts_at:
                self.add_error("signup_deadline", _("The sign-up deadline must be before the start."))
            elif deadline <= now and self._changed("signup_deadline"):
                self.add_error("signup_deadline", _("The sign-up deadline is in the past."))
        registered = self.instance.registered_count if self.instance.pk else 0
        if capacity is not None and capacity < registered:
            self.add_error(
                "capacity",
                _("%(count)s people have signed up already: the number of places cannot be lower.")
                % {"count": registered},
            )

    def details(self) -> dict:
        """The cleaned values as the services take them (model field names)."""
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class CopyForm(forms.Form):
    """Copy an offer; the dates of the copy move on by a number of weeks, or stay empty to be chosen."""

    weeks = forms.TypedChoiceField(
        label=_("Dates of the copy"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["weeks"]
        empty = _("Leave the dates empty: I choose them next") if offer.is_dated else _("Keep the same dates")
        moved = [(str(weeks), _("%(weeks)s weeks later") % {"weeks": weeks}) for weeks in (2, 3, 4, 8, 13, 26, 52)]
        field.choices = [("", empty), ("1", _("1 week later")), *moved]
        field.error_messages["invalid_choice"] = CHOOSE


class StatusForm(forms.Form):
    """One of the status buttons on the offer page."""

    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    CLOSE = "close"

    action = forms.ChoiceField(
        choices=[(PUBLISH, _("Publish")), (UNPUBLISH, _("Back to draft")), (CLOSE, _("Close"))],
        error_messages={"invalid_choice": CHOOSE, "required": CHOOSE},
    )
