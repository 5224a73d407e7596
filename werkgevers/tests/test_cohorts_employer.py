"""Employers see the BBL classes of their regions, pledge places and see who is placed with them."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import RegionFactory
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory
from kandidaten.models import ConsentPurpose
from werkgevers import cohorts as services
from werkgevers.factories import CohortFactory, CohortPledgeFactory, LocationFactory, OrganisationFactory
from werkgevers.models import CohortPlacement, CohortPledge

pytestmark = pytest.mark.django_db

LIST = reverse("werkgevers:employer_cohorts")


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def detail(cohort) -> str:
    return reverse("werkgevers:employer_cohort", args=[cohort.pk])


def pledge_url(cohort) -> str:
    return reverse("werkgevers:cohort_pledge", args=[cohort.pk])


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def cohort(region_a):
    return CohortFactory(region=region_a, name="BBL-carrousel VIG Groningen", start_date=in_days(120))


@pytest.fixture
def other_employer(region_a):
    organisation = OrganisationFactory(name="Zorg Oost", home_region=region_a)
    LocationFactory(organisation=organisation, region=region_a)
    return organisation


def place(cohort, pledge, **fields):
    candidate = CandidateFactory(region=cohort.region, **fields)
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=candidate)
    return candidate


def test_the_list_shows_the_classes_of_the_regions_with_a_location(employer_a_client, organisation_a, cohort, region_b):
    CohortFactory(region=region_b, name="Utrechtse klas")
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=3)
    place(cohort, pledge)

    response = employer_a_client.get(LIST)

    assert response.status_code == 200
    page = text(response)
    assert "BBL-carrousel VIG Groningen" in page
    assert "Utrechtse klas" not in page
    assert "1 van minimaal 16 geplaatst; 3 plaatsen toegezegd" in page
    assert "1 van 3 bezet" in page


def test_a_class_pledged_in_a_region_without_a_location_stays_visible(employer_b_client, organisation_b, cohort):
    CohortPledgeFactory(cohort=cohort, organisation=organisation_b)

    assert employer_b_client.get(detail(cohort)).status_code == 200


# The employer's list of classes:
#  1. the session, 2. the user, 3. SAVEPOINT
#  4. the count for the paginator
#  5. the page of classes with region, function, filling and the organisation's own pledge (subqueries)
#  6. RELEASE SAVEPOINT
LIST_QUERIES = 6


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_runs_a_fixed_number_of_queries(
    employer_a_client, region_a, organisation_a, other_employer, count, django_assert_num_queries
):
    for _number in range(count):
        cohort = CohortFactory(region=region_a)
        place(cohort, CohortPledgeFactory(cohort=cohort, organisation=organisation_a))
        place(cohort, CohortPledgeFactory(cohort=cohort, organisation=other_employer))

    with django_assert_num_queries(LIST_QUERIES):
        assert employer_a_client.get(LIST).status_code == 200


def test_the_page_shows_the_filling_the_warning_and_only_the_own_candidates(
    employer_a_client, organisation_a, other_employer, region_a
):
    cohort = CohortFactory(region=region_a, name="Bijna", start_date=in_days(30))
    own = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    theirs = CohortPledgeFactory(cohort=cohort, organisation=other_employer, places=8)
    place(cohort, own, first_name="Sanne", last_name="Sanders", consents=[ConsentPurpose.SHARE_WITH_EMPLOYERS])
    place(cohort, own, first_name="Pieter", last_name="Privé", consents=[ConsentPurpose.CONTACT])
    for number in range(5):
        place(cohort, theirs, first_name=f"Ander{number}", last_name="Elders")

    response = employer_a_client.get(detail(cohort))

    page = text(response)
    assert "7 van minimaal 16 geplaatst; 12 plaatsen toegezegd" in page
    assert "Let op: De klas start op" in page
    assert "er zijn nog 9 kandidaten nodig" in page
    assert "Je hebt 4 plaatsen toegezegd; 2 bezet, 2 vrij." in page
    assert "Sanne Sanders" in page
    assert "Pieter" in page
    assert "Privé" not in page
    assert "Ander" not in page
    assert "Elders" not in page
    assert "Zorg Oost" not in page
    assert "2 werkgevers doen mee." in page


def test_an_employer_pledges_places(employer_a_client, employer_a, organisation_a, cohort):
    response = employer_a_client.post(pledge_url(cohort), {"places": "3"})

    assert response.status_code == 302
    pledge = CohortPledge.objects.get()
    assert (pledge.organisation, pledge.places, pledge.pledged_by) == (organisation_a, 3, employer_a)
    assert "Je zegt 3 plaatsen toe in BBL-carrousel VIG Groningen. Bedankt!" in text(
        employer_a_client.get(response["Location"])
    )


def test_an_employer_changes_the_pledge(employer_a_client, organisation_a, cohort):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    place(cohort, pledge)

    employer_a_client.post(pledge_url(cohort), {"places": "1"})

    pledge.refresh_from_db()
    assert pledge.places == 1


def test_a_pledge_cannot_go_below_the_places_already_filled(employer_a_client, organisation_a, cohort):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    place(cohort, pledge)
    place(cohort, pledge)

    for places in ["1", "0"]:
        response = employer_a_client.post(pledge_url(cohort), {"places": places})
        assert response.status_code == 200
        assert "2 van jullie plaatsen zijn al bezet: je kunt niet minder dan 2 toezeggen." in text(response)
    pledge.refresh_from_db()
    assert pledge.places == 4


def test_the_service_refuses_a_reduction_below_the_filled_places_too(employer_a, organisation_a, cohort):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=2)
    place(cohort, pledge)
    place(cohort, pledge)

    with pytest.raises(services.CohortRefused) as refused:
        services.cohort_pledge(cohort=cohort, organisation=organisation_a, places=1, actor=employer_a)

    assert refused.value.code == "below_filled"


def test_zero_takes_an_unfilled_pledge_back(employer_a_client, organisation_a, cohort):
    CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)

    response = employer_a_client.post(pledge_url(cohort), {"places": "0"}, follow=True)

    assert not CohortPledge.objects.exists()
    assert "Je toezegging voor BBL-carrousel VIG Groningen is ingetrokken." in text(response)


@pytest.mark.parametrize(
    ("places", "error"),
    [
        ("19", "De klas heeft maximaal 18 deelnemers: zeg 18 plaatsen of minder toe."),
        ("41", "Vul een heel getal van 0 tot en met 40 in."),
        ("-2", "Vul een heel getal van 0 tot en met 40 in."),
        ("drie", "Vul een heel getal van 0 tot en met 40 in."),
        ("", "Dit veld is verplicht."),
        ("<script>", "Vul een heel getal van 0 tot en met 40 in."),
    ],
)
def test_bad_input_gets_a_dutch_error(employer_a_client, cohort, places, error):
    response = employer_a_client.post(pledge_url(cohort), {"places": places})

    assert response.status_code == 200
    assert error in text(response)
    assert not CohortPledge.objects.exists()


def test_a_class_that_has_started_takes_no_pledges(employer_a_client, region_a, employer_a, organisation_a):
    cohort = CohortFactory(region=region_a, start_date=in_days(-7))

    page = text(employer_a_client.get(detail(cohort)))
    response = employer_a_client.post(pledge_url(cohort), {"places": "2"})

    assert "De klas is al begonnen: toezeggingen kunnen niet meer worden gewijzigd." in page
    assert "De klas is al begonnen" in text(response)
    assert not CohortPledge.objects.exists()


def test_an_employer_without_a_location_in_the_region_gets_404(employer_b_client, cohort, organisation_a):
    CohortPledgeFactory(cohort=cohort, organisation=organisation_a)

    assert employer_b_client.get(detail(cohort)).status_code == 404
    assert employer_b_client.post(pledge_url(cohort), {"places": "2"}).status_code == 404
    assert "BBL-carrousel VIG Groningen" not in text(employer_b_client.get(LIST))
    assert CohortPledge.objects.count() == 1


def test_an_inactive_location_still_counts_but_a_location_elsewhere_does_not(client, cohort):
    from werkgevers.factories import EmployerFactory

    organisation = OrganisationFactory(name="Elders Zorg", home_region=RegionFactory(name="Zeeland", slug="zeeland"))
    LocationFactory(organisation=organisation, region=organisation.home_region)
    log_in(client, EmployerFactory(organisation=organisation))

    assert client.get(detail(cohort)).status_code == 404


@pytest.mark.parametrize("client_name", ["client_a", "administrator_client"])
def test_coordinators_use_the_dashboard_not_the_employer_portal(request, client_name, cohort):
    user_client = request.getfixturevalue(client_name)

    assert user_client.get(LIST).status_code == 403
    assert user_client.get(detail(cohort)).status_code == 403
    assert user_client.post(pledge_url(cohort), {"places": "2"}).status_code == 403


def test_anonymous_people_are_sent_to_the_login_page(client, cohort):
    for response in [client.get(LIST), client.get(detail(cohort)), client.post(pledge_url(cohort), {"places": "2"})]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# The employer's page of one class:
#  1. the session, 2. the user, 3. SAVEPOINT
#  4. the class with region, function and its filling
#  5. the organisation's pledge
#  6. the placements with the organisation, with their candidate, 7. those candidates' consents
#  8. the number of employers taking part
#  9. the audit rows, one per placed candidate shown, in one INSERT
# 10. RELEASE SAVEPOINT
DETAIL_QUERIES = 10


@pytest.mark.parametrize("placed", [1, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    employer_a_client, organisation_a, cohort, placed, django_assert_num_queries
):
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=12)
    for _number in range(placed):
        place(cohort, pledge)

    with django_assert_num_queries(DETAIL_QUERIES):
        assert employer_a_client.get(detail(cohort)).status_code == 200
