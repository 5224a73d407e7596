"""Both story lists run a fixed number of queries, with 10 stories as with 100."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campagne.factories import SubmittedStoryFactory
from campagne.models import Story

pytestmark = pytest.mark.django_db

# Employer list: session, user, the request's savepoint and its release, count, the page of stories
# with function and branch.
EMPLOYER_LIST_QUERIES = 6
# Moderation list: session, user, savepoint and release, count, the region and employer options of
# the filter, the page (with organisation, region and function).
MODERATION_QUERIES = 8
# A chosen region and employer are each looked up once when the filter form is checked.
CHOSEN_FILTER_QUERIES = 2


def many_stories(count: int, organisation, submitter) -> None:
    """`count` submitted stories: one from the factory (with its photo file), the rest sharing its file."""
    model = SubmittedStoryFactory(organisation=organisation, submitted_by=submitter)
    fields = {
        field.attname: getattr(model, field.attname)
        for field in Story._meta.concrete_fields
        if field.attname not in ("id", "first_name", "search_vector")
    }
    now = timezone.now()
    Story.objects.bulk_create(
        [Story(**{**fields, "first_name": f"Verteller{n}", "submitted_at": now}) for n in range(count - 1)]
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [10, 100])
def test_the_employer_list(employer_a_client, employer_a, organisation_a, count, django_assert_max_num_queries):
    many_stories(count, organisation_a, employer_a)

    with django_assert_max_num_queries(EMPLOYER_LIST_QUERIES):
        response = employer_a_client.get(reverse("campagne:employer_stories"))

    assert response.status_code == 200
    assert response.content.decode().count('href="/werkgever/verhalen/') >= min(count, 25)
    assert "Verteller" in response.content.decode()


@pytest.mark.parametrize("count", [10, 100])
def test_the_moderation_list(client_a, employer_a, organisation_a, count, django_assert_max_num_queries):
    many_stories(count, organisation_a, employer_a)

    with django_assert_max_num_queries(MODERATION_QUERIES):
        response = client_a.get(reverse("campagne:moderation"))

    assert response.status_code == 200
    assert f"{count} verhalen" in response.content.decode()


def test_filtered_and_paged_lists_cost_the_same(client_a, employer_a_client, employer_a, organisation_a, region_a):
    many_stories(60, organisation_a, employer_a)
    url = reverse("campagne:moderation")

    base = queries(client_a, url)
    filtered = queries(client_a, f"{url}?status=&region={region_a.pk}&organisation={organisation_a.pk}&q=vertel&page=2")
    employer = queries(employer_a_client, reverse("campagne:employer_stories") + "?page=3")

    assert base <= MODERATION_QUERIES
    assert filtered == base + CHOSEN_FILTER_QUERIES
    assert employer <= EMPLOYER_LIST_QUERIES


def test_the_moderation_list_filters(client_a, employer_a, organisation_a, region_a):
    many_stories(3, organisation_a, employer_a)
    Story.objects.filter(first_name="Verteller0").update(status=Story.Status.PUBLISHED)
    url = reverse("campagne:moderation")

    waiting = client_a.get(url).content.decode()
    everything = client_a.get(f"{url}?status=").content.decode()
    by_name = client_a.get(f"{url}?status=&q=verteller1").content.decode()
    wrong = client_a.get(f"{url}?status=weg&region=abc&organisation=999999")

    assert "2 verhalen" in waiting and "Verteller0" not in waiting
    assert "3 verhalen" in everything
    assert "Verteller1" in by_name and "Verteller0" not in by_name
    assert wrong.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in wrong.content.decode()
