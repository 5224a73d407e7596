"""The offer lists run the same number of queries with 10 or 1,000 offers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Function
from contactpunt.testing import log_in
from werkgevers.factories import IntroductionFactory
from werkgevers.models import Offer, OfferKind

from .offers_helpers import bulk_offers

pytestmark = pytest.mark.django_db

Status = Offer.Status
COORDINATOR_LIST = reverse("werkgevers:coordinator_offers")
EMPLOYER_LIST = reverse("werkgevers:employer_offers")

# The coordinators' offer list, for a coordinator of one region and for an administrator alike:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. the regions for the "region" filter (dropped again for a coordinator of one region)
#  5. COUNT of the filtered offers (paginator)
#  6. the 25 offers of the page, with organisation, location, region and branch (select_related),
#     introductions this week (COUNT annotation) and the shown status (CASE annotation)
#  7. their functions (prefetch_related)
#  8. branches for the filter
#  9. functions for the filter
# 10. RELEASE SAVEPOINT
COORDINATOR_QUERIES = 10

# The employer's list:
#  1. the session
#  2. the user
#  3. SAVEPOINT (ATOMIC_REQUESTS)
#  4. COUNT of the filtered offers (paginator)
#  5. the 25 offers of the page, with branch and location, and the shown status
#  6. the number of offers per tab (one aggregate)
#  7. RELEASE SAVEPOINT
EMPLOYER_QUERIES = 7


def fill(organisation, count: int) -> None:
    """Offers of every kind and status; some with functions and introductions this week."""
    now = timezone.now()
    quarter = count // 4
    bulk_offers(quarter, organisation, status=Status.PUBLISHED, max_introductions_per_week=3)
    bulk_offers(quarter, organisation, status=Status.FULL, starts_at=now - timedelta(days=1))
    bulk_offers(
        quarter,
        organisation,
        kind=OfferKind.BBL_PLEK,
        starts_at=None,
        ends_at=None,
        capacity=None,
        places=3,
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    bulk_offers(count - 3 * quarter, organisation, status=Status.CLOSED)
    bulk_offers(5, organisation, status=Status.DRAFT)
    vig = Function.objects.get(slug="vig")
    through = Offer.functions.through
    through.objects.bulk_create(
        through(offer_id=pk, function_id=vig.pk) for pk in organisation.offers.values_list("pk", flat=True)
    )
    for offer in organisation.offers.filter(max_introductions_per_week=3)[:2]:
        IntroductionFactory(offer=offer)


@pytest.mark.parametrize("count", [10, 1000])
def test_coordinator_list_queries_do_not_grow_with_the_offers(
    client_a, organisation_a, count, django_assert_num_queries
):
    fill(organisation_a, count)

    with django_assert_num_queries(COORDINATOR_QUERIES):
        response = client_a.get(COORDINATOR_LIST)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == count
    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("count", [10, 1000])
def test_coordinator_list_queries_with_every_filter(client_a, organisation_a, count, django_assert_num_queries):
    fill(organisation_a, count)
    vig = Function.objects.get(slug="vig")
    today = timezone.localdate()
    params = {
        "status": "open",
        "kind": "meeloopdag",
        "branch": organisation_a.offers.first().branch_id,
        "function": vig.pk,
        "q": "Groningen",
        "date_from": today.isoformat(),
        "date_to": (today + timedelta(days=30)).isoformat(),
        "page": "2",
    }

    # Two more: the chosen branch and function are looked up to validate the filter form.
    with django_assert_num_queries(COORDINATOR_QUERIES + 2):
        response = client_a.get(COORDINATOR_LIST, params)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_coordinator_list_queries_for_an_administrator(
    administrator_client, organisation_a, organisation_b, count, django_assert_num_queries
):
    fill(organisation_a, count // 2)
    fill(organisation_b, count // 2)

    with django_assert_num_queries(COORDINATOR_QUERIES):
        response = administrator_client.get(COORDINATOR_LIST)

    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", [10, 1000])
def test_coordinator_list_queries_for_a_coordinator_of_two_regions(
    region_a, region_b, organisation_a, organisation_b, count, django_assert_num_queries
):
    from django.test import Client

    fill(organisation_a, count // 2)
    fill(organisation_b, count // 2)
    client = Client()
    log_in(client, CoordinatorFactory(regions=[region_a, region_b]))

    with django_assert_num_queries(COORDINATOR_QUERIES):
        response = client.get(COORDINATOR_LIST)

    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", [10, 1000])
def test_employer_list_queries_do_not_grow_with_the_offers(
    employer_a_client, organisation_a, count, django_assert_num_queries
):
    fill(organisation_a, count)

    with django_assert_num_queries(EMPLOYER_QUERIES):
        response = employer_a_client.get(EMPLOYER_LIST)
    with django_assert_num_queries(EMPLOYER_QUERIES):
        employer_a_client.get(EMPLOYER_LIST, {"status": "expired", "kind": "bbl_plek", "page": "2"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == count + 5
