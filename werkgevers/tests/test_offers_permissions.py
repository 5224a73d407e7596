"""Every offer URL for every persona: owners in, outsiders 404, other roles 403, anonymous to the login page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contactpunt.factories import CoordinatorFactory, EmployerUserFactory
from contactpunt.testing import log_in
from werkgevers.factories import OfferFactory
from werkgevers.models import Offer

from .offers_helpers import form_data

pytestmark = pytest.mark.django_db

# (URL name, method, needs an offer of organisation A)
EMPLOYER_URLS = [
    ("employer_offers", "get", False),
    ("offer_create", "get", False),
    ("offer_detail", "get", True),
    ("offer_edit", "get", True),
    ("offer_edit", "post", True),
    ("offer_status", "post", True),
    ("offer_copy", "post", True),
]
DASHBOARD_URLS = [("coordinator_offers", "get", False), ("coordinator_offer", "get", True)]


@pytest.fixture
def offer_a(organisation_a):
    return OfferFactory(organisation=organisation_a, title="Meeloopdag De Linde")


def call(client: Client, name: str, method: str, offer: Offer | None, data: dict | None = None):
    url = reverse(f"werkgevers:{name}", args=[offer.pk] if offer else [])
    return getattr(client, method)(url, data or {})


def data_for(name: str, offer: Offer) -> dict:
    if name == "offer_edit":
        return form_data("meeloopdag", offer.organisation, title="Overgenomen")
    if name == "offer_status":
        return {"action": "close"}
    return {"weeks": "1"}


def assert_untouched(offer: Offer) -> None:
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.title == "Meeloopdag De Linde"
    assert Offer.objects.count() == 1


@pytest.mark.parametrize(("name", "method", "with_offer"), EMPLOYER_URLS + DASHBOARD_URLS)
def test_anonymous_people_go_to_the_login_page(offer_a, name, method, with_offer):
    response = call(Client(), name, method, offer_a if with_offer else None)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert_untouched(offer_a)


@pytest.mark.parametrize(("name", "method", "with_offer"), [url for url in EMPLOYER_URLS if url[2]])
def test_an_employer_of_another_organisation_gets_404(employer_b_client, offer_a, name, method, with_offer):
    response = call(employer_b_client, name, method, offer_a, data_for(name, offer_a) if method == "post" else None)

    assert response.status_code == 404
    assert_untouched(offer_a)


def test_an_employer_of_another_organisation_does_not_see_the_offer_in_their_list(employer_b_client, offer_a):
    response = employer_b_client.get(reverse("werkgevers:employer_offers"))

    assert response.status_code == 200
    assert "Meeloopdag De Linde" not in response.content.decode()


@pytest.mark.parametrize("persona", ["client_a", "client_b", "administrator_client"])
@pytest.mark.parametrize(("name", "method", "with_offer"), EMPLOYER_URLS)
def test_coordinators_and_administrators_get_403_in_the_employer_portal(
    request, offer_a, persona, name, method, with_offer
):
    client = request.getfixturevalue(persona)

    response = call(client, name, method, offer_a if with_offer else None, {"action": "close", "weeks": "1"})

    assert response.status_code == 403
    assert_untouched(offer_a)


@pytest.mark.parametrize(("name", "method", "with_offer"), EMPLOYER_URLS)
def test_an_employer_user_without_an_organisation_gets_403(offer_a, name, method, with_offer):
    client = Client()
    log_in(client, EmployerUserFactory(organisation=None))

    response = call(client, name, method, offer_a if with_offer else None, {"action": "close"})

    assert response.status_code == 403
    assert_untouched(offer_a)


@pytest.mark.parametrize(("name", "method", "with_offer"), EMPLOYER_URLS)
def test_the_owner_gets_in(employer_a_client, offer_a, name, method, with_offer):
    data = data_for(name, offer_a) if method == "post" else None

    response = call(employer_a_client, name, method, offer_a if with_offer else None, data)

    assert response.status_code == (302 if method == "post" else 200)


@pytest.mark.parametrize("persona", ["employer_a_client", "employer_b_client"])
@pytest.mark.parametrize(("name", "method", "with_offer"), DASHBOARD_URLS)
def test_employers_get_403_on_the_dashboard(request, offer_a, persona, name, method, with_offer):
    response = call(request.getfixturevalue(persona), name, method, offer_a if with_offer else None)

    assert response.status_code == 403


def test_a_coordinator_of_another_region_gets_404(client_b, offer_a):
    detail = call(client_b, "coordinator_offer", "get", offer_a)
    listing = call(client_b, "coordinator_offers", "get", None)

    assert detail.status_code == 404
    assert listing.status_code == 200
    assert "Meeloopdag De Linde" not in listing.content.decode()


@pytest.mark.parametrize("persona", ["client_a", "administrator_client"])
def test_coordinators_of_the_region_and_administrators_see_the_offer(request, offer_a, persona):
    client = request.getfixturevalue(persona)

    detail = call(client, "coordinator_offer", "get", offer_a)
    listing = call(client, "coordinator_offers", "get", None)

    assert detail.status_code == 200
    assert "Meeloopdag De Linde" in detail.content.decode()
    assert "Meeloopdag De Linde" in listing.content.decode()


def test_a_coordinator_of_both_regions_sees_it(region_a, region_b, offer_a):
    client = Client()
    log_in(client, CoordinatorFactory(regions=[region_a, region_b]))

    assert call(client, "coordinator_offer", "get", offer_a).status_code == 200


@pytest.mark.parametrize("persona", ["client_a", "administrator_client"])
def test_drafts_are_not_shown_to_coordinators(request, organisation_a, persona):
    client = request.getfixturevalue(persona)
    draft = OfferFactory(organisation=organisation_a, status=Offer.Status.DRAFT, title="Nog geheim")

    assert call(client, "coordinator_offer", "get", draft).status_code == 404
    assert "Nog geheim" not in call(client, "coordinator_offers", "get", None).content.decode()
