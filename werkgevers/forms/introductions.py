"""Forms for introductions: introduce a candidate, answer, record the outcome, withdraw; the
coordinator's filters. Forms validate; `werkgevers.introductions` saves."""

from __future__ import annotations

from datetime import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from contactpunt.models import User
from kandidaten.forms import reject_markup
from kandidaten.models import Candidate

from ..introductions import (
    WAITING_LONG_WORKING_DAYS,
    Action,
    introductions_this_week,
    offer_refusal,
    waiting_long,
    weekly_maximum_message,
)
from ..models import NEXT_STEP_OF_KIND, Introduction, Offer, Organisation

NOTE_MAX = 2000
# The longest list of offers the introduce form shows (the most relevant first).
OFFER_CHOICES_LIMIT = 300
REASON_MAX = 1000
OPEN = "open"


def offers_to_introduce(user: User, candidate: Candidate) -> QuerySet[Offer]:
    """Published offers of the user's regions, the most relevant for the candidate first: the
    candidate's branches and wanted next steps (from the prefetched candidate, no extra query)."""
    branches = [branch.pk for branch in candidate.branches.all()]
    steps = {step.slug for step in candidate.next_steps.all()}
    kinds = [kind for kind, slug in NEXT_STEP_OF_KIND.items() if slug in steps]
    relevance = Case(When(branch_id__in=branches, then=Value(1)), default=Value(0), output_field=IntegerField())
    relevance += Case(When(kind__in=kinds, then=Value(1)), default=Value(0), output_field=IntegerField())
    now = timezone.now()
    return (
        Offer.objects.visible_to(user)
        .filter(status=Offer.Status.PUBLISHED)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__gt=now))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate(now)))
        .with_introductions_this_week(now)
        .select_related("organisation", "location")
        .annotate(relevance=relevance)
        .order_by("-relevance", "organisation__name", "title", "pk")
    )


class OfferChoiceField(forms.ModelChoiceField):
    """Lists the open offers, but looks up any offer the user may see: a draft or closed offer then
    gets a clear "not open" error instead of a bare "invalid choice"."""

    def __init__(self, *args, lookup: QuerySet[Offer], taken: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup
        self.taken = taken

    def label_from_instance(self, offer: Offer) -> str:
        label = f"{offer.title} — {offer.organisation.name}, {offer.location.place} ({offer.get_kind_display()})"
        left = offer.introductions_left(offer.introductions_this_week)
        if left is not None:
            label += " · " + ngettext(
                "%(left)s introduction left this week", "%(left)s introductions left this week", left
            ) % {"left": left}
        if offer.pk in self.taken:
            label += " · " + str(_("already introduced"))
        return label

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.lookup.get(pk=int(value))
        except (ValueError, TypeError, Offer.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None

    def validate(self, value) -> None:
        forms.Field.validate(self, value)


class IntroductionForm(forms.Form):
    """Introduce the candidate to an offer, with a note for the employer."""

    offer = OfferChoiceField(
        label=_("Offer"),
        queryset=Offer.objects.none(),
        lookup=Offer.objects.none(),
        taken=set(),
        empty_label=_("Choose…"),
        help_text=_("Published offers in your region; those matching the candidate's wishes come first."),
    )
    note = forms.CharField(
        label=_("Note for the employer"),
        max_length=NOTE_MAX,
        required=False,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        help_text=_("Why this candidate fits. The employer sees this note with the details the candidate shares."),
    )

    def __init__(self, *args, user: User, candidate: Candidate, taken: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        field = self.fields["offer"]
        field.queryset = offers_to_introduce(user, candidate)
        field.lookup = Offer.objects.visible_to(user).select_related("organisation", "location", "contact_person")
        field.taken = taken or set()
        # Listed once (one query, the most relevant first and at most a few hundred); the page renders
        # these choices without asking the database again.
        self.offers = list(field.queryset[:OFFER_CHOICES_LIMIT])
        field.choices = [
            ("", field.empty_label),
            *((offer.pk, field.label_from_instance(offer)) for offer in self.offers),
        ]
        field.error_messages["invalid_choice"] = _("This offer does not exist or is not in your region.")
        field.error_messages["required"] = _("Choose the offer to introduce the candidate to.")

    def clean_offer(self) -> Offer:
        offer: Offer = self.cleaned_data["offer"]
        if refusal := offer_refusal(offer):
            raise ValidationError(refusal, code="not_open")
        maximum = offer.max_introductions_per_week
        if maximum is not None and introductions_this_week(offer) >= maximum:
            raise ValidationError(weekly_maximum_message(offer), code="weekly_maximum")
        return offer


def _reason_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=REASON_MAX,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
    )


class AnswerForm(forms.Form):
    """The employer's answer: invite the candidate, or not suitable with a reason."""

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Action.INVITE, _("Invite the candidate")),
            (Action.NOT_SUITABLE, _("Not suitable")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your answer."),
            "invalid_choice": _("Choose one of the options in the list."),
        },
    )
    reason = _reason_field(_("Reason (needed when the candidate is not suitable)"))

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == Action.NOT_SUITABLE and not cleaned_data.get("reason", "").strip():
            self.add_error("reason", _("Tell the coordinator why the candidate is not suitable."))
        return cleaned_data

    @property
    def invite(self) -> bool:
        return self.cleaned_data["decision"] == Action.INVITE


