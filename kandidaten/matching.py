"""Matching (matchen): for every candidate the offers that fit, with a score and the reasons why.

One rule set (`evaluate`) decides for one candidate × offer pair. The engine only avoids asking it
about pairs that cannot fit: offers are indexed by kind and by a grid of ~10 km cells, so a candidate
is compared with the offers of the kinds they want within their travel distance (or, without a known
position, in their region). `naive_matches` asks `evaluate` about every pair; the benchmark compares
the two.

Hard rules: the offer is published with room left and not past; within the candidate's maximum
travel distance (straight line between PC4 centroids), or in the same region when a centroid is
missing; its kind answers a next step the candidate wants; the education level and diploma
requirements are met, or the offer trains towards them (BBL, training); the candidate's target group
is welcome. The score adds interest in the branch and the function, distance, hours, how soon it
starts and how coordinators judged similar matches before.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contactpunt.jobs import enqueue_on_commit
from contactpunt.models import Branch, EducationLevel, Function, NextStep, PostcodeArea, Region, TargetGroup
from werkgevers.models import DATED_KINDS, NEXT_STEP_OF_KIND, Offer, OfferKind

from .models import Candidate, Match, Status

logger = logging.getLogger(__name__)

# How many open suggestions a candidate keeps (a rejection makes room: the candidate is matched again);
# decided ones (accepted, rejected) come on top.
MAX_MATCHES_PER_CANDIDATE = 10
# Candidates still looking for a next step.
MATCHED_STATUSES = (Status.NEW, Status.IN_CONVERSATION, Status.REFERRED)
# The farthest anyone travels (TravelDistance's largest choice): the reach of an offer.
MAX_REACH_KM = 60
CHUNK_SIZE = 2000

KINDS_FOR_STEP: dict[str, frozenset[str]] = {
    step: frozenset(kind for kind, kind_step in NEXT_STEP_OF_KIND.items() if kind_step == step)
    for step in set(NEXT_STEP_OF_KIND.values())
}

EARTH_RADIUS_KM = 6371.0088
# The grid: cells of 0.1° latitude × 0.15° longitude, about 11 × 10 km in the Netherlands.
CELL_LAT = 0.1
CELL_LON = 0.15


# Profiles: what the rules need of a candidate and an offer, loaded in bulk.


@dataclass(slots=True, frozen=True)
class CandidateProfile:
    id: int
    region_id: int | None
    point: tuple[float, float] | None  # latitude, longitude in degrees
    max_km: int
    kinds: frozenset[str]
    level: int | None
    has_diplomas: bool
    target_groups: frozenset[int]
    branches: frozenset[int]
    functions: frozenset[int]
    hours: int | None


@dataclass(slots=True, frozen=True)
class OfferProfile:
    id: int
    kind: str
    region_id: int | None
    point: tuple[float, float] | None
    open: bool
    min_level: int | None
    trains_towards: int | None
    requires_diploma: bool
    target_groups: frozenset[int]
    branch_id: int
    functions: frozenset[int]
    hours_min: int | None
    hours_max: int | None
    starts_on: date | None
    feedback: float = 0.0  # -1 (coordinators rejected similar matches) … +1 (accepted them)


@dataclass(slots=True)
class Names:
    """Names of reference items, for reasons a person can read."""

    branches: dict[int, str] = field(default_factory=dict)
    functions: dict[int, str] = field(default_factory=dict)
    target_groups: dict[int, str] = field(default_factory=dict)
    regions: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        return _cached("names", cls._load)

    @classmethod
    def _load(cls) -> Names:
        return cls(
            branches=dict(Branch.objects.values_list("id", "name")),
            functions=dict(Function.objects.values_list("id", "name")),
            target_groups=dict(TargetGroup.objects.values_list("id", "name")),
            regions=dict(Region.objects.values_list("id", "name")),
        )


@dataclass(slots=True, frozen=True)
class Fit:
    offer_id: int
    score: int
    reasons: list
    signature: Signature


# The rules.


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def evaluate(candidate: CandidateProfile, offer: OfferProfile, names: Names, today: date) -> Fit | None:
    """Whether the offer fits the candidate (None when a hard rule fails), with score and reasons."""
    if not offer.open or offer.kind not in candidate.kinds:
        return None
    if offer.target_groups and not offer.target_groups & candidate.target_groups:
        return None
    trains = offer.trains_towards is not None
    if offer.min_level is not None and not trains and (candidate.level is None or candidate.level < offer.min_level):
        return None
    if offer.requires_diploma and not trains and not candidate.has_diplomas:
        return None
    if candidate.point is not None and offer.point is not None:
        km = distance_km(candidate.point, offer.point)
        if km > candidate.max_km:
            return None
        score = 25.0 * (1 - km / candidate.max_km)
        distance, same_region = round(km), 0
    elif candidate.region_id is not None and candidate.region_id == offer.region_id:
        score = 5.0
        distance, same_region = -1, offer.region_id
    else:
        return None

    branch_hit = offer.branch_id in candidate.branches
    if branch_hit:
        score += 25
    elif not candidate.branches:
        score += 8
    shared_functions = offer.functions & candidate.functions
    function_id = min(shared_functions) if shared_functions else 0
    if shared_functions:
        score += 20
    elif not candidate.functions or not offer.functions:
        score += 5
    if trains:
        level = TRAINS + offer.trains_towards
    elif offer.min_level is not None:
        level = candidate.level
    else:
        level = -1
    target_group = 0
    if offer.target_groups:
        score += 5
        target_group = min(offer.target_groups & candidate.target_groups)
    hours = -1
    if candidate.hours is not None and offer.hours_min is not None:
        high = offer.hours_max if offer.hours_max is not None else offer.hours_min
        if offer.hours_min <= candidate.hours <= high:
            score += 10
            hours = candidate.hours
        elif offer.hours_min - 4 <= candidate.hours <= high + 4:
            score += 4
    starts = -1
    if offer.starts_on is not None:
        days = (offer.starts_on - today).days
        if days <= 14:
            score += 10
        elif days <= 30:
            score += 6
        elif days <= 60:
            score += 3
        starts = offer.starts_on.toordinal()
    feedback = 0
    if offer.feedback:
        score += 10 * offer.feedback
        feedback = 1 if offer.feedback >= 0.3 else -1 if offer.feedback <= -0.3 else 0
    signature = Signature(
        max(0, min(100, round(score))),
        distance,
        same_region,
        int(branch_hit),
        function_id,
        level,
        target_group,
        hours,
        starts,
        feedback,
    )
    return Fit(offer.id, signature.score, build_reasons(signature, offer.kind, offer.branch_id, names), signature)


# A level code above this means "trains towards" that level (the offer gives way on the level rule).
TRAINS = 1000


class Signature(NamedTuple):
    """Everything a match's score and reasons are made of, as numbers (the engines agree on these)."""

    score: int
    distance: int  # km, or -1 when the distance is unknown and the region decided
    same_region: int  # the region id in that case, else 0
    branch_hit: int
    function_id: int  # the shared function (lowest id), 0 for none
    level: int  # TRAINS + level trained towards, the candidate's level when a minimum applies, else -1
    target_group: int  # the welcome target group (lowest id), 0 for none
    hours: int  # the candidate's hours when they fit, else -1
    starts: int  # date.toordinal() of the start, else -1
    feedback: int  # 1 often accepted, -1 often rejected, else 0


