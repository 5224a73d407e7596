"""The employer's list of sign-ups for its own activity, and recording attendance."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import EmployerUserFactory
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory
from kandidaten.models import TimelineEvent
from werkgevers.factories import OfferFactory, PlaceOfferFactory, RegistrationFactory
from werkgevers.models import Offer, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(organisation_a):
    return OfferFactory(organisation=organisation_a, title="Meeloopdag De Linde", capacity=2, registered_count=2)


@pytest.fixture
def registrations(offer, region_a):
    now = timezone.now()
    anna = CandidateFactory(first_name="Anna", last_name="Visser", email="anna@example.org", phone="+31612345678")
    bram = CandidateFactory(first_name="Bram", last_name="Smit", email="bram@example.org")
    cees = CandidateFactory(first_name="Cees", last_name="de Boer", email="cees@example.org", phone="+31687654321")
    dirk = CandidateFactory(first_name="Dirk", last_name="Mulder", email="dirk@example.org")
    return {
        "anna": RegistrationFactory(offer=offer, candidate=anna, created_at=now - timedelta(hours=4)),
        "bram": RegistrationFactory(offer=offer, candidate=bram, created_at=now - timedelta(hours=3)),
        "cees": RegistrationFactory(
            offer=offer, candidate=cees, status=Registration.Status.WAITING, created_at=now - timedelta(hours=2)
        ),
        "dirk": RegistrationFactory(
            offer=offer,
            candidate=dirk,
            status=Registration.Status.CANCELLED,
            created_at=now - timedelta(hours=5),
            cancelled_at=now - timedelta(hours=1),
        ),
    }


def url(offer) -> str:
    return reverse("werkgevers:offer_registrations", args=[offer.pk])


def attendance_url(registration) -> str:
    return reverse("werkgevers:registration_attendance", args=[registration.pk])


def start(offer) -> None:
    Offer.objects.filter(pk=offer.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )


def test_the_employer_sees_who_signed_up_and_who_is_waiting_with_contact_details(
    employer_a_client, offer, registrations
):
    response = employer_a_client.get(url(offer))

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Anna Visser", "anna@example.org", "06 12345678", "Bram Smit", "Cees de Boer", "06 87654321"):
        assert text in html, text
    assert [r.candidate.first_name for r in response.context["with_place"]] == ["Anna", "Bram"]
    assert [r.candidate.first_name for r in response.context["waiting"]] == ["Cees"]
    assert [r.candidate.first_name for r in response.context["cancelled"]] == ["Dirk"]
    assert "dirk@example.org" not in html  # who cancelled: the name only
    assert "2 van 2 plaatsen bezet." in html
    assert "1 persoon op de wachtlijst." in html
    assert "gaven toestemming" in html
    assert '<th scope="col">' in html


def test_before_the_start_there_are_no_attendance_buttons(employer_a_client, offer, registrations):
    html = employer_a_client.get(url(offer)).content.decode()

    assert "Zodra de activiteit begonnen is" in html
    assert attendance_url(registrations["anna"]) not in html


def test_after_the_start_attendance_can_be_recorded(employer_a_client, employer_a, offer, registrations):
    start(offer)
    html = employer_a_client.get(url(offer)).content.decode()
    assert attendance_url(registrations["anna"]) in html

    response = employer_a_client.post(attendance_url(registrations["anna"]), {"attended": "yes"}, follow=True)
    employer_a_client.post(attendance_url(registrations["bram"]), {"attended": "no"})

    assert "Opgeslagen: Anna Visser was aanwezig." in response.content.decode()
    anna, bram = registrations["anna"], registrations["bram"]
    anna.refresh_from_db()
    bram.refresh_from_db()
    assert (anna.status, anna.attendance_recorded_by) == (Registration.Status.ATTENDED, employer_a)
    assert bram.status == Registration.Status.ABSENT
    event = anna.candidate.timeline.get(kind=TimelineEvent.Kind.REGISTRATION)
    assert (event.data["action"], event.actor) == ("attended", employer_a)
    offer.refresh_from_db()
    assert offer.registered_count == 2


def test_attendance_can_be_corrected(employer_a_client, offer, registrations):
    start(offer)
    employer_a_client.post(attendance_url(registrations["anna"]), {"attended": "no"})
    employer_a_client.post(attendance_url(registrations["anna"]), {"attended": "yes"})

    registrations["anna"].refresh_from_db()
    assert registrations["anna"].status == Registration.Status.ATTENDED


def test_attendance_before_the_start_is_refused_in_dutch(employer_a_client, offer, registrations):
    response = employer_a_client.post(attendance_url(registrations["anna"]), {"attended": "yes"}, follow=True)

    assert "zodra de activiteit begonnen is" in response.content.decode()
    registrations["anna"].refresh_from_db()
    assert registrations["anna"].status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("who", ["cees", "dirk"])
def test_attendance_for_someone_without_a_place_is_refused(employer_a_client, offer, registrations, who):
    start(offer)

    response = employer_a_client.post(attendance_url(registrations[who]), {"attended": "yes"}, follow=True)

    assert "alleen bijhouden voor iemand met een plek" in response.content.decode()
    status = registrations[who].status
    registrations[who].refresh_from_db()
    assert registrations[who].status == status


@pytest.mark.parametrize("value", ["", "maybe", "<script>", "1" * 5000])
def test_a_bad_attendance_value_is_refused(employer_a_client, offer, registrations, value):
    start(offer)

    response = employer_a_client.post(attendance_url(registrations["anna"]), {"attended": value}, follow=True)

    assert response.status_code == 200
    assert "Kies of de persoon gekomen is." in response.content.decode()


def test_attendance_is_post_only(employer_a_client, offer, registrations):
    assert employer_a_client.get(attendance_url(registrations["anna"])).status_code == 405


def test_another_organisations_employer_gets_404(employer_b_client, offer, registrations):
    start(offer)

    assert employer_b_client.get(url(offer)).status_code == 404
    assert employer_b_client.post(attendance_url(registrations["anna"]), {"attended": "yes"}).status_code == 404
    registrations["anna"].refresh_from_db()
    assert registrations["anna"].status == Registration.Status.CONFIRMED


def test_a_place_offer_has_no_registrations_page(employer_a_client, organisation_a):
    assert employer_a_client.get(url(PlaceOfferFactory(organisation=organisation_a))).status_code == 404


@pytest.mark.parametrize("persona", ["client_a", "client_b", "administrator_client"])
def test_coordinators_and_administrators_get_403(request, persona, offer, registrations):
    client = request.getfixturevalue(persona)

    assert client.get(url(offer)).status_code == 403
    assert client.post(attendance_url(registrations["anna"]), {"attended": "yes"}).status_code == 403


def test_an_employer_user_without_an_organisation_gets_403(offer, registrations):
    client = Client()
    log_in(client, EmployerUserFactory(organisation=None))

    assert client.get(url(offer)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, offer, registrations):
    for response in (client.get(url(offer)), client.post(attendance_url(registrations["anna"]), {"attended": "yes"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# The list, however many sign-ups:
#  1. the session   2. the user   3. SAVEPOINT   4. the activity with its location
#  5. the registrations with their candidates (select_related)
#  6. the audit rows, one per person shown, in one INSERT   7. RELEASE SAVEPOINT
REGISTRATIONS_QUERIES = 7


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_runs_a_fixed_number_of_queries(employer_a_client, organisation_a, count, django_assert_num_queries):
    offer = OfferFactory(organisation=organisation_a, capacity=None)
    start(offer)
    for candidate in CandidateFactory.create_batch(count, signup_event=False):
        RegistrationFactory(offer=offer, candidate=candidate)

    with django_assert_num_queries(REGISTRATIONS_QUERIES):
        response = employer_a_client.get(url(offer))

    assert len(response.context["with_place"]) == count
