"""Forms for organisations and onboarding: details and logo, locations, contact people, invitations,
access requests and the coordinator's decision on them.

Forms validate and normalise; `werkgevers.onboarding` saves.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from contactpunt.forms import PhoneField, PostcodeField
from contactpunt.models import Branch, Region, User
from kandidaten.forms import ReferenceChoiceField, reject_markup, validate_name, validate_place

from ..models import AccessRequest, ContactPerson, Location, Organisation
from ..onboarding import LogoError, email_conflict, logo_clean

_KVK_SEPARATORS = re.compile(r"[\s.\-]")
PASSWORD_MAX_LENGTH = 128


class KvkField(forms.CharField):
    """A KvK number: eight digits; spaces, dots and hyphens people type are dropped."""

    default_error_messages = {"invalid": _("A KvK number has eight digits.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("KvK number"))
        kwargs.setdefault("help_text", _("The eight digits of the Chamber of Commerce number, for example 41234567."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        digits = _KVK_SEPARATORS.sub("", value)
        if not re.fullmatch(r"[0-9]{8}", digits):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return digits


class WebsiteField(forms.URLField):
    """A web address on http(s); `zorg.example` becomes `https://zorg.example`."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("label", _("Website (optional)"))
        kwargs.setdefault("error_messages", {"invalid": _("Enter a web address, for example https://www.zorg.nl.")})
        super().__init__(**kwargs)


class LogoField(forms.FileField):
    """An uploaded logo, checked by its content (see `onboarding.logo_clean`) and re-encoded."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Logo (optional)"))
        kwargs.setdefault("help_text", _("PNG, JPEG or WebP, at most 2 MB and 4000 × 4000 pixels."))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))
        kwargs.setdefault("error_messages", {"invalid": _("Choose a PNG, JPEG or WebP image.")})
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        try:
            return logo_clean(upload)
        except LogoError as error:
            raise ValidationError(str(error), code="logo") from None


class PortalFormMixin:
    """Plain messages for unknown choices, markup refused in free text, e-mail in lower case."""

    plain_text_fields: tuple[str, ...] = ()
    name_fields: tuple[str, ...] = ()
    place_fields: tuple[str, ...] = ()

    def _set_up_fields(self) -> None:
        for name in self.plain_text_fields + self.name_fields + self.place_fields:
            if name in self.fields:
                self.fields[name].validators.append(reject_markup)
        for name in self.name_fields:
            if name in self.fields:
                self.fields[name].validators.append(validate_name)
        for name in self.place_fields:
            if name in self.fields:
                self.fields[name].validators.append(validate_place)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_pk_value"] = _("Choose one of the options in the list.")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


# Organisation --------------------------------------------------------------------------------------


class OrganisationForm(PortalFormMixin, forms.ModelForm):
    """What an employer keeps up to date about their organisation. The KvK number stays as registered."""

    plain_text_fields = ("name",)

    website = WebsiteField()
    branches = ReferenceChoiceField(Branch, label=_("Branches you work in"))
    logo = LogoField()
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organisation
        fields = ["name", "website", "branches"]
        labels = {"name": _("Name of the organisation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_fields()
        if not (self.instance and self.instance.logo):
            del self.fields["remove_logo"]

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "website", "branches")}


class OrganisationCreateForm(PortalFormMixin, forms.Form):
    """A coordinator registers an organisation for one of their regions."""

    plain_text_fields = ("name",)

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kvk_number = KvkField()
    branches = ReferenceChoiceField(Branch, label=_("Branches"))
    website = WebsiteField()
    home_region = forms.ModelChoiceField(label=_("Contact point"), queryset=Region.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all() if user.is_administrator else user.regions.all()
        self.fields["home_region"].queryset = regions.order_by("name")
        self.fields["home_region"].empty_label = _("Choose…")
        # Administrators and coordinators of several regions see which region an organisation is in.
        self.several_regions = True
        if not user.is_administrator:
            first_two = list(regions[:2])
            self.several_regions = len(first_two) > 1
            if len(first_two) == 1:
                self.fields["home_region"].initial = first_two[0].pk
        self._set_up_fields()

    def clean_kvk_number(self) -> str:
        kvk_number = self.cleaned_data["kvk_number"]
        if Organisation.objects.filter(kvk_number=kvk_number).exists():
            raise ValidationError(_("An organisation with this KvK number is already registered."), code="unique")
        return kvk_number


class LocationForm(PortalFormMixin, forms.ModelForm):
    """A place where the organisation works. The contact point follows from the postcode."""

    plain_text_fields = ("name", "street")
    place_fields = ("place",)

    postcode = PostcodeField(help_text=_("For example 9711 AB. The contact point of the location follows from it."))

    class Meta:
        model = Location
        fields = ["name", "street", "postcode", "place", "active"]
        labels = {
            "name": _("Name of the location"),
            "street": _("Street and house number"),
            "place": _("Place"),
            "active": _("Active: can be chosen for offers"),
        }
        widgets = {
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "place": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_fields()


class ContactPersonForm(PortalFormMixin, forms.ModelForm):
    """Whom coordinators and candidates may contact; optionally a colleague with a portal account."""

    plain_text_fields = ("job_title",)
    name_fields = ("name",)

    phone = PhoneField(required=False, label=_("Phone number (optional)"))

    class Meta:
        model = ContactPerson
        fields = ["name", "job_title", "email", "phone", "user", "active"]
        labels = {
            "name": _("Name"),
            "job_title": _("Job title (optional)"),
            "email": _("E-mail address"),
            "user": _("Portal account (optional)"),
            "active": _("Active: can be chosen for offers"),
        }
        help_texts = {
            "user": _("Link a colleague who logs in to the portal, so the introductions reach them there too."),
        }
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues(organisation)
        self.fields["user"].empty_label = _("No portal account")
        self._set_up_fields()


def colleagues(organisation: Organisation) -> QuerySet[User]:
    """The employer users of an organisation."""
    return User.objects.filter(role=User.Role.EMPLOYER, organisation=organisation, is_active=True).order_by(
        "first_name", "last_name", "email"
    )


# Invitations ---------------------------------------------------------------------------------------


class InvitationForm(PortalFormMixin, forms.Form):
    """A coordinator invites an employer user of the organisation by e-mail."""

    name_fields = ("first_name", "last_name")

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self._set_up_fields()

    def clean_email(self) -> str:
        email = super().clean_email()
        if conflict := email_conflict(email=email, organisation=self.organisation):
            raise ValidationError(conflict, code="taken")
        return email


class InvitationAcceptForm(SetPasswordForm):
    """Choose a password; Django's validators apply (at least 12 characters, not too common, …)."""

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Choose a password")
        self.fields["new_password2"].label = _("Type the password again")
        # A very long password only costs hashing time; a password manager stays far below this.
        for name in ("new_password1", "new_password2"):
            self.fields[name].max_length = PASSWORD_MAX_LENGTH
            self.fields[name].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            self.fields[name].widget.attrs["maxlength"] = PASSWORD_MAX_LENGTH


