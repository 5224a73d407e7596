"""The inbox runs the same number of queries with 10 or 500 candidates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import bulk_candidates
from kandidaten.models import Status

pytestmark = pytest.mark.django_db

INBOX = reverse("kandidaten:inbox")

# The inbox, for a coordinator of one region and for an administrator alike:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS; BEGIN on a real request)
#  4. the colleagues for the "coordinator" filter
#  5. the regions for the "region" filter
#  6. COUNT of the filtered candidates (paginator)
#  7. the counts on top (open, overdue, unassigned) in one aggregate
#  8. branches for the filter
#  9. next steps for the filter
# 10. target groups for the filter
# 11. the 25 candidates of the page, with their region and coordinator (select_related)
# 12. RELEASE SAVEPOINT
INBOX_QUERIES = 12


def fill(region, count: int, coordinator) -> None:
    now = timezone.now()
    half = count // 2
    bulk_candidates(half, region=region, signed_up_at=now - timedelta(days=12), assigned_to=coordinator)
    bulk_candidates(count - half, region=region, signed_up_at=now, status=Status.IN_CONVERSATION)


@pytest.mark.parametrize("count", [10, 500])
def test_inbox_queries_do_not_grow_with_the_candidates(
    client_a, coordinator_a, region_a, count, django_assert_num_queries
):
    fill(region_a, count, coordinator_a)

    with django_assert_num_queries(INBOX_QUERIES):
        response = client_a.get(INBOX)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("count", [10, 500])
def test_inbox_queries_for_an_administrator(administrator_client, region_a, region_b, count, django_assert_num_queries):
    coordinator = CoordinatorFactory(regions=[region_a])
    fill(region_a, count // 2, coordinator)
    fill(region_b, count // 2, None)

    with django_assert_num_queries(INBOX_QUERIES):
        response = administrator_client.get(INBOX)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_searching_filtering_and_paging_keep_the_same_count(
    client_a, coordinator_a, region_a, count, django_assert_num_queries
):
    fill(region_a, count, coordinator_a)
    client_a.post(INBOX, {"q": "example.org"})  # the search text is kept in the session
    params = {"status": "open", "assigned": "me", "age": "overdue", "sort": "name", "page": "2"}

    with django_assert_num_queries(INBOX_QUERIES):
        response = client_a.get(INBOX, params)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_the_htmx_results_need_fewer_queries(client_a, coordinator_a, region_a, count, django_assert_num_queries):
    fill(region_a, count, coordinator_a)

    # No counts on top; the filter form is not rendered, but its choices are built.
    with django_assert_num_queries(INBOX_QUERIES - 4):
        client_a.get(INBOX, {"status": "open"}, headers={"HX-Request": "true"})
