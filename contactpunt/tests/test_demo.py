"""`manage.py demo`: three contact points, their users and 300 fictional candidates; twice changes nothing."""

import csv
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import phonenumbers
import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from contactpunt.demo import (
    CANDIDATE_COUNT,
    CANDIDATE_EMAIL_DOMAINS,
    DEMO_PASSWORD,
    NATIONAL_QUEUE_POSTCODES,
    REGIONS,
    Planner,
    ensure_regions,
)
from contactpunt.geodata import POSTCODE_AREAS_FILE
from contactpunt.mail import mails_left_behind
from contactpunt.models import (
    LabourMarketRegion,
    Municipality,
    OutboxMail,
    PostcodeArea,
    Region,
    RegionPostcodeRange,
    User,
)
from contactpunt.postcodes import route_postcode
from kandidaten.models import Candidate, Consent, ContactMoment, Status, StopReason, TimelineEvent

pytestmark = pytest.mark.django_db

MODELS = (
    Region,
    RegionPostcodeRange,
    User,
    Candidate,
    Consent,
    ContactMoment,
    TimelineEvent,
    OutboxMail,
    LabourMarketRegion,
    Municipality,
    PostcodeArea,
)
GEODATA = Path(settings.GEODATA_DIR) / POSTCODE_AREAS_FILE


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One pair of demo runs for the whole module, rolled back at the end so other modules never see it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        first_output = _demo()
        first = _counts()
        second_output = _demo()
        second = _counts()
    yield {"first": first, "second": second, "first_output": first_output, "second_output": second_output}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _in_ranges(pc4: str, ranges) -> bool:
    return any(start <= pc4 <= end for start, end in ranges)


def test_it_creates_the_three_contact_points(demo):
    regions = {region.slug: region for region in Region.objects.prefetch_related("labour_market_regions")}

    assert sorted(regions) == ["flevoland", "noord-nederland", "utrecht"]
    for spec in REGIONS:
        region = regions[spec.slug]
        assert (region.name, region.email, region.phone) == (spec.name, spec.email, spec.phone)
        assert set(region.postcode_ranges.values_list("start", "end")) == set(spec.postcode_ranges)
    if GEODATA.exists():
        names = {slug: {lmr.name for lmr in region.labour_market_regions.all()} for slug, region in regions.items()}
        assert names == {
            "noord-nederland": {"Groningen", "Friesland", "Drenthe"},
            "flevoland": {"Flevoland"},
            "utrecht": {"Midden-Utrecht", "Amersfoort", "Gooi en Vechtstreek"},
        }


def test_two_coordinators_per_region_one_administrator_and_one_employer(demo):
    coordinators = User.objects.filter(role=User.Role.COORDINATOR).prefetch_related("regions")

    assert {user.email: [region.slug for region in user.regions.all()] for user in coordinators} == {
        "coordinator.noord1@contactpunt.example": ["noord-nederland"],
        "coordinator.noord2@contactpunt.example": ["noord-nederland"],
        "coordinator.flevoland1@contactpunt.example": ["flevoland"],
        "coordinator.flevoland2@contactpunt.example": ["flevoland"],
        "coordinator.utrecht1@contactpunt.example": ["utrecht"],
        "coordinator.utrecht2@contactpunt.example": ["utrecht"],
    }
    administrator = User.objects.get(role=User.Role.ADMINISTRATOR)
    assert (administrator.email, administrator.is_staff, administrator.regions.count()) == (
        "beheerder@contactpunt.example",
        True,
        0,
    )
    employer = User.objects.get(role=User.Role.EMPLOYER)
    assert (employer.email, employer.is_staff, employer.regions.count()) == ("werkgever@contactpunt.example", False, 0)
    assert all(check_password(DEMO_PASSWORD, user.password) for user in User.objects.all())


