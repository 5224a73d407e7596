"""Every organisation and onboarding URL, for every persona.

Anonymous people: public pages or the login page. Employers: their own organisation only (another
organisation's location or contact person: 404), never the dashboard (403). Coordinators: their
regions' organisations and requests (another region's: 404), never the employer portal (403).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from contactpunt.factories import EmployerUserFactory
from contactpunt.testing import log_in
from werkgevers.factories import ContactPersonFactory
from werkgevers.models import AccessRequest, ContactPerson, Invitation, Location, Organisation

pytestmark = pytest.mark.django_db

PUBLIC = ["access_request", "access_request_done"]
EMPLOYER = ["employer_home", "organisation_edit", "location_create", "contact_person_create"]
EMPLOYER_OBJECTS = ["location_edit", "contact_person_edit"]
DASHBOARD_GET = ["organisations", "access_requests"]


@pytest.fixture
def world(region_a, region_b, coordinator_a, coordinator_b, administrator, organisation_a, organisation_b):
    employer_a = EmployerUserFactory(email="werkgever.a@zorg.example", organisation=organisation_a)
    employer_b = EmployerUserFactory(email="werkgever.b@zorg.example", organisation=organisation_b)
    lonely = EmployerUserFactory(email="zonder.organisatie@zorg.example", organisation=None)
    request_a = AccessRequest.objects.create(
        organisation_name="Thuiszorg Stad",
        kvk_number="33333333",
        contact_name="Fenna Dijkstra",
        email="fenna@thuiszorg.example",
        phone="+31612345678",
        postcode="9712 CD",
        region=region_a,
    )
    return SimpleNamespace(
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        administrator=administrator,
        employer_a=employer_a,
        employer_b=employer_b,
        lonely=lonely,
        organisation_a=organisation_a,
        organisation_b=organisation_b,
        location_a=organisation_a.locations.get(),
        contact_a=ContactPersonFactory(organisation=organisation_a, name="Geheime Contactpersoon"),
        request_a=request_a,
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def employer_object_url(name: str, world) -> str:
    obj = world.location_a if name == "location_edit" else world.contact_a
    return reverse(f"werkgevers:{name}", args=[obj.pk])


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_for_anyone(world, name):
    for user in (None, world.coordinator_a, world.employer_a):
        assert client_for(user).get(reverse(f"werkgevers:{name}")).status_code == 200


def test_an_unknown_invitation_link_is_a_friendly_404_for_anyone(world):
    response = Client().get(reverse("werkgevers:invitation_accept", args=["niet-bestaand"]))

    assert response.status_code == 404
    assert "Vraag de coördinator van je contactpunt om een nieuwe uitnodiging." in response.content.decode()


@pytest.mark.parametrize("name", EMPLOYER + EMPLOYER_OBJECTS + DASHBOARD_GET + ["organisation_detail"])
def test_anonymous_people_are_sent_to_the_login_page(world, name):
    if name in EMPLOYER_OBJECTS:
        url = employer_object_url(name, world)
    elif name == "organisation_detail":
        url = reverse("werkgevers:organisation_detail", args=[world.organisation_a.pk])
    else:
        url = reverse(f"werkgevers:{name}")

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_posts_change_nothing(world):
    client = Client()
    urls = [
        reverse("werkgevers:invitation_create", args=[world.organisation_a.pk]),
        reverse("werkgevers:access_request_decide", args=[world.request_a.pk]),
        reverse("werkgevers:organisations"),
    ]
    for url in urls:
        response = client.post(url, {"email": "x@example.org", "request-1-decision": "approve", "name": "X"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Invitation.objects.count() == 0
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING


@pytest.mark.parametrize("name", EMPLOYER)
def test_the_employer_portal_is_for_employers_with_an_organisation(world, name):
    url = reverse(f"werkgevers:{name}")
    assert client_for(world.employer_a).get(url).status_code == 200
    for user in (world.coordinator_a, world.administrator, world.lonely):
        assert client_for(user).get(url).status_code == 403, user


@pytest.mark.parametrize("name", EMPLOYER_OBJECTS)
def test_an_employer_of_another_organisation_gets_404(world, name):
    url = employer_object_url(name, world)
    assert client_for(world.employer_a).get(url).status_code == 200

    employer_b = client_for(world.employer_b)
    assert employer_b.get(url).status_code == 404
    assert employer_b.post(url, {"name": "Overgenomen"}).status_code == 404
    assert employer_b.post(url, {"remove": "1"}).status_code == 404

    assert Location.objects.filter(pk=world.location_a.pk, name="De Linde").exists()
    assert ContactPerson.objects.filter(pk=world.contact_a.pk, name="Geheime Contactpersoon", active=True).exists()
    for user in (world.coordinator_a, world.administrator, world.lonely):
        assert client_for(user).get(url).status_code == 403


@pytest.mark.parametrize("name", DASHBOARD_GET)
def test_dashboard_lists_are_for_coordinators_and_administrators(world, name):
    url = reverse(f"werkgevers:{name}")
    for user in (world.coordinator_a, world.coordinator_b, world.administrator):
        assert client_for(user).get(url).status_code == 200
    for user in (world.employer_a, world.lonely):
        assert client_for(user).get(url).status_code == 403


def test_employers_cannot_register_organisations(world):
    response = client_for(world.employer_a).post(
        reverse("werkgevers:organisations"),
        {"name": "Nep", "kvk_number": "44444444", "home_region": world.organisation_a.home_region_id},
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(kvk_number="44444444").exists()


def test_organisation_page_of_another_region_is_404(world):
    url = reverse("werkgevers:organisation_detail", args=[world.organisation_a.pk])
    assert client_for(world.coordinator_a).get(url).status_code == 200
    assert client_for(world.administrator).get(url).status_code == 200

    response = client_for(world.coordinator_b).get(url)
    assert response.status_code == 404
    assert "Zorggroep Noord" not in response.content.decode()
    for user in (world.employer_a, world.employer_b):
        assert client_for(user).get(url).status_code == 403


def test_inviting_for_an_organisation_of_another_region_is_404(world):
    url = reverse("werkgevers:invitation_create", args=[world.organisation_a.pk])
    data = {"first_name": "Piet", "last_name": "Kaper", "email": "piet@kaper.example"}

    assert client_for(world.coordinator_b).post(url, data).status_code == 404
    assert client_for(world.employer_a).post(url, data).status_code == 403
    assert client_for(world.coordinator_a).get(url).status_code == 405
    assert Invitation.objects.count() == 0


def test_deciding_on_a_request_of_another_region_is_404(world):
    url = reverse("werkgevers:access_request_decide", args=[world.request_a.pk])
    data = {f"request-{world.request_a.pk}-decision": "approve"}

    assert client_for(world.coordinator_b).post(url, data).status_code == 404
    assert client_for(world.employer_a).post(url, data).status_code == 403
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING
    assert (
        "Thuiszorg Stad"
        not in client_for(world.coordinator_b).get(reverse("werkgevers:access_requests")).content.decode()
    )
    assert (
        "Thuiszorg Stad" in client_for(world.coordinator_a).get(reverse("werkgevers:access_requests")).content.decode()
    )


def test_the_organisation_list_shows_only_the_regions_organisations(world):
    html_a = client_for(world.coordinator_a).get(reverse("werkgevers:organisations")).content.decode()
    html_b = client_for(world.coordinator_b).get(reverse("werkgevers:organisations")).content.decode()
    html_admin = client_for(world.administrator).get(reverse("werkgevers:organisations")).content.decode()

    assert "Zorggroep Noord" in html_a and "Zorg Utrecht" not in html_a
    assert "Zorg Utrecht" in html_b and "Zorggroep Noord" not in html_b
    assert "Zorggroep Noord" in html_admin and "Zorg Utrecht" in html_admin


def test_a_location_in_another_region_makes_the_organisation_visible_there(world, region_b):
    Location.objects.create(
        organisation=world.organisation_a,
        name="Buitenpost Utrecht",
        street="Domplein 1",
        postcode="3512 JC",
        place="Utrecht",
        region=region_b,
    )
    url = reverse("werkgevers:organisation_detail", args=[world.organisation_a.pk])

    assert client_for(world.coordinator_b).get(url).status_code == 200
