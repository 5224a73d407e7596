"""Coordinators at /dashboard/aanbod/: every offer of their regions, filters, open capacity, the detail page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import Branch, Function
from werkgevers.factories import (
    ContactPersonFactory,
    IntroductionFactory,
    LocationFactory,
    OfferFactory,
    OrganisationFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import Introduction, Offer, OfferKind, Registration

pytestmark = pytest.mark.django_db

LIST = reverse("werkgevers:coordinator_offers")
Status = Offer.Status


def titles(response) -> list[str]:
    return [offer.title for offer in response.context["page"]]


@pytest.fixture
def offers(organisation_a, organisation_b):
    """A mix in region A (Groningen and Assen) and one in region B."""
    now = timezone.now()
    assen = LocationFactory(organisation=organisation_a, name="De Es", postcode="9401 AA", place="Assen")
    other = OrganisationFactory(name="Thuiszorg Drenthe", home_region=organisation_a.home_region)
    return {
        "meeloopdag": OfferFactory(
            organisation=organisation_a,
            title="Meeloopdag VIG",
            starts_at=now + timedelta(days=3),
            capacity=8,
            functions=Function.objects.filter(slug="vig"),
        ),
        "open_huis": OfferFactory(
            organisation=organisation_a,
            location=assen,
            kind=OfferKind.OPEN_HUIS,
            title="Open huis Assen",
            starts_at=now + timedelta(days=40),
            status=Status.FULL,
        ),
        "bbl": PlaceOfferFactory(
            organisation=other,
            title="BBL-plek thuiszorg",
            branch=Branch.objects.get(slug="thuiszorg"),
            start_date=timezone.localdate() + timedelta(days=20),
        ),
        "closed": PlaceOfferFactory(organisation=organisation_a, title="Oude stage", status=Status.CLOSED),
        "expired": OfferFactory(
            organisation=organisation_a, title="Verlopen dag", status=Status.EXPIRED, starts_at=now - timedelta(days=2)
        ),
        "draft": OfferFactory(organisation=organisation_a, title="Concept", status=Status.DRAFT),
        "utrecht": OfferFactory(organisation=organisation_b, title="Meeloopdag Utrecht"),
    }


def test_the_list_shows_the_offers_of_the_region_without_drafts(client_a, offers):
    response = client_a.get(LIST)

    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        ["Meeloopdag VIG", "Open huis Assen", "BBL-plek thuiszorg", "Oude stage", "Verlopen dag"]
    )
    # Open (published) offers first, the soonest first.
    assert titles(response)[:2] == ["Meeloopdag VIG", "BBL-plek thuiszorg"]


def test_an_administrator_sees_every_region_and_can_filter_on_one(administrator_client, offers, region_b):
    everything = administrator_client.get(LIST)
    utrecht = administrator_client.get(LIST, {"region": region_b.pk})

    assert "Meeloopdag Utrecht" in titles(everything)
    assert "Concept" not in titles(everything)
    assert titles(utrecht) == ["Meeloopdag Utrecht"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "open_huis"}, ["Open huis Assen"]),
        ({"status": "open"}, ["Meeloopdag VIG", "BBL-plek thuiszorg"]),
        ({"status": "full"}, ["Open huis Assen"]),
        ({"status": "expired"}, ["Verlopen dag"]),
        ({"status": "closed"}, ["Oude stage"]),
        ({"q": "assen"}, ["Open huis Assen"]),
        ({"q": "Thuiszorg Drenthe"}, ["BBL-plek thuiszorg"]),
        ({"kind": "meeloopdag", "status": "open"}, ["Meeloopdag VIG"]),
    ],
)
def test_filters(client_a, offers, params, expected):
    assert sorted(titles(client_a.get(LIST, params))) == sorted(expected)


def test_filter_on_branch_and_function(client_a, offers):
    thuiszorg = Branch.objects.get(slug="thuiszorg")
    vig = Function.objects.get(slug="vig")

    assert titles(client_a.get(LIST, {"branch": thuiszorg.pk})) == ["BBL-plek thuiszorg"]
    assert titles(client_a.get(LIST, {"function": vig.pk})) == ["Meeloopdag VIG"]


def test_filter_on_dates(client_a, offers):
    today = timezone.localdate()

    soon = client_a.get(LIST, {"date_from": today.isoformat(), "date_to": (today + timedelta(days=25)).isoformat()})
    later = client_a.get(LIST, {"date_from": (today + timedelta(days=30)).isoformat()})

    assert sorted(titles(soon)) == ["BBL-plek thuiszorg", "Meeloopdag VIG"]
    assert sorted(titles(later)) == ["Open huis Assen", "Oude stage"]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "taart"},
        {"status": "draft"},
        {"branch": "abc"},
        {"function": "999999"},
        {"region": "1"},
        {"date_from": "gisteren"},
        {"date_to": "2026-13-45"},
        {"q": "x" * 5000},
        {"page": "-1"},
    ],
)
def test_bad_filter_values_never_give_a_server_error(client_a, offers, params):
    response = client_a.get(LIST, params)

    assert response.status_code == 200
    assert "Concept" not in titles(response)


def test_an_invalid_filter_says_so_in_dutch(client_a, offers):
    page = client_a.get(LIST, {"kind": "taart"}).content.decode()

    assert "Kies een van de mogelijkheden uit de lijst." in page


def test_open_capacity(client_a, offers, organisation_a):
    meeloopdag = offers["meeloopdag"]
    Offer.objects.filter(pk=meeloopdag.pk).update(registered_count=3, max_introductions_per_week=2)
    IntroductionFactory(offer=meeloopdag)
    IntroductionFactory(offer=meeloopdag, status=Introduction.Status.WITHDRAWN)
    IntroductionFactory(offer=meeloopdag, created_at=timezone.now() - timedelta(days=8))

    response = client_a.get(LIST)

    rows = {offer.title: offer for offer in response.context["page"]}
    page = response.content.decode()
    assert rows["Meeloopdag VIG"].places_left == 5
    assert rows["Meeloopdag VIG"].introductions_left_now == 1
    assert rows["BBL-plek thuiszorg"].introductions_left_now is None
    assert "5 van 8 plaatsen vrij" in page
    assert "nog 1 van 2 voorstel deze week" in page
    assert "2 plaatsen" in page  # the BBL place


def test_the_htmx_request_gets_the_results_only(client_a, offers):
    response = client_a.get(LIST, {"kind": "open_huis"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert "Open huis Assen" in page
    assert response["Vary"].count("HX-Request") == 1


def test_the_detail_page_shows_everything_including_the_contact_person(client_a, organisation_a):
    contact = ContactPersonFactory(
        organisation=organisation_a, name="Petra de Vries", email="petra@zorg.example", phone="+31612345678"
    )
    offer = OfferFactory(
        organisation=organisation_a,
        contact_person=contact,
        title="Open huis De Linde",
        description="Kom kijken op de afdeling.",
        capacity=10,
        max_introductions_per_week=4,
    )
    Offer.objects.filter(pk=offer.pk).update(registered_count=10, status=Status.FULL)
    RegistrationFactory(offer=offer, status=Registration.Status.WAITING)

    response = client_a.get(reverse("werkgevers:coordinator_offer", args=[offer.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Open huis De Linde",
        "Kom kijken op de afdeling.",
        "Petra de Vries",
        "petra@zorg.example",
        "06 12345678",
        "De Linde",
        "9711 AB",
        "Zorggroep Noord",
        "Vol",
        "0 van 10 plaatsen vrij",
        "1 persoon op de wachtlijst",
        "nog 4 van 4 voorstellen deze week",
        "Iedereen is welkom",
    ):
        assert text in page, text
