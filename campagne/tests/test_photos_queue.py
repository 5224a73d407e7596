"""Queueing photo work after commit, deleting a story's files after commit, and the sweep that finds
photos whose task never ran."""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from campagne import photos, tasks
from campagne.factories import StoryFactory
from campagne.models import Story
from campagne.photos import delete_story_files, queue_story_photo, stale_story_ids

pytestmark = pytest.mark.django_db


def _exists(story: Story, field: str) -> bool:
    name = getattr(story, field).name
    return bool(name) and Path(getattr(story, field).storage.path(name)).exists()


def test_queueing_marks_the_photo_pending_and_sends_the_task_only_after_commit(django_capture_on_commit_callbacks):
    story = StoryFactory(photo_status=Story.PhotoStatus.FAILED)

    with mock.patch.object(tasks.process_story_photo, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            queue_story_photo(story)
            assert not delay.called
        assert Story.objects.get(pk=story.pk).photo_status == Story.PhotoStatus.PENDING
        for callback in callbacks:
            callback()

    delay.assert_called_once_with(story.pk)


def test_the_queued_task_makes_the_variants(django_capture_on_commit_callbacks):
    story = StoryFactory()

    with django_capture_on_commit_callbacks(execute=True):
        queue_story_photo(story)

    story.refresh_from_db()
    assert story.photo_status == Story.PhotoStatus.READY
    assert all(_exists(story, field) for field in ("tile", "medium", "large"))


def test_a_broker_that_is_down_does_not_fail_the_upload(django_capture_on_commit_callbacks):
    story = StoryFactory()

    with (
        mock.patch.object(tasks.process_story_photo, "delay", side_effect=ConnectionError("redis down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        queue_story_photo(story)

    assert Story.objects.get(pk=story.pk).photo_status == Story.PhotoStatus.PENDING  # the sweep catches it up


def test_deleting_the_files_waits_for_the_commit(django_capture_on_commit_callbacks):
    story = StoryFactory()
    photos.process_story_photo(story.pk)
    story.refresh_from_db()
    fields = ("photo", "tile", "medium", "large")
    assert all(_exists(story, field) for field in fields)

    with django_capture_on_commit_callbacks(execute=True):
        delete_story_files(story)
        assert all(_exists(story, field) for field in fields)

    assert not any(_exists(story, field) for field in fields)


def test_files_stay_when_the_transaction_is_rolled_back():
    story = StoryFactory()
    photos.process_story_photo(story.pk)
    story.refresh_from_db()

    with transaction.atomic():
        delete_story_files(story)
        transaction.set_rollback(True)

    assert _exists(story, "photo") and _exists(story, "tile")


def test_deleting_the_files_of_a_story_without_variants_is_fine(django_capture_on_commit_callbacks):
    story = StoryFactory()
    story.photo.storage.delete(story.photo.name)  # already gone

    with django_capture_on_commit_callbacks(execute=True):
        delete_story_files(story)

    assert not _exists(story, "photo")


def _age(story: Story, minutes: int) -> None:
    Story.objects.filter(pk=story.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))


def test_stale_photos_are_those_pending_for_more_than_five_minutes():
    old = StoryFactory()
    older = StoryFactory()
    recent = StoryFactory()
    ready = StoryFactory(photo_status=Story.PhotoStatus.READY)
    failed = StoryFactory(photo_status=Story.PhotoStatus.FAILED)
    _age(old, 6)
    _age(older, 60)
    _age(recent, 4)
    _age(ready, 60)
    _age(failed, 60)

    assert stale_story_ids() == [older.pk, old.pk]
    assert stale_story_ids(now=timezone.now() + timedelta(minutes=2)) == [older.pk, old.pk, recent.pk]


def test_the_sweep_takes_at_most_500_at_a_time():
    template = StoryFactory()
    long_ago = timezone.now() - timedelta(hours=1)
    copies = []
    for number in range(505):
        copy = Story(
            **{
                field.attname: getattr(template, field.attname)
                for field in Story._meta.concrete_fields
                if not field.primary_key
            }
        )
        copy.first_name = f"Kopie {number}"
        copies.append(copy)
    Story.objects.bulk_create(copies)
    Story.objects.update(updated_at=long_ago)

    ids = stale_story_ids()

    assert len(ids) == 500 and len(set(ids)) == 500


def test_the_sweep_task_queues_the_stale_photos_again():
    posters = pytest.importorskip("campagne.posters")  # written by another part of the campaign
    story = StoryFactory()
    _age(story, 10)

    with (
        mock.patch.object(tasks.process_story_photo, "delay") as delay,
        mock.patch.object(posters, "stale_poster_ids", return_value=[]),
    ):
        assert tasks.sweep_image_work() == 1

    delay.assert_called_once_with(story.pk)
