"""Forms for candidate details: the public intake, the phone intake and the coordinator's edit form.

Forms validate and normalise; saving is done by `kandidaten.services`.
"""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorList
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactpunt.forms import PhoneField, PostcodeField
from contactpunt.models import Branch, Function, NextStep, Region, TargetGroup, User
from werkgevers.models import OfferKind

from .filters import ME, NO_REGION, UNASSIGNED, colleagues_of
from .models import Candidate, ConsentPurpose, ContactMoment, Match, Source, Status, StopReason
from .services import ALLOWED_TRANSITIONS, clean_source_tag, is_campaign_tag

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&#|javascript:", re.IGNORECASE)
# Besides letters of any alphabet: spaces, dots, apostrophes and hyphens (Jan-Willem, d'Ancona,
# J.P., 't Hooft); place names may also have a slash or brackets (Alphen a/d Rijn, Bergen (NH)).
_NAME_PUNCTUATION = frozenset(" .'’-")
_PLACE_PUNCTUATION = _NAME_PUNCTUATION | frozenset("/()")


def reject_markup(value: str) -> None:
    if value and _MARKUP.search(value):
        raise ValidationError(_("Please leave out HTML or code: write plain text."), code="markup")


def _is_letter(character: str) -> bool:
    # Accents typed as a separate combining mark (category M*) belong to the letter before them.
    return character.isalpha() or unicodedata.category(character).startswith("M")


def _letters_and(value: str, punctuation: frozenset[str]) -> bool:
    """True when `value` has a letter and nothing but letters and the given punctuation.

    A plain character loop: linear time even on the 10,000-character names bots send.
    """
    text = value.strip()
    return any(c.isalpha() for c in text) and all(_is_letter(c) or c in punctuation for c in text)


def validate_name(value: str) -> None:
    if value and not _letters_and(value, _NAME_PUNCTUATION):
        raise ValidationError(_("Use letters only, with spaces, hyphens or apostrophes if needed."), code="name")


def validate_place(value: str) -> None:
    if value and not _letters_and(value, _PLACE_PUNCTUATION):
        raise ValidationError(_("Use letters only, with spaces, hyphens or apostrophes if needed."), code="name")


# The active lines of each reference list, kept per process for a minute: every sign-up checks its ticks
# against them, and they change only when an administrator edits a list. A change forgets them in this
# process at once (kandidaten.apps); other processes see it within the minute.
REFERENCE_LINES_SECONDS = 60
_active_lines: dict[type[models.Model], tuple[float, dict[str, models.Model]]] = {}


def active_reference_lines(model: type[models.Model]) -> dict[str, models.Model]:
    """The active lines of a reference list by primary key (as text), in the list's order."""
    loaded_at, lines = _active_lines.get(model, (0.0, None))
    if lines is None or time.monotonic() - loaded_at > REFERENCE_LINES_SECONDS:
        lines = {str(line.pk): line for line in model.objects.filter(active=True)}
        _active_lines[model] = (time.monotonic(), lines)
    return lines


def forget_reference_lines(**_signal) -> None:
    _active_lines.clear()


class ReferenceChoiceField(forms.ModelMultipleChoiceField):
    """Check boxes for an administrator-kept reference list (only its active lines)."""

    def __init__(self, model, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=model.objects.filter(active=True), **kwargs)

    def _check_values(self, value) -> list[models.Model]:
        """The ticked lines, checked against the cached active lines instead of a query per form."""
        lines = active_reference_lines(self.queryset.model)
        chosen: dict[str, models.Model] = {}
        for item in value:
            key = str(item)
            if key not in lines:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                )
            chosen[key] = lines[key]
        return [line for key, line in lines.items() if key in chosen]