# Access requests -----------------------------------------------------------------------------------


class AccessRequestForm(PortalFormMixin, forms.ModelForm):
    """The public page where an employer asks for access, with a honeypot for bots."""

    plain_text_fields = ("organisation_name", "message")
    name_fields = ("contact_name",)

    kvk_number = KvkField()
    phone = PhoneField()
    postcode = PostcodeField(
        label=_("Postcode of the main location"),
        help_text=_("For example 9711 AB. It decides which contact point handles your request."),
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = AccessRequest
        fields = ["organisation_name", "kvk_number", "contact_name", "email", "phone", "postcode", "message"]
        labels = {
            "organisation_name": _("Name of the organisation"),
            "contact_name": _("Your name"),
            "email": _("Your e-mail address"),
            "message": _("Message (optional)"),
        }
        help_texts = {
            "email": _("The invitation to the portal is sent to this address."),
            "message": _("For example: what you would like to offer, or where you are located."),
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_fields()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AccessRequestDecisionForm(forms.Form):
    """Approve or decline a request; declining needs a reason, a request without a region a region.

    The regions to choose from are passed in (`regions`), so that a page with many requests
    reads them once.
    """

    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve and invite")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    region = forms.TypedChoiceField(label=_("Contact point"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when you decline. The requester reads it in an e-mail."),
    )

    def __init__(self, *args, access_request: AccessRequest, regions: list[Region] | None = None, **kwargs):
        kwargs.setdefault("prefix", f"request-{access_request.pk}")
        super().__init__(*args, **kwargs)
        self.access_request = access_request
        if access_request.region_id is None:
            self.regions = {region.pk: region for region in (regions or Region.objects.order_by("name"))}
            self.fields["region"].choices = [
                ("", _("Choose…")),
                *((region.pk, region.name) for region in self.regions.values()),
            ]
            self.fields["region"].help_text = _("The postcode lies outside every contact point: choose one.")
        else:
            del self.fields["region"]
        self.fields["reason"].validators.append(reject_markup)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")
        self.fields["decision"].error_messages["required"] = _("Choose approve or decline.")

    def clean(self):
        cleaned_data = super().clean()
        decision = cleaned_data.get("decision")
        if decision == self.DECLINE and not cleaned_data.get("reason", "").strip() and "reason" not in self.errors:
            self.add_error("reason", _("Write why you decline the request; the requester reads it."))
        if "region" in self.fields:
            cleaned_data["region"] = self.regions.get(cleaned_data.get("region"))
            if decision == self.APPROVE and cleaned_data["region"] is None and "region" not in self.errors:
                self.add_error("region", _("Choose the contact point the organisation belongs to."))
        return cleaned_data
