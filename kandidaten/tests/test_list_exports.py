"""The inbox, the national queue and new matches as CSV and Excel: exactly the filtered rows of every
page, only the user's regions, the page's columns (no e-mail or phone), recorded in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import AuditEvent
from contactpunt.testing import export_rows
from kandidaten.factories import CandidateFactory, MatchFactory, bulk_candidates
from kandidaten.models import Candidate, Status
from werkgevers.factories import OfferFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("kandidaten:inbox")
NATIONAL = reverse("kandidaten:national_queue")
MATCHES = reverse("kandidaten:new_matches")


def names(response) -> list:
    return [row[0] for row in export_rows(response)[1:]]


@pytest.fixture
def world(region_a, region_b, coordinator_a):
    now = timezone.now()
    return {
        "anna": CandidateFactory(
            region=region_a, first_name="Anna", last_name="Noord", status=Status.NEW, signed_up_at=now
        ),
        "bram": CandidateFactory(
            region=region_a,
            first_name="Bram",
            last_name="Noord",
            status=Status.IN_CONVERSATION,
            assigned_to=coordinator_a,
            signed_up_at=now - timedelta(hours=1),
        ),
        "carla": CandidateFactory(region=region_b, first_name="Carla", last_name="Utrecht", postcode="3511 AA"),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_inbox_exports_my_regions_candidates_with_the_page_columns(client_a, world, fmt):
    response = client_a.get(INBOX, {"export": fmt})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kandidaten-')
    rows = export_rows(response)
    assert [row[0] for row in rows[1:]] == ["Anna Noord", "Bram Noord"]  # newest first, as the page
    assert len(rows[0]) == 10
    assert world["anna"].email not in str(rows) and world["anna"].phone not in str(rows)


def test_the_export_holds_the_filtered_rows_of_every_page(client_a, region_a, coordinator_a):
    bulk_candidates(30, region=region_a, status=Status.NEW)
    bulk_candidates(4, region=region_a, status=Status.STOPPED, stop_reason="other")

    response = client_a.get(INBOX, {"export": "csv", "status": "new", "page": "2"})

    assert len(export_rows(response)) == 1 + 30  # the header and all 30, not the page of 25 or page 2


def test_the_inbox_export_keeps_the_search_and_the_sort(client_a, world):
    client_a.post(INBOX, {"q": "Noord", "sort": "name"})

    assert names(client_a.get(INBOX, {"export": "csv", "sort": "-name"})) == ["Bram Noord", "Anna Noord"]
    client_a.post(INBOX, {"q": "Bram"})
    assert names(client_a.get(INBOX, {"export": "csv"})) == ["Bram Noord"]


def test_a_coordinator_of_another_region_gets_none_of_them(client_b, world):
    assert names(client_b.get(INBOX, {"export": "csv"})) == ["Carla Utrecht"]
    assert names(client_b.get(MATCHES, {"export": "csv"})) == []


def test_an_employer_cannot_export_the_inbox(employer_client, world):
    assert employer_client.get(INBOX, {"export": "csv"}).status_code == 403
    assert employer_client.get(MATCHES, {"export": "xlsx"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_export_is_in_the_audit_log_per_candidate_without_their_data(client_a, world, coordinator_a):
    client_a.get(INBOX, {"export": "xlsx"})

    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert {(e.object_type, e.object_id, e.actor_id) for e in events} == {
        ("kandidaten.candidate", world["anna"].pk, coordinator_a.pk),
        ("kandidaten.candidate", world["bram"].pk, coordinator_a.pk),
    }
    stored = repr(list(events.values()))
    assert "Anna" not in stored and "Noord" not in stored and world["anna"].email not in stored


def test_an_unknown_format_shows_the_normal_page(client_a, world):
    response = client_a.get(INBOX, {"export": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_page_links_to_both_exports_with_its_filters(client_a, world):
    content = client_a.get(INBOX, {"status": "new", "page": "1"}).content.decode()

    assert 'href="/dashboard/?status=new&amp;export=csv"' in content
    assert 'href="/dashboard/?status=new&amp;export=xlsx"' in content


# Inbox export of 20 rows:
#  1. session  2. user  3. SAVEPOINT  4. colleagues  5. regions for the filter
#  6. the candidates with region and coordinator (one chunk)  7. the audit rows (one INSERT)
#  8. RELEASE SAVEPOINT; a little room for the test transaction's own statements
EXPORT_QUERIES = 10


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_inbox_export_runs_a_bounded_number_of_queries(
    client_a, region_a, coordinator_a, fmt, django_assert_max_num_queries
):
    bulk_candidates(20, region=region_a, assigned_to=coordinator_a)

    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = client_a.get(INBOX, {"export": fmt})

    assert len(export_rows(response)) == 21


# National queue -----------------------------------------------------------------------------------


def test_the_national_queue_exports_the_candidates_without_a_region(administrator_client, world):
    lost = CandidateFactory(region=None, first_name="Dirk", last_name="Zonder", postcode="1011 AB")

    response = administrator_client.get(NATIONAL, {"export": "csv"})

    assert response["Content-Disposition"].startswith('attachment; filename="landelijke-wachtrij-')
    assert names(response) == ["Dirk Zonder"]
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).object_id == lost.pk


def test_only_administrators_export_the_national_queue(client_a, world):
    assert client_a.get(NATIONAL, {"export": "csv"}).status_code == 403


# New matches --------------------------------------------------------------------------------------


@pytest.fixture
def matches(world, organisation_a, organisation_b):
    day = OfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), title="Meeloopdag De Linde"
    )
    utrecht = OfferFactory(
        organisation=organisation_b, location=organisation_b.locations.get(), title="Open huis Het Baken"
    )
    now = timezone.now()
    return [
        MatchFactory(candidate=world["anna"], offer=day, score=80, created_at=now - timedelta(hours=2)),
        MatchFactory(candidate=world["bram"], offer=day, score=40, created_at=now - timedelta(hours=1)),
        MatchFactory(candidate=world["carla"], offer=utrecht, score=90, created_at=now),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_new_matches_export_the_filtered_suggestions_with_their_reasons(client_a, matches, fmt):
    rows = export_rows(client_a.get(MATCHES, {"export": fmt, "min_score": "50"}))

    assert [row[0] for row in rows[1:]] == ["Anna Noord"]
    anna = rows[1]
    assert "Meeloopdag De Linde" in anna and "Zorggroep Noord" in anna
    assert any("6 km" in str(cell) for cell in anna)  # the reasons, as the page gives them
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).object_id == matches[0].candidate_id


def test_new_matches_export_runs_a_bounded_number_of_queries(
    client_a, region_a, organisation_a, django_assert_max_num_queries
):
    offer = OfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    for candidate in bulk_candidates(20, region=region_a):
        MatchFactory(candidate=Candidate.objects.get(pk=candidate.pk), offer=offer)

    # session, user, SAVEPOINT, colleagues, regions, the matches with candidate, region, coordinator,
    # offer, organisation and location (one chunk), the audit INSERT, RELEASE SAVEPOINT
    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = client_a.get(MATCHES, {"export": "xlsx"})

    assert len(export_rows(response)) == 21
