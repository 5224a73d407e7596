"""The figures of a period for some regions: the funnel, time to first contact, sign-ups per week and
source, supply and demand per branch, target groups, employers, BBL classes and match acceptance.

Everything is counted in the database with grouped aggregates over indexed columns, in a fixed number
of queries whatever the size of the data (QUERY_COUNT); a period and the one before it are read in the
same query. The funnel follows the people who signed up in the period (a cohort): where they stand now,
each stage a subset of the one before (kandidaten.milestones stamps the moments). Erased people stay
in these counts (their status, source and moments are kept without their details); only the target
groups they had are gone with their details.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpunt.models import Branch, Region, TargetGroup
from contactpunt.workdays import first_contact_cutoff
from kandidaten.models import Candidate, Match, Source, Status, StopReason
from werkgevers.models import DATED_KINDS, Cohort, CohortPlacement, CohortPledge, Introduction, Offer, Registration

from .periods import Period

# The promise on the intake page: a coordinator calls within two working days.
FIRST_CONTACT_DAYS = 2
# Target groups further from the labour market (afstand tot de arbeidsmarkt), counted together too.
DISTANCE_TO_LABOUR_MARKET = (
    "uitkering",
    "statushouder",
    "praktijkonderwijs-vso",
    "buitenlands-diploma",
    "aangepaste-werkplek",
)
# The queries one `compute` runs, whatever the data: checked by the tests and reported by the benchmark.
QUERY_COUNT = 13

STAGES = ("signed_up", "contacted", "referred", "started")
# First contact: a contact moment was logged, or the person was referred (which needs a conversation).
CONTACTED = Q(first_contact_at__isnull=False) | Q(referred_at__isnull=False)


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
    cohort = Candidate.objects.filter(region__in=regions, signed_up_at__gte=previous.start, signed_up_at__lt=period.end)
    in_period = Case(When(signed_up_at__gte=period.start, then=Value(1)), default=Value(0), output_field=IntegerField())

    # One row per region, period and number of working days to first contact: the funnel and the
    # histogram of the waiting times come out of one query.
    per_region: dict[tuple[int, int], Funnel] = defaultdict(Funnel)
    for row in _funnel_counts(
        cohort.annotate(current=in_period), now, "region_id", "current", "first_contact_working_days"
    ):
        days = row.pop("first_contact_working_days")
        funnel = Funnel(**{name: row[name] for name in Funnel.COUNTS})
        if days is not None:
            funnel.days[days] = funnel.signed_up
        per_region[row["region_id"], row["current"]].add(funnel)

    total, previous_total = Funnel(), Funnel()
    region_rows = []
    for region in regions:
        region_rows.append(RegionFigures(region, per_region[region.pk, 1], per_region[region.pk, 0]))
        total.add(per_region[region.pk, 1])
        previous_total.add(per_region[region.pk, 0])

    current = cohort.filter(signed_up_at__gte=period.start)
    weeks, weekly, per_source = _weekly(current, period)
    matches, previous_matches = _matches(regions, period, previous)
    return Figures(
        period=period,
        previous=previous,
        regions=region_rows,
        funnel=total,
        previous_funnel=previous_total,
        drop_out=_drop_out(current),
        weeks=weeks,
        sources=[(value, str(label)) for value, label in Source.choices],
        weekly=weekly,
        per_source=per_source,
        branches=_branches(regions, period),
        target_groups=_target_groups(current, regions, period, now),
        employers=_employers(regions, period),
        cohorts=_cohorts(regions, period),
        matches=matches,
        previous_matches=previous_matches,
        computed_at=now,
    )


def _funnel_aggregates(now: datetime, through: str = "") -> dict[str, Count]:
    """The funnel's counts of candidates, or of rows pointing at candidates (`through="candidate__"`)."""
    cutoff = first_contact_cutoff(now, FIRST_CONTACT_DAYS)
    counted = through.removesuffix("__") + "_id" if through else "id"

    def at(**lookups) -> Q:
        return Q(**{f"{through}{name}": value for name, value in lookups.items()})

    contacted = at(first_contact_at__isnull=False) | at(referred_at__isnull=False)
    return {
        "signed_up": Count(counted),
        "contacted": Count(counted, filter=contacted),
        "referred": Count(counted, filter=at(referred_at__isnull=False)),
        "started": Count(counted, filter=at(started_at__isnull=False)),
        "stopped": Count(counted, filter=at(status=Status.STOPPED)),
        "due": Count(counted, filter=at(signed_up_at__lt=cutoff) | at(first_contact_working_days__isnull=False)),
        "within": Count(counted, filter=at(first_contact_working_days__lte=FIRST_CONTACT_DAYS)),
    }


def _funnel_counts(candidates, now: datetime, *group_by: str) -> Iterable[dict]:
    return candidates.values(*group_by).annotate(**_funnel_aggregates(now)).order_by()


def _drop_out(candidates) -> list[DropOut]:
    """Why people stopped, by the furthest stage they had reached."""
    rows = (
        candidates.filter(status=Status.STOPPED)
        .values("stop_reason")
        .annotate(
            before_contact=Count("id", filter=~CONTACTED),
            after_contact=Count("id", filter=CONTACTED & Q(referred_at__isnull=True)),
            after_referral=Count("id", filter=Q(referred_at__isnull=False, started_at__isnull=True)),
            after_start=Count("id", filter=Q(started_at__isnull=False)),
        )
        .order_by()
    )
    found = {row.pop("stop_reason"): row for row in rows}
    labels = dict(StopReason.choices)
    result = [DropOut(reason, str(labels.get(reason, reason or "–")), counts) for reason, counts in found.items()]
    return sorted(result, key=lambda row: (-row.total, row.label))


