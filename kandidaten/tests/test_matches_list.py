"""'Nieuwe matches': the open suggestions of the user's regions, newest first, filtered and paged."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory, MatchFactory, bulk_candidates
from kandidaten.models import Match
from werkgevers.factories import LocationFactory, OfferFactory, PlaceOfferFactory

pytestmark = pytest.mark.django_db

URL = reverse("kandidaten:new_matches")


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def shown(response) -> list[Match]:
    return [row["match"] for row in response.context["rows"]]


@pytest.fixture
def world(region_a, region_b, organisation_a, organisation_b, coordinator_a):
    location_a = organisation_a.locations.get()
    location_b = organisation_b.locations.get()
    day = OfferFactory(organisation=organisation_a, location=location_a, title="Meeloopdag De Linde")
    place = PlaceOfferFactory(organisation=organisation_a, location=location_a, title="BBL-plek VIG De Linde")
    utrecht = OfferFactory(organisation=organisation_b, location=location_b, title="Open huis Het Baken")
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Noord", assigned_to=coordinator_a)
    bram = CandidateFactory(region=region_a, first_name="Bram", last_name="Noord")
    carla = CandidateFactory(region=region_b, first_name="Carla", last_name="Utrecht", postcode="3511 AA")
    now = timezone.now()
    matches = {
        "anna_day": MatchFactory(candidate=anna, offer=day, score=80, created_at=now - timedelta(hours=3)),
        "anna_place": MatchFactory(candidate=anna, offer=place, score=55, created_at=now - timedelta(hours=1)),
        "bram_day": MatchFactory(candidate=bram, offer=day, score=62, created_at=now - timedelta(hours=2)),
        "carla": MatchFactory(candidate=carla, offer=utrecht, score=90, created_at=now),
    }
    return matches


def test_the_open_suggestions_of_my_region_newest_first(client_a, world):
    response = client_a.get(URL)

    assert response.status_code == 200
    assert shown(response) == [world["anna_place"], world["bram_day"], world["anna_day"]]
    page = text(response)
    assert "Nieuwe matches" in page
    assert "3 open voorstellen" in page
    assert "Carla" not in page and "Het Baken" not in page


def test_each_row_has_candidate_offer_score_reasons_and_actions(client_a, world):
    page = text(client_a.get(URL))

    assert "Anna Noord → voor Meeloopdag De Linde score 80" in page
    assert "Opgepakt door" in page
    assert "Meeloopdag · Zorggroep Noord · Groningen" in page
    for reason in ("6 km van huis", "wil graag een meeloopdag", "interesse in VVT / ouderenzorg", "start over"):
        assert reason in page, reason
    assert page.count("Aanmelden voor deze activiteit") == 2  # the two meeloopdagen
    assert page.count("Accepteren: voorstellen aan de werkgever") == 1  # the BBL place
    assert page.count("Voorstel afwijzen") == 3


def test_administrators_see_every_region(administrator_client, world):
    assert len(shown(administrator_client.get(URL))) == 4


def test_decided_and_closed_suggestions_are_not_new(client_a, world, coordinator_a):
    Match.objects.filter(pk=world["anna_day"].pk).update(status=Match.Status.REJECTED, reject_reason="other")
    world["anna_place"].offer.status = "closed"
    world["anna_place"].offer.save(update_fields=["status"])

    assert shown(client_a.get(URL)) == [world["bram_day"]]


def test_filter_on_kind(client_a, world):
    assert shown(client_a.get(URL, {"kind": "bbl_plek"})) == [world["anna_place"]]


def test_filter_on_minimum_score(client_a, world):
    assert shown(client_a.get(URL, {"min_score": "60"})) == [world["bram_day"], world["anna_day"]]


def test_filter_on_the_candidates_coordinator(client_a, world, coordinator_a):
    assert shown(client_a.get(URL, {"coordinator": "me"})) == [world["anna_place"], world["anna_day"]]
    assert shown(client_a.get(URL, {"coordinator": "none"})) == [world["bram_day"]]
    assert shown(client_a.get(URL, {"coordinator": str(coordinator_a.pk)})) != []


def test_a_coordinator_of_one_region_has_no_region_filter(client_a, world):
    assert "region" not in client_a.get(URL).context["filter"].form.fields


def test_region_filter_for_a_coordinator_of_two_regions(world, region_a, region_b, client):
    both = CoordinatorFactory(regions=[region_a, region_b])
    log_in(client, both)

    everything = shown(client.get(URL))
    utrecht = shown(client.get(URL, {"region": str(region_b.pk)}))

    assert len(everything) == 4
    assert utrecht == [world["carla"]]


def test_region_filter_for_administrators(administrator_client, world, region_a):
    assert len(shown(administrator_client.get(URL, {"region": str(region_a.pk)}))) == 3


def test_a_region_that_is_not_mine_shows_nothing_of_it(client_a, world, region_b):
    response = client_a.get(URL, {"region": str(region_b.pk)})

    assert response.status_code == 200
    assert "Carla" not in text(response)


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"min_score": "veel"}, "Vul een heel getal van 0 tot en met 100 in."),
        ({"min_score": "101"}, "Vul een heel getal van 0 tot en met 100 in."),
        ({"min_score": "-1"}, "Vul een heel getal van 0 tot en met 100 in."),
        ({"kind": "<script>alert(1)</script>"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"coordinator": "99999"}, "Kies een van de mogelijkheden uit de lijst."),
    ],
)
def test_bad_filter_values_get_a_dutch_error_not_a_500(client_a, world, params, error):
    response = client_a.get(URL, params)

    assert response.status_code == 200
    assert error in text(response)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_nothing_found_says_so(client_a, world):
    assert "Geen open voorstellen met deze filters." in text(client_a.get(URL, {"min_score": "99"}))


def test_pages_of_25(client_a, world, region_a, organisation_a):
    day = world["anna_day"].offer
    Match.objects.bulk_create(
        Match(candidate=person, offer=day, score=50, reasons=[["kind", "meeloopdag"]])
        for person in bulk_candidates(30, region=region_a)
    )

    first = client_a.get(URL)
    second = client_a.get(URL, {"page": "2"})

    assert len(shown(first)) == 25
    assert len(shown(second)) == 8
    assert "Pagina 1 van 2" in text(first)


def test_the_menu_has_new_matches_for_coordinators(client_a, employer_a_client, world):
    assert f'href="{URL}"' in client_a.get(reverse("kandidaten:inbox")).content.decode()
    assert 'aria-current="page" href="' + URL in client_a.get(URL).content.decode()
    assert URL not in employer_a_client.get(reverse("werkgevers:employer_home")).content.decode()


# The list, for a coordinator of one region:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. the coordinator's regions (the region filter: left out for one region)
#  5. the colleagues of those regions (the coordinator filter)
#  6. the number of open suggestions (the paginator)
#  7. the ids of one page of suggestions (matches and offers only: the open-offer rule and the order)
#  8. those suggestions with candidate, region, coordinator, offer, organisation and location, and
#     whether the user may open the offer (a subquery)
#  9. RELEASE SAVEPOINT
NEW_MATCHES_QUERIES = 9


@pytest.mark.parametrize("count", [10, 500])
def test_the_list_runs_a_fixed_number_of_queries(client_a, region_a, organisation_a, count, django_assert_num_queries):
    location = organisation_a.locations.get()
    offers = [OfferFactory(organisation=organisation_a, location=location) for _ in range(5)]
    offers.append(PlaceOfferFactory(organisation=organisation_a, location=location))
    people = bulk_candidates(count // 5 + 1, region=region_a)
    reasons = [["distance", 6], ["kind", "meeloopdag"], ["branch", "VVT / ouderenzorg"], ["hours", 24]]
    Match.objects.bulk_create(
        (Match(candidate=person, offer=offer, score=50, reasons=reasons) for person in people for offer in offers),
    )
    assert Match.objects.count() >= count

    with django_assert_num_queries(NEW_MATCHES_QUERIES):
        response = client_a.get(URL, {"kind": "meeloopdag", "min_score": "10", "coordinator": "none"})

    assert len(response.context["rows"]) == min(25, len(people) * 5)  # the meeloopdagen only


def test_the_administrators_list_runs_a_fixed_number_of_queries(
    administrator_client, region_a, organisation_a, django_assert_num_queries
):
    location = organisation_a.locations.get()
    offer = OfferFactory(organisation=organisation_a, location=location)
    Match.objects.bulk_create(
        Match(candidate=person, offer=offer, score=50, reasons=[]) for person in bulk_candidates(40, region=region_a)
    )

    with django_assert_num_queries(NEW_MATCHES_QUERIES):  # all regions instead of the user's: the same number
        administrator_client.get(URL)


def test_an_offer_across_the_border_is_shown_without_a_link(client_a, world, organisation_b, region_a):
    location = LocationFactory(organisation=organisation_b, postcode="3511 AB", region=organisation_b.home_region)
    outside = OfferFactory(organisation=organisation_b, location=location, title="Meeloopdag Zeist")
    MatchFactory(candidate=world["bram_day"].candidate, offer=outside)

    page = client_a.get(URL).content.decode()

    assert "Meeloopdag Zeist" in page
    assert reverse("werkgevers:coordinator_offer", args=[outside.pk]) not in page
    assert reverse("werkgevers:coordinator_offer", args=[world["bram_day"].offer_id]) in page
