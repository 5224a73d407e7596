"""Benchmark of matching on PostgreSQL with generated data: `make bench`.

For each size (candidates × offers) it measures:
- one new candidate matched (kandidaten.matching.match_candidate): p50 and p95 over a sample;
- the full nightly rematch (bulk_matching.rematch_all) on an empty match table, and again when nothing
  changed (a nightly run writes only the matches whose score or reasons changed);
- the same rematch computed naively: `evaluate` for every candidate × offer pair. At the largest
  size that loop takes hours, so it runs on a random sample of candidates against every offer and
  the time is scaled to all candidates (the loop is linear in the number of candidates); the table
  says so. The naive figure covers the computation only; the engine's figure includes loading and
  writing the matches, so the ratio is conservative.

Usage: python bench/matching.py [--sizes 1000x100,10000x1000,100000x10000] [--naive-sample 2000]
Needs DATABASE_URL pointing at a PostgreSQL database it may fill (the Makefile uses contactpunt_bench).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactpunt.settings.local")
os.environ.setdefault("REDIS_URL", "")  # tasks eager: nothing is queued while generating

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from contactpunt.geodata import import_geodata  # noqa: E402
from contactpunt.models import (  # noqa: E402
    Branch,
    EducationLevel,
    Function,
    LabourMarketRegion,
    NextStep,
    PostcodeArea,
    Region,
    TargetGroup,
)
from kandidaten import bulk_matching, matching  # noqa: E402
from kandidaten.models import Candidate, Match, Situation, Source, Status  # noqa: E402
from werkgevers.models import (  # noqa: E402
    DATED_KINDS,
    ContactPerson,
    Location,
    Offer,
    OfferKind,
    Organisation,
)

SEED = 20261123
TRAVEL = [5, 10, 15, 15, 25, 25, 40, 60]


def ensure_database() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    call_command("migrate", verbosity=0)
    if not PostcodeArea.objects.exists():
        geodata = Path(settings.GEODATA_DIR)
        if not geodata.is_dir():
            sys.exit(f"The benchmark needs the PC4 reference data at {geodata} (see README: Reference data).")
        import_geodata(geodata)


def regions() -> list[Region]:
    """Every arbeidsmarktregio its own contact point, so every candidate is routed somewhere."""
    made = []
    for labour_market_region in LabourMarketRegion.objects.all():
        region, _ = Region.objects.get_or_create(
            slug=f"bench-{labour_market_region.code.lower()}", defaults={"name": f"Bench {labour_market_region.name}"}
        )
        region.labour_market_regions.set([labour_market_region])
        made.append(region)
    return made


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE kandidaten_match, kandidaten_candidate, werkgevers_offer, werkgevers_location, "
            "werkgevers_contactperson, werkgevers_organisation RESTART IDENTITY CASCADE"
        )


def generate(candidates: int, offers: int, rng: random.Random) -> None:
    """Candidates and offers spread over the real PC4 areas, with wishes and rules drawn at random."""
    areas = list(PostcodeArea.objects.select_related("municipality__labour_market_region").all())
    region_of = {
        lmr: region.pk
        for region in Region.objects.filter(slug__startswith="bench-").prefetch_related("labour_market_regions")
        for lmr in region.labour_market_regions.values_list("code", flat=True)
    }
    steps = list(NextStep.objects.values_list("pk", flat=True))
    branches = list(Branch.objects.values_list("pk", flat=True))
    functions = list(Function.objects.values_list("pk", flat=True))
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    levels = EducationLevel.values
    now = timezone.now()

    def region_for(area: PostcodeArea) -> int | None:
        return region_of.get(area.municipality.labour_market_region_id)

    rows = []
    for number in range(candidates):
        area = rng.choice(areas)
        rows.append(
            Candidate(
                first_name="Bench",
                last_name=f"Kandidaat {number}",
                email=f"bench{number}@example.org",
                email_key=f"bench{number}@example.org",
                phone=f"+3161{number:07d}",
                postcode=f"{area.pc4} AB",
                region_id=region_for(area),
                situation=Situation.JOB_SEEKER,
                education_level=rng.choice([*levels, None]),
                diplomas=rng.choice(["", "", "mbo Helpende"]),
                hours_per_week=rng.choice([None, 16, 24, 32, 36]),
                max_travel_km=rng.choice(TRAVEL),
                source=Source.CAMPAIGN,
                status=rng.choice([Status.NEW, Status.IN_CONVERSATION, Status.REFERRED]),
                signed_up_at=now - timedelta(days=rng.randint(0, 120)),
            )
        )
    created = Candidate.objects.bulk_create(rows, batch_size=5000)
    links = {"next_steps": [], "branches": [], "functions": [], "target_groups": []}
    for candidate in created:
        for step in rng.sample(steps, rng.randint(1, 3)):
            links["next_steps"].append(Candidate.next_steps.through(candidate_id=candidate.pk, nextstep_id=step))
        for branch in rng.sample(branches, rng.randint(0, 2)):
            links["branches"].append(Candidate.branches.through(candidate_id=candidate.pk, branch_id=branch))
        for function in rng.sample(functions, rng.randint(0, 2)):
            links["functions"].append(Candidate.functions.through(candidate_id=candidate.pk, function_id=function))
        if rng.random() < 0.2:
            links["target_groups"].append(
                Candidate.target_groups.through(candidate_id=candidate.pk, targetgroup_id=rng.choice(groups))
            )
    for name, link_rows in links.items():
        getattr(Candidate, name).through.objects.bulk_create(link_rows, batch_size=10000)

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench zorg {n}",
                kvk_number=f"{90000000 + n}",
                home_region_id=rng.choice(list(region_of.values())),
            )
            for n in range(max(1, offers // 25))
        ]
    )
    contact_people = ContactPerson.objects.bulk_create(
        [ContactPerson(organisation=o, name="Bench", email=f"c{o.pk}@zorg.example") for o in organisations]
    )
    location_rows = []
    for n in range(max(1, offers // 5)):
        area = rng.choice(areas)
        organisation = rng.choice(organisations)
        location_rows.append(
            Location(
                organisation=organisation,
                name=f"Locatie {n}",
                street="Zorgstraat 1",
                postcode=f"{area.pc4} CD",
                place=area.place_names[:100],
                region_id=region_for(area),
            )
        )
    locations = Location.objects.bulk_create(location_rows, batch_size=5000)
    contact_of = {person.organisation_id: person.pk for person in contact_people}
    offer_rows = []
    for n in range(offers):
        location = rng.choice(locations)
        kind = rng.choice(OfferKind.values)
        dated = kind in DATED_KINDS
        capacity = rng.randint(5, 20) if dated else None
        offer_rows.append(
            Offer(
                organisation_id=location.organisation_id,
                kind=kind,
                title=f"Bench {kind} {n}",
                description="Gegenereerd voor de benchmark.",
                branch_id=rng.choice(branches),
                location=location,
                contact_person_id=contact_of[location.organisation_id],
                status=rng.choice([Offer.Status.PUBLISHED] * 8 + [Offer.Status.DRAFT, Offer.Status.CLOSED]),
                starts_at=now + timedelta(days=rng.randint(-10, 90), hours=rng.randint(8, 17)) if dated else None,
                capacity=capacity,
                registered_count=rng.randint(0, capacity) if capacity else 0,
                places=None if dated else rng.randint(1, 5),
                start_date=None if dated else (now + timedelta(days=rng.randint(10, 120))).date(),
                hours_min=None if dated else rng.choice([12, 16, 24]),
                hours_max=None if dated else rng.choice([24, 32, 36]),
                min_education_level=rng.choice(
                    [None, None, EducationLevel.VMBO, EducationLevel.MBO2, EducationLevel.MBO3]
                ),
                trains_towards_level=EducationLevel.MBO3 if kind in (OfferKind.BBL_PLEK, OfferKind.OPLEIDING) else None,
                diploma_requirements=rng.choice(["", "", "", "Diploma Helpende of VIG"]),
                valid_until=None if dated else (now + timedelta(days=rng.randint(-10, 120))).date(),
            )
        )
    created_offers = Offer.objects.bulk_create(offer_rows, batch_size=5000)
    Offer.functions.through.objects.bulk_create(
        [
            Offer.functions.through(offer_id=offer.pk, function_id=function)
            for offer in created_offers
            for function in rng.sample(functions, rng.randint(0, 2))
        ],
        batch_size=10000,
    )
    Offer.target_groups.through.objects.bulk_create(
        [
            Offer.target_groups.through(offer_id=offer.pk, targetgroup_id=rng.choice(groups))
            for offer in created_offers
            if rng.random() < 0.1
        ],
        batch_size=10000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def one_new_candidate(rng: random.Random, samples: int) -> tuple[float, float]:
    """Match `samples` candidates one at a time, as after a sign-up; milliseconds p50 and p95."""
    ids = list(Candidate.objects.values_list("pk", flat=True))
    times = []
    for candidate_id in rng.sample(ids, min(samples, len(ids))):
        Match.objects.filter(candidate_id=candidate_id).delete()  # as new: nothing stored yet
        started = time.perf_counter()
        matching.match_candidate(candidate_id)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def naive(sample: int, rng: random.Random) -> tuple[float, int, bool]:
    """Seconds for the naive loop over every pair, scaled to all candidates when sampled."""
    now = timezone.now()
    points = matching._pc4_points()
    names = matching.Names.load()
    offers = matching.load_offers(Offer.objects.all(), now, points)
    ids = list(Candidate.objects.values_list("pk", flat=True))
    chosen = ids if len(ids) <= sample else rng.sample(ids, sample)
    candidates = matching.load_candidates(Candidate.objects.filter(pk__in=chosen), points)
    started = time.perf_counter()
    matching.naive_matches(candidates, offers, names, timezone.localdate(now))
    seconds = time.perf_counter() - started
    return seconds * len(ids) / len(chosen), len(chosen), len(chosen) < len(ids)


def run(size: str, naive_sample: int, samples: int) -> dict:
    candidates, offers = (int(part) for part in size.split("x"))
    rng = random.Random(SEED + candidates)
    print(f"\n== {candidates:,} candidates × {offers:,} offers", flush=True)
    clear()
    started = time.perf_counter()
    with transaction.atomic():
        generate(candidates, offers, rng)
    print(f"   generated in {time.perf_counter() - started:.1f} s", flush=True)
    full = bulk_matching.rematch_all()
    print(f"   full rematch: {full.seconds:.1f} s, {full.written:,} matches written", flush=True)
    again = bulk_matching.rematch_all()
    print(f"   rematch with nothing changed: {again.seconds:.1f} s, {again.written:,} written", flush=True)
    p50, p95 = one_new_candidate(rng, samples)
    print(f"   one new candidate: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    naive_seconds, sampled, scaled = naive(naive_sample, rng)
    print(
        f"   naive loop: {naive_seconds:.1f} s" + (f" (scaled from {sampled:,} candidates)" if scaled else ""),
        flush=True,
    )
    return {
        "size": f"{candidates:,} × {offers:,}",
        "p50": p50,
        "p95": p95,
        "full": full.seconds,
        "rules": full.compute_seconds,
        "again": again.seconds,
        "matches": full.written,
        "naive": naive_seconds,
        "scaled": scaled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000x100,10000x1000,100000x10000")
    parser.add_argument("--naive-sample", type=int, default=2000, help="candidates in the naive loop at most")
    parser.add_argument("--samples", type=int, default=200, help="new candidates timed one by one")
    arguments = parser.parse_args()
    ensure_database()
    regions()
    results = [run(size, arguments.naive_sample, arguments.samples) for size in arguments.sizes.split(",")]
    print("\nMatching on PostgreSQL (generated data; times on this machine)\n")
    header = (
        "candidates × offers",
        "1 new: p50",
        "p95",
        "full rematch",
        "unchanged",
        "matches",
        "naive loop",
        "naive ÷ full",
        "naive ÷ unchanged",
        "naive ÷ rules",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for row in results:
        naive_text = f"{row['naive']:.1f} s" + (" *" if row["scaled"] else "")
        print(
            f"{row['size']} | {row['p50']:.1f} ms | {row['p95']:.1f} ms | {row['full']:.1f} s | "
            f"{row['again']:.1f} s | {row['matches']:,} | {naive_text} | {row['naive'] / row['full']:.1f}× | "
            f"{row['naive'] / row['again']:.1f}× | {row['naive'] / max(row['rules'], 1e-9):.1f}×"
        )
    if any(row["scaled"] for row in results):
        print("\n* the naive loop ran on a random sample of candidates and was scaled to all of them.")
    print(
        "full rematch: every match written into an empty table; unchanged: the nightly run when nothing changed "
        "(only changed matches are written). The naive loop times the rules only, without loading or writing; "
        "'naive ÷ rules' sets it against the engine's rules alone on the same pairs (its compute step in the full "
        "rematch), the like-for-like ratio."
    )


if __name__ == "__main__":
    main()