def test_it_prints_the_portal_and_the_logins(demo):
    output = demo["first_output"]

    assert "Portaal: http://127.0.0.1:8000" in output
    assert "300 kandidaten (300 nieuw)" in output
    lines = output.splitlines()
    for email, role, region in [
        ("coordinator.noord1@contactpunt.example", "Regiocoördinator", "Noord-Nederland"),
        ("coordinator.utrecht2@contactpunt.example", "Regiocoördinator", "Utrecht"),
        ("beheerder@contactpunt.example", "Beheerder", "–"),
        ("werkgever@contactpunt.example", "Werkgever", "–"),
    ]:
        assert any(email in line and DEMO_PASSWORD in line and role in line and region in line for line in lines)


def test_300_candidates_in_every_status_and_every_stop_reason(demo):
    assert Candidate.objects.count() == CANDIDATE_COUNT == 300
    by_status = Counter(Candidate.objects.values_list("status", flat=True))
    assert set(by_status) == set(Status.values)
    for region in Region.objects.all():
        assert set(region.candidates.values_list("status", flat=True)) == set(Status.values), region
    stopped = Candidate.objects.filter(status=Status.STOPPED)
    assert set(stopped.values_list("stop_reason", flat=True)) == set(StopReason.values)


def test_every_candidate_has_a_timeline_matching_its_status(demo):
    candidates = Candidate.objects.prefetch_related("timeline", "contact_moments", "consents")
    for candidate in candidates:
        events = sorted(candidate.timeline.all(), key=lambda event: (event.created_at, event.pk))
        assert events[0].kind == TimelineEvent.Kind.SIGNUP, candidate
        assert events[0].created_at == candidate.signed_up_at
        assert {consent.purpose for consent in candidate.consents.all()} == {
            "contact",
            "share_with_employers",
            "campaign_news",
        }
        assert all(consent.text_version == settings.PRIVACY_STATEMENT_VERSION for consent in candidate.consents.all())
        assert all(consent.recorded_at == candidate.signed_up_at for consent in candidate.consents.all())
        status_changes = [event.data["to"] for event in events if event.kind == TimelineEvent.Kind.STATUS]
        if candidate.status == Status.NEW:
            assert candidate.first_contact_at is None and not status_changes
        else:
            assert status_changes[-1] == candidate.status, candidate
        if candidate.status in (Status.IN_CONVERSATION, Status.REFERRED, Status.STARTED):
            assert candidate.contact_moments.all(), candidate
            assert candidate.first_contact_at == min(moment.happened_at for moment in candidate.contact_moments.all())
            assert candidate.assigned_to_id is not None
    summaries = ContactMoment.objects.values_list("summary", flat=True)
    assert any(summary.startswith("Kennismakingsgesprek met ") for summary in summaries)


def test_assigned_coordinators_serve_the_candidates_region(demo):
    for candidate in Candidate.objects.filter(assigned_to__isnull=False).select_related("assigned_to"):
        assert candidate.assigned_to.regions.filter(pk=candidate.region_id).exists()
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.ASSIGNMENT).count() == (
        Candidate.objects.filter(assigned_to__isnull=False).count()
    )


def test_every_candidate_is_routed_to_the_region_whose_range_holds_its_postcode(demo):
    ranges = {spec.name: spec.postcode_ranges for spec in REGIONS}
    for candidate in Candidate.objects.select_related("region"):
        holding = [name for name, spans in ranges.items() if _in_ranges(candidate.pc4, spans)]
        assert holding == ([candidate.region.name] if candidate.region else []), candidate.postcode
    national = Candidate.objects.national_queue()
    assert national.count() == len(NATIONAL_QUEUE_POSTCODES)
    assert {candidate.pc4 for candidate in national} == {pc4 for pc4, _ in NATIONAL_QUEUE_POSTCODES}


def test_sign_ups_spread_over_four_months_with_new_and_overdue_ones(demo):
    now = timezone.now()
    signed_up = list(Candidate.objects.values_list("signed_up_at", flat=True))
    assert min(signed_up) > now - timedelta(days=125)
    assert min(signed_up) < now - timedelta(days=100)
    assert max(signed_up) < now
    new = Candidate.objects.filter(status=Status.NEW)
    overdue = Candidate.objects.overdue()
    assert overdue.count() >= 20
    assert new.exclude(pk__in=overdue).count() >= 20  # within the two working days
    assert TimelineEvent.objects.filter(created_at__gte=now - timedelta(minutes=5)).count() == 0
    assert ContactMoment.objects.filter(happened_at__gte=now).count() == 0


