"""Forms of the candidate's own pages at /mijn-gegevens/ and the coordinators' erasure buttons."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import CandidateDetailsForm, reject_markup, validate_name, validate_place
from .models import ConsentPurpose


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The address you signed up with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in an e-mail address, for example naam@voorbeeld.nl."),
        },
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class CorrectionForm(CandidateDetailsForm):
    """What a person corrects themselves: name, phone, postcode and place, and what they look for."""

    sections = [
        (_("Your contact details"), ["first_name", "last_name", "phone"]),
        (_("Where do you live?"), ["postcode", "place"]),
        (_("What are you looking for?"), ["branches", "functions", "next_steps", "hours_per_week", "max_travel_km"]),
    ]

    class Meta(CandidateDetailsForm.Meta):
        fields = [
            "first_name",
            "last_name",
            "phone",
            "postcode",
            "place",
            "branches",
            "functions",
            "next_steps",
            "hours_per_week",
            "max_travel_km",
        ]

    def __init__(self, *args, **kwargs):
        # The parent's set-up expects fields this form leaves out; the same checks, on these fields.
        forms.ModelForm.__init__(self, *args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].validators += [validate_name, reject_markup]
        self.fields["place"].validators += [reject_markup, validate_place]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_pk_value"] = _("Choose one of the options in the list.")


CONSENT_LABELS = {
    ConsentPurpose.CONTACT: _("The contact point may contact me by phone and e-mail."),
    ConsentPurpose.SHARE_WITH_EMPLOYERS: _("The contact point may share my profile with employers I am introduced to."),
    ConsentPurpose.CAMPAIGN_NEWS: _("I would like to receive campaign news now and then."),
}


class ConsentForm(forms.Form):
    """One yes/no per purpose; an unticked box withdraws that consent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in ConsentPurpose.values:
            self.fields[purpose] = forms.BooleanField(label=CONSENT_LABELS[purpose], required=False)

    def answers(self) -> dict[str, bool]:
        return {purpose: bool(self.cleaned_data.get(purpose)) for purpose in ConsentPurpose.values}


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase my details. I understand this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that your details may be erased.")},
    )


class CoordinatorEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase this candidate's details now. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
