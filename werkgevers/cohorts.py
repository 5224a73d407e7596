"""Joint BBL classes (BBL-carrousel): coordinators create a class, employers pledge places,
coordinators place candidates on pledged places.

Placements and pledge changes lock the class row first (then the pledge), so that two
coordinators placing at the same moment, or an employer lowering a pledge while a coordinator
places, queue up: a class never holds more than its maximum, a pledge never more than its places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpunt.models import User
from kandidaten.models import Candidate, Status, TimelineEvent
from kandidaten.services import candidate_progress

from .models import Cohort, CohortPlacement, CohortPledge, Location, Organisation

# The cohort page warns when the class starts within this time and the minimum is not reached.
WARN_BEFORE_START = timedelta(weeks=6)
NOTE_PLACED = "cohort"


class CohortRefused(Exception):
    """The placement or pledge cannot be made; `message` says why, in the user's language."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Reads -----------------------------------------------------------------------------------------


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    """Administrators: all; coordinators: classes of their regions; employers: classes in the regions
    where their organisation has a location, and classes they pledged places in."""
    cohorts = Cohort.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cohorts.none()
    if user.is_administrator:
        return cohorts
    if user.is_coordinator:
        return cohorts.filter(region__in=user.regions.all())
    if user.is_employer and user.organisation_id:
        regions = Location.objects.filter(organisation_id=user.organisation_id, region__isnull=False).values("region")
        pledged = CohortPledge.objects.filter(organisation_id=user.organisation_id).values("cohort")
        return cohorts.filter(Q(region__in=regions) | Q(pk__in=pledged))
    return cohorts.none()


def _count(queryset: QuerySet, aggregate) -> Coalesce:
    """A per-row count or sum as a subquery, so that two of them do not multiply each other's rows."""
    values = queryset.order_by().values("cohort").annotate(total=aggregate).values("total")
    return Coalesce(Subquery(values, output_field=IntegerField()), Value(0))


