"""The nightly full rematch with numpy: the rules of kandidaten.matching.evaluate, for many pairs at once.

Candidates are taken in groups that share a ~10 km grid cell and a travel distance; each group is
compared with the open offers of the cells within its reach (or of its region, without a known
position) as one matrix per rule. The result is what `evaluate` gives for every pair: the same
hard rules, the same score and the same signature (tests compare the two on random data). Reasons
are built, with matching.build_reasons, only for the matches that are new or changed.
"""

from __future__ import annotations

import json
import time as clock
from collections import defaultdict
from datetime import datetime

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from werkgevers.models import Offer, OfferKind

from . import matching
from .matching import (
    CELL_LAT,
    CELL_LON,
    EARTH_RADIUS_KM,
    MATCHED_STATUSES,
    TRAINS,
    CandidateProfile,
    Names,
    OfferProfile,
    RunReport,
    Signature,
)
from .models import Candidate, Match

CHUNK_SIZE = 20_000
# Numbers stand in for "none" where a column must be an integer.
NONE = -1
FAR_AWAY = 1 << 30
KINDS = list(OfferKind.values)
MAX_BITS = 62  # reference lists as bit masks in an int64; longer lists fall back to the Python engine


class _Bits:
    """Ids of a reference list as bit positions, so that sets become integers."""

    def __init__(self, ids):
        self.ids = sorted(ids)
        self.position = {item: index for index, item in enumerate(self.ids)}
        self.table = np.array(self.ids or [0], dtype=np.int64)

    def mask(self, ids) -> int:
        value = 0
        for item in ids:
            value |= 1 << self.position[item]
        return value

    def lowest(self, masks: np.ndarray) -> np.ndarray:
        """The id of the lowest set bit of each mask (0 where none is set)."""
        lowest_bit = masks & -masks
        index = np.zeros(masks.shape, dtype=np.int64)
        nonzero = lowest_bit > 0
        index[nonzero] = np.log2(lowest_bit[nonzero].astype(np.float64)).round().astype(np.int64)
        return np.where(nonzero, self.table[index], 0)


class _Offers:
    """The open offers as columns, and where to find them: by grid cell and by region."""

    def __init__(self, offers: list[OfferProfile], bits: dict[str, _Bits], today):
        self.count = len(offers)
        self.id = np.array([o.id for o in offers], dtype=np.int64)
        self.kind = np.array([KINDS.index(o.kind) for o in offers], dtype=np.int64)
        self.kind_name = [o.kind for o in offers]
        self.branch_ids = [o.branch_id for o in offers]
        self.has_point = np.array([o.point is not None for o in offers], dtype=bool)
        self.lat = np.radians(np.array([o.point[0] if o.point else 0.0 for o in offers], dtype=np.float64))
        self.lon = np.radians(np.array([o.point[1] if o.point else 0.0 for o in offers], dtype=np.float64))
        self.region = np.array([o.region_id if o.region_id is not None else NONE for o in offers], dtype=np.int64)
        self.min_level = np.array([o.min_level if o.min_level is not None else NONE for o in offers], dtype=np.int64)
        self.trains = np.array([o.trains_towards is not None for o in offers], dtype=bool)
        self.trains_level = np.array([o.trains_towards or 0 for o in offers], dtype=np.int64)
        self.requires_diploma = np.array([o.requires_diploma for o in offers], dtype=bool)
        self.groups = np.array([bits["groups"].mask(o.target_groups) for o in offers], dtype=np.int64)
        self.branch_bit = np.array([1 << bits["branches"].position[o.branch_id] for o in offers], dtype=np.int64)
        self.functions = np.array([bits["functions"].mask(o.functions) for o in offers], dtype=np.int64)
        self.hours_min = np.array([o.hours_min if o.hours_min is not None else NONE for o in offers], dtype=np.int64)
        self.hours_max = np.array(
            [o.hours_max if o.hours_max is not None else (o.hours_min or NONE) for o in offers], dtype=np.int64
        )
        self.days = np.array([(o.starts_on - today).days if o.starts_on else FAR_AWAY for o in offers], np.int64)
        self.starts = np.array([o.starts_on.toordinal() if o.starts_on else NONE for o in offers], np.int64)
        self.feedback = np.array([o.feedback for o in offers], dtype=np.float64)
        self.feedback_flag = np.where(self.feedback >= 0.3, 1, np.where(self.feedback <= -0.3, -1, 0))
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        regions: dict[int, list[int]] = defaultdict(list)
        regions_without_point: dict[int, list[int]] = defaultdict(list)
        for index, offer in enumerate(offers):
            regions[self.region[index]].append(index)
            if offer.point is None:
                regions_without_point[self.region[index]].append(index)
            else:
                cells[matching._cell(offer.point)].append(index)
        self.cells = {key: np.array(value, dtype=np.int64) for key, value in cells.items()}
        self.regions = {key: np.array(value, dtype=np.int64) for key, value in regions.items()}
        self.without_point = {key: np.array(value, dtype=np.int64) for key, value in regions_without_point.items()}

    def near_cell(self, cell: tuple[int, int], km: int) -> np.ndarray:
        """The offers with a position in the cells that a circle of `km` around any point of `cell` touches."""
        north = (cell[0] + 1) * CELL_LAT
        reach_lat, reach_lon = matching.reach_degrees(north, km)
        low = matching._cell((cell[0] * CELL_LAT - reach_lat, cell[1] * CELL_LON - reach_lon))
        high = matching._cell((north + reach_lat, (cell[1] + 1) * CELL_LON + reach_lon))
        found = [
            self.cells[(row, column)]
            for row in range(low[0], high[0] + 1)
            for column in range(low[1], high[1] + 1)
            if (row, column) in self.cells
        ]
        return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


