"""Summaries of the figures per region and day, and per whole month, so that the figures page reads a
few hundred rows instead of aggregating a million candidates.

A row holds what one region's sign-ups of one day add up to now (the funnel follows a cohort: where
those people stand today) and the match suggestions decided that day, as nested counts (`count_days`).
Rows store them flat, in two columns: what the previous period is compared on, and the rest. A
month's row is the sum of its days. `refresh` counts again the last RECOUNTED_DAYS days, where sign-ups
arrive and most work on them happens, and every older day a change marked stale (cijfers.signals).
A Celery job refreshes every minute and rebuilds everything at night, for changes made in bulk (a
merge, a data migration) that no signal sees. The page refreshes itself when the job has not run for
a minute (no worker, as with `make run`), so its figures are never more than a minute old.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from contactpunt.models import Region
from kandidaten.models import Candidate, Match, Status
from werkgevers.models import DATED_KINDS, Introduction, Offer, Registration

from .models import StaleDay, Summary, SummaryState
from .periods import Period, add_months

# Today and the days just before it are counted again at every refresh (changes to them mark nothing),
# one more than a refresh a minute needs, in case a refresh just after midnight is late.
RECOUNTED_DAYS = 3
# The page counts again itself when the last refresh is older than this.
FRESH_FOR = timedelta(minutes=1)
# Target groups further from the labour market (afstand tot de arbeidsmarkt), counted together too.
DISTANCE_TO_LABOUR_MARKET = (
    "uitkering",
    "statushouder",
    "praktijkonderwijs-vso",
    "buitenlands-diploma",
    "aangepaste-werkplek",
)
# Introductions that led to an invitation (and perhaps further).
INVITED = [Introduction.Status.INVITED, Introduction.Status.STARTED, Introduction.Status.NOT_STARTED]
# The counts that comparing with the previous period needs, and those of a region's funnel.
PREVIOUS_KEYS = ("funnel", "days", "matches")
FUNNEL_KEYS = ("funnel", "days")

Counts = dict  # nested: str → int | Counts


def add(into: Counts, counts: Counts) -> None:
    """Add nested counts into `into`."""
    for key, value in counts.items():
        if isinstance(value, dict):
            add(into.setdefault(key, {}), value)
        else:
            into[key] = into.get(key, 0) + value


def flatten(counts: Counts, prefix: str = "") -> dict[str, int]:
    """Nested counts as one level, keys joined by "/" ("funnel/signed_up"): what a row stores, because
    adding flat counts is a plain loop, several times faster than walking nested ones."""
    flat: dict[str, int] = {}
    for key, value in counts.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}/"))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def unflatten(flat: dict[str, int], only: tuple[str, ...] | None = None) -> Counts:
    """Flat counts nested again (only the top-level keys in `only`, when given)."""
    counts: Counts = {}
    wanted = tuple(f"{key}/" for key in only) if only else None
    for key, value in flat.items():
        if wanted and not key.startswith(wanted):
            continue
        *path, last = key.split("/")
        into = counts
        for part in path:
            into = into.setdefault(part, {})
        into[last] = value
    return counts


def add_flat(into: dict[str, int], flat: dict[str, int]) -> None:
    for key, value in flat.items():
        into[key] = into.get(key, 0) + value


def _stored(counts: Counts) -> dict[str, dict[str, int]]:
    """A row's two columns: the counts compared with the previous period, and the others."""
    compared, rest = {}, {}
    for key, value in flatten(counts).items():
        (compared if key.split("/", 1)[0] in PREVIOUS_KEYS else rest)[key] = value
    return {"compared": compared, "counts": rest}


