"""Coordinators follow the filling of their BBL classes and place candidates on pledged places."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import NextStep
from kandidaten import privacy
from kandidaten.factories import CandidateFactory
from kandidaten.models import ErasureRequest, Status, TimelineEvent
from werkgevers import cohorts as services
from werkgevers.factories import CohortFactory, CohortPledgeFactory, LocationFactory, OrganisationFactory
from werkgevers.models import CohortPlacement

pytestmark = pytest.mark.django_db

LIST = reverse("werkgevers:cohorts")


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def detail(cohort) -> str:
    return reverse("werkgevers:cohort_detail", args=[cohort.pk])


def place(cohort) -> str:
    return reverse("werkgevers:cohort_place", args=[cohort.pk])


def employer(region, name: str):
    organisation = OrganisationFactory(name=name, home_region=region)
    LocationFactory(organisation=organisation, region=region)
    return organisation


def fill(cohort, pledge, count: int) -> None:
    for _number in range(count):
        CohortPlacement.objects.create(
            cohort=cohort, pledge=pledge, candidate=CandidateFactory(region=cohort.region, signup_event=False)
        )


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def cohort(region_a):
    return CohortFactory(region=region_a, name="BBL-carrousel VIG Groningen", start_date=in_days(120))


def test_the_filling_against_the_minimum(client_a, cohort, organisation_a, region_a):
    first = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=8)
    second = CohortPledgeFactory(cohort=cohort, organisation=employer(region_a, "Zorg Oost"), places=6)
    fill(cohort, first, 7)
    fill(cohort, second, 4)

    page = text(client_a.get(detail(cohort)))

    assert "11 van minimaal 16 geplaatst; 14 plaatsen toegezegd" in page
    assert "Let op:" not in page  # the start is four months away
    assert "Zorggroep Noord 7 van 8 bezet" in page
    assert "Zorg Oost 4 van 6 bezet" in page


@pytest.mark.parametrize(
    ("days", "placed", "warned"),
    [(41, 15, True), (42, 15, True), (43, 15, False), (20, 16, False), (10, 0, True), (-1, 0, False)],
)
def test_a_warning_when_the_start_is_near_and_the_minimum_not_reached(
    client_a, region_a, organisation_a, days, placed, warned
):
    cohort = CohortFactory(region=region_a, start_date=in_days(days))
    fill(cohort, CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=18), placed)

    page = text(client_a.get(detail(cohort)))

    assert ("Let op: De klas start op" in page) is warned
    if warned:
        short = 16 - placed
        word = "kandidaat" if short == 1 else "kandidaten"
        assert f"het minimum is niet gehaald: er {'is' if short == 1 else 'zijn'} nog {short} {word} nodig." in page
    assert ("Let op:" in text(client_a.get(LIST))) is warned


def test_the_list_shows_the_classes_of_the_region_first_to_start_on_top(client_a, region_a, region_b):
    later = CohortFactory(region=region_a, name="Later", start_date=in_days(200))
    sooner = CohortFactory(region=region_a, name="Eerder", start_date=in_days(30))
    CohortFactory(region=region_b, name="Utrechtse klas")

    response = client_a.get(LIST)

    assert [cohort for cohort, _filling in response.context["rows"]] == [sooner, later]
    assert "Utrechtse klas" not in text(response)


# The coordinator's list of classes:
#  1. the session, 2. the user, 3. SAVEPOINT
#  4. the count for the paginator
#  5. the page of classes with region, function and their filling (two subqueries)
#  6. the number of the user's regions (to show the region per class)
#  7. RELEASE SAVEPOINT
LIST_QUERIES = 7


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_runs_a_fixed_number_of_queries(client_a, region_a, organisation_a, count, django_assert_num_queries):
    for _number in range(count):
        cohort = CohortFactory(region=region_a)
        fill(cohort, CohortPledgeFactory(cohort=cohort, organisation=organisation_a), 2)

    with django_assert_num_queries(LIST_QUERIES):
        assert client_a.get(LIST).status_code == 200


# The coordinator's page of one class:
#  1. the session, 2. the user, 3. SAVEPOINT
#  4. the class with region, function and its filling
#  5. the pledges with their organisation, 6. their placements with candidate and coordinator
#  7. the user's regions (who may be named)
#  8. the candidates the form offers
#  9. RELEASE SAVEPOINT
DETAIL_QUERIES = 9


@pytest.mark.parametrize("employers", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(client_a, cohort, region_a, employers, django_assert_num_queries):
    for number in range(employers):
        fill(cohort, CohortPledgeFactory(cohort=cohort, organisation=employer(region_a, f"Zorg {number}")), 2)
    CandidateFactory.create_batch(3, region=region_a)

    with django_assert_num_queries(DETAIL_QUERIES):
        assert client_a.get(detail(cohort)).status_code == 200


def test_placed_candidates_of_another_region_are_counted_not_named(client_a, cohort, organisation_a, region_b):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    CohortPlacement.objects.create(
        cohort=cohort, pledge=pledge, candidate=CandidateFactory(region=region_b, first_name="Ursula", last_name="Ut")
    )
    ours = CandidateFactory(region=cohort.region, first_name="Anna", last_name="Alberts")
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=ours)

    page = text(client_a.get(detail(cohort)))

    assert "Anna Alberts" in page
    assert "Ursula" not in page
    assert "Een kandidaat uit een andere regio" in page
    assert "2 van minimaal 16 geplaatst" in page


def test_placing_a_candidate(client_a, coordinator_a, cohort, organisation_a):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=2)
    anna = CandidateFactory(region=cohort.region, first_name="Anna", last_name="Alberts", status=Status.IN_CONVERSATION)

    response = client_a.post(place(cohort), {"candidate": anna.pk, "pledge": pledge.pk})

    assert response.status_code == 302
    placement = CohortPlacement.objects.get()
    assert (placement.candidate, placement.pledge, placement.placed_by) == (anna, pledge, coordinator_a)
    anna.refresh_from_db()
    assert anna.status == Status.REFERRED
    event = TimelineEvent.objects.get(candidate=anna, kind=TimelineEvent.Kind.COHORT)
    assert event.actor == coordinator_a
    assert event.data["cohort_id"] == cohort.pk
    assert event.data["organisation"] == "Zorggroep Noord"
    page = text(client_a.get(response["Location"]))
    assert "Anna Alberts is geplaatst in BBL-carrousel VIG Groningen op een plaats van Zorggroep Noord." in page
    assert "1 van minimaal 16 geplaatst; 2 plaatsen toegezegd" in page
    candidate_page = text(client_a.get(reverse("kandidaten:candidate", args=[anna.pk])))
    assert "Geplaatst in BBL-klas BBL-carrousel VIG Groningen" in candidate_page


def test_the_form_offers_open_candidates_of_the_region_those_wanting_bbl_first(
    client_a, cohort, organisation_a, region_b
):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    plain = CandidateFactory(region=cohort.region, last_name="Aalders")
    wants_bbl = CandidateFactory(region=cohort.region, last_name="Zwart")
    wants_bbl.next_steps.add(NextStep.objects.get(slug="bbl"), NextStep.objects.get(slug="meeloopdag"))
    placed = CandidateFactory(region=cohort.region)
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=placed)
    started = CandidateFactory(region=cohort.region, status=Status.STARTED)
    elsewhere = CandidateFactory(region=region_b)

    form = client_a.get(detail(cohort)).context["place_form"]

    offered = list(form.fields["candidate"].queryset)
    assert offered == [wants_bbl, plain]
    assert placed not in offered and started not in offered and elsewhere not in offered


def test_a_pledge_is_never_overfilled(client_a, cohort, organisation_a):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=1)
    fill(cohort, pledge, 1)
    anna = CandidateFactory(region=cohort.region)

    response = client_a.post(place(cohort), {"candidate": anna.pk, "pledge": pledge.pk})

    assert response.status_code == 200
    assert "Alle 1 plaatsen van Zorggroep Noord zijn bezet. Kies een andere werkgever." in text(response)
    assert CohortPlacement.objects.count() == 1


def test_a_class_never_holds_more_than_its_maximum(client_a, region_a, organisation_a):
    cohort = CohortFactory(region=region_a, min_size=2, max_size=3)
    fill(cohort, CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=3), 3)
    other = CohortPledgeFactory(cohort=cohort, organisation=employer(region_a, "Zorg Oost"), places=2)

    response = client_a.post(place(cohort), {"candidate": CandidateFactory(region=region_a).pk, "pledge": other.pk})

    assert "De klas is vol: ze heeft het maximum van 3 deelnemers." in text(response)
    assert CohortPlacement.objects.count() == 3
    assert "De klas is vol." in text(client_a.get(detail(cohort)))


def test_a_candidate_is_placed_once_per_class(client_a, cohort, organisation_a):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    anna = CandidateFactory(region=cohort.region, first_name="Anna", last_name="Alberts")
    client_a.post(place(cohort), {"candidate": anna.pk, "pledge": pledge.pk})

    response = client_a.post(place(cohort), {"candidate": anna.pk, "pledge": pledge.pk})

    assert "Anna Alberts is al in deze klas geplaatst." in text(response)
    assert CohortPlacement.objects.count() == 1


def test_the_service_refuses_too_when_two_coordinators_take_the_last_place(coordinator_a, cohort, organisation_a):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=1)
    first, second = CandidateFactory.create_batch(2, region=cohort.region)

    services.cohort_place(cohort=cohort, pledge=pledge, candidate=first, actor=coordinator_a)
    with pytest.raises(services.CohortRefused) as refused:
        services.cohort_place(cohort=cohort, pledge=pledge, candidate=second, actor=coordinator_a)

    assert refused.value.code == "pledge_full"


def test_an_erased_candidate_cannot_be_placed_even_by_a_crafted_post(client_a, coordinator_a, cohort, organisation_a):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    erased = CandidateFactory(region=cohort.region)
    privacy.erase_candidate(candidate=erased, via=ErasureRequest.Via.COORDINATOR, actor=coordinator_a)

    response = client_a.post(place(cohort), {"candidate": erased.pk, "pledge": pledge.pk})

    assert response.status_code == 200
    assert "De gegevens van deze kandidaat zijn verwijderd; deze kandidaat kan niet worden geplaatst." in text(response)
    assert not CohortPlacement.objects.exists()
    with pytest.raises(services.CohortRefused) as refused:
        services.cohort_place(cohort=cohort, pledge=pledge, candidate=erased, actor=coordinator_a)
    assert refused.value.code == "erased"


def test_a_candidate_of_another_region_cannot_be_placed(client_a, cohort, organisation_a, region_b):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    stranger = CandidateFactory(region=region_b)

    response = client_a.post(place(cohort), {"candidate": stranger.pk, "pledge": pledge.pk})

    assert response.status_code == 200
    assert "Deze kandidaat bestaat niet of hoort niet bij je regio." in text(response)
    assert not CohortPlacement.objects.exists()


def test_a_pledge_of_another_class_cannot_be_used(client_a, cohort, region_a, organisation_a):
    elsewhere = CohortPledgeFactory(cohort=CohortFactory(region=region_a), organisation=organisation_a)

    response = client_a.post(place(cohort), {"candidate": CandidateFactory(region=region_a).pk, "pledge": elsewhere.pk})

    assert "Deze werkgever heeft geen plaatsen in deze klas." in text(response)
    assert not CohortPlacement.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"candidate": "abc", "pledge": "1"}, {"candidate": "999999", "pledge": "999999"}, {"candidate": "<script>"}],
)
def test_bad_input_is_a_field_error(client_a, cohort, data):
    response = client_a.post(place(cohort), data)

    assert response.status_code == 200
    page = text(response)
    assert "Kies de kandidaat die je wilt plaatsen." in page or "hoort niet bij je regio" in page
    assert not CohortPlacement.objects.exists()


def test_a_class_of_another_region_is_not_found(client_b, cohort, organisation_a):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    candidate = CandidateFactory(region=cohort.region)

    assert client_b.get(detail(cohort)).status_code == 404
    assert client_b.post(place(cohort), {"candidate": candidate.pk, "pledge": pledge.pk}).status_code == 404
    assert "BBL-carrousel VIG Groningen" not in text(client_b.get(LIST))
    assert not CohortPlacement.objects.exists()


def test_an_administrator_sees_and_fills_every_class(administrator_client, cohort, organisation_a, region_b):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)

    assert administrator_client.get(detail(cohort)).status_code == 200
    response = administrator_client.post(
        place(cohort), {"candidate": CandidateFactory(region=region_b).pk, "pledge": pledge.pk}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["cohorts", "cohort_create", "cohort_detail", "cohort_place"])
def test_employers_get_403_and_anonymous_people_the_login_page(employer_a_client, client, cohort, name):
    address = reverse(f"werkgevers:{name}", args=[cohort.pk] if name in ("cohort_detail", "cohort_place") else [])
    method = "post" if name == "cohort_place" else "get"

    assert getattr(employer_a_client, method)(address).status_code == 403
    response = getattr(client, method)(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
