"""Editing an offer: the fields of its kind, a lower capacity never below the sign-ups, closed offers stay."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from werkgevers import offers as services
from werkgevers.factories import ContactPersonFactory, OfferFactory
from werkgevers.models import Offer

from .offers_helpers import form_data, local

pytestmark = pytest.mark.django_db


def edit_url(offer: Offer) -> str:
    return reverse("werkgevers:offer_edit", args=[offer.pk])


@pytest.fixture
def activity(organisation_a):
    ContactPersonFactory(organisation=organisation_a, name="Petra de Vries")
    offer = OfferFactory(organisation=organisation_a, capacity=10)
    Offer.objects.filter(pk=offer.pk).update(registered_count=6)
    offer.refresh_from_db()
    return offer


def test_the_form_shows_the_current_values(employer_a_client, activity):
    response = employer_a_client.get(edit_url(activity))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{activity.title}"' in page
    assert f'value="{local(activity.starts_at)}"' in page


def test_an_edit_is_saved(employer_a_client, activity, organisation_a):
    data = form_data("meeloopdag", organisation_a, title="Meeloopdag nieuwe stijl", capacity="12")

    response = employer_a_client.post(edit_url(activity), data, follow=True)

    activity.refresh_from_db()
    assert "De wijzigingen zijn bewaard." in response.content.decode()
    assert activity.title == "Meeloopdag nieuwe stijl"
    assert activity.capacity == 12
    assert activity.registered_count == 6
    assert activity.status == Offer.Status.PUBLISHED


def test_capacity_below_the_number_signed_up_is_a_form_error(employer_a_client, activity, organisation_a):
    response = employer_a_client.post(edit_url(activity), form_data("meeloopdag", organisation_a, capacity="5"))

    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "Er hebben zich al 6 mensen aangemeld: het aantal plaatsen kan niet lager zijn."
    ]
    activity.refresh_from_db()
    assert activity.capacity == 10


def test_capacity_equal_to_the_number_signed_up_is_fine(employer_a_client, activity, organisation_a):
    employer_a_client.post(edit_url(activity), form_data("meeloopdag", organisation_a, capacity="6"))

    activity.refresh_from_db()
    assert activity.capacity == 6


def test_the_service_checks_the_number_signed_up_at_the_moment_it_saves(employer_a, activity):
    # Someone signed up between opening the form and saving it.
    Offer.objects.filter(pk=activity.pk).update(registered_count=9)

    with pytest.raises(services.CapacityBelowRegistrations) as raised:
        services.offer_update(offer=activity, details={"capacity": 8}, actor=employer_a, site_url="http://testserver")

    assert raised.value.registered == 9
    activity.refresh_from_db()
    assert activity.capacity == 10


def test_an_unchanged_start_in_the_past_does_not_block_other_changes(employer_a_client, organisation_a):
    started = OfferFactory(
        organisation=organisation_a,
        status=Offer.Status.EXPIRED,
        starts_at=timezone.now() - timedelta(days=2),
        signup_deadline=None,
    )
    data = form_data("meeloopdag", organisation_a, title="Terugblik", signup_deadline="")
    data |= {"starts_at": local(started.starts_at), "ends_at": local(started.ends_at)}

    response = employer_a_client.post(edit_url(started), data)

    assert response.status_code == 302, response.context["form"].errors
    started.refresh_from_db()
    assert started.title == "Terugblik"


def test_a_new_start_in_the_past_is_refused(employer_a_client, activity, organisation_a):
    data = form_data("meeloopdag", organisation_a, starts_at=local(timezone.now() - timedelta(days=1)))

    response = employer_a_client.post(edit_url(activity), data)

    assert "Het begin is al voorbij." in response.content.decode()


def test_a_closed_offer_cannot_be_edited(employer_a_client, organisation_a):
    closed = OfferFactory(organisation=organisation_a, status=Offer.Status.CLOSED, title="Oud")

    response = employer_a_client.post(edit_url(closed), form_data("meeloopdag", organisation_a), follow=True)

    closed.refresh_from_db()
    assert closed.title == "Oud"
    assert "Gesloten aanbod kun je niet meer wijzigen." in response.content.decode()


def test_the_kind_cannot_be_changed(employer_a_client, activity, organisation_a):
    data = form_data("meeloopdag", organisation_a) | {"kind": "vacature"}

    employer_a_client.post(f"{edit_url(activity)}?soort=vacature", data)

    activity.refresh_from_db()
    assert activity.kind == "meeloopdag"
