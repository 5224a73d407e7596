"""The employer's offers at /werkgever/aanbod/: tabs per status with counts, kind filter, sign-ups, detail page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import TargetGroup
from werkgevers.factories import OfferFactory, PlaceOfferFactory
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db

LIST = reverse("werkgevers:employer_offers")
Status = Offer.Status


@pytest.fixture
def offers(organisation_a, organisation_b):
    now = timezone.now()
    made = {
        "draft": OfferFactory(organisation=organisation_a, title="Concept meeloopdag", status=Status.DRAFT),
        "published": OfferFactory(
            organisation=organisation_a, title="Open huis", kind=OfferKind.OPEN_HUIS, capacity=20
        ),
        "full": OfferFactory(organisation=organisation_a, title="Volle speeddate", status=Status.FULL, capacity=4),
        "past": OfferFactory(organisation=organisation_a, title="Gisteren", starts_at=now - timedelta(days=1)),
        "expired": PlaceOfferFactory(organisation=organisation_a, title="Oude BBL", status=Status.EXPIRED),
        "closed": PlaceOfferFactory(organisation=organisation_a, title="Gesloten stage", status=Status.CLOSED),
        "other": OfferFactory(organisation=organisation_b, title="Utrechts aanbod"),
    }
    Offer.objects.filter(pk=made["published"].pk).update(registered_count=7)
    Offer.objects.filter(pk=made["full"].pk).update(registered_count=4)
    return made


def titles(response) -> list[str]:
    return sorted(offer.title for offer in response.context["page"])


def test_the_list_shows_the_organisations_own_offers(employer_a_client, offers):
    response = employer_a_client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == sorted(
        ["Concept meeloopdag", "Open huis", "Volle speeddate", "Gisteren", "Oude BBL", "Gesloten stage"]
    )
    assert "Utrechts aanbod" not in page
    assert "7 van 20" in page
    assert "4 van 4" in page


def test_tabs_count_the_offers_per_shown_status(employer_a_client, offers):
    tabs = {value: count for value, _label, count in employer_a_client.get(LIST).context["tabs"]}

    # The past activity is published in the database, but counted (and shown) as expired.
    assert tabs == {"": 6, "draft": 1, "published": 1, "full": 1, "expired": 2, "closed": 1}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "draft"}, ["Concept meeloopdag"]),
        ({"status": "published"}, ["Open huis"]),
        ({"status": "full"}, ["Volle speeddate"]),
        ({"status": "expired"}, ["Gisteren", "Oude BBL"]),
        ({"status": "closed"}, ["Gesloten stage"]),
        ({"kind": "bbl_plek"}, ["Gesloten stage", "Oude BBL"]),
        ({"kind": "open_huis", "status": "published"}, ["Open huis"]),
    ],
)
def test_tabs_and_kind_filter(employer_a_client, offers, params, expected):
    assert titles(employer_a_client.get(LIST, params)) == expected


@pytest.mark.parametrize("params", [{"status": "weg"}, {"kind": "<script>"}, {"page": "9999"}])
def test_bad_filter_values_never_give_a_server_error(employer_a_client, offers, params):
    assert employer_a_client.get(LIST, params).status_code == 200


def test_an_empty_list_invites_to_add_an_offer(employer_a_client):
    page = employer_a_client.get(LIST).content.decode()

    assert "Jullie hebben nog geen aanbod." in page
    assert reverse("werkgevers:offer_create") in page


def test_the_detail_page_shows_every_field_the_status_actions_and_the_sign_ups(employer_a_client, offers):
    offer = offers["published"]
    offer.target_groups.set(TargetGroup.objects.filter(slug="herintreder"))

    response = employer_a_client.get(reverse("werkgevers:offer_detail", args=[offer.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Open huis",
        "Gepubliceerd",
        "Herintreder",
        "7 van 20 plaatsen bezet",
        offer.location.name,
        "Kopie maken",
    ):
        assert text in page, text
    assert reverse("werkgevers:offer_registrations", args=[offer.pk]) in page
    assert reverse("werkgevers:offer_edit", args=[offer.pk]) in page
    assert reverse("werkgevers:offer_copy", args=[offer.pk]) in page
    assert 'value="close"' in page
    assert 'value="unpublish"' not in page  # people signed up


def test_a_place_has_no_link_to_sign_ups(employer_a_client, offers):
    offer = offers["expired"]

    page = employer_a_client.get(reverse("werkgevers:offer_detail", args=[offer.pk])).content.decode()

    assert reverse("werkgevers:offer_registrations", args=[offer.pk]) not in page
    assert "24 tot 32 uur" in page
    assert "104 weken" in page
    assert "Verlopen" in page
