"""The views that show or change candidate data leave an audit row: who, what, which fields, never values."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import AuditEvent, Branch
from kandidaten.factories import CandidateFactory, intake_form_data
from kandidaten.models import Candidate, ConsentPurpose, Status
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    IntroductionFactory,
    OfferFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import CohortPlacement, Introduction

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def rows():
    """Everything but the logins of the test clients."""
    events = AuditEvent.objects.exclude(action=AuditEvent.Action.LOGIN).order_by("id")
    return list(events.values_list("actor_id", "action", "object_type", "object_id", "fields"))


@pytest.fixture
def anna(region_a):
    candidate = CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Jansen",
        email="anna@example.org",
        phone="+31612345678",
        postcode="9711 AB",
        place="Groningen",
        consents=[ConsentPurpose.CONTACT, ConsentPurpose.SHARE_WITH_EMPLOYERS],
    )
    candidate.branches.add(Branch.objects.get(slug="vvt"))
    return candidate


def test_the_candidate_page_records_a_view_with_network_and_browser(client_a, coordinator_a, anna):
    response = client_a.get(
        reverse("kandidaten:candidate", args=[anna.pk]), REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT=FIREFOX
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.actor_role, event.action) == (coordinator_a, "coordinator", "view")
    assert (event.object_type, event.object_id) == ("kandidaten.candidate", anna.pk)
    assert (event.network, event.user_agent) == ("198.51.100.0/24", "Firefox/Linux")


def test_a_coordinator_of_another_region_gets_404_and_no_row(client_b, anna):
    assert client_b.get(reverse("kandidaten:candidate", args=[anna.pk])).status_code == 404
    assert rows() == []


def test_editing_records_the_names_of_the_changed_fields(client_a, coordinator_a, anna):
    from kandidaten.tests.test_candidate_edit import form_data

    response = client_a.post(
        reverse("kandidaten:candidate_edit", args=[anna.pk]),
        form_data(anna, phone="06 87654321", place="Haren", message="Belt liever na vijven"),
    )

    assert response.status_code == 302
    [(actor, action, kind, pk, fields)] = rows()
    assert (actor, action, kind, pk) == (coordinator_a.pk, "change", "kandidaten.candidate", anna.pk)
    assert sorted(fields) == ["message", "phone", "place"]


def test_saving_without_changes_records_nothing(client_a, anna):
    from kandidaten.tests.test_candidate_edit import form_data

    client_a.post(reverse("kandidaten:candidate_edit", args=[anna.pk]), form_data(anna))
    assert rows() == []


def test_status_assignment_and_contact_moment_are_recorded(client_a, coordinator_a, anna):
    page = reverse("kandidaten:candidate", args=[anna.pk])
    client_a.post(reverse("kandidaten:candidate_assign", args=[anna.pk]), {"assignee": coordinator_a.pk})
    client_a.post(
        reverse("kandidaten:contact_moment_create", args=[anna.pk]),
        {"channel": "phone", "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "summary": "Gebeld"},
    )
    client_a.post(reverse("kandidaten:candidate_status", args=[anna.pk]), {"status": Status.STOPPED, "reason": "other"})

    anna.refresh_from_db()
    assert anna.status == Status.STOPPED, page
    assert [(action, fields) for _, action, _, _, fields in rows()] == [
        ("change", ["assigned_to"]),
        ("change", ["contact_moments"]),
        ("change", ["status", "stop_reason"]),
    ]


def test_merging_records_the_change_and_the_removed_record(client_a, coordinator_a, anna, region_a):
    other = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", email="a.jansen@example.org")
    response = client_a.post(reverse("kandidaten:candidate_merge", args=[anna.pk, other.pk]), {"keep": str(anna.pk)})

    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=other.pk).exists()
    assert [(action, pk, fields) for _, action, _, pk, fields in rows()] == [
        ("change", anna.pk, ["timeline"]),
        ("erase", other.pk, []),
    ]


def test_handing_over_is_recorded(administrator_client, administrator, anna, region_b):
    administrator_client.post(reverse("kandidaten:candidate_hand_over", args=[anna.pk]), {"region": region_b.pk})
    assert rows() == [(administrator.pk, "change", "kandidaten.candidate", anna.pk, ["region", "assigned_to"])]


def test_a_public_sign_up_is_recorded_without_actor_and_a_repeat_as_a_change(client, region_a):
    assert client.post(reverse("kandidaten:intake"), intake_form_data()).status_code == 302
    candidate = Candidate.objects.get()
    client.post(reverse("kandidaten:intake"), intake_form_data(place="Haren"))

    assert rows() == [
        (None, "create", "kandidaten.candidate", candidate.pk, []),
        (None, "change", "kandidaten.candidate", candidate.pk, []),
    ]


def test_a_phone_intake_is_recorded_with_the_coordinator(client_a, coordinator_a, region_a):
    response = client_a.post(reverse("kandidaten:phone_intake"), intake_form_data(website=None, source="welcome_panel"))
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate = Candidate.objects.get()
    assert rows() == [(coordinator_a.pk, "create", "kandidaten.candidate", candidate.pk, [])]


def test_the_employer_viewing_an_introduction_records_a_view_of_the_candidate(
    employer_a_client, employer_a, organisation_a, anna
):
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    introduction = IntroductionFactory(offer=offer, candidate=anna)

    response = employer_a_client.get(reverse("werkgevers:introduction_detail", args=[introduction.pk]))

    assert response.status_code == 200
    assert rows() == [(employer_a.pk, "view", "kandidaten.candidate", anna.pk, [])]
    assert AuditEvent.objects.get(action="view").actor_role == "employer"


def test_another_employer_gets_404_and_no_row(employer_b_client, organisation_a, anna):
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    introduction = IntroductionFactory(offer=offer, candidate=anna)
    assert employer_b_client.get(reverse("werkgevers:introduction_detail", args=[introduction.pk])).status_code == 404
    assert rows() == []


def test_the_employer_answering_an_introduction_records_the_status_change(
    employer_a_client, employer_a, organisation_a, anna
):
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    introduction = IntroductionFactory(offer=offer, candidate=anna, status=Introduction.Status.PROPOSED)

    response = employer_a_client.post(
        reverse("werkgevers:introduction_answer", args=[introduction.pk]), {"decision": "invite"}
    )

    assert response.status_code == 302
    assert rows() == [(employer_a.pk, "change", "werkgevers.introduction", introduction.pk, ["status"])]


def test_the_registrations_page_records_one_view_per_person_in_one_insert(
    employer_a_client, employer_a, organisation_a, django_assert_max_num_queries
):
    offer = OfferFactory(organisation=organisation_a, capacity=10, registered_count=3)
    people = [RegistrationFactory(offer=offer).candidate for _ in range(3)]

    response = employer_a_client.get(reverse("werkgevers:offer_registrations", args=[offer.pk]))

    assert response.status_code == 200
    assert sorted(pk for _, action, _, pk, _ in rows() if action == "view") == sorted(p.pk for p in people)


def test_recording_attendance_is_recorded(employer_a_client, employer_a, organisation_a):
    offer = OfferFactory(
        organisation=organisation_a,
        capacity=10,
        registered_count=1,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    registration = RegistrationFactory(offer=offer)

    employer_a_client.post(reverse("werkgevers:registration_attendance", args=[registration.pk]), {"attended": "yes"})

    assert rows() == [
        (employer_a.pk, "change", "werkgevers.registration", registration.pk, ["status", "attendance_recorded_by"])
    ]


def test_the_employer_cohort_page_records_a_view_of_each_placed_candidate(
    employer_a_client, employer_a, organisation_a, region_a, anna
):
    cohort = CohortFactory(region=region_a)
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=anna)

    response = employer_a_client.get(reverse("werkgevers:employer_cohort", args=[cohort.pk]))

    assert response.status_code == 200
    assert rows() == [(employer_a.pk, "view", "kandidaten.candidate", anna.pk, [])]
