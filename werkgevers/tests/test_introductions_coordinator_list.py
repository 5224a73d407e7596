"""The coordinator's list of introductions at /dashboard/voorstellen/: their regions only, filters."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kandidaten.factories import CandidateFactory
from werkgevers.factories import IntroductionFactory, LocationFactory, OrganisationFactory, PlaceOfferFactory
from werkgevers.introductions import waiting_long
from werkgevers.models import Introduction

pytestmark = pytest.mark.django_db

LIST = reverse("werkgevers:coordinator_introductions")


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def offer_a(organisation_a):
    return PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="BBL VIG")


@pytest.fixture
def offer_b(organisation_b):
    return PlaceOfferFactory(organisation=organisation_b, location=organisation_b.locations.get(), title="BBL Utrecht")


@pytest.fixture
def world(region_a, region_b, offer_a, offer_b, coordinator_a):
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Alberts")
    bram = CandidateFactory(region=region_a, first_name="Bram", last_name="Bos")
    utrecht = CandidateFactory(region=region_b, first_name="Ursula", last_name="Utrecht")
    return {
        "open": IntroductionFactory(candidate=anna, offer=offer_a, introduced_by=coordinator_a),
        "closed": IntroductionFactory(
            candidate=bram, offer=offer_a, status=Introduction.Status.NOT_SUITABLE, reason="Te weinig uren"
        ),
        "other_employer": IntroductionFactory(candidate=bram, offer=offer_b, status=Introduction.Status.INVITED),
        "other_region": IntroductionFactory(candidate=utrecht, offer=offer_b),
    }


def test_the_list_shows_the_introductions_of_the_regions_candidates_open_first(client_a, world):
    response = client_a.get(LIST)

    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert set(listed[:2]) == {world["open"], world["other_employer"]}
    assert listed[2:] == [world["closed"]]
    page = text(response)
    assert "Anna Alberts" in page
    assert "Te weinig uren" in page
    assert "Ursula" not in page
    assert "3 voorstellen" in page


def test_an_administrator_sees_every_region(administrator_client, world):
    assert len(administrator_client.get(LIST).context["page"].object_list) == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, {"open", "other_employer"}),
        ({"status": "not_suitable"}, {"closed"}),
        ({"status": "invited"}, {"other_employer"}),
    ],
)
def test_filter_by_status(client_a, world, params, expected):
    listed = set(client_a.get(LIST, params).context["page"].object_list)

    assert listed == {world[name] for name in expected}


def test_filter_by_employer(client_a, world, organisation_b):
    response = client_a.get(LIST, {"organisation": organisation_b.pk})

    assert list(response.context["page"].object_list) == [world["other_employer"]]


def test_an_employer_without_introductions_of_the_region_is_not_offered_as_filter(client_a, world, region_b):
    far_away = OrganisationFactory(name="Ver Weg Zorg", home_region=region_b)
    LocationFactory(organisation=far_away, region=region_b)

    response = client_a.get(LIST, {"organisation": far_away.pk})

    assert far_away not in response.context["filter"].form.fields["organisation"].queryset
    assert "Ver Weg Zorg" not in response.content.decode().split("<select", 2)[2]


def test_filter_waiting_longer_than_five_working_days(client_a, world, offer_a, region_a):
    long_ago = IntroductionFactory(
        candidate=CandidateFactory(region=region_a),
        offer=offer_a,
        created_at=timezone.now() - timedelta(days=10),
    )
    answered_long_ago = IntroductionFactory(
        candidate=CandidateFactory(region=region_a),
        offer=offer_a,
        status=Introduction.Status.INVITED,
        created_at=timezone.now() - timedelta(days=10),
    )

    response = client_a.get(LIST, {"waiting": "on"})

    assert list(response.context["page"].object_list) == [long_ago]
    assert answered_long_ago not in response.context["page"].object_list
    assert "Wacht langer dan 5 werkdagen" in text(response)


def test_five_working_days_is_not_yet_long(offer_a, region_a):
    """On Monday 9 November 2026, an introduction of Monday 2 November has waited five working days
    (3, 4, 5, 6 and 9 November): not yet long. One of Friday 30 October has waited six."""
    now = datetime(2026, 11, 9, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    IntroductionFactory(candidate=CandidateFactory(region=region_a), offer=offer_a, created_at=now - timedelta(days=7))
    six_days = IntroductionFactory(
        candidate=CandidateFactory(region=region_a), offer=offer_a, created_at=now - timedelta(days=10)
    )

    assert list(waiting_long(Introduction.objects.all(), now)) == [six_days]


@pytest.mark.parametrize(
    "params", [{"status": "nonsense"}, {"organisation": "abc"}, {"organisation": "999999"}, {"waiting": "<script>"}]
)
def test_unknown_filter_values_never_break_the_page(client_a, world, params):
    response = client_a.get(LIST, params)

    assert response.status_code == 200


def test_no_introductions_says_how_to_make_one(client_a):
    assert "Nog geen voorstellen. Stel een kandidaat voor vanaf de pagina van de kandidaat." in text(client_a.get(LIST))


# The coordinator's list:
#  1. the session, 2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. the count for the paginator
#  5. the page of introductions with candidate, offer, organisation, location and coordinator
#  6. the employers for the filter (those with an introduction the user may see)
#  7. RELEASE SAVEPOINT
LIST_QUERIES = 7


@pytest.mark.parametrize("count", [2, 40])
def test_the_list_runs_a_fixed_number_of_queries(client_a, offer_a, region_a, count, django_assert_num_queries):
    for _number in range(count):
        IntroductionFactory(candidate=CandidateFactory(region=region_a), offer=offer_a)

    with django_assert_num_queries(LIST_QUERIES):
        response = client_a.get(LIST, {"status": "open"})

    assert response.status_code == 200


def test_employers_get_403(employer_a_client):
    assert employer_a_client.get(LIST).status_code == 403


def test_anonymous_people_are_sent_to_the_login_page(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