def build_reasons(signature: Signature, kind: str, branch_id: int, names: Names) -> list:
    """The stored reasons of a match, from its signature."""
    if signature.distance >= 0:
        reasons: list = [["distance", signature.distance]]
    else:
        reasons = [["same_region", names.regions.get(signature.same_region, "")]]
    reasons.append(["kind", kind])
    if signature.branch_hit:
        reasons.append(["branch", names.branches.get(branch_id, "")])
    if signature.function_id:
        reasons.append(["function", names.functions.get(signature.function_id, "")])
    if signature.level >= TRAINS:
        reasons.append(["trains", signature.level - TRAINS])
    elif signature.level >= 0:
        reasons.append(["level", signature.level])
    if signature.target_group:
        reasons.append(["target_group", names.target_groups.get(signature.target_group, "")])
    if signature.hours >= 0:
        reasons.append(["hours", signature.hours])
    if signature.starts >= 0:
        reasons.append(["starts_on", date.fromordinal(signature.starts).isoformat()])
    if signature.feedback == 1:
        reasons.append(["feedback_good", None])
    elif signature.feedback == -1:
        reasons.append(["feedback_poor", None])
    return reasons


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1


def fingerprint(signature: Sequence[int]) -> int:
    """64-bit FNV-1a over the signature's numbers, signed like PostgreSQL's bigint.

    kandidaten.bulk_matching computes the same with numpy for whole columns at once.
    """
    digest = _FNV_OFFSET
    for value in signature:
        digest = ((digest ^ (value & _MASK64)) * _FNV_PRIME) & _MASK64
    return digest - (1 << 64) if digest >= 1 << 63 else digest