class CandidateDetailsForm(forms.ModelForm):
    """All details of a candidate, grouped the way the intake asks for them."""

    phone = PhoneField(help_text=_("A coordinator calls you on this number."))
    postcode = PostcodeField(help_text=_("For example 9711 AB. We use it to find the contact point near you."))
    branches = ReferenceChoiceField(Branch, label=_("Where would you like to work?"))
    functions = ReferenceChoiceField(Function, label=_("Which jobs interest you?"))
    next_steps = ReferenceChoiceField(NextStep, label=_("What would you like to do next?"))
    target_groups = ReferenceChoiceField(
        TargetGroup,
        label=_("Does one of these apply to you? (optional)"),
        help_text=_("This helps us find a place that suits you."),
    )
    hours_per_week = forms.IntegerField(
        label=_("How many hours a week would you like to work?"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        widget=forms.NumberInput(attrs={"min": 1, "max": 60, "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Fill in a whole number of hours, for example 24."),
            "min_value": _("Fill in a number of hours from 1 to 60."),
            "max_value": _("Fill in a number of hours from 1 to 60."),
        },
    )

    # Fields grouped in fieldsets, in the order a person answers them.
    sections = [
        (_("Your contact details"), ["first_name", "last_name", "email", "phone"]),
        (_("Where do you live?"), ["postcode", "place"]),
        (
            _("About you"),
            ["situation", "education_level", "diplomas", "diploma_abroad", "diploma_outdated", "target_groups"],
        ),
        (
            _("What are you looking for?"),
            ["branches", "functions", "next_steps", "hours_per_week", "max_travel_km"],
        ),
        (_("Anything else?"), ["support_needs", "source", "message"]),
    ]

    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "postcode",
            "place",
            "situation",
            "education_level",
            "diplomas",
            "diploma_abroad",
            "diploma_outdated",
            "target_groups",
            "branches",
            "functions",
            "next_steps",
            "hours_per_week",
            "max_travel_km",
            "support_needs",
            "source",
            "message",
        ]
        labels = {
            "place": _("Place (optional)"),
            "situation": _("What do you do now?"),
            "education_level": _("What is your highest completed education?"),
            "diplomas": _("Which diplomas or certificates do you have? (optional)"),
            "diploma_abroad": _("I obtained my diploma abroad"),
            "diploma_outdated": _("I have an old care diploma or my BIG registration has lapsed"),
            "max_travel_km": _("How far are you willing to travel?"),
            "support_needs": _("Do you need support or adjustments? (optional)"),
            "source": _("How did you hear about us?"),
            "message": _("Is there anything else you would like to tell us? (optional)"),
        }
        help_texts = {
            "support_needs": _(
                "For example: help with Dutch, or a workplace adapted to you. Please do not share medical details."
            ),
            "diplomas": _("For example: mbo Helpende Zorg en Welzijn, or a nursing diploma from another country."),
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "place": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "max_travel_km": forms.RadioSelect,
            "support_needs": forms.Textarea(attrs={"rows": 3}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].validators.append(validate_name)
        for name in ("place", "diplomas", "support_needs", "message"):
            self.fields[name].validators.append(reject_markup)
        self.fields["first_name"].validators.append(reject_markup)
        self.fields["last_name"].validators.append(reject_markup)
        self.fields["place"].validators.append(validate_place)
        # Choice fields start empty so nobody submits a default they did not choose.
        for name in ("situation", "education_level", "source"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]
        # An unknown choice (a bot, an old form) gets a plain message that does not echo what was sent.
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_pk_value"] = _("Choose one of the options in the list.")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def fieldsets(self):
        """(legend, [bound fields]) per section, for the template."""
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.sections]

    def error_summary(self) -> list[tuple[str, str, ErrorList]]:
        """(anchor id, label, errors) per field with an error, in the order of the form, for a summary on top."""
        summary = []
        for _legend, fields in self.fieldsets():
            for field in fields:
                if field.errors:
                    # A group of check boxes or radios has no single input: link to its first option.
                    anchor = field.id_for_label or f"{field.auto_id}_0"
                    summary.append((anchor, str(field.label), field.errors))
        return summary

    def details(self) -> dict:
        """The cleaned values as the services take them (model field names)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class ConsentFormMixin(forms.Form):
    """Consent per purpose, each unticked by default; contact is required."""

    consent_contact = forms.BooleanField(
        label=_("The contact point may contact me about work in zorg en welzijn."),
        required=True,
        error_messages={"required": _("We can only help you if we may contact you. Please tick this box.")},
    )
    consent_share_with_employers = forms.BooleanField(
        label=_("A coordinator may share my details with employers they introduce me to."),
        required=False,
    )
    consent_campaign_news = forms.BooleanField(
        label=_("I would like to receive news about events and open days."),
        required=False,
    )

    def consents(self) -> dict[str, bool]:
        return {
            ConsentPurpose.CONTACT: self.cleaned_data.get("consent_contact", False),
            ConsentPurpose.SHARE_WITH_EMPLOYERS: self.cleaned_data.get("consent_share_with_employers", False),
            ConsentPurpose.CAMPAIGN_NEWS: self.cleaned_data.get("consent_campaign_news", False),
        }


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def _reference_pk(model, slug: object) -> int | None:
    """The active reference item with this slug (from a link), or None; no query for what is no slug."""
    if not isinstance(slug, str) or not slug or len(slug) > 50 or not _SLUG.fullmatch(slug):
        return None
    return model.objects.filter(active=True, slug=slug).values_list("pk", flat=True).first()


def intake_initial(query) -> dict:
    """What a link to /aanmelden/ fills in: `branche` and `functie` (slugs) tick the branch and function
    of interest, `bron` is the campaign tag (a poster's or story's tag also chooses the source "Ik Zorg
    campaign"). Anything unknown or malformed is left out without a word to the visitor."""
    initial: dict = {}
    if (branch := _reference_pk(Branch, query.get("branche"))) is not None:
        initial["branches"] = [branch]
    if (function := _reference_pk(Function, query.get("functie"))) is not None:
        initial["functions"] = [function]
    if tag := clean_source_tag(query.get("bron")):
        initial["source_tag"] = tag
        if is_campaign_tag(tag):
            initial["source"] = Source.CAMPAIGN
    return initial


class IntakeForm(ConsentFormMixin, CandidateDetailsForm):
    """The public sign-up form at /aanmelden/, with a honeypot for bots.

    A hidden field carries the campaign tag from the link the visitor came by (`intake_initial`).
    """

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    source_tag = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Came by a poster or a story and did not say how they heard of us: the campaign it is.
        if self.is_bound and is_campaign_tag(clean_source_tag(self.data.get("source_tag"))):
            self.fields["source"].required = False

    def clean_source_tag(self) -> str:
        """A malformed tag is dropped silently: it is ours to carry, not the visitor's to correct."""
        return clean_source_tag(self.cleaned_data.get("source_tag", ""))

    def clean_source(self) -> str:
        source = self.cleaned_data.get("source")
        if not source and is_campaign_tag(clean_source_tag(self.data.get("source_tag"))):
            return Source.CAMPAIGN
        return source

    sections = [
        *CandidateDetailsForm.sections,
        (_("Your consent"), ["consent_contact", "consent_share_with_employers", "consent_campaign_news"]),
    ]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PhoneIntakeForm(ConsentFormMixin, CandidateDetailsForm):
    """A coordinator signs someone up during a call; consent is asked on the phone."""

    duplicate_check_fields = ("first_name", "last_name", "email", "phone", "postcode")

    sections = [
        *CandidateDetailsForm.sections,
        (_("Consent given on the phone"), ["consent_contact", "consent_share_with_employers", "consent_campaign_news"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_contact"].label = _("The person agrees that the contact point contacts them.")
        self.fields["consent_share_with_employers"].label = _(
            "The person agrees that we share their details with employers we introduce them to."
        )
        self.fields["consent_campaign_news"].label = _("The person would like to receive campaign news.")
        self.fields["consent_contact"].error_messages["required"] = _(
            "Ask for consent to contact the person; without it we cannot register them."
        )
        # Likely duplicates show while the coordinator types. POST, so that nothing typed ends up in a URL;
        # htmx sends the whole form (with its CSRF token) because the inputs sit inside it.
        live_check = {
            "hx-post": reverse("kandidaten:phone_intake_duplicates"),
            "hx-trigger": "input changed delay:500ms",
            "hx-target": "#likely-duplicates",
            "hx-swap": "innerHTML",
            "hx-sync": "closest form:replace",
        }
        for name in self.duplicate_check_fields:
            self.fields[name].widget.attrs.update(live_check)


class CandidateEditForm(CandidateDetailsForm):
    """A coordinator corrects or completes a candidate's details."""


# Coordinator dashboard

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def assignable_users(candidate: Candidate) -> QuerySet[User]:
    """Who may handle a candidate: the coordinators of the candidate's region, and administrators."""
    serving = User.objects.filter(role=User.Role.COORDINATOR, regions=candidate.region_id).values("pk")
    administrators = Q(role=User.Role.ADMINISTRATOR) | Q(is_superuser=True)
    queryset = User.objects.filter(is_active=True)
    if candidate.region_id is None:
        return queryset.filter(administrators)
    return queryset.filter(Q(pk__in=serving) | administrators)


class StatusChoiceField(forms.ChoiceField):
    """Offers the next statuses the pipeline allows but accepts any status.

    A form opened before a colleague moved the candidate on still posts cleanly; the service then
    refuses the change and the page says why, instead of a bare "invalid choice".
    """

    def valid_value(self, value) -> bool:
        return value in Status.values


class StatusForm(forms.Form):
    """Move a candidate along nieuw → in gesprek → doorverwezen → gestart, or stop with a reason."""

    status = StatusChoiceField(label=_("New status"))
    reason = forms.ChoiceField(
        label=_("Reason for stopping"),
        required=False,
        help_text=_("Only when the new status is Stopped."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[candidate.status]
        self.fields["status"].choices = [
            ("", _("Choose…")),
            *((value, label) for value, label in Status.choices if value in allowed),
        ]
        self.fields["reason"].choices = [("", _("Choose…")), *StopReason.choices]
        self.fields["reason"].error_messages["invalid_choice"] = _("Choose one of the options in the list.")

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") == Status.STOPPED and not cleaned_data.get("reason"):
            self.add_error("reason", _("Choose why the candidate stops."))
        return cleaned_data


class AssignForm(forms.Form):
    """Give the candidate to yourself or a colleague who serves the candidate's region."""

    assignee = forms.ModelChoiceField(
        label=_("Coordinator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    # Set by the "take it" button: the assignee the person saw, so that two people taking the
    # same candidate at once do not silently overrule each other.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        field = self.fields["assignee"]
        field.queryset = assignable_users(candidate).order_by("first_name", "last_name", "email")
        field.initial = candidate.assigned_to_id
        field.error_messages["invalid_choice"] = _(
            "This person does not work for the candidate's region. Choose a coordinator of the region."
        )

    def clean(self):
        cleaned_data = super().clean()
        if "seen" in self.data and cleaned_data.get("seen", "") != str(self.candidate.assigned_to_id or ""):
            raise ValidationError(
                _("Someone changed who handles this candidate a moment ago. Have a look first."), code="stale"
            )
        return cleaned_data


class ContactMomentForm(forms.ModelForm):
    """Log a conversation: channel, when, what was said, what the person can and wants, the next step."""

    happened_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={"invalid": _("Enter a date and time, for example 25-11-2026 14:30.")},
    )

    class Meta:
        model = ContactMoment
        fields = ["channel", "happened_at", "summary", "abilities", "wishes", "agreed_next_step"]
        labels = {
            "channel": _("How did you talk?"),
            "summary": _("Summary of the conversation"),
            "abilities": _("What can the person do? (optional)"),
            "wishes": _("What does the person want? (optional)"),
            "agreed_next_step": _("Agreed next step (optional)"),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "abilities": forms.Textarea(attrs={"rows": 2}),
            "wishes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
        self.now = now
        self.fields["happened_at"].initial = now
        self.fields["happened_at"].widget.attrs["max"] = now.strftime(DATETIME_LOCAL)
        self.fields["channel"].choices = [("", _("Choose…")), *self.fields["channel"].choices[1:]]
        self.fields["channel"].error_messages["invalid_choice"] = _("Choose one of the options in the list.")

    def clean_happened_at(self) -> datetime:
        value = self.cleaned_data["happened_at"]
        if value > timezone.now():
            raise ValidationError(_("A contact moment cannot be in the future."), code="future")
        return value

    def details(self) -> dict:
        """The cleaned values as `contact_moment_log` takes them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HandOverForm(forms.Form):
    """An administrator hands a candidate to a region (from the national queue, or elsewhere)."""

    region = forms.ModelChoiceField(
        label=_("Hand over to region"), queryset=Region.objects.order_by("name"), empty_label=_("Choose…")
    )


class MergeForm(forms.Form):
    """Two records of one person: which one stays (and receives the other's history)."""

    keep = forms.TypedChoiceField(label=_("Which record do you keep?"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, candidates: tuple[Candidate, Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.pk: candidate for candidate in candidates}
        self.fields["keep"].choices = [(candidate.pk, str(candidate)) for candidate in candidates]
        self.fields["keep"].error_messages["required"] = _("Choose which record to keep.")
        self.fields["keep"].error_messages["invalid_choice"] = _("Choose which record to keep.")

    def keep_and_remove(self) -> tuple[Candidate, Candidate]:
        keep = self.candidates.pop(self.cleaned_data["keep"])
        (remove,) = self.candidates.values()
        return keep, remove


# Match suggestions


class MatchAcceptForm(forms.Form):
    """Accept a suggestion; for a place or a vacancy the note goes to the employer with the introduction."""

    note = forms.CharField(
        label=_("Note for the employer (optional)"),
        required=False,
        max_length=2000,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Filled in with the reasons of the match; change it as you like."),
    )

    @staticmethod
    def note_from(reasons: list[str]) -> str:
        """The note a coordinator starts from: why the offer fits, in the words the page shows."""
        return gettext("Why this fits: %(reasons)s.") % {"reasons": ", ".join(reasons)} if reasons else ""


class MatchRejectForm(forms.Form):
    """Reject a suggestion: why (required, it feeds the score of similar matches) and a note."""

    reason = forms.ChoiceField(
        label=_("Why does it not fit?"),
        choices=[("", _("Choose…")), *Match.RejectReason.choices],
        error_messages={
            "required": _("Choose why this suggestion does not fit."),
            "invalid_choice": _("Choose one of the options in the list."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScoreFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class MatchFilter(django_filters.FilterSet):
    """The "new matches" list: region, kind of offer, minimum score and the candidate's coordinator."""

    region = django_filters.ChoiceFilter(label=_("Region"), method="filter_region", empty_label=_("All regions"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind of offer"), field_name="offer__kind", choices=OfferKind.choices, empty_label=_("All kinds")
    )
    min_score = ScoreFilter(
        label=_("Minimum score"),
        field_name="score",
        lookup_expr="gte",
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    coordinator = django_filters.ChoiceFilter(
        label=_("Candidate's coordinator"), method="filter_coordinator", empty_label=_("Everyone")
    )

    def __init__(self, data=None, queryset=None, *, request: HttpRequest, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user: User = request.user
        fields = self.form.fields
        fields["coordinator"].choices = [
            (ME, _("Me")),
            (UNASSIGNED, _("Nobody yet")),
            *((str(user.pk), str(user)) for user in colleagues_of(self.user) if user.pk != self.user.pk),
        ]
        if self.user.is_administrator:
            regions = [(str(region.pk), region.name) for region in Region.objects.order_by("name")]
            fields["region"].choices = [*regions, (NO_REGION, _("No region (national queue)"))]
        else:
            regions = [(str(region.pk), region.name) for region in self.user.regions.order_by("name")]
            if len(regions) > 1:
                fields["region"].empty_label = _("All my regions")
                fields["region"].choices = regions
            else:
                del fields["region"]
                del self.filters["region"]
        for field in fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")
        fields["min_score"].error_messages.update(
            {
                "invalid": _("Enter a whole number from 0 to 100."),
                "min_value": _("Enter a whole number from 0 to 100."),
                "max_value": _("Enter a whole number from 0 to 100."),
            }
        )

    @property
    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(value not in (None, "") for value in self.form.cleaned_data.values())

    def filter_region(self, queryset, name: str, value: str):
        if value == NO_REGION:
            return queryset.filter(candidate__region__isnull=True)
        return queryset.filter(candidate__region_id=int(value))

    def filter_coordinator(self, queryset, name: str, value: str):
        if value == ME:
            return queryset.filter(candidate__assigned_to=self.user)
        if value == UNASSIGNED:
            return queryset.filter(candidate__assigned_to__isnull=True)
        return queryset.filter(candidate__assigned_to_id=int(value))


# The empty intake form is rendered once per language and kept in each process's memory (the "process"
# cache; templates/kandidaten/intake/form.html): rendering its fields costs more than everything else on
# the page, and in memory it needs no round trip to Redis, nor Redis at all when that is down. A change
# of the reference data it lists forgets it in this process (kandidaten.apps); the timeout there in others.
INTAKE_FORM_FRAGMENT = "intake_form_body"


def forget_cached_intake_form(**_signal) -> None:
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.utils import make_template_fragment_key

    keys = [make_template_fragment_key(INTAKE_FORM_FRAGMENT, [code]) for code, _name in settings.LANGUAGES]
    caches["process"].delete_many(keys)