def with_filling(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Annotate `placed_count` and `pledged_places` (one query for any number of classes)."""
    return queryset.annotate(
        placed_count=_count(CohortPlacement.objects.filter(cohort=OuterRef("pk")), Count("pk")),
        pledged_places=_count(CohortPledge.objects.filter(cohort=OuterRef("pk")), Sum("places")),
    )


def with_own_pledge(queryset: QuerySet[Cohort], organisation: Organisation) -> QuerySet[Cohort]:
    """Annotate `own_places` (pledged by the organisation) and `own_filled` (placed with it)."""
    return queryset.annotate(
        own_places=_count(CohortPledge.objects.filter(cohort=OuterRef("pk"), organisation=organisation), Sum("places")),
        own_filled=_count(
            CohortPlacement.objects.filter(cohort=OuterRef("pk"), pledge__organisation=organisation), Count("pk")
        ),
    )


@dataclass(frozen=True)
class Filling:
    """How full a class is against its minimum and maximum."""

    placed: int
    pledged: int
    min_size: int
    max_size: int
    start_date: date
    today: date

    @property
    def minimum_reached(self) -> bool:
        return self.placed >= self.min_size

    @property
    def short(self) -> int:
        return max(self.min_size - self.placed, 0)

    @property
    def free_places(self) -> int:
        """Places in the class still to fill: never beyond the maximum."""
        return max(self.max_size - self.placed, 0)

    @property
    def percent(self) -> int:
        return min(round(100 * self.placed / self.min_size), 100) if self.min_size else 100

    @property
    def starts_soon(self) -> bool:
        return self.today <= self.start_date <= self.today + WARN_BEFORE_START

    @property
    def warning(self) -> bool:
        """The start is within six weeks and fewer candidates are placed than the minimum."""
        return self.starts_soon and not self.minimum_reached

    @property
    def weeks_to_start(self) -> int:
        return max((self.start_date - self.today).days // 7, 0)


def filling(cohort: Cohort, today: date | None = None) -> Filling:
    """The filling of a class annotated by `with_filling`."""
    return Filling(
        placed=cohort.placed_count,
        pledged=cohort.pledged_places,
        min_size=cohort.min_size,
        max_size=cohort.max_size,
        start_date=cohort.start_date,
        today=today or timezone.localdate(),
    )


# Writes ----------------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(*, details: dict[str, Any], actor: User) -> Cohort:
    """A coordinator creates a class; the form checked the region is theirs and the sizes fit."""
    return Cohort.objects.create(**details, created_by=actor)


def _lock_cohort(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


@transaction.atomic
def cohort_pledge(*, cohort: Cohort, organisation: Organisation, places: int, actor: User) -> CohortPledge | None:
    """The employer pledges (or changes) its places; 0 takes the pledge back. Never below the places
    already filled. Returns the pledge, or None when it was taken back."""
    cohort = _lock_cohort(cohort)
    if cohort.start_date <= timezone.localdate():
        raise CohortRefused(_("The class has already started: pledges can no longer be changed."), "started")
    pledge = CohortPledge.objects.select_for_update().filter(cohort=cohort, organisation=organisation).first()
    filled = pledge.placements.count() if pledge else 0
    if places < filled:
        raise CohortRefused(
            _(
                "%(filled)s of your places are already filled: you cannot pledge fewer than %(filled)s. "
                "Ask the coordinator if a candidate is not coming."
            )
            % {"filled": filled},
            "below_filled",
        )
    if places > cohort.max_size:
        raise CohortRefused(
            _("The class has at most %(max)s participants: pledge %(max)s places or fewer.") % {"max": cohort.max_size},
            "above_maximum",
        )
    if pledge is None:
        if places == 0:
            return None
        return CohortPledge.objects.create(cohort=cohort, organisation=organisation, places=places, pledged_by=actor)
    if places == 0:
        pledge.delete()
        return None
    pledge.places = places
    pledge.pledged_by = actor
    pledge.save(update_fields=["places", "pledged_by"])
    return pledge


@transaction.atomic
def cohort_place(*, cohort: Cohort, pledge: CohortPledge, candidate: Candidate, actor: User) -> CohortPlacement:
    """Place the candidate on one of the employer's pledged places in the class."""
    if Candidate.objects.filter(pk=candidate.pk, erased_at__isnull=False).exists():
        # An anonymous stub kept for the figures: placing it would hand it to an employer.
        raise CohortRefused(_("The details of this candidate have been erased; they cannot be placed."), "erased")
    cohort = _lock_cohort(cohort)
    pledge = (
        CohortPledge.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=pledge.pk, cohort=cohort)
        .first()
    )
    if pledge is None:
        raise CohortRefused(_("This employer no longer has places in this class."), "no_pledge")
    already = _("%(name)s is already placed in this class.") % {"name": candidate.full_name}
    if CohortPlacement.objects.filter(cohort=cohort, candidate=candidate).exists():
        raise CohortRefused(already, "already_placed")
    if cohort.placements.count() >= cohort.max_size:
        raise CohortRefused(
            _("The class is full: it has its maximum of %(max)s participants.") % {"max": cohort.max_size}, "full"
        )
    if pledge.placements.count() >= pledge.places:
        raise CohortRefused(
            _("All %(places)s places of %(organisation)s are filled. Choose another employer.")
            % {"places": pledge.places, "organisation": pledge.organisation.name},
            "pledge_full",
        )
    try:
        with transaction.atomic():
            placement = CohortPlacement.objects.create(
                cohort=cohort, pledge=pledge, candidate=candidate, placed_by=actor
            )
    except IntegrityError:
        raise CohortRefused(already, "already_placed") from None
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.COHORT,
        actor=actor,
        data={
            "event": "placed",
            "cohort": cohort.name,
            "cohort_id": cohort.pk,
            "school": cohort.school,
            "start_date": cohort.start_date.isoformat(),
            "organisation": pledge.organisation.name,
        },
    )
    candidate_progress(candidate=candidate, status=Status.REFERRED, actor=actor, note=NOTE_PLACED)
    return placement