def describe(reason: Sequence, today: date | None = None) -> str:
    """A stored reason in plain Dutch (through gettext): "12 km van huis", "start over 9 dagen"."""
    code, value = reason[0], reason[1]
    if code == "distance":
        return _("%(km)s km from home") % {"km": value}
    if code == "same_region":
        return _("distance unknown, in the same region (%(region)s)") % {"region": value}
    if code == "kind":
        return (
            _("wants a %(kind)s") % {"kind": _lower_first(str(OfferKind(value).label))}
            if value in OfferKind.values
            else ""
        )
    if code == "branch":
        return _("interested in %(branch)s") % {"branch": value}
    if code == "function":
        return _("interested in %(function)s") % {"function": value}
    if code == "level":
        return _("%(level)s is enough") % {"level": _level(value)}
    if code == "trains":
        return _("trains towards %(level)s") % {"level": _level(value)}
    if code == "target_group":
        return _("welcome as %(group)s") % {"group": value.lower()}
    if code == "hours":
        return _("%(hours)s hours a week fits") % {"hours": value}
    if code == "starts_on":
        days = (date.fromisoformat(value) - (today or timezone.localdate())).days
        if days <= 0:
            return _("starts today") if days == 0 else _("has started")
        return ngettext("starts in %(days)s day", "starts in %(days)s days", days) % {"days": days}
    if code == "feedback_good":
        return _("similar matches were often accepted")
    if code == "feedback_poor":
        return _("similar matches were often rejected")
    return ""


def _lower_first(label: str) -> str:
    """ "Meeloopdag" → "meeloopdag" in a sentence, but "BBL-plek" stays as it is."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _level(value: int | None) -> str:
    return str(EducationLevel(value).label) if value in EducationLevel.values else _("unknown")


# Loading profiles from the database.


# Reference data kept per process for a while: it changes only when an administrator imports or edits it.
REFERENCE_CACHE_SECONDS = 300
_reference_cache: dict[str, tuple[float, Any]] = {}


def _cached(name: str, load: Callable[[], Any]) -> Any:
    loaded_at, value = _reference_cache.get(name, (0.0, None))
    if value is None or clock.monotonic() - loaded_at > REFERENCE_CACHE_SECONDS:
        value = load()
        _reference_cache[name] = (clock.monotonic(), value)
    return value


def forget_reference_data() -> None:
    """Load PC4 centroids and names afresh next time (after an import; between tests)."""
    _reference_cache.clear()


def _pc4_points() -> dict[str, tuple[float, float]]:
    return _cached(
        "points",
        lambda: {pc4: (lat, lon) for pc4, lat, lon in PostcodeArea.objects.values_list("pc4", "latitude", "longitude")},
    )


def open_offers_q(now: datetime, prefix: str = "") -> Q:
    """The database's side of the rule "published, room left, not past" (the same as `_is_open`).

    `prefix` ("offer__") applies it to the offer of a match.
    """
    today = timezone.localdate(now)

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    dated = q(kind__in=DATED_KINDS)
    return q(status=Offer.Status.PUBLISHED) & (
        (
            dated
            & q(starts_at__gt=now)
            & (q(capacity__isnull=True) | q(registered_count__lt=F(f"{prefix}capacity")))
            & (q(signup_deadline__isnull=True) | q(signup_deadline__gt=now))
        )
        | (~dated & (q(valid_until__isnull=True) | q(valid_until__gte=today)))
    )


def _is_open(row: dict, now: datetime) -> bool:
    if row["status"] != Offer.Status.PUBLISHED:
        return False
    if row["kind"] in DATED_KINDS:
        return (
            row["starts_at"] is not None
            and row["starts_at"] > now
            and (row["capacity"] is None or row["registered_count"] < row["capacity"])
            and (row["signup_deadline"] is None or row["signup_deadline"] > now)
        )
    return row["valid_until"] is None or row["valid_until"] >= timezone.localdate(now)


OFFER_FIELDS = (
    "id",
    "kind",
    "status",
    "location__region_id",
    "location__postcode",
    "min_education_level",
    "trains_towards_level",
    "diploma_requirements",
    "branch_id",
    "hours_min",
    "hours_max",
    "starts_at",
    "start_date",
    "capacity",
    "registered_count",
    "signup_deadline",
    "valid_until",
)


def _related(through, owner: str, target: str, owners) -> dict[int, frozenset[int]]:
    """owner id → the ids it links to, from a many-to-many table, in one query.

    `owners`: a list of ids (a few), or a queryset of the owners (many: a subquery, not a long list
    of ids in the SQL).
    """
    linked: dict[int, set[int]] = defaultdict(set)
    many = not isinstance(owners, list)
    rows = through.objects.filter(**({f"{owner}__in": owners.values("pk")} if many else {f"{owner}__any_of": owners}))
    rows = rows.values_list(owner, target)
    for owner_id, target_id in rows.iterator(chunk_size=20000) if many else rows:
        linked[owner_id].add(target_id)
    return {key: frozenset(value) for key, value in linked.items()}


def _related_few(owners: list[int], *links: tuple) -> list[dict[int, frozenset[int]]]:
    """`_related` for several many-to-many tables at once, for a few owners: one query (UNION ALL)
    instead of one per table. `links`: (through model, owner column, target column) per table."""
    linked: list[dict[int, set[int]]] = [defaultdict(set) for _ in links]
    queries = [
        through.objects.filter(**{f"{owner}__any_of": owners})
        .annotate(link=Value(position, output_field=IntegerField()))
        .values_list("link", owner, target)
        for position, (through, owner, target) in enumerate(links)
    ]
    for position, owner_id, target_id in queries[0].union(*queries[1:], all=True):
        linked[position][owner_id].add(target_id)
    return [{key: frozenset(value) for key, value in table.items()} for table in linked]


def load_offers(
    queryset, now: datetime, points: dict[str, tuple[float, float]], keep: Callable[[dict], bool] | None = None
) -> list[OfferProfile]:
    """Profiles of the offers in `queryset` (those `keep` accepts), with coordinators' earlier feedback."""
    rows = [row for row in queryset.values(*OFFER_FIELDS) if keep is None or keep(row)]
    ids = [row["id"] for row in rows]
    functions, groups = _related_few(
        ids,
        (Offer.functions.through, "offer_id", "function_id"),
        (Offer.target_groups.through, "offer_id", "targetgroup_id"),
    )
    feedback = _feedback(rows)
    empty: frozenset[int] = frozenset()
    profiles = []
    for row in rows:
        starts = row["starts_at"]
        profiles.append(
            OfferProfile(
                id=row["id"],
                kind=row["kind"],
                region_id=row["location__region_id"],
                point=points.get((row["location__postcode"] or "")[:4]),
                open=_is_open(row, now),
                min_level=row["min_education_level"],
                trains_towards=row["trains_towards_level"],
                requires_diploma=bool(row["diploma_requirements"].strip()),
                target_groups=groups.get(row["id"], empty),
                branch_id=row["branch_id"],
                functions=functions.get(row["id"], empty),
                hours_min=row["hours_min"],
                hours_max=row["hours_max"],
                starts_on=timezone.localdate(starts) if starts else row["start_date"],
                feedback=feedback.get(row["id"], 0.0),
            )
        )
    return profiles


