"""Searching the gallery: Dutch full-text with ranking on PostgreSQL, every word in some field on SQLite.

The same tests run on both (some only where the behaviour differs); the search vectors are kept by
`campagne.search.refresh_search_vector(s)`.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from campagne.factories import PublishedStoryFactory, StoryFactory
from campagne.models import Story
from campagne.search import refresh_search_vector, refresh_search_vectors, search_stories
from contactpunt.models import Branch, Function
from werkgevers.factories import OrganisationFactory

from .gallery_helpers import GALLERY, story_ids

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL full-text search")
on_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the SQLite fallback")


@pytest.fixture
def stories(organisation_a, region_a):
    now = timezone.now()
    thuis = OrganisationFactory(name="Thuiszorg De Lindeboom", home_region=region_a)
    return {
        "night": PublishedStoryFactory(
            organisation=organisation_a,
            first_name="Sanne",
            quote="In de nachtdienst ben ik er voor de bewoners.",
            text="Ik werk op een afdeling voor mensen met dementie.",
            published_at=now - timedelta(days=3),
        ),
        "elderly": PublishedStoryFactory(
            organisation=thuis,
            first_name="Kees",
            quote="Ik kom elke dag bij mensen thuis.",
            text="Na twintig jaar als buschauffeur koos ik voor de zorg voor ouderen. Soms draai ik een nachtdienst.",
            function=Function.objects.get(slug="woonhulp"),
            branch=Branch.objects.get(slug="thuiszorg"),
            published_at=now - timedelta(days=1),
        ),
        "youth": PublishedStoryFactory(
            organisation=organisation_a,
            first_name="Fatima",
            quote="Jongeren helpen hun eigen weg te vinden.",
            text="Als pedagogisch medewerker begeleid ik een leefgroep.",
            function=Function.objects.get(slug="pedagogisch-medewerker"),
            branch=Branch.objects.get(slug="jeugdzorg"),
            tags=["leefgroep", "wisseldiensten"],
            published_at=now,
        ),
    }


def _found(client, q, **filters) -> list[int]:
    response = client.get(GALLERY, {"q": q, **filters})
    assert response.status_code == 200
    return story_ids(response.content.decode())


def test_a_word_in_the_quote(client, stories):
    assert stories["night"].pk in _found(client, "bewoners")
    assert _found(client, "bewoners") == [stories["night"].pk]


def test_a_word_in_the_story_text(client, stories):
    assert _found(client, "buschauffeur") == [stories["elderly"].pk]


def test_the_first_name(client, stories):
    assert _found(client, "Fatima") == [stories["youth"].pk]


def test_the_function_name(client, stories):
    assert _found(client, "woonhulp") == [stories["elderly"].pk]


def test_the_organisation_name(client, stories):
    assert _found(client, "Lindeboom") == [stories["elderly"].pk]


def test_a_tag(client, stories):
    assert _found(client, "wisseldiensten") == [stories["youth"].pk]


def test_every_word_must_match(client, stories):
    assert _found(client, "nachtdienst buschauffeur") == [stories["elderly"].pk]
    assert _found(client, "nachtdienst jongeren") == []


def test_case_does_not_matter(client, stories):
    assert _found(client, "FATIMA") == [stories["youth"].pk]


def test_nothing_found_says_so(client, stories):
    html = client.get(GALLERY, {"q": "astronaut"}).content.decode()

    assert story_ids(html) == []
    assert "Er zijn geen verhalen die passen bij je keuze." in html
    assert 'value="astronaut"' in html  # what was typed stays in the box


def test_an_empty_search_shows_everything(client, stories):
    assert len(_found(client, "   ")) == 3


def test_search_and_filters_combine(client, stories):
    assert _found(client, "nachtdienst", branch="thuiszorg") == [stories["elderly"].pk]
    assert _found(client, "nachtdienst", branch="jeugdzorg") == []


def test_unpublished_stories_are_not_found(client, organisation_a, stories):
    for status in (Story.Status.DRAFT, Story.Status.SUBMITTED, Story.Status.SENT_BACK):
        story = StoryFactory(organisation=organisation_a, status=status, photo_status=Story.PhotoStatus.READY)
        story.quote = "Geheime nachtdienst"
        story.save()
        refresh_search_vector(story.pk)

    assert stories["night"].pk in _found(client, "nachtdienst")
    assert len(_found(client, "geheime")) == 0


@pytest.mark.parametrize(
    "q", ['"', "-", "- -", "&|!():*", "' OR 1=1 --", "<script>alert(1)</script>", "nacht & dienst", "a" * 100]
)
def test_odd_input_never_breaks_the_page(client, stories, q):
    response = client.get(GALLERY, {"q": q})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_search_that_is_too_long_gets_a_dutch_error(client, stories):
    response = client.get(GALLERY, {"q": "zorg " * 40})

    assert response.status_code == 200
    assert "niet meer dan 100 tekens" in response.content.decode()


@on_sqlite
def test_sqlite_finds_parts_of_words_newest_first(client, stories):
    # "dienst" is in "nachtdienst" (two stories) and in "wisseldiensten" (a tag).
    assert _found(client, "dienst") == [stories["youth"].pk, stories["elderly"].pk, stories["night"].pk]


@on_sqlite
def test_sqlite_vectors_are_left_alone():
    assert refresh_search_vectors() == 0
    assert refresh_search_vectors([1, 2, 3]) == 0


@on_postgresql
def test_postgresql_ranks_the_quote_above_the_text(client, stories):
    # "nachtdienst" is in Sanne's quote (weight A) and in Kees's text (weight C): Sanne first although
    # Kees's story is newer.
    assert _found(client, "nachtdienst") == [stories["night"].pk, stories["elderly"].pk]


@on_postgresql
def test_postgresql_finds_other_forms_of_a_word(client, stories):
    # Dutch stemming: "nachtdiensten" finds "nachtdienst", "bewoner" finds "bewoners".
    assert set(_found(client, "nachtdiensten")) == {stories["night"].pk, stories["elderly"].pk}
    assert _found(client, "bewoner") == [stories["night"].pk]


@on_postgresql
def test_postgresql_understands_web_search_syntax(client, stories):
    assert _found(client, "nachtdienst -ouderen") == [stories["night"].pk]
    assert _found(client, '"zorg voor ouderen"') == [stories["elderly"].pk]
    assert set(_found(client, "bewoners or jongeren")) == {stories["night"].pk, stories["youth"].pk}


@on_postgresql
def test_postgresql_only_stopwords_finds_nothing_without_an_error(client, stories):
    assert _found(client, "de het een") == []


@on_postgresql
def test_postgresql_vector_follows_an_edit_after_a_refresh(client, stories):
    story = stories["youth"]
    Story.objects.filter(pk=story.pk).update(quote="Ik werk graag met paarden op de zorgboerderij.")
    assert _found(client, "zorgboerderij") == []

    refresh_search_vector(story.pk)

    assert _found(client, "zorgboerderij") == [story.pk]


@on_postgresql
def test_postgresql_bulk_refresh_counts_the_stories(stories):
    Story.objects.update(search_vector=None)

    assert refresh_search_vectors([stories["night"].pk, stories["youth"].pk]) == 2
    assert Story.objects.filter(search_vector__isnull=True).count() == 1
    assert refresh_search_vectors() == 3
    assert not Story.objects.filter(search_vector__isnull=True).exists()


@on_postgresql
def test_postgresql_vector_weights(stories):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM campagne_story WHERE id = %s", [stories["youth"].pk])
        vector = cursor.fetchone()[0]
    assert "'fatima':" in vector and "A" in vector.split("'fatima':")[1].split(" ")[0]
    assert "B" in vector.split("'leefgroep':")[1].split(" ")[0]  # tag (and text: the highest weight counts)
    assert "B" in vector.split("'jeugdzorg':")[1].split(" ")[0]  # branch


def test_search_stories_without_text_returns_the_same_queryset(stories):
    queryset = Story.objects.published()

    assert search_stories(queryset, "") is queryset
