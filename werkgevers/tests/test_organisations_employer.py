"""The employer portal's own pages: the overview at /werkgever/ and the organisation with its
locations and contact people at /werkgever/organisatie/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import EmployerUserFactory
from contactpunt.models import Branch
from contactpunt.testing import log_in
from werkgevers.factories import (
    CohortPledgeFactory,
    ContactPersonFactory,
    IntroductionFactory,
    LocationFactory,
    OfferFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import ContactPerson, Introduction, Location, Offer, Organisation

pytestmark = pytest.mark.django_db

HOME = reverse("werkgevers:employer_home")
ORGANISATION = reverse("werkgevers:organisation_edit")


# Overview -----------------------------------------------------------------------------------------


def test_the_overview_counts_what_runs_and_what_waits(employer_a_client, organisation_a, organisation_b):
    location = organisation_a.locations.get()
    contact = ContactPersonFactory(organisation=organisation_a)
    common = {"organisation": organisation_a, "location": location, "contact_person": contact}
    with_signups = OfferFactory(**common)
    RegistrationFactory(offer=with_signups)
    OfferFactory(**common)  # published, upcoming, nobody signed up yet
    OfferFactory(**common, status=Offer.Status.DRAFT)
    past = OfferFactory(**common, starts_at=timezone.now() - timedelta(days=3))
    RegistrationFactory(offer=past)
    place = PlaceOfferFactory(**common)
    IntroductionFactory(offer=place)
    IntroductionFactory(offer=place)
    IntroductionFactory(offer=place, status=Introduction.Status.INVITED)
    CohortPledgeFactory(organisation=organisation_a)
    # Another organisation's offers and introductions do not count.
    other = OfferFactory(organisation=organisation_b, location=organisation_b.locations.get())
    RegistrationFactory(offer=other)
    IntroductionFactory(offer=PlaceOfferFactory(organisation=organisation_b, location=organisation_b.locations.get()))

    response = employer_a_client.get(HOME)

    assert response.status_code == 200
    assert response.context["counts"] == {
        "published": 4,
        "upcoming_with_signups": 1,
        "open_introductions": 2,
        "cohorts": 1,
    }
    html = response.content.decode()
    assert "Zorggroep Noord" in html
    assert "Je contactpunt: Noord-Nederland" in html
    assert "voorstellen wachten op je antwoord" in html
    assert "komende activiteit met aanmeldingen" in html
    assert reverse("werkgevers:offer_create") in html
    assert "Voordat je aanbod toevoegt" not in html


def test_a_new_organisation_is_told_what_to_add_first(region_a):
    organisation = Organisation.objects.create(name="Nieuw Zorg", kvk_number="55555555", home_region=region_a)
    user = EmployerUserFactory(organisation=organisation)
    client = Client()
    log_in(client, user)

    html = client.get(HOME).content.decode()

    assert "Voordat je aanbod toevoegt" in html
    assert "Locatie toevoegen" in html and "Contactpersoon toevoegen" in html


def test_the_overview_runs_a_fixed_number_of_queries(employer_a_client, organisation_a, django_assert_max_num_queries):
    location = organisation_a.locations.get()
    contact = ContactPersonFactory(organisation=organisation_a)
    for _ in range(5):
        RegistrationFactory(offer=OfferFactory(organisation=organisation_a, location=location, contact_person=contact))

    # session, user, savepoint, organisation, offers aggregate, introductions, pledges, set-up counts, release
    with django_assert_max_num_queries(9):
        assert employer_a_client.get(HOME).status_code == 200


# The organisation's details -----------------------------------------------------------------------


def test_the_employer_edits_the_details_of_their_organisation(employer_a_client, organisation_a):
    vvt, ggz = Branch.objects.get(slug="vvt"), Branch.objects.get(slug="ggz")

    response = employer_a_client.post(
        ORGANISATION,
        {"name": "Zorggroep Noord & Oost", "website": "zorggroepnoord.example", "branches": [vvt.pk, ggz.pk]},
    )

    assert response.status_code == 302
    organisation_a.refresh_from_db()
    assert organisation_a.name == "Zorggroep Noord & Oost"
    assert organisation_a.website == "https://zorggroepnoord.example"
    assert set(organisation_a.branches.all()) == {vvt, ggz}
    assert organisation_a.kvk_number == "11111111"
    page = employer_a_client.get(ORGANISATION).content.decode()
    assert "De gegevens van je organisatie zijn opgeslagen." in page
    assert "KvK-nummer 11111111" in page


def test_the_kvk_number_and_region_cannot_be_changed_by_the_employer(employer_a_client, organisation_a, region_b):
    employer_a_client.post(
        ORGANISATION, {"name": "Zorggroep Noord", "kvk_number": "99999999", "home_region": region_b.pk}
    )

    organisation_a.refresh_from_db()
    assert organisation_a.kvk_number == "11111111"
    assert organisation_a.home_region.name == "Noord-Nederland"


def test_the_organisation_page_lists_locations_contact_people_and_colleagues(
    employer_a_client, employer_a, organisation_a
):
    LocationFactory(organisation=organisation_a, name="Buiten het gebied", postcode="1011 AB", region=None)
    ContactPersonFactory(organisation=organisation_a, name="Wim Wiersma", job_title="Praktijkopleider")

    html = employer_a_client.get(ORGANISATION).content.decode()

    assert "De Linde" in html and "Noord-Nederland" in html
    assert "Buiten het gebied" in html and "geen contactpunt" in html
    assert "Wim Wiersma" in html and "Praktijkopleider" in html
    assert employer_a.email in html


# Locations ----------------------------------------------------------------------------------------


def test_a_new_location_gets_its_region_from_the_postcode(employer_a_client, organisation_a, region_b):
    response = employer_a_client.post(
        reverse("werkgevers:location_create"),
        {"name": "Het Anker", "street": "Oudegracht 10", "postcode": "3511ab", "place": "Utrecht", "active": "on"},
    )

    assert response.status_code == 302
    location = Location.objects.get(name="Het Anker")
    assert (location.organisation, location.postcode, location.region) == (organisation_a, "3511 AB", region_b)
    page = employer_a_client.get(response["Location"]).content.decode()
    assert "Locatie Het Anker is opgeslagen. Contactpunt: Utrecht." in page


def test_a_postcode_no_region_serves_is_allowed_and_shown_as_no_contact_point(employer_a_client, organisation_a):
    response = employer_a_client.post(
        reverse("werkgevers:location_create"),
        {"name": "Amsterdam", "street": "Dam 1", "postcode": "1012 JS", "place": "Amsterdam", "active": "on"},
    )

    assert response.status_code == 302
    location = Location.objects.get(name="Amsterdam")
    assert location.region is None
    assert "Nog geen contactpunt bedient deze postcode" in employer_a_client.get(ORGANISATION).content.decode()
    edit = employer_a_client.get(reverse("werkgevers:location_edit", args=[location.pk])).content.decode()
    assert "geen contactpunt" in edit


def test_editing_the_postcode_moves_the_location_to_the_new_region(employer_a_client, organisation_a, region_b):
    location = organisation_a.locations.get()
    url = reverse("werkgevers:location_edit", args=[location.pk])
    assert "Noord-Nederland" in employer_a_client.get(url).content.decode()

    employer_a_client.post(
        url, {"name": "De Linde", "street": "Lindelaan 2", "postcode": "3581 KP", "place": "Utrecht", "active": "on"}
    )

    location.refresh_from_db()
    assert (location.street, location.postcode, location.region) == ("Lindelaan 2", "3581 KP", region_b)


def test_an_unused_location_is_removed(employer_a_client, organisation_a):
    location = LocationFactory(organisation=organisation_a, name="Tijdelijk")

    response = employer_a_client.post(reverse("werkgevers:location_edit", args=[location.pk]), {"remove": "1"})

    assert response.status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()
    assert "Locatie Tijdelijk is verwijderd." in employer_a_client.get(ORGANISATION).content.decode()


def test_a_location_offers_use_is_deactivated_instead(employer_a_client, organisation_a):
    location = organisation_a.locations.get()
    OfferFactory(organisation=organisation_a, location=location)
    url = reverse("werkgevers:location_edit", args=[location.pk])
    assert "Aanbod gebruikt deze locatie." in employer_a_client.get(url).content.decode()

    response = employer_a_client.post(url, {"remove": "1"})

    assert response.status_code == 302
    location.refresh_from_db()
    assert location.active is False
    page = employer_a_client.get(ORGANISATION).content.decode()
    assert "Aanbod gebruikt locatie De Linde, dus is de locatie op inactief gezet in plaats van verwijderd." in page
    assert "inactief" in page


# Contact people -----------------------------------------------------------------------------------


def test_a_contact_person_is_added_with_a_normalised_phone_and_a_colleague_account(
    employer_a_client, employer_a, organisation_a
):
    response = employer_a_client.post(
        reverse("werkgevers:contact_person_create"),
        {
            "name": "Wim Wiersma",
            "job_title": "Praktijkopleider",
            "email": "Wim@ZorggroepNoord.example",
            "phone": "050 123 4567",
            "user": employer_a.pk,
            "active": "on",
        },
    )

    assert response.status_code == 302
    person = ContactPerson.objects.get(name="Wim Wiersma")
    assert (person.organisation, person.email, person.phone, person.user, person.active) == (
        organisation_a,
        "wim@zorggroepnoord.example",
        "+31501234567",
        employer_a,
        True,
    )
    assert "Contactpersoon Wim Wiersma is opgeslagen." in employer_a_client.get(ORGANISATION).content.decode()


def test_a_contact_person_cannot_be_linked_to_a_user_of_another_organisation(
    employer_a_client, organisation_a, employer_b
):
    response = employer_a_client.post(
        reverse("werkgevers:contact_person_create"),
        {"name": "Wim Wiersma", "email": "wim@zorg.example", "user": employer_b.pk, "active": "on"},
    )

    assert response.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in response.content.decode()
    assert not ContactPerson.objects.filter(name="Wim Wiersma").exists()


def test_a_contact_person_is_edited_and_deactivated(employer_a_client, organisation_a):
    person = ContactPersonFactory(organisation=organisation_a, name="Wim Wiersma", email="wim@zorg.example")
    url = reverse("werkgevers:contact_person_edit", args=[person.pk])

    response = employer_a_client.post(url, {"name": "Wim Wiersma", "email": "w.wiersma@zorg.example", "phone": ""})

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.email, person.phone, person.active) == ("w.wiersma@zorg.example", "", False)


def test_a_contact_person_offers_name_is_deactivated_instead_of_removed(employer_a_client, organisation_a):
    person = ContactPersonFactory(organisation=organisation_a, name="Wim Wiersma")
    OfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), contact_person=person)
    unused = ContactPersonFactory(organisation=organisation_a, name="Oud Contact")

    employer_a_client.post(reverse("werkgevers:contact_person_edit", args=[person.pk]), {"remove": "1"})
    employer_a_client.post(reverse("werkgevers:contact_person_edit", args=[unused.pk]), {"remove": "1"})

    person.refresh_from_db()
    assert person.active is False
    assert not ContactPerson.objects.filter(pk=unused.pk).exists()