class _Candidates:
    def __init__(self, candidates: list[CandidateProfile], bits: dict[str, _Bits]):
        self.id = np.array([c.id for c in candidates], dtype=np.int64)
        self.has_point = np.array([c.point is not None for c in candidates], dtype=bool)
        self.lat = np.radians(np.array([c.point[0] if c.point else 0.0 for c in candidates], dtype=np.float64))
        self.lon = np.radians(np.array([c.point[1] if c.point else 0.0 for c in candidates], dtype=np.float64))
        self.region = np.array([c.region_id if c.region_id is not None else NONE for c in candidates], np.int64)
        self.max_km = np.array([c.max_km for c in candidates], dtype=np.int64)
        self.kinds = np.array([sum(1 << KINDS.index(kind) for kind in c.kinds) for c in candidates], np.int64)
        self.level = np.array([c.level if c.level is not None else NONE for c in candidates], dtype=np.int64)
        self.has_diplomas = np.array([c.has_diplomas for c in candidates], dtype=bool)
        self.groups = np.array([bits["groups"].mask(c.target_groups) for c in candidates], dtype=np.int64)
        self.branches = np.array([bits["branches"].mask(c.branches) for c in candidates], dtype=np.int64)
        self.functions = np.array([bits["functions"].mask(c.functions) for c in candidates], dtype=np.int64)
        self.hours = np.array([c.hours if c.hours is not None else NONE for c in candidates], dtype=np.int64)
        self.groups_of: dict[tuple, list[int]] = defaultdict(list)
        for index, candidate in enumerate(candidates):
            if candidate.point is None:
                self.groups_of[("region", candidate.region_id)].append(index)
            else:
                self.groups_of[(matching._cell(candidate.point), candidate.max_km)].append(index)


# Columns of the pairs that fit, in Signature's order after the ids.
COLUMNS = (
    "candidate",
    "offer",
    "score",
    "distance",
    "same_region",
    "branch_hit",
    "function_id",
    "level",
    "target_group",
    "hours",
    "starts",
    "feedback",
)


