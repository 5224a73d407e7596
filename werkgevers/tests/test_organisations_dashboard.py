"""The coordinators' employer pages: the list with search and counts, registering an organisation,
and an organisation's page. Lists run a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import EmployerUserFactory
from contactpunt.models import Branch
from werkgevers.factories import ContactPersonFactory, LocationFactory, OfferFactory, OrganisationFactory
from werkgevers.models import Invitation, Offer, Organisation, new_token

pytestmark = pytest.mark.django_db

LIST = reverse("werkgevers:organisations")


def fill(region, count: int) -> None:
    """`count` organisations of the region, each with locations, offers and users."""
    for number in range(count):
        organisation = OrganisationFactory(name=f"Zorg {number:03d}", home_region=region)
        location = LocationFactory(organisation=organisation, region=region)
        contact = ContactPersonFactory(organisation=organisation)
        OfferFactory(organisation=organisation, location=location, contact_person=contact)
        EmployerUserFactory(organisation=organisation)


def test_the_list_shows_counts_per_organisation(client_a, region_a, organisation_a):
    LocationFactory(organisation=organisation_a, name="Tweede")
    LocationFactory(organisation=organisation_a, name="Gesloten", active=False)
    location = organisation_a.locations.get(name="De Linde")
    contact = ContactPersonFactory(organisation=organisation_a)
    for status in (Offer.Status.PUBLISHED, Offer.Status.PUBLISHED, Offer.Status.PUBLISHED, Offer.Status.DRAFT):
        OfferFactory(organisation=organisation_a, location=location, contact_person=contact, status=status)
    EmployerUserFactory(organisation=organisation_a)
    EmployerUserFactory(organisation=organisation_a)
    EmployerUserFactory(organisation=organisation_a, is_active=False)

    response = client_a.get(LIST)

    assert response.status_code == 200
    (row,) = response.context["page"].object_list
    assert (row.name, row.location_count, row.published_offer_count, row.employer_count) == ("Zorggroep Noord", 2, 3, 2)
    html = response.content.decode()
    assert "Zorggroep Noord" in html and "11111111" in html
    assert "Nieuwe organisatie registreren" in html


@pytest.mark.parametrize(("search", "found"), [("noord", True), ("1111", True), ("1111 1111", True), ("zuid", False)])
def test_search_by_name_or_kvk_number(client_a, organisation_a, search, found):
    response = client_a.get(LIST, {"q": search})

    html = response.content.decode()
    assert ("Zorggroep Noord" in html) is found
    if not found:
        assert "Geen werkgevers gevonden." in html


def test_a_long_or_strange_search_is_harmless(client_a, organisation_a):
    for search in ("x" * 10_000, "<script>alert(1)</script>", "%", "' OR 1=1 --"):
        response = client_a.get(LIST, {"q": search})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_list_is_paged(client_a, region_a):
    fill(region_a, 27)

    first = client_a.get(LIST)
    second = client_a.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert [o.name for o in second.context["page"].object_list] == ["Zorg 025", "Zorg 026"]
    assert client_a.get(LIST, {"page": "abc"}).status_code == 200


# The list, for a coordinator of one region:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. the user's first two regions (preselect the only one; show the region column or not)
#  5. COUNT of the organisations (paginator)
#  6. pending access requests (the badge)
#  7. the organisations of the page, each with its counts (correlated subqueries) and region
#  8. the regions for the "register an organisation" form
#  9. branches for that form
# 10. RELEASE SAVEPOINT
LIST_QUERIES = 10


@pytest.mark.parametrize("count", [5, 100])
def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_organisations(
    client_a, region_a, count, django_assert_num_queries
):
    fill(region_a, count)

    with django_assert_num_queries(LIST_QUERIES):
        response = client_a.get(LIST)

    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("count", [5, 100])
def test_the_administrators_list_runs_a_fixed_number_of_queries(
    administrator_client, region_a, region_b, count, django_assert_num_queries
):
    fill(region_a, count // 2)
    fill(region_b, count // 2)

    # No query 4: administrators choose from every region and always see the region column.
    with django_assert_num_queries(LIST_QUERIES - 1):
        administrator_client.get(LIST)


# Registering an organisation ----------------------------------------------------------------------


def test_a_coordinator_registers_an_organisation_for_their_region(client_a, region_a):
    vvt = Branch.objects.get(slug="vvt")

    response = client_a.post(
        LIST,
        {
            "name": "Thuiszorg Het Wad",
            "kvk_number": "1234.5678",
            "branches": [vvt.pk],
            "website": "https://hetwad.example",
            "home_region": region_a.pk,
        },
    )

    organisation = Organisation.objects.get(kvk_number="12345678")
    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:organisation_detail", args=[organisation.pk])
    assert (organisation.name, organisation.home_region, organisation.website) == (
        "Thuiszorg Het Wad",
        region_a,
        "https://hetwad.example",
    )
    assert list(organisation.branches.all()) == [vvt]
    page = client_a.get(response["Location"]).content.decode()
    assert "Thuiszorg Het Wad is geregistreerd." in page
    assert "Gebruiker uitnodigen" in page


def test_the_region_is_preselected_for_a_coordinator_of_one_region(client_a, region_a):
    form = client_a.get(LIST).context["form"]

    assert form.fields["home_region"].initial == region_a.pk
    assert list(form.fields["home_region"].queryset) == [region_a]


def test_a_coordinator_cannot_register_for_another_region(client_a, region_b):
    response = client_a.post(LIST, {"name": "Elders", "kvk_number": "12345678", "home_region": region_b.pk})

    assert response.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in response.content.decode()
    assert not Organisation.objects.filter(kvk_number="12345678").exists()


def test_a_registered_kvk_number_is_refused(client_a, region_a, organisation_b):
    response = client_a.post(LIST, {"name": "Dubbel", "kvk_number": "22222222", "home_region": region_a.pk})

    assert response.status_code == 200
    assert "Er is al een organisatie met dit KvK-nummer geregistreerd." in response.content.decode()
    assert Organisation.objects.filter(kvk_number="22222222").count() == 1


def test_an_administrator_registers_for_any_region(administrator_client, region_b):
    response = administrator_client.post(
        LIST, {"name": "Utrechtse Zorg", "kvk_number": "12345678", "home_region": region_b.pk}
    )

    assert response.status_code == 302
    assert Organisation.objects.get(kvk_number="12345678").home_region == region_b


# An organisation's page ---------------------------------------------------------------------------


def test_the_organisation_page_shows_everything_a_coordinator_needs(client_a, coordinator_a, organisation_a):
    organisation_a.branches.set([Branch.objects.get(slug="vvt")])
    LocationFactory(organisation=organisation_a, name="Aan Zee", postcode="1011 AB", place="Amsterdam", region=None)
    ContactPersonFactory(organisation=organisation_a, name="Wim Wiersma", phone="+31501234567")
    EmployerUserFactory(organisation=organisation_a, email="collega@zorggroepnoord.example")
    now = timezone.now()
    for email, expires, accepted in (
        ("open@zorggroepnoord.example", now + timedelta(days=3), None),
        ("verlopen@zorggroepnoord.example", now - timedelta(days=1), None),
        ("gebruikt@zorggroepnoord.example", now + timedelta(days=3), now),
    ):
        Invitation.objects.create(
            organisation=organisation_a,
            email=email,
            token_hash=new_token()[1],
            invited_by=coordinator_a,
            expires_at=expires,
            accepted_at=accepted,
        )

    response = client_a.get(reverse("werkgevers:organisation_detail", args=[organisation_a.pk]))

    html = response.content.decode()
    assert "11111111" in html and "Noord-Nederland" in html
    assert "De Linde" in html and "Aan Zee" in html and "geen contactpunt" in html
    assert "Wim Wiersma" in html and "050 123 4567" in html
    assert "collega@zorggroepnoord.example" in html
    assert "open@zorggroepnoord.example" in html and "geldig tot" in html
    assert "verlopen@zorggroepnoord.example" not in html
    assert "gebruikt@zorggroepnoord.example" not in html


def test_the_organisation_page_runs_a_fixed_number_of_queries(
    client_a, organisation_a, coordinator_a, django_assert_max_num_queries
):
    for number in range(15):
        LocationFactory(organisation=organisation_a)
        ContactPersonFactory(organisation=organisation_a)
        EmployerUserFactory(organisation=organisation_a)
        Invitation.objects.create(
            organisation=organisation_a,
            email=f"uitgenodigd{number}@zorg.example",
            token_hash=new_token()[1],
            invited_by=coordinator_a,
            expires_at=timezone.now() + timedelta(days=7),
        )

    with django_assert_max_num_queries(14):
        assert client_a.get(reverse("werkgevers:organisation_detail", args=[organisation_a.pk])).status_code == 200


def test_a_missing_organisation_is_404(client_a):
    assert client_a.get(reverse("werkgevers:organisation_detail", args=[999_999])).status_code == 404
