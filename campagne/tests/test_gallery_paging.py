"""'Meer laden' in the gallery: with htmx the next cards are appended, without JavaScript the same link
opens the next page; a fixed number of queries whatever the number of stories."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campagne.factories import StoryTagFactory, bulk_published_stories
from campagne.views.gallery import PAGE_SIZE

from .gallery_helpers import GALLERY, story_ids

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# A full gallery page for a visitor:
#  1. SAVEPOINT (ATOMIC_REQUESTS; BEGIN on a real request)
#  2-4. branches, functions and regions for the filter (one query each, also used to read the choice)
#  5. the keys of the page's stories plus one, in the gallery's order (ranked for a search)
#  6. those stories with function, branch, organisation and region (select_related)
#  7. their tags (prefetch)
#  8. COUNT of the matching stories, up to 1,001 (first page only, and only when there is more than one page)
#  9. RELEASE SAVEPOINT
GALLERY_QUERIES = 9
# "Meer laden" with htmx: the same without the COUNT.
MORE_QUERIES = 8


@pytest.fixture
def many(organisation_a):
    """30 published stories: more than a page."""
    return bulk_published_stories(30, organisation=organisation_a)


def _more_link(html: str) -> str | None:
    match = re.search(r'<a class="btn btn-brand btn-lg" href="([^"]+)" hx-get="([^"]+)"[^>]*>Meer laden</a>', html)
    if not match:
        return None
    assert match.group(1) == match.group(2)  # the same link with and without JavaScript
    return match.group(1).replace("&amp;", "&")


def test_the_first_page_shows_the_newest_stories_and_a_link_for_more(client, many):
    html = client.get(GALLERY).content.decode()

    newest_first = [story.pk for story in reversed(many)]
    assert story_ids(html) == newest_first[:PAGE_SIZE]
    assert _more_link(html) == "?page=2"
    assert 'hx-target="#story-cards"' in html and 'hx-swap="beforeend"' in html
    assert "30 verhalen" in html


def test_without_javascript_the_link_opens_the_next_page(client, many):
    response = client.get(GALLERY + "?page=2")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert story_ids(html) == [story.pk for story in reversed(many)][PAGE_SIZE:]
    assert _more_link(html) is None
    assert "Je hebt alle verhalen gezien." in html
    assert "Terug naar de eerste verhalen" in html
    assert "Verhalen, pagina 2" in html


def test_with_htmx_only_the_next_cards_and_a_new_button_come_back(client, many):
    response = client.get(GALLERY + "?page=2", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert story_ids(html) == [story.pk for story in reversed(many)][PAGE_SIZE:]
    # The button is replaced out of band; the first new card takes the focus for keyboard users.
    assert '<div id="more-stories" class="mt-3 text-center" hx-swap-oob="true">' in html
    assert html.count("autofocus") == 1
    assert "HX-Request" in response["Vary"]


def test_htmx_pages_in_the_middle_offer_the_next_one(client, organisation_a):
    bulk_published_stories(PAGE_SIZE * 3, organisation=organisation_a)

    html = client.get(GALLERY + "?page=2", **HTMX).content.decode()

    assert len(story_ids(html)) == PAGE_SIZE
    assert _more_link(html) == "?page=3"


def test_the_next_link_keeps_the_filters_and_the_search(client, organisation_a):
    bulk_published_stories(30, organisation=organisation_a, tags=[StoryTagFactory(name="nachtdienst")])

    html = client.get(GALLERY, {"branch": "vvt", "q": "nachtdienst"}).content.decode()

    link = _more_link(html)
    assert link is not None
    assert "branch=vvt" in link and "q=nachtdienst" in link and "page=2" in link
    second = client.get(GALLERY + link, **HTMX).content.decode()
    assert len(story_ids(second)) == 30 - PAGE_SIZE


def test_exactly_one_page_has_no_link_for_more(client, organisation_a):
    bulk_published_stories(PAGE_SIZE, organisation=organisation_a)

    html = client.get(GALLERY).content.decode()

    assert len(story_ids(html)) == PAGE_SIZE
    assert _more_link(html) is None
    assert f"{PAGE_SIZE} verhalen" in html


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "99999999999999999999", ""])
def test_a_strange_page_number_is_the_first_page(client, many, page):
    response = client.get(GALLERY, {"page": page})

    assert response.status_code == 200
    assert len(story_ids(response.content.decode())) == PAGE_SIZE


def test_a_page_after_the_last_says_there_is_no_more(client, many):
    response = client.get(GALLERY, {"page": "9"})

    html = response.content.decode()
    assert response.status_code == 200
    assert story_ids(html) == []
    assert "Er zijn geen verhalen meer." in html


def test_a_large_number_of_matches_is_not_counted_to_the_end(client, organisation_a, monkeypatch):
    monkeypatch.setattr("campagne.views.gallery.COUNT_CAP", 25)
    bulk_published_stories(30, organisation=organisation_a)

    html = client.get(GALLERY).content.decode()

    assert "Meer dan 25 verhalen" in html
    assert len(story_ids(html)) == PAGE_SIZE


def test_up_to_the_cap_the_number_is_exact(client, organisation_a, monkeypatch):
    monkeypatch.setattr("campagne.views.gallery.COUNT_CAP", 30)
    bulk_published_stories(30, organisation=organisation_a)

    assert "30 verhalen" in client.get(GALLERY).content.decode()


def _queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [10, 200])
def test_the_gallery_runs_a_fixed_number_of_queries(client, organisation_a, count, django_assert_max_num_queries):
    tags = [StoryTagFactory(name="nachtdienst"), StoryTagFactory(name="wijkzorg")]
    bulk_published_stories(count, organisation=organisation_a, tags=tags)

    with django_assert_max_num_queries(GALLERY_QUERIES):
        client.get(GALLERY)
    with django_assert_max_num_queries(GALLERY_QUERIES):
        client.get(GALLERY, {"branch": "vvt", "life_stage": "mid_career", "side_entrant": "", "region": ""})
    with django_assert_max_num_queries(GALLERY_QUERIES):
        client.get(GALLERY, {"q": "nachtdienst"})
    with django_assert_max_num_queries(MORE_QUERIES):
        client.get(GALLERY + "?page=2", **HTMX)


def test_the_number_of_queries_does_not_grow_with_the_stories(client, organisation_a):
    tags = [StoryTagFactory(name="nachtdienst")]
    bulk_published_stories(10, organisation=organisation_a, tags=tags)
    few = [_queries(client, GALLERY), _queries(client, GALLERY + "?q=nachtdienst")]
    bulk_published_stories(190, organisation=organisation_a, tags=tags)
    many = [_queries(client, GALLERY), _queries(client, GALLERY + "?q=nachtdienst")]

    # With 10 stories there is one page: no COUNT needed.
    assert [count + 1 for count in few] == many == [GALLERY_QUERIES, GALLERY_QUERIES]
