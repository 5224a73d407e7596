"""Assigning a candidate to yourself or a colleague of the candidate's region."""

import pytest
from django.urls import reverse

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import CandidateFactory
from kandidaten.models import TimelineEvent

pytestmark = pytest.mark.django_db


def url(candidate) -> str:
    return reverse("kandidaten:candidate_assign", args=[candidate.pk])


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")


def test_take_it_yourself_from_the_candidate_page(client_a, coordinator_a, anna):
    page = client_a.get(reverse("kandidaten:candidate", args=[anna.pk])).content.decode()
    assert "Ik pak deze kandidaat op" in page

    response = client_a.post(url(anna), {"assignee": coordinator_a.pk, "seen": ""}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("kandidaten:candidate", args=[anna.pk])
    assert "Anna Jansen is nu aan jou toegewezen." in response.content.decode()
    anna.refresh_from_db()
    assert anna.assigned_to == coordinator_a
    assert "Ik pak deze kandidaat op" not in response.content.decode()
    assert f"Opgepakt door {coordinator_a}" in response.content.decode()


def test_assign_to_a_colleague_of_the_region(client_a, coordinator_a, anna, region_a):
    colleague = CoordinatorFactory(first_name="Carla", last_name="Collega", regions=[region_a])

    response = client_a.post(url(anna), {"assignee": colleague.pk}, follow=True)

    assert "Anna Jansen is nu toegewezen aan Carla Collega." in response.content.decode()
    anna.refresh_from_db()
    assert anna.assigned_to == colleague
    event = anna.timeline.get(kind=TimelineEvent.Kind.ASSIGNMENT)
    assert event.actor == coordinator_a
    assert event.data["to_id"] == colleague.pk
    assert "Toegewezen aan Carla Collega" in response.content.decode()


def test_a_coordinator_of_another_region_is_a_form_error(client_a, coordinator_b, anna):
    response = client_a.post(url(anna), {"assignee": coordinator_b.pk})

    assert response.status_code == 200
    assert response.context["assign_form"].errors["assignee"]
    assert "Deze persoon werkt niet voor de regio van de kandidaat." in response.content.decode()
    anna.refresh_from_db()
    assert anna.assigned_to is None


@pytest.mark.parametrize("assignee", ["abc", "999999", "-1"])
def test_an_unknown_person_is_a_form_error(client_a, anna, assignee):
    response = client_a.post(url(anna), {"assignee": assignee})

    assert response.status_code == 200
    assert response.context["assign_form"].errors["assignee"]


def test_an_employer_user_cannot_be_assigned(client_a, anna, employer_user):
    response = client_a.post(url(anna), {"assignee": employer_user.pk})

    assert response.context["assign_form"].errors["assignee"]


def test_an_administrator_can_be_assigned_and_can_assign(administrator_client, administrator, anna, coordinator_a):
    administrator_client.post(url(anna), {"assignee": administrator.pk})
    anna.refresh_from_db()
    assert anna.assigned_to == administrator

    administrator_client.post(url(anna), {"assignee": coordinator_a.pk})
    anna.refresh_from_db()
    assert anna.assigned_to == coordinator_a


def test_unassign(client_a, coordinator_a, anna):
    client_a.post(url(anna), {"assignee": coordinator_a.pk})

    response = client_a.post(url(anna), {"assignee": ""}, follow=True)

    assert "Anna Jansen is aan niemand meer toegewezen." in response.content.decode()
    anna.refresh_from_db()
    assert anna.assigned_to is None
    assert "Aan niemand meer toegewezen" in response.content.decode()


def test_assigning_the_same_person_again_adds_nothing_to_the_timeline(client_a, coordinator_a, anna):
    client_a.post(url(anna), {"assignee": coordinator_a.pk})
    client_a.post(url(anna), {"assignee": coordinator_a.pk})

    assert anna.timeline.filter(kind=TimelineEvent.Kind.ASSIGNMENT).count() == 1


def test_get_is_not_allowed(client_a, anna):
    assert client_a.get(url(anna)).status_code == 405


def test_the_form_shows_who_handles_the_candidate_now(client_a, coordinator_a, anna):
    client_a.post(url(anna), {"assignee": coordinator_a.pk})

    page = client_a.get(reverse("kandidaten:candidate", args=[anna.pk])).content.decode()

    assert f'<option value="{coordinator_a.pk}" selected>' in page
