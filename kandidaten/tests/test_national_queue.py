"""The national queue: candidates without a region, handed to a region by administrators."""

import pytest
from django.urls import reverse

from kandidaten.factories import CandidateFactory, bulk_candidates
from kandidaten.models import TimelineEvent

pytestmark = pytest.mark.django_db

QUEUE = reverse("kandidaten:national_queue")


def hand_over_url(candidate) -> str:
    return reverse("kandidaten:candidate_hand_over", args=[candidate.pk])


@pytest.fixture
def lost(db):
    return CandidateFactory(region=None, first_name="Lotte", last_name="Landelijk", postcode="1011 AB")


def test_administrators_see_the_candidates_without_a_region(administrator_client, lost, region_a):
    CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")

    response = administrator_client.get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Landelijke wachtrij" in page
    assert "Lotte Landelijk" in page
    assert "Anna Jansen" not in page
    assert 'for="region-' in page


def test_an_empty_queue_says_so(administrator_client, region_a):
    page = administrator_client.get(QUEUE).content.decode()

    assert "Geen kandidaten gevonden." in page


def test_coordinators_may_not_see_the_queue(client_a, lost):
    assert client_a.get(QUEUE).status_code == 403


def test_hand_over_to_a_region(administrator_client, administrator, client_b, lost, region_b):
    assert lost not in client_b.get(reverse("kandidaten:inbox")).context["page"].object_list

    response = administrator_client.post(hand_over_url(lost), {"region": region_b.pk, "next": QUEUE}, follow=True)

    assert response.redirect_chain[-1][0] == QUEUE
    assert "Lotte Landelijk is overgedragen aan Utrecht." in response.content.decode()
    lost.refresh_from_db()
    assert lost.region == region_b
    event = lost.timeline.get(kind=TimelineEvent.Kind.ROUTING)
    assert event.actor == administrator
    assert event.data["to"] == "Utrecht"
    assert [candidate.pk for candidate in client_b.get(reverse("kandidaten:inbox")).context["page"].object_list] == [
        lost.pk
    ]
    assert client_b.get(reverse("kandidaten:candidate", args=[lost.pk])).status_code == 200


def test_hand_over_needs_a_region(administrator_client, lost):
    response = administrator_client.post(hand_over_url(lost), {"region": ""}, follow=True)

    assert "Kies de regio die de kandidaat overneemt." in response.content.decode()
    lost.refresh_from_db()
    assert lost.region is None


def test_coordinators_may_not_hand_over(client_a, region_a, region_b):
    mine = CandidateFactory(region=region_a)

    assert client_a.post(hand_over_url(mine), {"region": region_b.pk}).status_code == 403
    mine.refresh_from_db()
    assert mine.region == region_a


def test_administrators_can_open_a_queued_candidate(administrator_client, lost, client_a):
    response = administrator_client.get(reverse("kandidaten:candidate", args=[lost.pk]))

    assert response.status_code == 200
    assert "Geen regio (landelijke wachtrij)" in response.content.decode()
    assert client_a.get(reverse("kandidaten:candidate", args=[lost.pk])).status_code == 404


# session, user, SAVEPOINT, COUNT, the page of candidates (with region and coordinator), the regions
# for the hand-over menus, RELEASE SAVEPOINT.
QUEUE_QUERIES = 7


@pytest.mark.parametrize("count", [10, 300])
def test_a_fixed_number_of_queries(administrator_client, region_a, count, django_assert_num_queries):
    bulk_candidates(count, region=None)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = administrator_client.get(QUEUE)

    assert len(response.context["page"].object_list) == min(count, 25)
