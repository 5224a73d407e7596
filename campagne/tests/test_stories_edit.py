"""Changing a story: employers while it is a draft or sent back, coordinators at any time (a published
story gets its search vector refreshed). A new photo replaces the old one and its files."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from campagne.factories import PublishedStoryFactory, StoryFactory, StoryTagFactory, SubmittedStoryFactory
from campagne.models import Story
from campagne.photos import process_story_photo

from .story_helpers import media_files, photo_upload, story_data, text

pytestmark = pytest.mark.django_db


def edit(name: str, story: Story) -> str:
    return reverse(f"campagne:{name}", args=[story.pk])


@pytest.fixture
def draft(organisation_a, employer_a):
    story = StoryFactory(organisation=organisation_a, submitted_by=employer_a, first_name="Fatima")
    story.tags.set([StoryTagFactory(name="wijkzorg", slug="wijkzorg")])
    process_story_photo(story.pk)
    story.refresh_from_db()
    return story


def test_the_edit_form_shows_what_is_there(employer_a_client, draft):
    response = employer_a_client.get(edit("employer_story_edit", draft))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Fatima"' in page
    assert 'value="wijkzorg"' in page
    assert 'name="consent_confirmed"' not in page
    assert "Huidige foto" in text(response)


def test_an_employer_changes_a_draft_and_keeps_the_photo(employer_a_client, draft, django_capture_on_commit_callbacks):
    files = media_files()
    data = story_data(photo=None, quote="Geen dag is hetzelfde.", tags="nachtdienst")

    with django_capture_on_commit_callbacks(execute=True):
        response = employer_a_client.post(edit("employer_story_edit", draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.quote == "Geen dag is hetzelfde."
    assert [tag.name for tag in draft.tags.all()] == ["nachtdienst"]
    assert draft.status == Story.Status.DRAFT
    assert draft.photo_status == Story.PhotoStatus.READY
    assert media_files() == files
    assert "Je wijzigingen zijn opgeslagen." in text(employer_a_client.get(response["Location"]))


def test_a_new_photo_replaces_the_old_one_and_its_files(employer_a_client, draft, django_capture_on_commit_callbacks):
    old = {draft.photo.name, draft.tile.name, draft.medium.name, draft.large.name}
    assert old <= media_files()

    with django_capture_on_commit_callbacks(execute=True):
        response = employer_a_client.post(
            edit("employer_story_edit", draft), story_data(photo=photo_upload(size=(700, 900)))
        )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.photo_width, draft.photo_height) == (700, 900)
    assert draft.photo_status == Story.PhotoStatus.READY
    new = {draft.photo.name, draft.tile.name, draft.medium.name, draft.large.name}
    assert not old & media_files()
    assert media_files() == new


def test_save_and_submit_from_the_edit_form(
    employer_a_client, draft, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employer_a_client.post(edit("employer_story_edit", draft), story_data(photo=None, submit="1"))

    draft.refresh_from_db()
    assert draft.status == Story.Status.SUBMITTED
    assert [mail.to for mail in mailoutbox] == [[coordinator_a.email]]


@pytest.mark.parametrize("factory", [SubmittedStoryFactory, PublishedStoryFactory])
def test_an_employer_cannot_change_a_story_that_left_their_hands(
    employer_a_client, employer_a, organisation_a, factory
):
    story = factory(organisation=organisation_a, submitted_by=employer_a, quote="Zo blijft het.")

    for response in (
        employer_a_client.get(edit("employer_story_edit", story)),
        employer_a_client.post(edit("employer_story_edit", story), story_data(photo=None, quote="Anders")),
    ):
        assert response.status_code == 302
        assert response["Location"] == edit("employer_story", story)
    story.refresh_from_db()
    assert story.quote == "Zo blijft het."
    assert "Dit verhaal kan niet meer veranderd worden" in text(employer_a_client.get(edit("employer_story", story)))


def test_a_coordinator_corrects_a_published_story_and_the_search_follows(
    client_a, organisation_a, employer_a, coordinator_a, region_a, django_capture_on_commit_callbacks
):
    story = PublishedStoryFactory(organisation=organisation_a, submitted_by=employer_a)
    data = story_data(photo=None, quote="Met een verbeterde zin.", region=region_a.pk, consent_name="Fatima El-Amrani")

    with (
        mock.patch("campagne.search.refresh_search_vector") as refresh,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_a.post(edit("coordinator_story_edit", story), data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert story.quote == "Met een verbeterde zin."
    assert story.consent_name == "Fatima El-Amrani"
    assert story.consent_recorded_by == coordinator_a
    refresh.assert_called_once_with(story.pk)
    assert Story.objects.published().get() == story


def test_bad_input_on_edit_keeps_the_story_as_it_was(employer_a_client, draft):
    response = employer_a_client.post(edit("employer_story_edit", draft), story_data(photo=None, text="x" * 10_000))

    assert response.status_code == 200
    assert "niet meer dan 5000 tekens" in text(response)
    draft.refresh_from_db()
    assert draft.text == "Ik werk met veel plezier in de ouderenzorg."