def _fits(c: _Candidates, o: _Offers, rows: np.ndarray, offers: np.ndarray, bits: dict[str, _Bits]) -> dict:
    """The rules of matching.evaluate for candidate rows × offer columns; the pairs that fit."""
    wanted = np.bitwise_or.reduce(c.kinds[rows])
    offers = offers[((wanted >> o.kind[offers]) & 1) == 1]
    if not len(offers) or not len(rows):
        return {}
    fits = ((c.kinds[rows][:, None] >> o.kind[offers][None, :]) & 1) == 1
    groups = o.groups[offers][None, :]
    fits &= (groups == 0) | ((groups & c.groups[rows][:, None]) != 0)
    trains = o.trains[offers][None, :]
    min_level = o.min_level[offers][None, :]
    level = c.level[rows][:, None]
    fits &= (min_level == NONE) | trains | ((level != NONE) & (level >= min_level))
    fits &= ~o.requires_diploma[offers][None, :] | trains | c.has_diplomas[rows][:, None]
    both_points = c.has_point[rows][:, None] & o.has_point[offers][None, :]
    lat1, lat2 = c.lat[rows][:, None], o.lat[offers][None, :]
    haversine = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((o.lon[offers][None, :] - c.lon[rows][:, None]) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(haversine))
    max_km = c.max_km[rows][:, None]
    same_region = (c.region[rows][:, None] != NONE) & (c.region[rows][:, None] == o.region[offers][None, :])
    fits &= np.where(both_points, km <= max_km, same_region)
    a, b = np.nonzero(fits)
    if not len(a):
        return {}
    ci, oi = rows[a], offers[b]
    point = both_points[a, b]
    distance = km[a, b]
    score = np.where(point, 25.0 * (1 - distance / c.max_km[ci]), 5.0)
    branch_hit = (c.branches[ci] & o.branch_bit[oi]) != 0
    score = score + np.where(branch_hit, 25, np.where(c.branches[ci] == 0, 8, 0))
    shared = c.functions[ci] & o.functions[oi]
    score = score + np.where(shared != 0, 20, np.where((c.functions[ci] == 0) | (o.functions[oi] == 0), 5, 0))
    welcome = o.groups[oi] != 0
    score = score + np.where(welcome, 5, 0)
    hours, low, high = c.hours[ci], o.hours_min[oi], o.hours_max[oi]
    known = (hours != NONE) & (low != NONE)
    within = known & (low <= hours) & (hours <= high)
    near = known & ~within & (low - 4 <= hours) & (hours <= high + 4)
    score = score + np.where(within, 10, np.where(near, 4, 0))
    days = o.days[oi]
    score = score + np.where(days <= 14, 10, np.where(days <= 30, 6, np.where(days <= 60, 3, 0)))
    feedback = o.feedback[oi]
    score = np.where(feedback != 0, score + 10 * feedback, score)
    return {
        "candidate": c.id[ci],
        "offer": o.id[oi],
        "offer_index": oi,
        "score": np.clip(np.round(score), 0, 100).astype(np.int64),
        "distance": np.where(point, np.round(distance), -1).astype(np.int64),
        "same_region": np.where(point, 0, o.region[oi]),
        "branch_hit": branch_hit.astype(np.int64),
        "function_id": bits["functions"].lowest(shared),
        "level": np.where(
            o.trains[oi], TRAINS + o.trains_level[oi], np.where(o.min_level[oi] != NONE, c.level[ci], -1)
        ),
        "target_group": np.where(welcome, bits["groups"].lowest(o.groups[oi] & c.groups[ci]), 0),
        "hours": np.where(within, hours, -1),
        "starts": o.starts[oi],
        "feedback": np.where(feedback != 0, o.feedback_flag[oi], 0),
    }


def fingerprints(columns: dict) -> np.ndarray:
    """matching.fingerprint for every row, over the Signature columns."""
    digest = np.full(len(columns["score"]), matching._FNV_OFFSET, dtype=np.uint64)
    prime = np.uint64(matching._FNV_PRIME)
    with np.errstate(over="ignore"):
        for name in Signature._fields:
            digest ^= columns[name].astype(np.int64).view(np.uint64)
            digest *= prime
    return digest.view(np.int64)


def compute(candidates: list[CandidateProfile], offers: _Offers, bits: dict[str, _Bits]) -> dict:
    """Every fitting pair of these candidates, as columns."""
    table = _Candidates(candidates, bits)
    parts = []
    for key, members in table.groups_of.items():
        rows = np.array(members, dtype=np.int64)
        if key[0] == "region":
            region = key[1] if key[1] is not None else NONE
            found = offers.regions.get(region, np.empty(0, dtype=np.int64))
        else:
            cell, km = key
            nearby = offers.near_cell(cell, km)
            regions = {int(region) for region in table.region[rows] if region != NONE}
            loose = [offers.without_point[region] for region in regions if region in offers.without_point]
            found = np.concatenate([nearby, *loose]) if loose else nearby
        part = _fits(table, offers, rows, found, bits)
        if part:
            parts.append(part)
    if not parts:
        return {name: np.empty(0, dtype=np.int64) for name in (*COLUMNS, "offer_index")}
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _keys(candidate_ids: np.ndarray, offer_ids: np.ndarray) -> np.ndarray:
    return (candidate_ids.astype(np.int64) << 32) | offer_ids.astype(np.int64)


