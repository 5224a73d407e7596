"""More places on a full activity: the people waiting get them first, and are told by e-mail."""

import pytest
from django.urls import reverse

from werkgevers import offers as services
from werkgevers.factories import OfferFactory
from werkgevers.models import Offer, Registration
from werkgevers.registrations import Outcome, registration_signup

from .offers_helpers import form_data

pytestmark = pytest.mark.django_db


def sign_up(offer: Offer, number: int):
    details = {
        "first_name": "Sam",
        "last_name": f"Jansen {chr(65 + number)}",
        "email": f"sam{number}@example.org",
        "phone": f"+316200000{number:02d}",
        "postcode": "9711 AB",
    }
    return registration_signup(
        offer_id=offer.pk, details=details, consents={"contact": True}, site_url="http://testserver"
    )


@pytest.fixture
def full_activity(organisation_a):
    offer = OfferFactory(organisation=organisation_a, capacity=2, title="Open huis De Linde")
    outcomes = [sign_up(offer, number).outcome for number in range(5)]
    assert outcomes == [Outcome.CONFIRMED] * 2 + [Outcome.WAITING] * 3
    return offer


def test_two_more_places_go_to_the_first_two_waiting(
    employer_a_client, full_activity, organisation_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = employer_a_client.post(
            reverse("werkgevers:offer_edit", args=[full_activity.pk]),
            form_data("meeloopdag", organisation_a, title=full_activity.title, capacity="4"),
        )

    assert response.status_code == 302
    full_activity.refresh_from_db()
    assert (full_activity.capacity, full_activity.registered_count) == (4, 4)
    assert full_activity.status == Offer.Status.FULL
    promoted = Registration.objects.filter(offer=full_activity, promoted_at__isnull=False)
    assert sorted(promoted.values_list("candidate__email", flat=True)) == ["sam2@example.org", "sam3@example.org"]
    assert Registration.objects.get(candidate__email="sam4@example.org").status == Registration.Status.WAITING
    assert {message.to[0] for message in mailoutbox} >= {"sam2@example.org", "sam3@example.org"}


def test_more_places_than_people_waiting_open_the_activity_again(employer_a, full_activity):
    services.offer_update(offer=full_activity, details={"capacity": 10}, actor=employer_a, site_url="http://testserver")

    full_activity.refresh_from_db()
    assert (full_activity.registered_count, full_activity.status) == (5, Offer.Status.PUBLISHED)
    assert not Registration.objects.filter(offer=full_activity, status=Registration.Status.WAITING).exists()