class OutcomeForm(forms.Form):
    """What came of the invitation: the candidate started, or did not start (with a reason)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Action.STARTED, _("The candidate has started")),
            (Action.NOT_STARTED, _("The candidate did not start")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the outcome."),
            "invalid_choice": _("Choose one of the options in the list."),
        },
    )
    reason = _reason_field(_("Reason (needed when the candidate did not start)"))

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("outcome") == Action.NOT_STARTED and not cleaned_data.get("reason", "").strip():
            self.add_error("reason", _("Tell the coordinator why the candidate did not start."))
        return cleaned_data

    @property
    def started(self) -> bool:
        return self.cleaned_data["outcome"] == Action.STARTED


class WithdrawForm(forms.Form):
    reason = _reason_field(_("Reason (optional)"))


class IntroductionFilter(django_filters.FilterSet):
    """The coordinator's list: status, organisation, and those waiting long for an answer."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("All open introductions")), *Introduction.Status.choices],
        method="filter_status",
        empty_label=_("All statuses"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Employer"),
        field_name="offer__organisation",
        queryset=Organisation.objects.none(),
        empty_label=_("All employers"),
    )
    waiting = django_filters.BooleanFilter(
        label=_("Waiting for an answer"),
        method="filter_waiting",
        widget=forms.CheckboxInput,
    )

    def __init__(self, data=None, queryset=None, *, request, now: datetime | None = None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.now = now or timezone.now()
        field = self.form.fields["organisation"]
        # The employers the list can show: those with an introduction the user may see.
        employers = queryset.order_by().values("offer__organisation") if queryset is not None else []
        field.queryset = Organisation.objects.filter(pk__in=employers).order_by("name")
        self.form.fields["waiting"].label = gettext("Waiting for an answer for more than %(days)s working days") % {
            "days": WAITING_LONG_WORKING_DAYS
        }
        for name in ("status", "organisation"):
            self.form.fields[name].error_messages["invalid_choice"] = _("Choose one of the options in the list.")

    @property
    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(value not in (None, "", False) for value in self.form.cleaned_data.values())

    def filter_status(self, queryset, name: str, value: str):
        if value == OPEN:
            return queryset.filter(status__in=Introduction.OPEN)
        return queryset.filter(status=value)

    def filter_waiting(self, queryset, name: str, value: bool):
        return waiting_long(queryset, self.now) if value else queryset
