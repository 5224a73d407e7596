"""The Campagne menu: coordinators and employers reach stories, posters, materials and the public gallery."""

import re

import pytest
from django.urls import reverse

from campagne.factories import PublishedStoryFactory, SubmittedStoryFactory
from contactpunt.tests.test_auth import menu

pytestmark = pytest.mark.django_db


def test_a_coordinator_finds_the_campaign_pages_in_the_menu(client_a):
    links = menu(client_a)

    assert links["Verhalen"] == "/dashboard/verhalen/"
    assert links["Posters"] == reverse("campagne:coordinator_posters")
    assert links["Campagnemateriaal"] == reverse("campagne:coordinator_materials")
    assert links["Verhalengalerij (openbaar)"] == reverse("campagne:gallery")


def test_an_employer_finds_their_own_campaign_pages_in_the_menu(employer_client):
    links = menu(employer_client)

    assert links["Verhalen"] == "/werkgever/verhalen/"
    assert links["Posters"] == reverse("campagne:employer_posters")
    assert links["Campagnemateriaal"] == reverse("campagne:employer_materials")
    assert links["Verhalengalerij (openbaar)"] == reverse("campagne:gallery")


def test_a_visitor_has_no_campaign_menu(client):
    links = menu(client)

    assert "Posters" not in links
    assert "Campagnemateriaal" not in links


def test_the_campaign_menu_marks_the_current_page(employer_client):
    content = employer_client.get(reverse("campagne:employer_posters")).content.decode()

    assert re.findall(r'href="([^"]+)" aria-current="page"', content) == [reverse("campagne:employer_posters")]
    assert re.search(r'dropdown-toggle active"[^>]*>Campagne<', content)


def test_a_published_story_offers_a_poster_and_its_gallery_page(employer_client, organisation_a):
    story = PublishedStoryFactory(organisation=organisation_a)

    content = employer_client.get(reverse("campagne:employer_story", args=[story.pk])).content.decode()

    assert f'href="{reverse("campagne:poster_create")}?verhaal={story.pk}"' in content
    assert "Maak een poster van dit verhaal" in content


def test_a_story_waiting_for_moderation_offers_no_poster(employer_client, organisation_a):
    story = SubmittedStoryFactory(organisation=organisation_a)

    content = employer_client.get(reverse("campagne:employer_story", args=[story.pk])).content.decode()

    assert reverse("campagne:poster_create") not in content
