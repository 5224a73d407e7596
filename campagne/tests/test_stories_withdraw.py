"""Consent withdrawn: the story, its posters and every image file made from it are deleted everywhere,
after commit; nothing personal stays behind (not in storage, not in notifications, not in the log)."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from campagne import services
from campagne.factories import PublishedStoryFactory
from campagne.models import Poster, Story
from contactpunt.models import Notification

from .story_helpers import media_files, poster_of, story_data, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_with_everything(employer_a_client, employer_a, coordinator_a, django_capture_on_commit_callbacks):
    """A story made through the form (a real photo, its three variants), submitted (a notification)
    and published, with two posters with all their files."""
    with django_capture_on_commit_callbacks(execute=True):
        employer_a_client.post(reverse("campagne:employer_story_create"), story_data(submit="1"))
    story = Story.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.story_publish(story=story, actor=coordinator_a)
    story.refresh_from_db()
    assert story.tile.name and story.medium.name and story.large.name
    poster_of(story, with_files=True)
    poster_of(story, with_files=True)
    assert Notification.objects.filter(user=coordinator_a).exists()
    assert Notification.objects.filter(user=employer_a).exists()
    return story


@pytest.mark.parametrize(
    ("client_fixture", "name", "back"),
    [
        ("employer_a_client", "employer_story_withdraw", "campagne:employer_stories"),
        ("client_a", "coordinator_story_withdraw", "campagne:moderation"),
    ],
)
def test_withdrawing_consent_deletes_the_story_its_posters_and_every_file(
    request, story_with_everything, client_fixture, name, back, django_capture_on_commit_callbacks, caplog
):
    client = request.getfixturevalue(client_fixture)
    other = PublishedStoryFactory(organisation=story_with_everything.organisation, first_name="Karin")
    other_poster = poster_of(other)
    kept = {other.photo.name, other.tile.name, other.medium.name, other.large.name, other_poster.photo.name}
    story = story_with_everything
    address = reverse(f"campagne:{name}", args=[story.pk])

    confirm = client.get(address)
    assert confirm.status_code == 200
    page = text(confirm)
    assert "De persoon op de foto heeft de toestemming ingetrokken" in page
    assert "De 2 posters die van dit verhaal zijn gemaakt, worden ook verwijderd." in page
    assert Story.objects.filter(pk=story.pk).exists()

    with caplog.at_level(logging.INFO, logger="campagne.services"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(address)

    assert response.status_code == 302
    assert response["Location"] == reverse(back)
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not Poster.objects.filter(story_id=story.pk).exists()
    assert Poster.objects.filter(pk=other_poster.pk).exists()
    # Every file of the story and its posters is gone from storage; the other story's files stay.
    assert media_files() == kept
    # No in-app notification leads to it any more.
    assert not Notification.objects.filter(url__contains=f"/verhalen/{story.pk}/").exists()
    # The log says which story and who, no names.
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert f"Story {story.pk} deleted with 2 poster(s)" in logged
    assert "Fatima" not in logged and "El Amrani" not in logged
    assert "Het verhaal, de foto's en de posters zijn overal in het portaal verwijderd." in text(
        client.get(response["Location"])
    )


def test_nothing_is_deleted_from_storage_when_the_transaction_fails(
    story_with_everything, employer_a, django_capture_on_commit_callbacks
):
    before = media_files()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            services.story_withdraw_consent(story=story_with_everything, actor=employer_a)
            raise Boom

    assert Story.objects.filter(pk=story_with_everything.pk).exists()
    assert media_files() == before


def test_withdrawing_twice_is_already_done(
    story_with_everything, employer_a_client, django_capture_on_commit_callbacks
):
    address = reverse("campagne:employer_story_withdraw", args=[story_with_everything.pk])
    with django_capture_on_commit_callbacks(execute=True):
        employer_a_client.post(address)

    assert employer_a_client.post(address).status_code == 404
    with pytest.raises(services.StoryRefused) as refused:
        services.story_withdraw_consent(story=story_with_everything, actor=story_with_everything.submitted_by)
    assert refused.value.code == "already_done"


def test_outsiders_cannot_delete_a_story(story_with_everything, employer_b, coordinator_b, employer_b_client, client_b):
    for client, name in ((employer_b_client, "employer_story_withdraw"), (client_b, "coordinator_story_withdraw")):
        address = reverse(f"campagne:{name}", args=[story_with_everything.pk])
        assert client.get(address).status_code == 404
        assert client.post(address).status_code == 404
    for actor in (employer_b, coordinator_b):
        with pytest.raises(services.StoryRefused):
            services.story_withdraw_consent(story=story_with_everything, actor=actor)
    assert Story.objects.filter(pk=story_with_everything.pk).exists()