def _weekly(candidates, period: Period) -> tuple[list[date], dict[tuple[date, str], int], dict[str, int]]:
    rows = (
        candidates.annotate(week=TruncWeek("signed_up_at", tzinfo=timezone.get_current_timezone()))
        .values("week", "source")
        .annotate(count=Count("id"))
        .order_by()
    )
    weekly: dict[tuple[date, str], int] = {}
    per_source: dict[str, int] = defaultdict(int)
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, datetime) else week
        weekly[week, row["source"]] = weekly.get((week, row["source"]), 0) + row["count"]
        per_source[row["source"]] += row["count"]
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


def _branches(regions: Sequence[Region], period: Period) -> list[BranchFigures]:
    interested = dict(
        _rows_of_sign_ups(Candidate.branches.through, regions, period)
        .values("branch_id")
        .annotate(count=Count("candidate_id"))
        .values_list("branch_id", "count")
        .order_by()
    )
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
        if branch.active or interested.get(branch.pk) or offers["offers"]:
            rows.append(BranchFigures(branch, interested.get(branch.pk, 0), **offers))
    return rows


def _rows_of_sign_ups(through, regions: Sequence[Region], period: Period):
    """Rows of a many-to-many table of the period's sign-ups, as a join (not `IN (subquery)`), so that
    PostgreSQL walks the figures index of the candidates and the table's candidate index."""
    return through.objects.filter(
        candidate__region__in=regions,
        candidate__signed_up_at__gte=period.start,
        candidate__signed_up_at__lt=period.end,
    )


def _target_groups(candidates, regions: Sequence[Region], period: Period, now: datetime) -> list[GroupFigures]:
    through = _rows_of_sign_ups(Candidate.target_groups.through, regions, period)
    per_group = {
        row.pop("targetgroup_id"): Funnel(**row)
        for row in through.values("targetgroup_id").annotate(**_funnel_aggregates(now, "candidate__")).order_by()
    }
    rows = [GroupFigures(group.name, per_group.get(group.pk, Funnel())) for group in TargetGroup.objects.all()]
    # Counted by person: someone in two of these groups is one person further from the labour market.
    further = Candidate.objects.filter(
        pk__in=candidates.filter(target_groups__slug__in=DISTANCE_TO_LABOUR_MARKET).values("id")
    )
    distance = further.aggregate(**_funnel_aggregates(now))
    rows.append(GroupFigures(_("Distance to the labour market (together)"), Funnel(**distance)))
    return rows


def _employers(regions: Sequence[Region], period: Period) -> list[EmployerFigures]:
    employers: dict[int, EmployerFigures] = {}
    introductions = (
        Introduction.objects.filter(
            offer__location__region__in=regions, created_at__gte=period.start, created_at__lt=period.end
        )
        .values("offer__organisation_id", "offer__organisation__name")
        .annotate(
            introductions=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            answer_days_total=Coalesce(Sum("answered_in_working_days"), 0),
            invited=Count(
                "id",
                filter=Q(
                    status__in=[
                        Introduction.Status.INVITED,
                        Introduction.Status.STARTED,
                        Introduction.Status.NOT_STARTED,
                    ]
                ),
            ),
            started=Count("id", filter=Q(status=Introduction.Status.STARTED)),
        )
        .order_by()
    )
    for row in introductions:
        organisation, name = row.pop("offer__organisation_id"), row.pop("offer__organisation__name")
        employers[organisation] = EmployerFigures(organisation, name, **row)
    registrations = (
        Registration.objects.filter(
            offer__location__region__in=regions, offer__starts_at__gte=period.start, offer__starts_at__lt=period.end
        )
        .exclude(status=Registration.Status.WAITING)
        .values("offer__organisation_id", "offer__organisation__name")
        .annotate(
            registrations=Count("id"),
            attended=Count("id", filter=Q(status=Registration.Status.ATTENDED)),
            absent=Count("id", filter=Q(status=Registration.Status.ABSENT)),
            cancelled=Count("id", filter=Q(status=Registration.Status.CANCELLED)),
        )
        .order_by()
    )
    for row in registrations:
        organisation, name = row.pop("offer__organisation_id"), row.pop("offer__organisation__name")
        figures = employers.setdefault(organisation, EmployerFigures(organisation, name))
        for key, value in row.items():
            setattr(figures, key, value)
    return sorted(employers.values(), key=lambda row: (-(row.introductions + row.registrations), row.name))


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


def _matches(regions: Sequence[Region], period: Period, previous: Period) -> tuple[MatchFigures, MatchFigures]:
    rows = (
        Match.objects.filter(
            candidate__region__in=regions,
            status__in=[Match.Status.ACCEPTED, Match.Status.REJECTED],
            decided_at__gte=previous.start,
            decided_at__lt=period.end,
        )
        .annotate(
            current=Case(
                When(decided_at__gte=period.start, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .values("current", "status", "reject_reason")
        .annotate(count=Count("id"))
        .order_by()
    )
    figures = {1: MatchFigures(), 0: MatchFigures()}
    for row in rows:
        target = figures[row["current"]]
        if row["status"] == Match.Status.ACCEPTED:
            target.accepted += row["count"]
        else:
            target.rejected += row["count"]
            reason = row["reject_reason"] or Match.RejectReason.OTHER
            target.reasons[reason] = target.reasons.get(reason, 0) + row["count"]
    return figures[1], figures[0]
