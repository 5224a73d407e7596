"""The figures of a period for some regions: the funnel, time to first contact, sign-ups per week and
source, supply and demand per branch, target groups, employers, BBL classes and match acceptance.

What the candidates and match suggestions add up to comes from cijfers.summaries (rows per region and
day or whole month, the last days counted live); offers, employers and BBL classes are counted with
grouped aggregates over indexed columns: a fixed number of queries whatever the size of the data
(QUERY_COUNT), a period and the one before it read together. The funnel follows the people who signed
up in the period (a cohort): where they stand now, each stage a subset of the one before
(kandidaten.milestones stamps the moments). Erased people stay in these counts (their status, source
and moments are kept without their details); only the target groups they had are gone with them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpunt.models import Branch, Region, TargetGroup
from contactpunt.workdays import first_contact_cutoff
from kandidaten.models import Source, StopReason
from werkgevers.models import DATED_KINDS, Cohort, CohortPlacement, CohortPledge, Offer, Organisation

from . import summaries
from .periods import Period

# The queries one `compute` runs, whatever the data: checked by the tests and reported by the benchmark.
QUERY_COUNT = 8

STAGES = ("signed_up", "contacted", "referred", "started")


@dataclass
class Funnel:
    signed_up: int = 0
    contacted: int = 0
    referred: int = 0
    started: int = 0
    stopped: int = 0
    # Sign-ups whose two working days have passed (or who were called already), and those called in time.
    due: int = 0
    within: int = 0
    # Working days to first contact → how many people.
    days: dict[int, int] = field(default_factory=dict)

    COUNTS = ("signed_up", "contacted", "referred", "started", "stopped", "due", "within")

    @classmethod
    def of(cls, counts: summaries.Counts) -> Funnel:
        """The funnel of summarised counts: their "funnel" and "days" (or a target group's counts)."""
        counted = counts.get("funnel", counts)
        days = {int(days): count for days, count in counts.get("days", {}).items()}
        return cls(**{name: counted.get(name, 0) for name in cls.COUNTS}, days=days)

    def add(self, other: Funnel) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for days, count in other.days.items():
            self.days[days] = self.days.get(days, 0) + count

    def share(self, stage: str) -> float | None:
        """The share of the sign-ups that reached `stage`, in percent."""
        return percentage(getattr(self, stage), self.signed_up)

    @property
    def within_share(self) -> float | None:
        return percentage(self.within, self.due)

    @property
    def measured(self) -> int:
        return sum(self.days.values())

    @property
    def median_days(self) -> float | None:
        return percentile(self.days, 0.5)

    @property
    def p90_days(self) -> float | None:
        return percentile(self.days, 0.9)


@dataclass
class RegionFigures:
    region: Region
    funnel: Funnel
    previous: Funnel


@dataclass
class DropOut:
    reason: str
    label: str
    # Stopped before any contact, after contact, after a referral, after a start.
    at_stage: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.at_stage.values())


@dataclass
class BranchFigures:
    branch: Branch
    interested: int
    offers: int
    places: int
    seats: int


@dataclass
class GroupFigures:
    name: str
    funnel: Funnel


@dataclass
class EmployerFigures:
    organisation_id: int
    name: str
    introductions: int = 0
    answered: int = 0
    answer_days_total: int = 0
    invited: int = 0
    started: int = 0
    registrations: int = 0
    attended: int = 0
    absent: int = 0
    cancelled: int = 0

    @property
    def answer_days(self) -> float | None:
        """Mean working days to the employer's answer, over the answered introductions."""
        return round(self.answer_days_total / self.answered, 1) if self.answered else None

    @property
    def attendance(self) -> float | None:
        """Of those whose attendance was recorded, the share that came."""
        return percentage(self.attended, self.attended + self.absent)


@dataclass
class CohortFigures:
    cohort: Cohort
    pledged: int
    placed: int

    @property
    def below_minimum(self) -> bool:
        return self.placed < self.cohort.min_size


@dataclass
class MatchFigures:
    accepted: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected

    @property
    def acceptance(self) -> float | None:
        return percentage(self.accepted, self.decided)