def _feedback(rows: list[dict]) -> dict[int, float]:
    """How coordinators judged matches with this offer and with offers of the same kind and branch.

    (accepted − rejected) / (decided + 4) for the offer and for its kind × branch, averaged: a few
    decisions move the score a little, many decisions more.
    """
    decided = Match.objects.filter(status__in=[Match.Status.ACCEPTED, Match.Status.REJECTED])
    per_kind_branch = {
        (row["offer__kind"], row["offer__branch_id"]): row
        for row in decided.values("offer__kind", "offer__branch_id").annotate(
            accepted=Count("id", filter=Q(status=Match.Status.ACCEPTED)),
            rejected=Count("id", filter=Q(status=Match.Status.REJECTED)),
        )
    }
    if not per_kind_branch:
        return {}  # nothing decided anywhere yet, so nothing per offer either
    per_offer = {
        row["offer_id"]: row
        for row in decided.filter(offer_id__any_of=[row["id"] for row in rows])
        .values("offer_id")
        .annotate(
            accepted=Count("id", filter=Q(status=Match.Status.ACCEPTED)),
            rejected=Count("id", filter=Q(status=Match.Status.REJECTED)),
        )
    }

    def ratio(row) -> float:
        return (row["accepted"] - row["rejected"]) / (row["accepted"] + row["rejected"] + 4) if row else 0.0

    result = {}
    for row in rows:
        similar = per_kind_branch.get((row["kind"], row["branch_id"]))
        value = (ratio(per_offer.get(row["id"])) + ratio(similar)) / 2
        if value:
            result[row["id"]] = value
    return result


