"""The employer-side lists as CSV and Excel: offers, introductions, organisations, BBL classes and
placements, an activity's sign-ups. Exactly the filtered rows of every page, only the user's regions or
organisation, no more personal data than the page shows, and every export in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import AuditEvent
from contactpunt.testing import export_rows
from kandidaten.factories import CandidateFactory, bulk_candidates
from kandidaten.models import Candidate, ConsentPurpose
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    IntroductionFactory,
    OfferFactory,
    OrganisationFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import CohortPlacement, Introduction, Offer, OfferKind, Registration

pytestmark = pytest.mark.django_db

COORDINATOR_OFFERS = reverse("werkgevers:coordinator_offers")
EMPLOYER_OFFERS = reverse("werkgevers:employer_offers")
COORDINATOR_INTRODUCTIONS = reverse("werkgevers:coordinator_introductions")
EMPLOYER_INTRODUCTIONS = reverse("werkgevers:employer_introductions")
ORGANISATIONS = reverse("werkgevers:organisations")
COHORTS = reverse("werkgevers:cohorts")
EMPLOYER_COHORTS = reverse("werkgevers:employer_cohorts")
# session, user, SAVEPOINT, a filter's choices or the organisation, the rows (one chunk, a prefetch),
# the audit INSERT, RELEASE SAVEPOINT: a fixed number, whatever the number of rows.
EXPORT_QUERIES = 10


def first_cells(response) -> list:
    return [row[0] for row in export_rows(response)[1:]]


def exports() -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
        .order_by("object_id")
        .values_list("actor_role", "object_type", "object_id")
    )


@pytest.fixture
def offers(organisation_a, organisation_b):
    return {
        "day_a": OfferFactory(
            organisation=organisation_a, location=organisation_a.locations.get(), title="Meeloopdag De Linde"
        ),
        "place_a": PlaceOfferFactory(
            organisation=organisation_a, location=organisation_a.locations.get(), title="BBL-plek VIG De Linde"
        ),
        "draft_a": OfferFactory(
            organisation=organisation_a,
            location=organisation_a.locations.get(),
            title="Concept open huis",
            status=Offer.Status.DRAFT,
        ),
        "day_b": OfferFactory(
            organisation=organisation_b, location=organisation_b.locations.get(), title="Open huis Het Baken"
        ),
    }


# Offers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coordinator_offers_export_the_filtered_offers_of_my_region(client_a, offers, fmt):
    response = client_a.get(COORDINATOR_OFFERS, {"export": fmt, "kind": OfferKind.MEELOOPDAG})

    assert response["Content-Disposition"].startswith('attachment; filename="aanbod-')
    assert first_cells(response) == ["Meeloopdag De Linde"]  # no place (filter), no draft, not region B's
    assert exports() == [("coordinator", "werkgevers.offer", None)]  # no personal data: one row


def test_coordinator_offers_of_another_region_are_not_exported(client_b, offers):
    assert first_cells(client_b.get(COORDINATOR_OFFERS, {"export": "csv"})) == ["Open huis Het Baken"]


def test_coordinator_offers_export_runs_a_bounded_number_of_queries(
    client_a, organisation_a, django_assert_max_num_queries
):
    for _number in range(20):
        OfferFactory(organisation=organisation_a, location=organisation_a.locations.get())

    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = client_a.get(COORDINATOR_OFFERS, {"export": "xlsx"})

    assert len(export_rows(response)) == 21


def test_an_unknown_format_shows_the_offers_page(client_a, offers):
    response = client_a.get(COORDINATOR_OFFERS, {"export": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "export=csv" in response.content.decode()
    assert exports() == []


def test_employer_offers_export_their_own_offers_of_the_tab(employer_a_client, employer_b_client, offers):
    assert first_cells(employer_a_client.get(EMPLOYER_OFFERS, {"export": "csv", "status": "draft"})) == [
        "Concept open huis"
    ]
    assert first_cells(employer_b_client.get(EMPLOYER_OFFERS, {"export": "csv"})) == ["Open huis Het Baken"]


# Introductions ------------------------------------------------------------------------------------


@pytest.fixture
def introductions(offers, region_a, region_b, coordinator_a):
    sharing = CandidateFactory(
        region=region_a,
        first_name="Fatima",
        last_name="Bouzidi",
        email="fatima@example.org",
        consents=[ConsentPurpose.CONTACT, ConsentPurpose.SHARE_WITH_EMPLOYERS],
    )
    private = CandidateFactory(region=region_a, first_name="Gerrit", last_name="Hoekstra", email="gerrit@example.org")
    utrecht = CandidateFactory(region=region_b, first_name="Hanna", last_name="Utrecht", postcode="3511 AA")
    now = timezone.now()
    return {
        "fatima": IntroductionFactory(
            candidate=sharing, offer=offers["place_a"], introduced_by=coordinator_a, created_at=now
        ),
        "gerrit": IntroductionFactory(
            candidate=private,
            offer=offers["place_a"],
            status=Introduction.Status.NOT_SUITABLE,
            reason="Past niet bij de uren.",
            created_at=now - timedelta(days=1),
        ),
        "hanna": IntroductionFactory(candidate=utrecht, offer=offers["day_b"]),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coordinator_introductions_export_my_regions_filtered(client_a, introductions, fmt):
    assert first_cells(client_a.get(COORDINATOR_INTRODUCTIONS, {"export": fmt})) == [
        "Fatima Bouzidi",
        "Gerrit Hoekstra",
    ]
    rows = export_rows(client_a.get(COORDINATOR_INTRODUCTIONS, {"export": fmt, "status": "not_suitable"}))
    assert [row[0] for row in rows[1:]] == ["Gerrit Hoekstra"]
    assert "Past niet bij de uren." in rows[1]


def test_coordinator_introductions_of_another_region_are_not_exported(client_b, introductions):
    assert first_cells(client_b.get(COORDINATOR_INTRODUCTIONS, {"export": "csv"})) == ["Hanna Utrecht"]


def test_an_employer_gets_the_full_name_only_with_consent_and_never_contact_details(employer_a_client, introductions):
    rows = export_rows(employer_a_client.get(EMPLOYER_INTRODUCTIONS, {"export": "csv"}))

    assert [row[0] for row in rows[1:]] == ["Fatima Bouzidi", "Gerrit"]  # Gerrit did not agree to share
    assert "Hoekstra" not in str(rows)
    assert "fatima@example.org" not in str(rows) and "gerrit@example.org" not in str(rows)


def test_employer_b_gets_none_of_employer_a_introductions(employer_b_client, introductions):
    assert first_cells(employer_b_client.get(EMPLOYER_INTRODUCTIONS, {"export": "xlsx"})) == ["Hanna"]
    assert exports() == [("employer", "kandidaten.candidate", introductions["hanna"].candidate_id)]


def test_an_introductions_export_is_in_the_audit_log_per_candidate_without_names(employer_a_client, introductions):
    employer_a_client.get(EMPLOYER_INTRODUCTIONS, {"export": "csv"})

    assert exports() == sorted(
        ("employer", "kandidaten.candidate", introductions[name].candidate_id) for name in ("fatima", "gerrit")
    )
    stored = repr(list(AuditEvent.objects.values()))
    assert "Fatima" not in stored and "Gerrit" not in stored


def test_employer_introductions_export_runs_a_bounded_number_of_queries(
    employer_a_client, offers, region_a, django_assert_max_num_queries
):
    for candidate in bulk_candidates(20, region=region_a):
        IntroductionFactory(candidate=Candidate.objects.get(pk=candidate.pk), offer=offers["place_a"])

    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = employer_a_client.get(EMPLOYER_INTRODUCTIONS, {"export": "xlsx"})

    assert len(export_rows(response)) == 21


# Organisations ------------------------------------------------------------------------------------


def test_organisations_export_my_regions_as_searched(client_a, client_b, organisation_a, organisation_b, region_a):
    OrganisationFactory(name="Thuiszorg Noord", kvk_number="33333333", home_region=region_a)

    assert first_cells(client_a.get(ORGANISATIONS, {"export": "csv"})) == ["Thuiszorg Noord", "Zorggroep Noord"]
    assert first_cells(client_a.get(ORGANISATIONS, {"export": "csv", "q": "1111"})) == ["Zorggroep Noord"]
    assert first_cells(client_b.get(ORGANISATIONS, {"export": "xlsx"})) == ["Zorg Utrecht"]
    assert set(exports()) == {("coordinator", "werkgevers.organisation", None)}


def test_an_employer_cannot_export_the_organisations(employer_a_client, organisation_a):
    assert employer_a_client.get(ORGANISATIONS, {"export": "csv"}).status_code == 403


# BBL classes --------------------------------------------------------------------------------------


@pytest.fixture
def cohort(region_a, organisation_a):
    cohort = CohortFactory(region=region_a, name="BBL-carrousel VIG Groningen")
    CohortFactory(region=region_a, name="BBL-carrousel MZ Groningen", start_date=cohort.start_date + timedelta(days=1))
    return cohort


def test_cohorts_export_my_regions_classes(client_a, client_b, cohort, region_b):
    CohortFactory(region=region_b, name="BBL-carrousel Utrecht")

    assert first_cells(client_a.get(COHORTS, {"export": "csv"})) == [
        "BBL-carrousel VIG Groningen",
        "BBL-carrousel MZ Groningen",
    ]
    assert first_cells(client_b.get(COHORTS, {"export": "csv"})) == ["BBL-carrousel Utrecht"]
    assert set(exports()) == {("coordinator", "werkgevers.cohort", None)}


def test_employer_cohorts_export_with_their_own_places(employer_a_client, employer_b_client, cohort, organisation_a):
    CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=3)

    rows = export_rows(employer_a_client.get(EMPLOYER_COHORTS, {"export": "csv"}))

    assert [row[0] for row in rows[1:]] == ["BBL-carrousel VIG Groningen", "BBL-carrousel MZ Groningen"]
    assert rows[1][-2:] == ["3", "0"]
    assert first_cells(employer_b_client.get(EMPLOYER_COHORTS, {"export": "csv"})) == []  # no location in region A


def test_a_class_placements_name_only_the_candidates_of_my_regions(
    client_a, client_b, cohort, organisation_a, region_b
):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    mine = CandidateFactory(region=cohort.region, first_name="Ilse", last_name="Noord")
    other = CandidateFactory(region=region_b, first_name="Jan", last_name="Elders", postcode="3511 AA")
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=mine)
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=other)
    url = reverse("werkgevers:cohort_detail", args=[cohort.pk])

    rows = export_rows(client_a.get(url, {"export": "xlsx"}))

    assert [row[2] for row in rows[1:]] == ["Ilse Noord", "Een kandidaat uit een andere regio"]
    assert "Jan" not in str(rows) and "Elders" not in str(rows)
    assert exports() == [("coordinator", "kandidaten.candidate", mine.pk)]  # the unnamed one is not exported
    assert client_b.get(url, {"export": "csv"}).status_code == 404


# An activity's sign-ups ---------------------------------------------------------------------------


@pytest.fixture
def signups(organisation_a):
    offer = OfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), capacity=2, registered_count=1
    )
    now = timezone.now()
    people = {
        "anna": CandidateFactory(first_name="Anna", last_name="Visser", email="anna@example.org", phone="+31612345678"),
        "cees": CandidateFactory(
            first_name="Cees", last_name="de Boer", email="cees@example.org", phone="+31611112222"
        ),
        "dirk": CandidateFactory(first_name="Dirk", last_name="Mulder", email="dirk@example.org", phone="+31687654321"),
    }
    RegistrationFactory(offer=offer, candidate=people["anna"], created_at=now - timedelta(hours=4))
    RegistrationFactory(
        offer=offer, candidate=people["cees"], status=Registration.Status.WAITING, created_at=now - timedelta(hours=3)
    )
    RegistrationFactory(
        offer=offer,
        candidate=people["dirk"],
        status=Registration.Status.CANCELLED,
        created_at=now - timedelta(hours=5),
        cancelled_at=now - timedelta(hours=1),
    )
    return offer, people


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sign_ups_export_contact_details_as_the_page_shows_them(employer_a_client, signups, fmt):
    offer, people = signups

    rows = export_rows(
        employer_a_client.get(reverse("werkgevers:offer_registrations", args=[offer.pk]), {"export": fmt})
    )

    assert [row[:3] for row in rows[1:]] == [
        ["Anna Visser", "anna@example.org", "06 12345678"],
        ["Cees de Boer", "cees@example.org", "06 11112222"],  # on the waiting list
        ["Dirk Mulder", "" if fmt == "csv" else None, "" if fmt == "csv" else None],  # cancelled: the name only
    ]
    assert exports() == sorted(("employer", "kandidaten.candidate", person.pk) for person in people.values())
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_employer_b_cannot_export_employer_a_sign_ups(employer_b_client, signups):
    offer, _people = signups

    assert (
        employer_b_client.get(reverse("werkgevers:offer_registrations", args=[offer.pk]), {"export": "csv"}).status_code
        == 404
    )
    assert exports() == []
