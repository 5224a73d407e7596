"""The employer's introductions: the list and the page of one introduction, with only the candidate
data the candidate agreed to share."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import EmployerUserFactory
from contactpunt.models import Branch, Function, NextStep
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory
from kandidaten.models import Consent, ConsentPurpose, TimelineEvent
from werkgevers.factories import EmployerFactory, IntroductionFactory, PlaceOfferFactory
from werkgevers.models import Introduction

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def detail(introduction) -> str:
    return reverse("werkgevers:introduction_detail", args=[introduction.pk])


LIST = reverse("werkgevers:employer_introductions")


def candidate(region, *, shares: bool, **fields):
    details = {
        "first_name": "Fatima",
        "last_name": "Bouzidi",
        "email": "fatima.bouzidi@example.org",
        "phone": "+31687654321",
        "postcode": "9712 CD",
        "place": "Groningen",
        "diplomas": "mbo Helpende Zorg en Welzijn",
        "hours_per_week": 28,
        **fields,
    }
    granted = [ConsentPurpose.CONTACT, ConsentPurpose.SHARE_WITH_EMPLOYERS] if shares else None
    person = CandidateFactory(region=region, consents=granted, **details)
    person.branches.add(Branch.objects.get(slug="vvt"))
    person.functions.add(Function.objects.get(slug="vig"))
    person.next_steps.add(NextStep.objects.get(slug="bbl"))
    return person


@pytest.fixture
def offer_a(organisation_a):
    return PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="BBL VIG")


@pytest.fixture
def coordinator_named(coordinator_a):
    coordinator_a.first_name, coordinator_a.last_name = "Carla", "Coördinator"
    coordinator_a.save()
    return coordinator_a


def test_with_consent_the_employer_sees_the_shared_profile(employer_a_client, region_a, offer_a, coordinator_named):
    introduction = IntroductionFactory(
        candidate=candidate(region_a, shares=True), offer=offer_a, introduced_by=coordinator_named
    )

    response = employer_a_client.get(detail(introduction))

    assert response.status_code == 200
    page = text(response)
    for expected in [
        "Fatima Bouzidi",
        "fatima.bouzidi@example.org",
        "06 87654321",
        "9712 CD Groningen",
        "mbo niveau 2",
        "mbo Helpende Zorg en Welzijn",
        "28",
        "VVT / ouderenzorg",
        "Verzorgende IG (VIG)",
        "BBL / werken en leren",
        "Gemotiveerde zij-instromer, wil graag in de ouderenzorg werken.",
        "Voorgesteld door Carla Coördinator",
        "Wacht op antwoord",
    ]:
        assert expected in page, expected
    assert "niet ingestemd" not in page


def test_without_consent_only_the_first_name_the_area_education_and_interests(employer_a_client, region_a, offer_a):
    introduction = IntroductionFactory(candidate=candidate(region_a, shares=False), offer=offer_a)

    response = employer_a_client.get(detail(introduction))

    page = text(response)
    for expected in [
        "Fatima",
        "9712 Groningen",
        "mbo niveau 2",
        "VVT / ouderenzorg",
        "Verzorgende IG (VIG)",
        "Gemotiveerde zij-instromer",
        "De kandidaat heeft (nog) niet ingestemd met het delen van contactgegevens met werkgevers. "
        "De regiocoördinator brengt jullie met elkaar in contact.",
    ]:
        assert expected in page, expected
    html = response.content.decode()
    for hidden in ["Bouzidi", "fatima.bouzidi", "87654321", "06 876", "9712 CD", "Helpende Zorg en Welzijn"]:
        assert hidden not in html, hidden


def test_the_latest_answer_counts_a_withdrawn_consent_hides_the_data(employer_a_client, region_a, offer_a):
    person = candidate(region_a, shares=True)
    Consent.objects.create(
        candidate=person,
        purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS,
        granted=False,
        text_version="2026-11",
        recorded_at=timezone.now() + timedelta(seconds=1),
    )
    introduction = IntroductionFactory(candidate=person, offer=offer_a)

    html = employer_a_client.get(detail(introduction)).content.decode()

    assert "Bouzidi" not in html
    assert "fatima.bouzidi" not in html


def test_a_consent_given_later_shows_the_data(employer_a_client, region_a, offer_a):
    person = candidate(region_a, shares=False)
    Consent.objects.create(
        candidate=person,
        purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS,
        granted=True,
        text_version="2026-11",
        recorded_at=timezone.now() + timedelta(seconds=1),
    )
    introduction = IntroductionFactory(candidate=person, offer=offer_a)

    assert "fatima.bouzidi@example.org" in text(employer_a_client.get(detail(introduction)))


def test_the_list_shows_the_organisations_introductions_open_ones_first(
    employer_a_client, region_a, offer_a, organisation_b
):
    closed = IntroductionFactory(
        candidate=candidate(region_a, shares=True), offer=offer_a, status=Introduction.Status.NOT_SUITABLE
    )
    closed.created_at = timezone.now() + timedelta(minutes=1)  # the newest, still after the open ones
    closed.save()
    sharing = IntroductionFactory(candidate=candidate(region_a, shares=True, email="a@example.org"), offer=offer_a)
    private = IntroductionFactory(
        candidate=CandidateFactory(region=region_a, first_name="Pieter", last_name="Geheim"), offer=offer_a
    )
    elsewhere = IntroductionFactory(
        offer=PlaceOfferFactory(organisation=organisation_b, title="Aanbod van een ander"),
        candidate=CandidateFactory(first_name="Olga", last_name="Anders"),
    )

    response = employer_a_client.get(LIST)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [private, sharing, closed]
    page = text(response)
    assert "Fatima Bouzidi" in page
    assert "Pieter" in page
    assert "Geheim" not in page
    assert "Olga" not in page
    assert elsewhere.offer.title not in page
    assert "2 voorstellen wachten op jouw antwoord of uitkomst" in page


def test_an_empty_list_says_what_will_appear(employer_a_client):
    assert "Nog geen voorstellen." in text(employer_a_client.get(LIST))


# The employer's list:
#  1. the session, 2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. the count for the paginator
#  5. the page of introductions with candidate, offer, location and the latest sharing consent (subquery)
#  6. the number of open introductions
#  7. RELEASE SAVEPOINT
LIST_QUERIES = 7


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    employer_a_client, region_a, offer_a, count, django_assert_num_queries
):
    for number in range(count):
        IntroductionFactory(
            offer=offer_a, candidate=CandidateFactory(region=region_a), status=["proposed", "invited"][number % 2]
        )

    with django_assert_num_queries(LIST_QUERIES):
        response = employer_a_client.get(LIST)

    assert response.status_code == 200


# The page of one introduction:
#  1. the session, 2. the user, 3. SAVEPOINT
#  4. the introduction with offer, location, contact person and coordinators
#  5. the candidate with region, 6. branches, 7. functions, 8. next steps, 9. consents (newest first)
# 10. the steps of this introduction in the candidate's timeline, with who took them
# 11. the audit row: the employer viewed the candidate's data
# 12. RELEASE SAVEPOINT
DETAIL_QUERIES = 12


@pytest.mark.parametrize("steps", [0, 3])
def test_the_page_of_one_introduction_runs_a_fixed_number_of_queries(
    employer_a_client, employer_a, region_a, offer_a, steps, django_assert_num_queries
):
    introduction = IntroductionFactory(candidate=candidate(region_a, shares=True), offer=offer_a)
    for _number in range(steps):
        TimelineEvent.objects.create(
            candidate=introduction.candidate,
            kind=TimelineEvent.Kind.INTRODUCTION,
            actor=employer_a,
            data={"event": "invited", "introduction_id": introduction.pk},
        )

    with django_assert_num_queries(DETAIL_QUERIES):
        assert employer_a_client.get(detail(introduction)).status_code == 200


def test_another_employers_introduction_is_not_found(employer_b_client, region_a, offer_a):
    introduction = IntroductionFactory(candidate=candidate(region_a, shares=True), offer=offer_a)

    assert employer_b_client.get(detail(introduction)).status_code == 404
    for name, data in [
        ("introduction_answer", {"decision": "invite"}),
        ("introduction_outcome", {"outcome": "started"}),
    ]:
        response = employer_b_client.post(reverse(f"werkgevers:{name}", args=[introduction.pk]), data)
        assert response.status_code == 404
    assert "Fatima" not in text(employer_b_client.get(LIST))
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED


def test_an_unknown_introduction_is_not_found(employer_a_client):
    assert employer_a_client.get(reverse("werkgevers:introduction_detail", args=[424242])).status_code == 404


@pytest.mark.parametrize("client_name", ["client_a", "administrator_client"])
def test_coordinators_and_administrators_do_not_use_the_employer_portal(request, client_name, region_a, offer_a):
    client = request.getfixturevalue(client_name)
    introduction = IntroductionFactory(candidate=candidate(region_a, shares=True), offer=offer_a)

    assert client.get(LIST).status_code == 403
    assert client.get(detail(introduction)).status_code == 403
    answer = reverse("werkgevers:introduction_answer", args=[introduction.pk])
    assert client.post(answer, {"decision": "invite"}).status_code == 403


def test_an_employer_user_without_an_organisation_is_refused(client, region_a):
    log_in(client, EmployerUserFactory(organisation=None))

    assert client.get(LIST).status_code == 403


def test_another_user_of_the_same_organisation_may_answer(client, region_a, offer_a, organisation_a):
    introduction = IntroductionFactory(candidate=candidate(region_a, shares=False), offer=offer_a)
    log_in(client, EmployerFactory(organisation=organisation_a))

    assert client.get(detail(introduction)).status_code == 200


def test_anonymous_people_are_sent_to_the_login_page(client, region_a, offer_a):
    introduction = IntroductionFactory(candidate=candidate(region_a, shares=True), offer=offer_a)

    for address in [LIST, detail(introduction)]:
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