def _funnel_aggregates(through: str = "") -> dict[str, Count]:
    """The funnel's counts of candidates, or of rows pointing at candidates (`through="candidate__"`).
    `measured` counts those with a first contact; who is due depends on the day of counting (`due`)."""
    counted = through.removesuffix("__") + "_id" if through else "id"

    def at(**lookups) -> Q:
        return Q(**{f"{through}{name}": value for name, value in lookups.items()})

    return {
        "signed_up": Count(counted),
        "contacted": Count(counted, filter=at(first_contact_at__isnull=False) | at(referred_at__isnull=False)),
        "referred": Count(counted, filter=at(referred_at__isnull=False)),
        "started": Count(counted, filter=at(started_at__isnull=False)),
        "stopped": Count(counted, filter=at(status=Status.STOPPED)),
        "within": Count(counted, filter=at(first_contact_working_days__lte=settings.FIRST_CONTACT_WORKING_DAYS)),
        "measured": Count(counted, filter=at(first_contact_working_days__isnull=False)),
    }


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def count_days(first: date, end: date) -> dict[tuple[int, date], Counts]:
    """The counts of every region and day from `first` up to `end`, in eight queries: the sign-ups'
    funnel, waiting times and sources; why people stopped; the target groups; those further from the
    labour market together; the branches; the decided match suggestions; activity sign-ups and
    introductions per employer."""
    days = Period(first, end - timedelta(days=1))
    start, stop = days.start, days.end
    counts: dict[tuple[int, date], Counts] = defaultdict(dict)
    candidates = Candidate.objects.filter(signed_up_at__gte=start, signed_up_at__lt=stop, region__isnull=False)
    of_candidates = Q(
        candidate__signed_up_at__gte=start, candidate__signed_up_at__lt=stop, candidate__region__isnull=False
    )
    matches = Match.objects.filter(
        status__in=[Match.Status.ACCEPTED, Match.Status.REJECTED],
        decided_at__gte=start,
        decided_at__lt=stop,
        candidate__region__isnull=False,
    )
    own = {"in_region": F("region_id"), "on_day": _day("signed_up_at")}
    theirs = {"in_region": F("candidate__region_id"), "on_day": _day("candidate__signed_up_at")}

    def rows(queryset) -> Iterator[tuple[date, Counts, dict]]:
        for row in queryset.order_by():
            day = row.pop("on_day")
            yield day, counts[row.pop("in_region"), day], row

    waiting = candidates.values("source", **own, waited=F("first_contact_working_days"))
    for day, into, row in rows(waiting.annotate(**_funnel_aggregates())):
        source, waited = row.pop("source"), row.pop("waited")
        monday = (day - timedelta(days=day.weekday())).isoformat()
        add(into, {"funnel": row, "weeks": {monday: {source: row["signed_up"]}}})
        if waited is not None:
            add(into, {"days": {str(waited): row["signed_up"]}})

    contacted = Q(first_contact_at__isnull=False) | Q(referred_at__isnull=False)
    stopped = candidates.filter(status=Status.STOPPED).values("stop_reason", **own)
    for _, into, row in rows(
        stopped.annotate(
            before_contact=Count("id", filter=~contacted),
            after_contact=Count("id", filter=contacted & Q(referred_at__isnull=True)),
            after_referral=Count("id", filter=Q(referred_at__isnull=False, started_at__isnull=True)),
            after_start=Count("id", filter=Q(started_at__isnull=False)),
        )
    ):
        add(into, {"stopped": {row.pop("stop_reason"): row}})

    groups = Candidate.target_groups.through.objects.filter(of_candidates)
    for _, into, row in rows(groups.values("targetgroup_id", **theirs).annotate(**_funnel_aggregates("candidate__"))):
        add(into, {"groups": {str(row.pop("targetgroup_id")): row}})

    further = Candidate.target_groups.through.objects.filter(
        candidate=OuterRef("pk"), targetgroup__slug__in=DISTANCE_TO_LABOUR_MARKET
    )
    for _, into, row in rows(candidates.filter(Exists(further)).values(**own).annotate(**_funnel_aggregates())):
        add(into, {"distance": row})

    branches = Candidate.branches.through.objects.filter(of_candidates)
    for _, into, row in rows(branches.values("branch_id", **theirs).annotate(count=Count("candidate_id"))):
        add(into, {"branches": {str(row["branch_id"]): row["count"]}})

    decided = matches.values(
        "status",
        "reject_reason",
        in_region=F("candidate__region_id"),
        on_day=_day("decided_at"),
    )
    for _, into, row in rows(decided.annotate(count=Count("id"))):
        if row["status"] == Match.Status.ACCEPTED:
            add(into, {"matches": {"accepted": row["count"]}})
        else:
            add(into, {"matches": {"rejected": {row["reject_reason"] or Match.RejectReason.OTHER: row["count"]}}})

    # Sign-ups for activities per employer, on the day of the activity (the waiting list not counted).
    registrations = (
        Registration.objects.filter(
            offer__starts_at__gte=start, offer__starts_at__lt=stop, offer__location__region__isnull=False
        )
        .exclude(status=Registration.Status.WAITING)
        .values(
            in_region=F("offer__location__region_id"),
            on_day=_day("offer__starts_at"),
            employer=F("offer__organisation_id"),
        )
    )
    for _, into, row in rows(
        registrations.annotate(
            registrations=Count("id"),
            attended=Count("id", filter=Q(status=Registration.Status.ATTENDED)),
            absent=Count("id", filter=Q(status=Registration.Status.ABSENT)),
            cancelled=Count("id", filter=Q(status=Registration.Status.CANCELLED)),
        )
    ):
        add(into, {"employers": {str(row.pop("employer")): row}})

    # Introductions per employer, on the day they were made, in the region of the offer's location.
    introductions = Introduction.objects.filter(
        created_at__gte=start, created_at__lt=stop, offer__location__region__isnull=False
    ).values(in_region=F("offer__location__region_id"), on_day=_day("created_at"), employer=F("offer__organisation_id"))
    for _, into, row in rows(
        introductions.annotate(
            introductions=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            answer_days_total=Coalesce(Sum("answered_in_working_days"), 0),
            invited=Count("id", filter=Q(status__in=INVITED)),
            started=Count("id", filter=Q(status=Introduction.Status.STARTED)),
        )
    ):
        add(into, {"employers": {str(row.pop("employer")): row}})
    return counts