def test_contact_details_are_fictional_and_valid(demo):
    for email, phone, postcode in Candidate.objects.values_list("email", "phone", "postcode"):
        assert email.rpartition("@")[2] in CANDIDATE_EMAIL_DOMAINS, email
        number = phonenumbers.parse(phone, "NL")
        assert phonenumbers.is_valid_number(number) and number.country_code == 31
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert len(postcode) == 7 and postcode[4] == " " and postcode[5:] not in ("SA", "SD", "SS")
    assert all(email.endswith("@contactpunt.example") for email in User.objects.values_list("email", flat=True))
    assert all(
        region_email.endswith("@contactpunt.example") for region_email in Region.objects.values_list("email", flat=True)
    )
    domains = {to.rpartition("@")[2] for to in OutboxMail.objects.values_list("to", flat=True)}
    assert domains <= set(CANDIDATE_EMAIL_DOMAINS)


def test_the_demo_confirmation_mails_stay_out_of_the_queue(demo):
    assert OutboxMail.objects.count() == CANDIDATE_COUNT
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
    assert not mails_left_behind(timezone.now() + timedelta(days=1)).exists()


def test_a_second_run_changes_nothing(demo):
    assert demo["second"] == demo["first"]
    assert demo["first"]["Candidate"] == 300
    assert "300 kandidaten (0 nieuw)" in demo["second_output"]


def test_the_plan_is_the_same_people_on_another_day():
    now = timezone.now()
    today = Planner(now).plan()
    next_week = Planner(now + timedelta(days=7)).plan()

    assert [plan.details for plan in today] == [plan.details for plan in next_week]
    assert len({plan.details["email"] for plan in today}) == len({plan.details["phone"] for plan in today}) == 300


def test_the_regions_route_by_their_ranges_without_reference_data():
    PostcodeArea.objects.all().delete()  # as on a fresh clone (undone with the test's transaction)
    regions = ensure_regions()

    assert route_postcode("9711 AB") == regions["noord-nederland"]
    assert route_postcode("1315 AB") == regions["flevoland"]
    assert route_postcode("8302 AB") == regions["flevoland"]
    assert route_postcode("1215 AB") == regions["utrecht"]
    assert route_postcode("3811 AB") == regions["utrecht"]
    assert route_postcode("1011 AB") is None


def test_the_ranges_match_the_reference_data():
    if not GEODATA.exists():
        pytest.skip(f"The reference data is not at settings.GEODATA_DIR ({GEODATA.parent}); see SOURCES.md.")
    approximated = {"9417", "9423", "1234"}  # see the comment above REGIONS in contactpunt/demo.py
    with GEODATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        expected = [spec.slug for spec in REGIONS if row["arbeidsmarktregio_code"] in spec.labour_market_regions]
        holding = [spec.slug for spec in REGIONS if _in_ranges(row["pc4"], spec.postcode_ranges)]
        if row["pc4"] not in approximated:
            assert holding == expected, row["pc4"]
    demo_postcodes = {pc4: spec.slug for spec in REGIONS for pc4, _ in spec.postcodes}
    places = {row["pc4"]: row["plaatsnamen"].split("|")[0] for row in rows}
    for spec in REGIONS:
        for pc4, place in spec.postcodes:
            assert places[pc4] == place and _in_ranges(pc4, spec.postcode_ranges)
    assert all(pc4 not in demo_postcodes and pc4 in places for pc4, _ in NATIONAL_QUEUE_POSTCODES)


def test_a_broken_reference_data_folder_stops_the_demo_with_a_clear_error(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path  # exists, but without the files
    before = _counts()
    with pytest.raises(CommandError, match=r"arbeidsmarktregios_2026\.csv: bestand niet gevonden"):
        _demo()
    assert _counts() == before
