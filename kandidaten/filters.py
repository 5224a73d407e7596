"""The inbox filters: what a coordinator narrows the list of candidates down by."""

from __future__ import annotations

from datetime import datetime, time

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Q, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, NextStep, Region, TargetGroup, User
from contactpunt.workdays import first_contact_cutoff

from .models import CandidateQuerySet, Source, Status

OPEN = "open"
UNASSIGNED = "none"
ME = "me"
NO_REGION = "none"
# A candidate waiting this many working days is "old": something went wrong with the follow-up.
OLD_AFTER_WORKING_DAYS = 10

STATUS_ORDER = Case(
    *(When(status=status, then=position) for position, status in enumerate(Status.values)),
    output_field=IntegerField(),
)
WAITING_FIRST = Case(
    When(Q(first_contact_at__isnull=True) & ~Q(status__in=[Status.STARTED, Status.STOPPED]), then=0),
    default=1,
    output_field=IntegerField(),
)
# The only orderings the inbox accepts: key → (label, order_by arguments).
SORTS: dict[str, tuple[str, tuple]] = {
    "newest": (_("Signed up: newest first"), ("-signed_up_at", "-id")),
    "oldest": (_("Signed up: oldest first"), ("signed_up_at", "id")),
    "waiting": (_("Waiting for contact: longest first"), (WAITING_FIRST, "signed_up_at", "id")),
    "name": (_("Name: A to Z"), ("last_name", "first_name", "id")),
    "-name": (_("Name: Z to A"), ("-last_name", "-first_name", "-id")),
    "status": (_("Status: along the pipeline"), (STATUS_ORDER, "-signed_up_at", "-id")),
}
DEFAULT_SORT = "newest"


def colleagues_of(user: User) -> list[User]:
    """Who a list can be filtered on or a candidate assigned to: coordinators of the user's regions.

    Administrators see every coordinator and the administrators.
    """
    users = User.objects.filter(is_active=True)
    if user.is_administrator:
        users = users.filter(Q(role=User.Role.COORDINATOR) | Q(role=User.Role.ADMINISTRATOR) | Q(is_superuser=True))
    else:
        users = users.filter(role=User.Role.COORDINATOR, regions__in=user.regions.all())
    return list(users.distinct().order_by("first_name", "last_name", "email"))


class CandidateFilter(django_filters.FilterSet):
    """Filters, search and sorting of the inbox; every choice is checked against a fixed list."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=100,
        help_text=_("Name, e-mail address, phone number or postcode (also the four digits only)."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = django_filters.ChoiceFilter(label=_("Region"), method="filter_region", empty_label=_("All regions"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("All open candidates")), *Status.choices],
        method="filter_status",
        empty_label=_("All statuses"),
    )
    assigned = django_filters.ChoiceFilter(label=_("Coordinator"), method="filter_assigned", empty_label=_("Everyone"))
    age = django_filters.ChoiceFilter(label=_("Signed up"), method="filter_age", empty_label=_("Any time"))
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"),
        field_name="branches",
        queryset=Branch.objects.filter(active=True),
        empty_label=_("All branches"),
        distinct=False,
    )
    next_step = django_filters.ModelChoiceFilter(
        label=_("Next step wanted"),
        field_name="next_steps",
        queryset=NextStep.objects.filter(active=True),
        empty_label=_("All next steps"),
        distinct=False,
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Target group"),
        field_name="target_groups",
        queryset=TargetGroup.objects.filter(active=True),
        empty_label=_("All target groups"),
        distinct=False,
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices, empty_label=_("All sources"))
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
        method="filter_sort",
        empty_label=None,
    )

    def __init__(
        self,
        data=None,
        queryset: CandidateQuerySet | None = None,
        *,
        request: HttpRequest,
        now: datetime | None = None,
        **kwargs,
    ):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user: User = request.user
        self.now = now or timezone.now()
        self.colleagues = colleagues_of(self.user)
        fields = self.form.fields
        fields["assigned"].choices = [
            (ME, _("Me")),
            (UNASSIGNED, _("Nobody yet")),
            *((str(user.pk), str(user)) for user in self.colleagues if user.pk != self.user.pk),
        ]
        days = settings.FIRST_CONTACT_WORKING_DAYS
        fields["age"].choices = [
            ("today", _("Today")),
            ("recent", ngettext("In the last working day", "In the last %(days)s working days", days) % {"days": days}),
            ("overdue", gettext("Overdue: no contact after %(days)s working days") % {"days": days}),
            ("old", gettext("More than %(days)s working days ago") % {"days": OLD_AFTER_WORKING_DAYS}),
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
        fields["sort"].initial = DEFAULT_SORT
        fields["sort"].required = False

    @property
    def qs(self) -> CandidateQuerySet:
        """The filtered candidates, in the chosen order (newest sign-ups first by default)."""
        if not hasattr(self, "_qs"):
            queryset = super().qs
            if not self.is_bound or not self.form.cleaned_data.get("sort"):
                queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
            self._qs = queryset
        return self._qs

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the list (to say "no candidates match" rather than "the inbox is empty")."""
        if not self.is_bound:
            return False
        self.form.is_valid()  # cleaned_data holds the valid values, also when another field is not
        return any(value not in (None, "", False) for name, value in self.form.cleaned_data.items() if name != "sort")

    def filter_search(self, queryset: CandidateQuerySet, name: str, value: str) -> CandidateQuerySet:
        return queryset.search(value)

    def filter_region(self, queryset: CandidateQuerySet, name: str, value: str) -> CandidateQuerySet:
        if value == NO_REGION:
            return queryset.filter(region__isnull=True)
        return queryset.filter(region_id=int(value))

    def filter_status(self, queryset: CandidateQuerySet, name: str, value: str) -> CandidateQuerySet:
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_assigned(self, queryset: CandidateQuerySet, name: str, value: str) -> CandidateQuerySet:
        if value == ME:
            return queryset.filter(assigned_to=self.user)
        if value == UNASSIGNED:
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=int(value))

    def filter_age(self, queryset: CandidateQuerySet, name: str, value: str) -> CandidateQuerySet:
        days = settings.FIRST_CONTACT_WORKING_DAYS
        if value == "today":
            midnight = timezone.make_aware(datetime.combine(timezone.localdate(self.now), time.min))
            return queryset.filter(signed_up_at__gte=midnight)
        if value == "recent":
            return queryset.filter(signed_up_at__gte=first_contact_cutoff(self.now, days))
        if value == "overdue":
            return queryset.overdue(self.now)
        return queryset.filter(signed_up_at__lt=first_contact_cutoff(self.now, OLD_AFTER_WORKING_DAYS))

    def filter_overdue(self, queryset: CandidateQuerySet, name: str, value: bool) -> CandidateQuerySet:
        return queryset.overdue(self.now) if value else queryset

    def filter_sort(self, queryset: CandidateQuerySet, name: str, value: str) -> CandidateQuerySet:
        return queryset.order_by(*SORTS[value][1])