def load_candidates(queryset, points: dict[str, tuple[float, float]], *, few: bool = False) -> list[CandidateProfile]:
    """Profiles of the candidates in `queryset` (`few`: a handful, looked up by id)."""
    rows = list(
        queryset.values(
            "id",
            "region_id",
            "postcode",
            "max_travel_km",
            "education_level",
            "diplomas",
            "diploma_abroad",
            "diploma_outdated",
            "hours_per_week",
        )
    )
    step_slugs = _cached("step_slugs", lambda: dict(NextStep.objects.values_list("id", "slug")))
    links = (
        (Candidate.next_steps.through, "candidate_id", "nextstep_id"),
        (Candidate.target_groups.through, "candidate_id", "targetgroup_id"),
        (Candidate.branches.through, "candidate_id", "branch_id"),
        (Candidate.functions.through, "candidate_id", "function_id"),
    )
    if few:
        steps, groups, branches, functions = _related_few([row["id"] for row in rows], *links)
    else:
        steps, groups, branches, functions = (_related(*link, queryset) for link in links)
    empty: frozenset = frozenset()
    profiles = []
    for row in rows:
        kinds = frozenset().union(
            *(KINDS_FOR_STEP.get(step_slugs.get(step, ""), empty) for step in steps.get(row["id"], empty))
        )
        profiles.append(
            CandidateProfile(
                id=row["id"],
                region_id=row["region_id"],
                point=points.get(row["postcode"][:4]),
                max_km=row["max_travel_km"],
                kinds=kinds,
                level=row["education_level"],
                has_diplomas=bool(row["diplomas"].strip()) or row["diploma_abroad"] or row["diploma_outdated"],
                target_groups=groups.get(row["id"], empty),
                branches=branches.get(row["id"], empty),
                functions=functions.get(row["id"], empty),
                hours=row["hours_per_week"],
            )
        )
    return profiles


def matchable_candidates():
    return Candidate.objects.filter(status__in=MATCHED_STATUSES)


# The engine: an index of the open offers by kind, grid cell and region.


def reach_degrees(latitude: float, km: float) -> tuple[float, float]:
    """Degrees of latitude and longitude that `km` spans at most, measured from `latitude` (degrees).

    Generous on purpose (the grid only has to find every offer in reach; `evaluate` decides): the
    longitude is taken where a degree is shortest, at the far edge of the reach.
    """
    reach_lat = km / 110.0
    far_edge = min(abs(latitude) + reach_lat, 89.0)
    return reach_lat, km / (110.0 * math.cos(math.radians(far_edge)))


def _cell(point: tuple[float, float]) -> tuple[int, int]:
    return (math.floor(point[0] / CELL_LAT), math.floor(point[1] / CELL_LON))


class OfferIndex:
    """Open offers by kind and ~10 km grid cell (and by region, for the same-region fallback)."""

    def __init__(self, offers: Iterable[OfferProfile]):
        self.by_cell: dict[str, dict[tuple[int, int], list[OfferProfile]]] = defaultdict(lambda: defaultdict(list))
        self.by_region: dict[str, dict[int | None, list[OfferProfile]]] = defaultdict(lambda: defaultdict(list))
        self.without_point: dict[str, dict[int | None, list[OfferProfile]]] = defaultdict(lambda: defaultdict(list))
        self.size = 0
        for offer in offers:
            if not offer.open:
                continue
            self.size += 1
            self.by_region[offer.kind][offer.region_id].append(offer)
            if offer.point is None:
                self.without_point[offer.kind][offer.region_id].append(offer)
            else:
                self.by_cell[offer.kind][_cell(offer.point)].append(offer)

    def near(self, candidate: CandidateProfile) -> Iterator[OfferProfile]:
        """Every open offer of a wanted kind that could be within reach; `evaluate` decides."""
        if candidate.point is None:
            for kind in candidate.kinds:
                yield from self.by_region[kind].get(candidate.region_id, ())
            return
        lat, lon = candidate.point
        reach_lat, reach_lon = reach_degrees(lat, candidate.max_km)
        low = _cell((lat - reach_lat, lon - reach_lon))
        high = _cell((lat + reach_lat, lon + reach_lon))
        for kind in candidate.kinds:
            cells = self.by_cell[kind]
            for cell_lat in range(low[0], high[0] + 1):
                for cell_lon in range(low[1], high[1] + 1):
                    yield from cells.get((cell_lat, cell_lon), ())
            yield from self.without_point[kind].get(candidate.region_id, ())


def fits_for(candidate: CandidateProfile, index: OfferIndex, names: Names, today: date) -> list[Fit]:
    fits = []
    for offer in index.near(candidate):
        fit = evaluate(candidate, offer, names, today)
        if fit is not None:
            fits.append(fit)
    return fits