def _runs(days: Iterable[date], gap: int = 7) -> list[tuple[date, date]]:
    """Days as ranges [first, end), days less than `gap` apart in one range (counting a few days more
    is cheaper than eight queries more)."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days < gap:
            runs[-1][1] = day + timedelta(days=1)
        else:
            runs.append([day, day + timedelta(days=1)])
    return [(first, end) for first, end in runs]


def _chunks(first: date, end: date, size: int = 92) -> Iterator[tuple[date, date]]:
    while first < end:
        yield first, min(first + timedelta(days=size), end)
        first += timedelta(days=size)


def _earliest_day() -> date | None:
    moments = [
        Candidate.objects.filter(region__isnull=False)
        .order_by("signed_up_at")
        .values_list("signed_up_at", flat=True)
        .first(),
        Match.objects.filter(decided_at__isnull=False)
        .order_by("decided_at")
        .values_list("decided_at", flat=True)
        .first(),
    ]
    days = [timezone.localdate(moment) for moment in moments if moment is not None]
    return min(days, default=None)


def _store_days(first: date, end: date) -> set[date]:
    """Count the days from `first` up to `end` again; returns the months they lie in."""
    counts = count_days(first, end)
    Summary.objects.filter(grain=Summary.Grain.DAY, first__gte=first, first__lt=end).delete()
    Summary.objects.bulk_create(
        [
            Summary(region_id=region_id, grain=Summary.Grain.DAY, first=day, **_stored(day_counts))
            for (region_id, day), day_counts in counts.items()
        ],
        batch_size=1000,
    )
    months, month = set(), first.replace(day=1)
    while month < end:
        months.add(month)
        month = add_months(month, 1)
    return months


def _store_months(months: Iterable[date], until: date) -> None:
    """A whole month before `until` gets a row per region: the sum of its days."""
    for month in sorted(months):
        following = add_months(month, 1)
        if following > until:
            continue
        per_region: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: {"compared": {}, "counts": {}})
        for region_id, compared, counts in Summary.objects.filter(
            grain=Summary.Grain.DAY, first__gte=month, first__lt=following
        ).values_list("region_id", "compared", "counts"):
            add_flat(per_region[region_id]["compared"], compared)
            add_flat(per_region[region_id]["counts"], counts)
        Summary.objects.filter(grain=Summary.Grain.MONTH, first=month).delete()
        Summary.objects.bulk_create(
            [
                Summary(region_id=region_id, grain=Summary.Grain.MONTH, first=month, **columns)
                for region_id, columns in per_region.items()
            ]
        )


def _horizon(today: date) -> date:
    """The day after the last activity to come: sign-ups for activities change until they take place,
    so their days are counted again at every refresh."""
    last = Offer.objects.filter(kind__in=DATED_KINDS, starts_at__isnull=False).aggregate(last=Max("starts_at"))["last"]
    return max(today, timezone.localdate(last) if last else today) + timedelta(days=1)


def refresh(*, today: date | None = None) -> date:
    """Count again the stale days, the recent days (and the activities to come) and any day not
    counted yet; returns the first day of sign-ups without a row (tomorrow)."""
    today = today or timezone.localdate()
    until = today + timedelta(days=1)
    recounted = today - timedelta(days=RECOUNTED_DAYS - 1)
    with transaction.atomic():
        state, _ = SummaryState.objects.select_for_update().get_or_create(pk=1)
        stale = list(StaleDay.objects.values_list("day", flat=True))
        StaleDay.objects.filter(day__in=stale).delete()
        reached = state.summarised_until
        ranges: list[tuple[date, date]] = []
        if reached is None:
            Summary.objects.all().delete()
            earliest = _earliest_day()
            if earliest is not None and earliest < recounted:
                ranges.append((earliest, recounted))
        elif reached > until:
            # The clock went back (a test travelling in time): months ahead of it are not whole yet.
            Summary.objects.filter(grain=Summary.Grain.MONTH, first__gte=today.replace(day=1)).delete()
        elif reached < recounted:
            ranges.append((reached, recounted))
        ranges += _runs(day for day in stale if day < recounted)
        # From the recent days on everything is counted again, and days beyond it (an activity
        # moved or gone) lose their rows.
        Summary.objects.filter(grain=Summary.Grain.DAY, first__gte=recounted).delete()
        ranges.append((recounted, _horizon(today)))
        months: set[date] = set()
        for first, end in ranges:
            for chunk_first, chunk_end in _chunks(first, end):
                months |= _store_days(chunk_first, chunk_end)
        _store_months(months, until)
        state.summarised_until = until
        state.refreshed_at = timezone.now()
        state.save()
    return until


def refreshed_at() -> datetime | None:
    """When the summaries were last counted, refreshing them first when that is too long ago."""
    moment = SummaryState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    now = timezone.now()
    if moment is None or not (now - FRESH_FOR <= moment <= now):
        refresh()
        return now
    return moment


def rebuild() -> date:
    """Count everything again: after changes made in bulk, which no signal sees."""
    SummaryState.objects.update_or_create(pk=1, defaults={"summarised_until": None})
    return refresh()


def mark_stale(days: Iterable[date]) -> None:
    """Days whose counts changed; the recent days are counted again at every refresh anyway."""
    limit = timezone.localdate() - timedelta(days=RECOUNTED_DAYS - 1)
    stale = {day for day in days if day is not None and day < limit}
    if stale:
        StaleDay.objects.bulk_create([StaleDay(day=day) for day in stale], ignore_conflicts=True)


def _add_due(flat: dict[str, int], unsettled: dict[str, int]) -> None:
    """Who is due a first contact: of the sign-ups before the cutoff day everyone, of those after it
    (`unsettled`) the ones already called."""
    for key in [key for key in flat if key.endswith("/signed_up")]:
        stem = key.removesuffix("signed_up")
        flat[f"{stem}due"] = flat[key] - unsettled.get(key, 0) + unsettled.get(f"{stem}measured", 0)


def _spans(period: Period, cutoff_day: date) -> Q:
    """The rows that cover the period: whole months before the cutoff by their month row, the other
    days by their day rows."""
    end = period.last + timedelta(days=1)
    months_from = period.first if period.first.day == 1 else add_months(period.first, 1)
    months_to = min(end, cutoff_day).replace(day=1)
    if months_from >= months_to:
        return Q(grain=Summary.Grain.DAY, first__gte=period.first, first__lt=end)
    return (
        Q(grain=Summary.Grain.DAY, first__gte=period.first, first__lt=months_from)
        | Q(grain=Summary.Grain.MONTH, first__gte=months_from, first__lt=months_to)
        | Q(grain=Summary.Grain.DAY, first__gte=months_to, first__lt=end)
    )


def read(
    regions: Sequence[Region], period: Period, previous: Period, cutoff_day: date
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Per region, flat counts (see `flatten`) of the period's sign-ups, decided matches and
    introductions, and those of the previous period that the figures compare, with who is due a first
    contact on the day of counting. Two queries."""
    found: tuple[dict[int, dict[str, int]], ...] = (defaultdict(dict), defaultdict(dict))
    unsettled: tuple[dict[int, dict[str, int]], ...] = (defaultdict(dict), defaultdict(dict))
    columns = (("compared", "counts"), ("compared",))
    for index, counted in enumerate((period, previous)):
        rows = Summary.objects.filter(_spans(counted, cutoff_day), region__in=regions).values_list(
            "region_id", "grain", "first", *columns[index]
        )
        for region_id, grain, first, *parts in rows:
            late = grain == Summary.Grain.DAY and first >= cutoff_day
            for part in parts:
                add_flat(found[index][region_id], part)
                if late:
                    add_flat(unsettled[index][region_id], part)
    for index in (0, 1):
        for region_id, flat in found[index].items():
            _add_due(flat, unsettled[index].get(region_id, {}))
    return found[0], found[1]
