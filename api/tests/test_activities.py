"""The public activities for partner sites: the agenda to come, filterable, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from werkgevers.factories import OfferFactory
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db
URL = "/api/v1/activiteiten/"


@pytest.fixture
def agenda(organisation_a, organisation_b):
    soon = timezone.now() + timedelta(days=3)
    location_a, location_b = organisation_a.locations.get(), organisation_b.locations.get()
    return {
        "open_day": OfferFactory(
            organisation=organisation_a,
            location=location_a,
            kind=OfferKind.OPEN_HUIS,
            title="Open huis De Linde",
            status=Offer.Status.PUBLISHED,
            starts_at=soon,
            ends_at=soon + timedelta(hours=2),
            capacity=20,
        ),
        "utrecht": OfferFactory(
            organisation=organisation_b,
            location=location_b,
            kind=OfferKind.MEELOOPDAG,
            title="Meelopen in Utrecht",
            status=Offer.Status.PUBLISHED,
            starts_at=soon + timedelta(days=10),
            ends_at=soon + timedelta(days=10, hours=4),
        ),
        "internal": OfferFactory(
            organisation=organisation_a,
            location=location_a,
            kind=OfferKind.OPEN_HUIS,
            title="Alleen coördinatoren",
            status=Offer.Status.PUBLISHED,
            visibility=Offer.Visibility.COORDINATORS,
            starts_at=soon,
            ends_at=soon + timedelta(hours=1),
        ),
        "draft": OfferFactory(
            organisation=organisation_a,
            location=location_a,
            kind=OfferKind.OPEN_HUIS,
            title="Concept",
            status=Offer.Status.DRAFT,
            starts_at=soon,
            ends_at=soon + timedelta(hours=1),
        ),
        "past": OfferFactory(
            organisation=organisation_a,
            location=location_a,
            kind=OfferKind.OPEN_HUIS,
            title="Voorbij",
            status=Offer.Status.PUBLISHED,
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
        ),
    }


def test_only_published_public_activities_to_come_soonest_first(panel, agenda):
    body = panel.get(URL).json()

    assert [activity["title"] for activity in body["results"]] == ["Open huis De Linde", "Meelopen in Utrecht"]
    first = body["results"][0]
    assert first["region"] == {"slug": "noord-nederland", "name": "Noord-Nederland"}
    assert first["places_left"] == 20
    assert first["url"].endswith(f"/agenda/{agenda['open_day'].pk}/")
    assert "contact_person" not in first


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"region": "utrecht"}, ["Meelopen in Utrecht"]),
        ({"kind": OfferKind.OPEN_HUIS}, ["Open huis De Linde"]),
        ({"starts_after": (timezone.localdate() + timedelta(days=5)).isoformat()}, ["Meelopen in Utrecht"]),
        ({"starts_before": (timezone.localdate() + timedelta(days=5)).isoformat()}, ["Open huis De Linde"]),
    ],
    ids=["region", "kind", "after", "before"],
)
def test_filters(panel, agenda, query, titles):
    assert [activity["title"] for activity in panel.get(URL, query).json()["results"]] == titles


def test_an_unknown_filter_value_is_a_400_naming_the_filter(panel, agenda):
    response = panel.get(URL, {"region": "atlantis"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]


def test_the_list_takes_a_fixed_number_of_queries(panel, agenda, organisation_a, django_assert_max_num_queries):
    location = organisation_a.locations.get()
    for day in range(15):
        starts = timezone.now() + timedelta(days=20 + day)
        OfferFactory(
            organisation=organisation_a,
            location=location,
            kind=OfferKind.OPEN_HUIS,
            status=Offer.Status.PUBLISHED,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
    panel.get(URL)  # the key's last use is written once a minute

    # key, count, page, the call's record
    with django_assert_max_num_queries(4):
        response = panel.get(URL)
    assert response.json()["count"] == 17
