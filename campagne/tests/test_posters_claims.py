"""Rendering exactly once: a poster that is done is left alone, two workers never draw the same poster,
a claim of a worker that died is taken over, and the sweep finds what was never drawn."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection  # noqa: F401 (the skipif below reads it)
from django.utils import timezone

from campagne import posters, tasks
from campagne.factories import PosterFactory
from campagne.models import Poster

from .poster_helpers import photo_bytes, poster_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster(organisation_a):
    return PosterFactory(organisation=organisation_a, photo=ContentFile(photo_bytes(), name="foto.jpg"))


def test_rendering_twice_makes_one_set_of_files(poster):
    assert posters.render_poster(poster.pk) is True
    poster.refresh_from_db()
    first = {field: getattr(poster, field).name for field in posters.OUTPUTS}
    finished_at = poster.finished_at

    assert posters.render_poster(poster.pk) is False  # DONE: nothing happens
    assert tasks.render_poster.delay(poster.pk).get() is False  # nor through the task
    poster.refresh_from_db()
    assert {field: getattr(poster, field).name for field in posters.OUTPUTS} == first
    assert poster.finished_at == finished_at
    assert len(poster_files()) == 4


def test_a_second_worker_does_not_draw_a_poster_that_is_being_drawn(poster, monkeypatch):
    """While the first worker draws, a second one (the same task delivered twice) finds it claimed."""
    second_worker = []
    original = posters.render_pdf

    def pdf_with_a_second_worker(*args, **kwargs):
        second_worker.append(posters.render_poster(poster.pk))
        return original(*args, **kwargs)

    monkeypatch.setattr(posters, "render_pdf", pdf_with_a_second_worker)
    assert posters.render_poster(poster.pk) is True
    assert second_worker == [False]
    poster.refresh_from_db()
    assert poster.status == Poster.Status.DONE
    assert len(poster_files()) == 4  # one set


def test_a_claim_older_than_the_time_limit_is_taken_over(poster):
    Poster.objects.filter(pk=poster.pk).update(
        status=Poster.Status.WORKING, started_at=timezone.now() - timedelta(seconds=151), progress=32
    )
    assert posters.render_poster(poster.pk) is True
    poster.refresh_from_db()
    assert poster.status == Poster.Status.DONE


def test_a_fresh_claim_is_not_taken_over(poster):
    Poster.objects.filter(pk=poster.pk).update(
        status=Poster.Status.WORKING, started_at=timezone.now() - timedelta(seconds=30)
    )
    assert posters.render_poster(poster.pk) is False
    poster.refresh_from_db()
    assert poster.status == Poster.Status.WORKING
    assert poster_files() == []


def test_a_worker_whose_claim_was_taken_over_keeps_none_of_its_files(poster, monkeypatch):
    """A slow worker that outlived the time limit: another one took over, so its files are thrown away."""
    original = posters.render_pdf

    def slow_pdf(*args, **kwargs):
        Poster.objects.filter(pk=poster.pk).update(started_at=timezone.now() + timedelta(seconds=1))
        return original(*args, **kwargs)

    monkeypatch.setattr(posters, "render_pdf", slow_pdf)
    assert posters.render_poster(poster.pk) is False
    poster.refresh_from_db()
    assert poster.status == Poster.Status.WORKING  # still the other worker's
    assert not poster.pdf
    assert poster_files() == []


def test_a_poster_deleted_while_it_is_drawn_leaves_no_files(poster, monkeypatch):
    original = posters.render_png

    def delete_meanwhile(*args, **kwargs):
        Poster.objects.filter(pk=poster.pk).delete()
        return original(*args, **kwargs)

    monkeypatch.setattr(posters, "render_png", delete_meanwhile)
    assert posters.render_poster(poster.pk) is False
    assert poster_files() == []


def test_failed_and_missing_posters_are_left_alone(poster):
    Poster.objects.filter(pk=poster.pk).update(status=Poster.Status.FAILED)
    assert posters.render_poster(poster.pk) is False
    assert posters.render_poster(poster.pk + 1000) is False
    assert poster_files() == []


def test_stale_ids_are_posters_queued_two_minutes_or_held_past_the_time_limit(organisation_a):
    now = timezone.now()
    fresh_queued = PosterFactory(organisation=organisation_a, created_at=now - timedelta(seconds=90))
    old_queued = PosterFactory(organisation=organisation_a, created_at=now - timedelta(minutes=3))
    fresh_working = PosterFactory(
        organisation=organisation_a,
        status=Poster.Status.WORKING,
        created_at=now - timedelta(hours=1),
        started_at=now - timedelta(seconds=100),
    )
    dead_working = PosterFactory(
        organisation=organisation_a,
        status=Poster.Status.WORKING,
        created_at=now - timedelta(hours=1),
        started_at=now - timedelta(seconds=200),
    )
    PosterFactory(organisation=organisation_a, status=Poster.Status.DONE, created_at=now - timedelta(hours=1))
    PosterFactory(organisation=organisation_a, status=Poster.Status.FAILED, created_at=now - timedelta(hours=1))

    stale = posters.stale_poster_ids(now)
    assert set(stale) == {old_queued.pk, dead_working.pk}
    assert fresh_queued.pk not in stale and fresh_working.pk not in stale
    # Later, the fresh ones are stale too.
    later = posters.stale_poster_ids(now + timedelta(minutes=2))
    assert {fresh_queued.pk, fresh_working.pk} <= set(later)


def test_stale_ids_are_at_most_200_oldest_first(organisation_a):
    old = timezone.now() - timedelta(hours=1)
    organisation = organisation_a
    Poster.objects.bulk_create(
        Poster(
            organisation=organisation,
            quote="Ik zorg.",
            person_name="Sam",
            organisation_name=organisation.name,
            colour_scheme="portaal",
            source_tag=f"poster-bulk{number:04d}",
            created_at=old + timedelta(seconds=number),
        )
        for number in range(205)
    )
    stale = posters.stale_poster_ids()
    assert len(stale) == 200
    first = Poster.objects.get(source_tag="poster-bulk0000")
    assert stale[0] == first.pk


def test_the_sweep_draws_the_stale_posters(organisation_a):
    poster = PosterFactory(
        organisation=organisation_a,
        photo=ContentFile(photo_bytes(), name="foto.jpg"),
        created_at=timezone.now() - timedelta(minutes=10),
    )
    assert tasks.sweep_image_work.delay().get() >= 1
    poster.refresh_from_db()
    assert poster.status == Poster.Status.DONE


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="threads share no in-memory SQLite database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_moment_draw_the_poster_once(organisation_a):
    """Two threads, each with its own database connection, start rendering together."""
    import threading

    from django.db import connections

    poster = PosterFactory(organisation=organisation_a, photo=ContentFile(photo_bytes(), name="foto.jpg"))
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(posters.render_poster(poster.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    poster.refresh_from_db()
    assert poster.status == Poster.Status.DONE
    assert len(poster_files()) == 4
