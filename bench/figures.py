"""Benchmark of the figures page (/dashboard/cijfers/) on PostgreSQL at national scale: `make bench`.

Generates (in SQL, seeded) 1,000,000 candidates over 28 regions, signed up over the last two years
with their funnel milestones, sources, branches and target groups; 100,000 offers of 1,400 employers;
introductions, activity sign-ups, BBL classes and decided match suggestions. Then measures through
Django's test Client, logged in as coordinators and an administrator, after a warm-up, the server
time of the figures page for:
- a coordinator of one region: this quarter, last quarter, this year;
- a coordinator of three regions: this quarter;
- the administrator, all 28 regions side by side: this quarter and this year;
- the Excel export of the administrator's quarter;
after counting the summaries (cijfers.summaries) as the nightly job does, and a refresh as the job every
minute does before each case; as p50 and p95 over `--requests` requests, with the number of queries of one request.

Usage: python bench/figures.py [--candidates 1000000] [--offers 100000] [--requests 30] [--keep]
Needs DATABASE_URL pointing at a PostgreSQL database it may empty and fill (the Makefile uses
contactpunt_bench_figures). `--keep` measures the data of an earlier run without generating it again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactpunt.settings.local")
os.environ.setdefault("REDIS_URL", "")  # tasks eager: nothing is queued

import django  # noqa: E402

django.setup()
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cijfers import summaries  # noqa: E402
from cijfers.figures import QUERY_COUNT  # noqa: E402
from cijfers.models import Summary  # noqa: E402
from contactpunt.models import Region, User  # noqa: E402
from contactpunt.testing import log_in  # noqa: E402

TARGET_P95_MS = 300
REGIONS = 28
EMPLOYERS_PER_REGION = 50
SEED = 0.20261204


def ensure_database() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    call_command("migrate", verbosity=0)


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
            "ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_rows(table: str, template_id: int, overrides: dict[str, str], rows: str) -> None:
    """INSERT a copy of a template row for every row of `rows` (a SELECT, aliased `s`), with the columns
    in `overrides` worked out per row (SQL over `s`; the template is `t`). No % in the SQL: mod()."""
    columns = _columns(table)
    values = [overrides.get(column, f"t.{column}") for column in columns]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {table} t, ({rows}) s WHERE t.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [template_id])


def _numbered(count: int) -> str:
    """Rows g = 1..count, each with four random numbers r1..r4."""
    return (
        f"SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4 FROM generate_series(1, {count}) g"
    )


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def clear() -> None:
    _sql(
        "TRUNCATE kandidaten_candidate, werkgevers_offer, werkgevers_organisation, werkgevers_cohort, "
        "cijfers_quarterlyreport, cijfers_summary, cijfers_staleday, cijfers_summarystate, contactpunt_auditevent "
        "RESTART IDENTITY CASCADE"
    )
    _sql("DELETE FROM contactpunt_user_regions")
    _sql("DELETE FROM contactpunt_user WHERE email LIKE '%%@bench.example'")
    _sql("DELETE FROM contactpunt_region WHERE slug LIKE 'bench-%%'")


def generate(candidates: int, offers: int) -> None:
    """Everything in SQL, copying a template row made by the factories: Python objects for a million
    rows would take minutes."""
    from kandidaten.factories import CandidateFactory, MatchFactory
    from kandidaten.models import Candidate
    from werkgevers.factories import (
        ContactPersonFactory,
        IntroductionFactory,
        LocationFactory,
        OfferFactory,
        OrganisationFactory,
        RegistrationFactory,
    )
    from werkgevers.models import Offer

    _sql("SELECT setseed(%s)", [SEED])
    regions = [
        Region.objects.create(name=f"Bench regio {number:02d}", slug=f"bench-{number:02d}") for number in range(REGIONS)
    ]
    in_region = "(ARRAY[" + ",".join(str(region.pk) for region in regions) + f"])[1 + mod(s.g, {REGIONS})]"
    organisation = OrganisationFactory(name="Bench zorg", kvk_number="70000000", home_region=regions[0])
    location = LocationFactory(organisation=organisation, region=regions[0])
    person = ContactPersonFactory(organisation=organisation)
    count = REGIONS * EMPLOYERS_PER_REGION
    # Organisation g gets id template + g (the table was emptied with RESTART IDENTITY).
    _copy_rows(
        "werkgevers_organisation",
        organisation.pk,
        {"name": "'Zorggroep ' || s.g", "kvk_number": "(70000000 + s.g)::text", "home_region_id": in_region},
        _numbered(count),
    )
    _copy_rows(
        "werkgevers_location",
        location.pk,
        {"organisation_id": f"{organisation.pk} + s.g", "region_id": in_region},
        _numbered(count),
    )
    _copy_rows("werkgevers_contactperson", person.pk, {"organisation_id": f"{organisation.pk} + s.g"}, _numbered(count))
    template_offer = OfferFactory(organisation=organisation, location=location, contact_person=person)
    kinds = (
        "ARRAY['meeloopdag','open_huis','speeddate','bbl_plek','vacature','vacature','werkervaringsplek','stageplek']"
    )
    dated = "mod(s.g, 8) < 3"
    moment = "now() - interval '700 days' + s.r2 * interval '760 days'"
    _copy_rows(
        "werkgevers_offer",
        template_offer.pk,
        {
            # Offer g belongs to employer 1 + g mod count (location and contact person of the same number).
            "organisation_id": f"{organisation.pk} + 1 + mod(s.g, {count})",
            "location_id": f"{location.pk} + 1 + mod(s.g, {count})",
            "contact_person_id": f"{person.pk} + 1 + mod(s.g, {count})",
            "kind": f"({kinds})[1 + mod(s.g, 8)]",
            "title": "'Aanbod ' || s.g",
            "branch_id": "(SELECT array_agg(id ORDER BY id) FROM contactpunt_branch)[1 + mod(s.g / 8, 9)]",
            "status": "CASE WHEN s.r1 < 0.05 THEN 'draft' WHEN s.r1 < 0.25 THEN 'expired' ELSE 'published' END",
            "starts_at": f"CASE WHEN {dated} THEN {moment} END",
            "ends_at": f"CASE WHEN {dated} THEN {moment} + interval '4 hours' END",
            "capacity": f"CASE WHEN {dated} THEN 5 + mod(s.g, 20) END",
            "places": f"CASE WHEN NOT ({dated}) THEN 1 + mod(s.g, 4) END",
            "valid_until": f"CASE WHEN NOT ({dated}) AND s.r3 < 0.6 THEN "
            "(now() - interval '600 days' + s.r3 * interval '1000 days')::date END",
            "published_at": "now() - interval '730 days' + s.r4 * interval '700 days'",
            "registered_count": "0",
        },
        _numbered(offers),
    )
    print(f"   {count:,} employers and {offers:,} offers", flush=True)

    template = CandidateFactory(region=regions[0], consents=[], signup_event=False)
    signed_up = "now() - s.r1 * interval '730 days'"
    contacted = "s.r2 < 0.8"
    days = "floor(power(s.r3, 2) * 9)::int"
    sources = (
        "ARRAY['campaign','welcome_panel','social_media','school','uwv_municipality','employer','acquaintance',"
        "'agenda','other']"
    )
    stopped = "s.r4 < 0.2"
    _copy_rows(
        "kandidaten_candidate",
        template.pk,
        {
            "first_name": "'Bench'",
            "last_name": "'Kandidaat ' || s.g",
            "email": "'k' || s.g || '@bench.example'",
            "email_key": "md5('k' || s.g || '@bench.example')",
            "phone": "'+3161' || lpad(s.g::text, 7, '0')",
            "region_id": in_region,
            "source": f"({sources})[1 + mod(s.g / 7, 9)]",
            "signed_up_at": signed_up,
            "created_at": signed_up,
            "updated_at": signed_up,
            "first_contact_at": f"CASE WHEN {contacted} THEN {signed_up} + {days} * interval '1 day' END",
            "first_contact_working_days": f"CASE WHEN {contacted} THEN {days} END",
            "referred_at": f"CASE WHEN {contacted} AND s.r3 < 0.5 THEN {signed_up} + interval '14 days' END",
            "started_at": f"CASE WHEN {contacted} AND s.r3 < 0.18 THEN {signed_up} + interval '60 days' END",
            "status": f"CASE WHEN {stopped} THEN 'stopped' WHEN {contacted} AND s.r3 < 0.18 THEN 'started' "
            f"WHEN {contacted} AND s.r3 < 0.5 THEN 'referred' WHEN {contacted} THEN 'in_conversation' ELSE 'new' END",
            "stop_reason": f"CASE WHEN {stopped} THEN (ARRAY['not_reachable','no_longer_interested',"
            "'found_work_elsewhere','not_suitable','circumstances','moved','other'])[1 + mod(s.g, 7)] ELSE '' END",
        },
        _numbered(candidates),
    )
    _sql(
        "INSERT INTO kandidaten_candidate_branches (candidate_id, branch_id) "
        "SELECT DISTINCT c.id, b.id FROM kandidaten_candidate c JOIN contactpunt_branch b "
        "ON b.position = mod(c.id, 9) OR (mod(c.id, 3) = 0 AND b.position = mod(c.id / 9, 9))"
    )
    _sql(
        "INSERT INTO kandidaten_candidate_target_groups (candidate_id, targetgroup_id) "
        "SELECT c.id, t.id FROM kandidaten_candidate c JOIN contactpunt_targetgroup t ON t.position = mod(c.id, 30)"
    )
    print(f"   {candidates:,} candidates with branches and target groups", flush=True)

    # Introductions, activity sign-ups and decided matches for a sample of the candidates.
    first_offer = "(SELECT min(id) FROM werkgevers_offer)"
    candidate = CandidateFactory(region=regions[0], consents=[], signup_event=False)
    _copy_rows(
        "werkgevers_introduction",
        IntroductionFactory(candidate=candidate, offer=template_offer).pk,
        {
            "candidate_id": "s.id",
            "offer_id": f"{first_offer} + mod(s.id * 7, {offers})",
            "status": "(ARRAY['started','invited','not_suitable','proposed','proposed'])[1 + mod(s.id, 5)]",
            "created_at": "s.referred_at",
            "answered_at": "CASE WHEN mod(s.id, 5) < 3 THEN s.referred_at + interval '3 days' END",
            "answered_in_working_days": "CASE WHEN mod(s.id, 5) < 3 THEN 2 END",
        },
        "SELECT id, referred_at FROM kandidaten_candidate WHERE referred_at IS NOT NULL AND mod(id, 6) = 0",
    )
    _copy_rows(
        "werkgevers_registration",
        RegistrationFactory(candidate=candidate, offer=template_offer).pk,
        {
            "candidate_id": "s.candidate_id",
            "offer_id": "s.offer_id",
            "status": "(ARRAY['confirmed','attended','attended','absent','cancelled'])[1 + mod(s.candidate_id, 5)]",
            "cancel_token_hash": "md5('r' || s.candidate_id)",
            "created_at": "s.signed_up_at",
        },
        f"SELECT c.id AS candidate_id, o.id AS offer_id, c.signed_up_at FROM kandidaten_candidate c "
        f"JOIN werkgevers_offer o ON o.id = {first_offer} + mod(c.id * 8, {offers}) "
        "WHERE mod(c.id, 10) = 1 AND o.starts_at IS NOT NULL",
    )
    _copy_rows(
        "kandidaten_match",
        MatchFactory(candidate=candidate, offer=template_offer).pk,
        {
            "candidate_id": "s.id",
            "offer_id": f"{first_offer} + mod(s.id * 11, {offers})",
            "status": "CASE WHEN mod(s.id, 3) = 0 THEN 'rejected' ELSE 'accepted' END",
            "reject_reason": "CASE WHEN mod(s.id, 3) = 0 THEN "
            "(ARRAY['not_wanted','too_far','level','timing'])[1 + mod(s.id, 4)] ELSE '' END",
            "decided_at": "s.signed_up_at + interval '5 days'",
        },
        "SELECT id, signed_up_at FROM kandidaten_candidate WHERE mod(id, 8) = 2",
    )
    # The templates themselves are not part of the data.
    Candidate.objects.filter(pk__in=[template.pk, candidate.pk]).delete()
    Offer.objects.filter(pk=template_offer.pk).delete()
    print("   introductions, activity sign-ups and decided matches", flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, url: str, requests: int) -> tuple[float, float, int]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), percentile(times, 0.95), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per case")
    parser.add_argument("--keep", action="store_true", help="measure the data of an earlier run")
    arguments = parser.parse_args()
    ensure_database()
    if not arguments.keep:
        print(f"Generating {arguments.candidates:,} candidates and {arguments.offers:,} offers …", flush=True)
        started = time.perf_counter()
        clear()
        generate(arguments.candidates, arguments.offers)
        # What autovacuum does soon after a bulk load: statistics, and the visibility map for index-only scans.
        _sql("VACUUM ANALYZE")
        print(f"   generated in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    summaries.rebuild()
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    summaries.refresh()
    refreshed = time.perf_counter() - started
    print(
        f"   summaries: {Summary.objects.count():,} rows, counted in {rebuilt:.1f} s (the nightly rebuild); "
        f"a refresh (the job every minute) {refreshed * 1000:.0f} ms",
        flush=True,
    )
    regions = list(Region.objects.filter(slug__startswith="bench-").order_by("slug"))
    one, three = (
        User.objects.get_or_create(
            email=f"coordinator{size}@bench.example", defaults={"role": User.Role.COORDINATOR, "first_name": "Bench"}
        )[0]
        for size in (1, 3)
    )
    one.regions.set(regions[:1])
    three.regions.set(regions[:3])
    administrator = User.objects.get_or_create(
        email="admin@bench.example", defaults={"role": User.Role.ADMINISTRATOR, "first_name": "Bench"}
    )[0]
    cases = [
        ("coordinator, 1 region", one, "this_quarter"),
        ("coordinator, 1 region", one, "last_quarter"),
        ("coordinator, 1 region", one, "this_year"),
        ("coordinator, 3 regions", three, "this_quarter"),
        ("administrator, 28 regions", administrator, "this_quarter"),
        ("administrator, 28 regions", administrator, "this_year"),
        ("administrator, 28 regions, Excel", administrator, "this_quarter&export=xlsx"),
    ]
    results = []
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], WHITENOISE_AUTOREFRESH=False):
        for name, user, period in cases:
            summaries.refresh()  # as the job does every minute, so that no request in the case counts again
            client = log_in(Client(), user)
            p50, p95, queries = measure(client, f"/dashboard/cijfers/?period={period}", arguments.requests)
            print(f"   {name}, {period}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, {queries} queries", flush=True)
            results.append((name, period, p50, p95, queries))
    print(
        f"\nFigures page on PostgreSQL ({arguments.candidates:,} candidates, {arguments.offers:,} offers, {REGIONS} "
        f"regions; server time through the test Client, {arguments.requests} requests each after a warm-up)\n"
    )
    header = ("who", "period", "queries", "p50", "p95", f"≤ {TARGET_P95_MS} ms p95")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, period, p50, p95, queries in results:
        print(
            f"{name} | {period} | {queries} | {p50:.0f} ms | {p95:.0f} ms | {'yes' if p95 <= TARGET_P95_MS else 'NO'}"
        )
    print(
        f"queries: of one request; the figures themselves are {QUERY_COUNT}, whatever the size of the data or the "
        "number of regions; the rest are the session, the user, their regions and the navigation."
    )


if __name__ == "__main__":
    main()