def naive_matches(
    candidates: Sequence[CandidateProfile], offers: Sequence[OfferProfile], names: Names, today: date
) -> dict[int, list[Fit]]:
    """The same rules over every candidate × offer pair: the benchmark's yardstick."""
    result = {}
    for candidate in candidates:
        fits = []
        for offer in offers:
            fit = evaluate(candidate, offer, names, today)
            if fit is not None:
                fits.append(fit)
        result[candidate.id] = fits
    return result


# Storing: a candidate keeps their best open suggestions; decided matches keep their status.


def store(fits_by_candidate: dict[int, list[Fit]], now: datetime) -> tuple[int, int]:
    """Write the matches of these candidates; returns (written, deleted).

    Re-running never duplicates a pair (one row per candidate × offer) and never changes a decided
    match's status: a rejected match stays rejected. Only rows whose score or reasons changed are written.
    """
    existing: dict[tuple[int, int], tuple[int, str, int]] = {
        (candidate_id, offer_id): (pk, status, digest)
        for pk, candidate_id, offer_id, status, digest in Match.objects.filter(
            candidate_id__in=list(fits_by_candidate)
        ).values_list("id", "candidate_id", "offer_id", "status", "fingerprint")
    }
    decided = {pair for pair, row in existing.items() if row[1] != Match.Status.NEW}
    keep: set[tuple[int, int]] = set()
    write: list[tuple[int, Fit, int]] = []
    for candidate_id, fits in fits_by_candidate.items():
        open_fits = [fit for fit in fits if (candidate_id, fit.offer_id) not in decided]
        best = heapq.nlargest(MAX_MATCHES_PER_CANDIDATE, open_fits, key=lambda fit: (fit.score, -fit.offer_id))
        for fit in best + [fit for fit in fits if (candidate_id, fit.offer_id) in decided]:
            pair = (candidate_id, fit.offer_id)
            keep.add(pair)
            digest = fingerprint(fit.signature)
            row = existing.get(pair)
            if row is None or row[2] != digest:
                write.append((candidate_id, fit, digest))
    stale = [row[0] for pair, row in existing.items() if row[1] == Match.Status.NEW and pair not in keep]
    rows = [(candidate_id, fit.offer_id, fit.score, fit.reasons, digest) for candidate_id, fit, digest in write]
    with transaction.atomic():
        for start in range(0, len(stale), 5000):
            Match.objects.filter(pk__in=stale[start : start + 5000]).delete()
        write_matches(rows, now)
    return len(rows), len(stale)


def write_matches(rows: list[tuple[int, int, int, list | str, int]], now: datetime) -> None:
    """Insert or update (candidate, offer, score, reasons, fingerprint) rows; a match's status stays.

    Reasons come as a list, or already as JSON text.
    """
    if connection.vendor == "postgresql":
        _upsert_with_copy(rows, now)
        return
    Match.objects.bulk_create(
        [
            Match(
                candidate_id=candidate_id,
                offer_id=offer_id,
                score=score,
                reasons=json.loads(reasons) if isinstance(reasons, str) else reasons,
                fingerprint=digest,
                created_at=now,
                computed_at=now,
            )
            for candidate_id, offer_id, score, reasons, digest in rows
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["candidate", "offer"],
        update_fields=["score", "reasons", "fingerprint", "computed_at"],
    )


def _upsert_with_copy(rows: list[tuple[int, int, int, list | str, int]], now: datetime) -> None:
    """PostgreSQL: COPY the rows into a temporary table and upsert them in one statement.

    The same result as bulk_create(update_conflicts=True), many times faster for a nightly run.
    """
    if not rows:
        return
    if len(rows) <= SMALL_WRITE:
        _upsert_small(rows, now)
        return
    with connection.cursor() as cursor:
        # Matches are recomputed from scratch if a crash loses the last commits: no need to wait for the disk.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS match_incoming "
            "(candidate_id bigint, offer_id bigint, score smallint, reasons jsonb, fingerprint bigint) "
            "ON COMMIT DELETE ROWS"
        )
        # Emptied here too: several writes may share one transaction (a run in chunks, a test).
        cursor.execute("DELETE FROM match_incoming")
        _copy(cursor, "match_incoming (candidate_id, offer_id, score, reasons, fingerprint)", rows, extra=())
        cursor.execute(
            f"INSERT INTO {Match._meta.db_table} (candidate_id, offer_id, score, reasons, fingerprint, status, "  # noqa: S608
            "reject_reason, reject_note, created_at, computed_at) "
            "SELECT candidate_id, offer_id, score, reasons, fingerprint, %s, '', '', %s, %s FROM match_incoming "
            "ON CONFLICT (candidate_id, offer_id) DO UPDATE SET score = EXCLUDED.score, "
            "reasons = EXCLUDED.reasons, fingerprint = EXCLUDED.fingerprint, computed_at = EXCLUDED.computed_at",
            [Match.Status.NEW, now, now],
        )