def _existing(candidate_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stored matches of the candidates in the range: ids, pair keys, fingerprints, and whether open."""
    rows = Match.objects.filter(candidate__pk__range=candidate_range)
    open_rows = np.array(
        list(rows.filter(status=Match.Status.NEW).values_list("id", "candidate_id", "offer_id", "fingerprint")),
        dtype=np.int64,
    ).reshape(-1, 4)
    decided_rows = np.array(
        list(rows.exclude(status=Match.Status.NEW).values_list("id", "candidate_id", "offer_id", "fingerprint")),
        dtype=np.int64,
    ).reshape(-1, 4)
    both = np.concatenate([open_rows, decided_rows])
    is_open = np.concatenate([np.ones(len(open_rows), bool), np.zeros(len(decided_rows), bool)])
    return both[:, 0], _keys(both[:, 1], both[:, 2]), both[:, 3], is_open


def select_and_store(columns: dict, candidate_range: tuple[int, int], offers: _Offers, names: Names, now: datetime):
    """Keep each candidate's best open suggestions plus the decided ones; write what changed.

    Open suggestions of candidates in the range that no longer fit (or who stopped) are removed.
    """
    existing_ids, existing_keys, existing_prints, existing_open = _existing(candidate_range)

    keys = _keys(columns["candidate"], columns["offer"])
    decided = np.isin(keys, existing_keys[~existing_open])
    order = np.lexsort((columns["offer"], -columns["score"], decided, columns["candidate"]))
    sorted_candidates = columns["candidate"][order]
    starts = np.searchsorted(sorted_candidates, sorted_candidates, side="left")
    rank = np.arange(len(order)) - starts
    keep = order[(rank < matching.MAX_MATCHES_PER_CANDIDATE) | decided[order]]

    kept_keys = keys[keep]
    kept_prints = fingerprints({name: columns[name][keep] for name in Signature._fields})
    if len(existing_keys):
        by_key = np.argsort(existing_keys)
        sorted_keys = existing_keys[by_key]
        slot = np.minimum(np.searchsorted(sorted_keys, kept_keys), len(sorted_keys) - 1)
        stored = sorted_keys[slot] == kept_keys
        same = stored & (existing_prints[by_key][slot] == kept_prints)
    else:
        stored = same = np.zeros(len(kept_keys), dtype=bool)
    changed = np.nonzero(~same)[0].tolist()
    is_new = (~stored[changed]).tolist()
    stale = existing_ids[existing_open & ~np.isin(existing_keys, kept_keys)].tolist()

    chosen = keep[changed]
    # Plain Python values once per column: indexing numpy arrays element by element is slow.
    values = {name: columns[name][chosen].tolist() for name in (*Signature._fields, "candidate", "offer")}
    offer_index = columns["offer_index"][chosen].tolist()
    prints = kept_prints[changed].tolist()
    signatures = [Signature(*row) for row in zip(*(values[name] for name in Signature._fields), strict=True)]
    # Many matches share their reasons (the score aside): build each distinct list once, as JSON.
    reasons_json: dict[tuple, str] = {}
    new_rows, updated_rows = [], []
    for candidate_id, offer_id, signature, index, digest, new in zip(
        values["candidate"], values["offer"], signatures, offer_index, prints, is_new, strict=True
    ):
        key = (signature[1:], offers.kind_name[index], offers.branch_ids[index])
        text = reasons_json.get(key)
        if text is None:
            reasons = matching.build_reasons(signature, offers.kind_name[index], offers.branch_ids[index], names)
            text = reasons_json[key] = json.dumps(reasons)
        (new_rows if new else updated_rows).append((candidate_id, offer_id, signature.score, text, digest))
    with transaction.atomic():
        for start in range(0, len(stale), 5000):
            Match.objects.filter(pk__in=stale[start : start + 5000]).delete()
        if connection.vendor == "postgresql":
            matching.insert_new_with_copy(new_rows, now)
            matching.write_matches(updated_rows, now)
        else:
            matching.write_matches(new_rows + updated_rows, now)
    return len(new_rows) + len(updated_rows), len(stale)


def rematch_all(now: datetime | None = None, chunk_size: int = CHUNK_SIZE) -> RunReport:
    """Every candidate against every open offer (the nightly run), vectorised."""
    started = clock.perf_counter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    points = matching._pc4_points()
    names = Names.load()
    profiles = matching.load_offers(Offer.objects.filter(matching.open_offers_q(now)), now, points)
    bits = {
        "groups": _Bits(names.target_groups),
        "branches": _Bits(names.branches),
        "functions": _Bits(names.functions),
    }
    if any(len(table.ids) > MAX_BITS for table in bits.values()):
        return matching.rematch_all(now)  # a reference list too long for a bit mask
    offers = _Offers(profiles, bits, today)
    report = RunReport(offers=offers.count)
    ids = list(Candidate.objects.filter(status__in=MATCHED_STATUSES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = (ids[start], ids[min(start + chunk_size, len(ids)) - 1])
        queryset = Candidate.objects.filter(status__in=MATCHED_STATUSES, pk__range=chunk)
        candidates = matching.load_candidates(queryset, points)
        computing = clock.perf_counter()
        fits = compute(candidates, offers, bits)
        report.compute_seconds += clock.perf_counter() - computing
        written, deleted = select_and_store(fits, chunk, offers, names, now)
        report.candidates += len(candidates)
        report.written += written
        report.deleted += deleted
    report.deleted += Match.objects.filter(
        status=Match.Status.NEW, candidate__in=Candidate.objects.exclude(status__in=MATCHED_STATUSES)
    ).delete()[0]
    report.seconds = clock.perf_counter() - started
    return report
