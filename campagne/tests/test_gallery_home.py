"""The home page shows three recent stories and a link to the gallery, in a fixed number of queries; the
public menu links the gallery."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campagne.factories import PublishedStoryFactory, StoryFactory, bulk_published_stories
from campagne.models import Story

from .gallery_helpers import story_ids

pytestmark = pytest.mark.django_db


def test_the_three_newest_published_stories(client, organisation_a):
    now = timezone.now()
    stories = [
        PublishedStoryFactory(organisation=organisation_a, published_at=now - timedelta(days=days)) for days in range(5)
    ]
    StoryFactory(organisation=organisation_a, status=Story.Status.SUBMITTED, first_name="Wachtend")

    html = client.get("/").content.decode()

    assert "Mensen in zorg en welzijn vertellen hun verhaal" in html
    assert story_ids(html) == [stories[0].pk, stories[1].pk, stories[2].pk]
    assert "Wachtend" not in html
    assert '<a href="/verhalen/">Lees alle verhalen</a>' in html
    assert f'src="{stories[0].tile.url}"' in html and f'alt="{stories[0].photo_alt}"' in html


def test_without_stories_the_section_is_left_out(client):
    html = client.get("/").content.decode()

    assert "Mensen in zorg en welzijn vertellen hun verhaal" not in html
    assert "Lees alle verhalen" not in html


def test_the_public_menu_links_the_gallery(client):
    html = client.get("/").content.decode()

    assert '<a class="nav-link" href="/verhalen/">Verhalen</a>' in html


# SAVEPOINT, the three stories (with function and organisation), RELEASE.
HOME_QUERIES = 3


@pytest.mark.parametrize("count", [1, 100])
def test_the_home_page_runs_a_fixed_number_of_queries(client, organisation_a, count, django_assert_num_queries):
    bulk_published_stories(count, organisation=organisation_a)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")

    assert response.status_code == 200