# Up to this many rows (one candidate's suggestions) go in one INSERT statement instead of through COPY.
SMALL_WRITE = 100

UPSERT_SQL = (
    f"INSERT INTO {Match._meta.db_table} (candidate_id, offer_id, score, reasons, fingerprint, status, "  # noqa: S608
    "reject_reason, reject_note, created_at, computed_at) VALUES {values} "
    "ON CONFLICT (candidate_id, offer_id) DO UPDATE SET score = EXCLUDED.score, "
    "reasons = EXCLUDED.reasons, fingerprint = EXCLUDED.fingerprint, computed_at = EXCLUDED.computed_at"
)


def _upsert_small(rows: list[tuple[int, int, int, list | str, int]], now: datetime) -> None:
    """PostgreSQL: a few rows upserted in one statement (a COPY costs several round trips)."""
    params: list = []
    for candidate_id, offer_id, score, reasons, digest in rows:
        text = reasons if isinstance(reasons, str) else json.dumps(reasons)
        params += [candidate_id, offer_id, score, text, digest, Match.Status.NEW, "", "", now, now]
    values = ", ".join(["(%s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(UPSERT_SQL.format(values=values), params)


def insert_new_with_copy(rows: list[tuple[int, int, int, list | str, int]], now: datetime) -> None:
    """PostgreSQL: COPY rows straight into the match table — for pairs that were not stored yet.

    Several times faster than an upsert; if another process stored one of the pairs meanwhile the
    statement fails and the caller falls back to the upsert (a savepoint keeps the rest).
    """
    if not rows:
        return
    columns = (
        f"{Match._meta.db_table} (candidate_id, offer_id, score, reasons, fingerprint, status, "
        "reject_reason, reject_note, created_at, computed_at)"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            _copy(cursor, columns, rows, extra=(Match.Status.NEW, "", "", now, now))
    except IntegrityError:
        _upsert_with_copy(rows, now)


def _copy(cursor, target: str, rows, extra: tuple) -> None:
    with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for candidate_id, offer_id, score, reasons, digest in rows:
            text = reasons if isinstance(reasons, str) else json.dumps(reasons)
            copy.write_row((candidate_id, offer_id, score, text, digest, *extra))


@dataclass
class RunReport:
    candidates: int = 0
    offers: int = 0
    written: int = 0
    deleted: int = 0
    seconds: float = 0.0
    # The rules alone (no loading or writing): what the benchmark sets against the naive loop.
    compute_seconds: float = 0.0


def match_candidates(candidate_queryset, *, now: datetime | None = None, chunk_size: int = CHUNK_SIZE) -> RunReport:
    """Match these candidates against every open offer, in chunks; the nightly run and offer changes."""
    started = clock.perf_counter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    points = _pc4_points()
    names = Names.load()
    index = OfferIndex(load_offers(Offer.objects.filter(open_offers_q(now)), now, points))
    report = RunReport(offers=index.size)
    ids = list(candidate_queryset.filter(status__in=MATCHED_STATUSES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = load_candidates(Candidate.objects.filter(pk__in=ids[start : start + chunk_size]), points)
        written, deleted = store({c.id: fits_for(c, index, names, today) for c in chunk}, now)
        report.candidates += len(chunk)
        report.written += written
        report.deleted += deleted
    # Candidates that stopped or started keep no open suggestions.
    report.deleted += Match.objects.filter(
        candidate__in=candidate_queryset.exclude(status__in=MATCHED_STATUSES), status=Match.Status.NEW
    ).delete()[0]
    report.seconds = clock.perf_counter() - started
    return report


def rematch_all(now: datetime | None = None) -> RunReport:
    """The nightly full run: every candidate, every open offer."""
    report = match_candidates(Candidate.objects.all(), now=now)
    logger.info(
        "Rematched %s candidates against %s offers in %.1f s (%s written, %s deleted)",
        report.candidates,
        report.offers,
        report.seconds,
        report.written,
        report.deleted,
    )
    return report


def _near_pc4s(point: tuple[float, float], km: float, points: dict[str, tuple[float, float]]) -> list[str]:
    """The PC4 areas within `km` of `point`; remembered with the reference data (sign-ups repeat places)."""
    near = _cached("near_pc4s", dict)
    key = (point, km)
    if key not in near:
        if len(near) > NEAR_PC4S_REMEMBERED:
            near.clear()
        near[key] = _scan_near_pc4s(point, km, points)
    return near[key]


# PC4 × distance combinations kept per process (about 4,000 areas × six distances at most).
NEAR_PC4S_REMEMBERED = 30_000


def _scan_near_pc4s(point: tuple[float, float], km: float, points: dict[str, tuple[float, float]]) -> list[str]:
    reach_lat, reach_lon = reach_degrees(point[0], km)
    return [
        pc4
        for pc4, other in points.items()
        if abs(other[0] - point[0]) <= reach_lat
        and abs(other[1] - point[1]) <= reach_lon
        and distance_km(point, other) <= km
    ]


def match_candidate(candidate_id: int, *, now: datetime | None = None) -> RunReport:
    """Match one candidate, fast: the database returns only the open offers of a wanted kind nearby."""
    started = clock.perf_counter()
    now = now or timezone.now()
    points = _pc4_points()
    profiles = load_candidates(matchable_candidates().filter(pk=candidate_id), points, few=True)
    if not profiles:
        deleted = Match.objects.filter(candidate_id=candidate_id, status=Match.Status.NEW).delete()[0]
        return RunReport(deleted=deleted, seconds=clock.perf_counter() - started)
    candidate = profiles[0]
    # The database narrows to open offers of a wanted kind in the three-digit postcode areas within reach
    # (a short condition); the PC4 areas within reach narrow further before anything else is loaded.
    near = set(_near_pc4s(candidate.point, candidate.max_km, points)) if candidate.point is not None else set()
    nearby = Q(location__region_id=candidate.region_id) if candidate.region_id else Q(pk__in=[])
    if near:
        nearby |= Q(location_area__in={pc4[:3] for pc4 in near})
    offers = (
        Offer.objects.filter(open_offers_q(now), kind__in=candidate.kinds)
        .annotate(location_area=Left("location__postcode", 3))
        .filter(nearby)
        .order_by()
    )

    def within_reach(row: dict) -> bool:
        return row["location__region_id"] == candidate.region_id or row["location__postcode"][:4] in near

    index = OfferIndex(load_offers(offers, now, points, keep=within_reach))
    fits = fits_for(candidate, index, Names.load(), timezone.localdate(now))
    written, deleted = store({candidate.id: fits}, now)
    return RunReport(
        candidates=1, offers=index.size, written=written, deleted=deleted, seconds=clock.perf_counter() - started
    )


def match_offer(offer_id: int, *, now: datetime | None = None) -> RunReport:
    """After an offer changed: rematch the candidates it could fit (or drop its open suggestions)."""
    now = now or timezone.now()
    offer = Offer.objects.filter(pk=offer_id).select_related("location").first()
    if offer is None or not Offer.objects.filter(open_offers_q(now), pk=offer_id).exists():
        deleted = Match.objects.filter(offer_id=offer_id, status=Match.Status.NEW).delete()[0]
        return RunReport(deleted=deleted)
    steps = NextStep.objects.filter(slug=NEXT_STEP_OF_KIND[offer.kind])
    candidates = matchable_candidates().filter(next_steps__in=steps)
    reach = Q(region_id=offer.location.region_id) if offer.location.region_id else Q(pk__in=[])
    points = _pc4_points()
    point = points.get(offer.location.postcode[:4])
    if point is not None:
        reach |= Q(postcode_pc4__in=_near_pc4s(point, MAX_REACH_KM, points))
    candidates = candidates.annotate(postcode_pc4=Left("postcode", 4)).filter(reach | Q(matches__offer_id=offer_id))
    return match_candidates(Candidate.objects.filter(pk__in=candidates.values("pk")), now=now)


# What the pages use.


def described(match: Match, today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    return [text for text in (describe(reason, today) for reason in match.reasons) if text]


# After a change: matching runs in Celery, once the change is committed.


_paused: ContextVar[bool] = ContextVar("matching_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """No matching per change inside this block (bulk loads such as the demo); rematch all afterwards."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def schedule_candidate(candidate_id: int) -> None:
    from .tasks import match_candidate as task

    if not _paused.get():
        enqueue_on_commit(task, candidate_id)


def schedule_offer(offer_id: int) -> None:
    from .tasks import match_offer as task

    if not _paused.get():
        enqueue_on_commit(task, offer_id)
