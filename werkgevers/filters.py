"""Filters on lists of offers: the coordinators' offer list and the employer's own offers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, QuerySet, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, Function, Region, User

from .models import Offer, OfferKind
from .offers import shown_status_q

OPEN = "open"
Status = Offer.Status
# What coordinators see: every status but concept (drafts are the employer's own business).
COORDINATOR_STATUSES = (Status.PUBLISHED, Status.FULL, Status.EXPIRED, Status.CLOSED)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _choose(field: forms.Field) -> None:
    field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")


class CoordinatorOfferFilter(django_filters.FilterSet):
    """Region, kind, branch, function, status, place or organisation, and dates of the offers in view."""

    q = django_filters.CharFilter(
        label=_("Place or organisation"),
        method="filter_search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = django_filters.ChoiceFilter(label=_("Region"), method="filter_region", empty_label=_("All regions"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OfferKind.choices, empty_label=_("All kinds"))
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"), queryset=Branch.objects.filter(active=True), empty_label=_("All branches")
    )
    function = django_filters.ModelChoiceFilter(
        label=_("Function"),
        field_name="functions",
        queryset=Function.objects.filter(active=True),
        empty_label=_("All functions"),
        distinct=False,  # one function: an offer matches at most once
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Open (published)")), *((s.value, s.label) for s in COORDINATOR_STATUSES)],
        method="filter_status",
        empty_label=_("All statuses"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_date_from",
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        help_text=_("Date of the activity, or start date of the place."),
    )
    date_to = django_filters.DateFilter(
        label=_("Up to and including"), method="filter_date_to", input_formats=DATE_FORMATS, widget=DATE_INPUT
    )

    class Meta:
        model = Offer
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request: HttpRequest, now: datetime | None = None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user: User = request.user
        self.now = now or timezone.now()
        fields = self.form.fields
        if self.user.is_administrator:
            fields["region"].choices = [(str(region.pk), region.name) for region in Region.objects.order_by("name")]
        else:
            regions = [(str(region.pk), region.name) for region in self.user.regions.order_by("name")]
            if len(regions) > 1:
                fields["region"].empty_label = _("All my regions")
                fields["region"].choices = regions
            else:
                del fields["region"]
                del self.filters["region"]
        for field in fields.values():
            _choose(field)
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _("Enter a date, for example 25-11-2026.")

    @property
    def qs(self) -> QuerySet[Offer]:
        """Open offers first, then by date (the soonest activity or start first), then the newest."""
        if not hasattr(self, "_qs"):
            open_first = Case(
                When(shown_status_q(Status.PUBLISHED, self.now), then=0), default=1, output_field=IntegerField()
            )
            self._qs = super().qs.order_by(
                open_first, F("starts_at").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "-id"
            )
        return self._qs

    @property
    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(value not in (None, "") for value in self.form.cleaned_data.values())

    def filter_search(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(
            Q(location__place__icontains=text)
            | Q(location__name__icontains=text)
            | Q(organisation__name__icontains=text)
            | Q(location__postcode__istartswith=text)
        )

    def filter_region(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(location__region_id=int(value))

    def filter_status(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(shown_status_q(Status.PUBLISHED if value == OPEN else value, self.now))

    def filter_date_from(self, queryset: QuerySet[Offer], name: str, value: date) -> QuerySet[Offer]:
        return queryset.filter(Q(starts_at__gte=_start_of(value)) | Q(start_date__gte=value))

    def filter_date_to(self, queryset: QuerySet[Offer], name: str, value: date) -> QuerySet[Offer]:
        return queryset.filter(Q(starts_at__lt=_start_of(value) + timedelta(days=1)) | Q(start_date__lte=value))


class EmployerOfferFilter(django_filters.FilterSet):
    """The employer's tabs (status) and kind."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, method="filter_status", empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OfferKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Offer
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, now: datetime | None = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.now = now or timezone.now()
        for field in self.form.fields.values():
            _choose(field)

    @property
    def qs(self) -> QuerySet[Offer]:
        if not hasattr(self, "_qs"):
            self._qs = super().qs.order_by("-created_at", "-id")
        return self._qs

    def filter_status(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(shown_status_q(value, self.now))