@dataclass
class Figures:
    period: Period
    previous: Period
    regions: list[RegionFigures]
    funnel: Funnel
    previous_funnel: Funnel
    drop_out: list[DropOut]
    weeks: list[date]
    sources: list[tuple[str, str]]
    # (week, source) → sign-ups, and per source the period's total.
    weekly: dict[tuple[date, str], int]
    per_source: dict[str, int]
    branches: list[BranchFigures]
    target_groups: list[GroupFigures]
    employers: list[EmployerFigures]
    cohorts: list[CohortFigures]
    matches: MatchFigures
    previous_matches: MatchFigures
    computed_at: datetime
    # When the summaries of the candidates and matches were counted (at most a minute ago).
    counted_at: datetime

    @property
    def region_names(self) -> list[str]:
        return [row.region.name for row in self.regions]


def percentage(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percentile(histogram: dict[int, int], fraction: float) -> float | None:
    """The `fraction` quantile of the values a histogram counts, interpolated linearly between the two
    nearest ranks (as spreadsheets' PERCENTILE.INC and numpy do): the median of 1, 2, 4, 9 is 3.0."""
    total = sum(histogram.values())
    if not total:
        return None
    position = (total - 1) * fraction
    below, above = math.floor(position), math.ceil(position)
    values = _values_at(histogram, {below, above})
    low, high = values[below], values[above]
    return round(low + (high - low) * (position - below), 1)


def _values_at(histogram: dict[int, int], ranks: set[int]) -> dict[int, int]:
    found, seen = {}, 0
    for value in sorted(histogram):
        count = histogram[value]
        for rank in ranks:
            if seen <= rank < seen + count:
                found[rank] = value
        seen += count
    return found


def compute(regions: Sequence[Region], period: Period, *, now: datetime | None = None) -> Figures:
    now = now or timezone.now()
    regions = list(regions)
    previous = period.previous()
    cutoff_day = timezone.localdate(first_contact_cutoff(now, settings.FIRST_CONTACT_WORKING_DAYS))
    counted_at = summaries.refreshed_at()
    per_region, per_region_before = summaries.read(regions, period, previous, cutoff_day)
    flat: dict[str, int] = {}
    flat_before: dict[str, int] = {}
    region_rows = []
    for region in regions:
        current, earlier = per_region.get(region.pk, {}), per_region_before.get(region.pk, {})
        summaries.add_flat(flat, current)
        summaries.add_flat(flat_before, earlier)
        region_rows.append(
            RegionFigures(
                region,
                Funnel.of(summaries.unflatten(current, only=summaries.FUNNEL_KEYS)),
                Funnel.of(summaries.unflatten(earlier, only=summaries.FUNNEL_KEYS)),
            )
        )
    counts, before = summaries.unflatten(flat), summaries.unflatten(flat_before)
    weeks, weekly, per_source = _weekly(counts.get("weeks", {}), period)
    return Figures(
        period=period,
        previous=previous,
        regions=region_rows,
        funnel=Funnel.of(counts),
        previous_funnel=Funnel.of(before),
        drop_out=_drop_out(counts.get("stopped", {})),
        weeks=weeks,
        sources=[(value, str(label)) for value, label in Source.choices],
        weekly=weekly,
        per_source=per_source,
        branches=_branches(counts.get("branches", {}), regions, period),
        target_groups=_target_groups(counts),
        employers=_employers(counts.get("employers", {})),
        cohorts=_cohorts(regions, period),
        matches=_matches(counts.get("matches", {})),
        previous_matches=_matches(before.get("matches", {})),
        computed_at=now,
        counted_at=counted_at,
    )


def _drop_out(stopped: summaries.Counts) -> list[DropOut]:
    """Why people stopped, by the furthest stage they had reached."""
    labels = dict(StopReason.choices)
    result = [
        DropOut(reason, str(labels.get(reason, reason or "–")), dict(at_stage)) for reason, at_stage in stopped.items()
    ]
    return sorted(result, key=lambda row: (-row.total, row.label))


def _weekly(
    per_week: summaries.Counts, period: Period
) -> tuple[list[date], dict[tuple[date, str], int], dict[str, int]]:
    weekly: dict[tuple[date, str], int] = {}
    per_source: dict[str, int] = defaultdict(int)
    for monday, sources in per_week.items():
        for source, count in sources.items():
            weekly[date.fromisoformat(monday), source] = count
            per_source[source] += count
    # Every ISO week the period touches, the quiet ones too: a chart with gaps hides them.
    first_monday = date.fromordinal(period.first.toordinal() - period.first.weekday())
    weeks = [date.fromordinal(ordinal) for ordinal in range(first_monday.toordinal(), period.last.toordinal() + 1, 7)]
    return weeks, weekly, dict(per_source)


def _open_offers(regions: Sequence[Region], period: Period):
    """Offers that were open to candidates at some moment of the period: published before its end, and
    for a dated activity one that took place in it; other offers not closed before it began."""
    dated = Q(kind__in=DATED_KINDS, starts_at__gte=period.start, starts_at__lt=period.end)
    lasting = ~Q(kind__in=DATED_KINDS) & (
        Q(valid_until__gte=period.first)
        | Q(valid_until__isnull=True, status__in=[Offer.Status.PUBLISHED, Offer.Status.FULL])
    )
    return (
        Offer.objects.filter(location__region__in=regions, published_at__lt=period.end)
        .exclude(status=Offer.Status.DRAFT)
        .filter(dated | lasting)
    )


def _branches(interested: summaries.Counts, regions: Sequence[Region], period: Period) -> list[BranchFigures]:
    offered = {
        row.pop("branch_id"): row
        for row in _open_offers(regions, period)
        .values("branch_id")
        .annotate(
            offers=Count("id"),
            places=Coalesce(Sum(Coalesce("places", Value(1)), filter=~Q(kind__in=DATED_KINDS)), 0),
            seats=Coalesce(Sum(Coalesce("capacity", Value(0)), filter=Q(kind__in=DATED_KINDS)), 0),
        )
        .order_by()
    }
    rows = []
    for branch in Branch.objects.all():
        offers = offered.get(branch.pk, {"offers": 0, "places": 0, "seats": 0})
        wanted = interested.get(str(branch.pk), 0)
        if branch.active or wanted or offers["offers"]:
            rows.append(BranchFigures(branch, wanted, **offers))
    return rows


def _target_groups(counts: summaries.Counts) -> list[GroupFigures]:
    per_group = counts.get("groups", {})
    rows = [
        GroupFigures(group.name, Funnel.of(per_group.get(str(group.pk), {}))) for group in TargetGroup.objects.all()
    ]
    # Counted by person: someone in two of these groups is one person further from the labour market.
    rows.append(GroupFigures(_("Distance to the labour market (together)"), Funnel.of(counts.get("distance", {}))))
    return rows


def _employers(counted: summaries.Counts) -> list[EmployerFigures]:
    """Introductions (made in the period) and activity sign-ups (of activities in it) per employer."""
    names = dict(Organisation.objects.filter(pk__in=[int(pk) for pk in counted]).values_list("id", "name"))
    employers = [EmployerFigures(int(pk), names.get(int(pk), ""), **counts) for pk, counts in counted.items()]
    return sorted(employers, key=lambda row: (-(row.introductions + row.registrations), row.name))


def _cohorts(regions: Sequence[Region], period: Period) -> list[CohortFigures]:
    pledged = (
        CohortPledge.objects.filter(cohort=OuterRef("pk")).order_by().values("cohort").annotate(total=Sum("places"))
    )
    placed = (
        CohortPlacement.objects.filter(cohort=OuterRef("pk")).order_by().values("cohort").annotate(total=Count("id"))
    )
    cohorts = (
        Cohort.objects.filter(region__in=regions, start_date__gte=period.first, start_date__lte=period.last)
        .annotate(
            pledged=Coalesce(Subquery(pledged.values("total")), 0), placed=Coalesce(Subquery(placed.values("total")), 0)
        )
        .order_by("start_date", "name")
    )
    return [CohortFigures(cohort, cohort.pledged, cohort.placed) for cohort in cohorts]


def _matches(counts: summaries.Counts) -> MatchFigures:
    rejected = counts.get("rejected", {})
    return MatchFigures(accepted=counts.get("accepted", 0), rejected=sum(rejected.values()), reasons=dict(rejected))
