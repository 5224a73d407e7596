"""What a sign-up sets off after the visitor has their answer: one Celery task per sign-up sends the
confirmation, tells the region's coordinators and starts matching, once, even when it runs twice or
the broker was down and the sweep finds it later."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification, OutboxMail
from kandidaten import privacy
from kandidaten.factories import intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import ErasureRequest, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register, follow_up_signup, follow_ups_left_behind
from kandidaten.tasks import sweep_signup_follow_ups

pytestmark = pytest.mark.django_db

CONFIRMATION = "We hebben je aanmelding ontvangen"


def register(**typed):
    form = IntakeForm(intake_form_data(**typed))
    assert form.is_valid(), form.errors
    return candidate_register(details=form.details(), consents=form.consents(), channel=SignupChannel.INTAKE)


def signup_event(candidate) -> TimelineEvent:
    return candidate.timeline.filter(kind=TimelineEvent.Kind.SIGNUP).latest("created_at")


def subjects() -> list[str]:
    return sorted(OutboxMail.objects.values_list("subject", flat=True))


@pytest.fixture
def coordinator(region_a):
    return CoordinatorFactory(regions=[region_a], email="coordinator@contactpunt.example")


def test_the_sign_up_itself_stores_the_person_and_leaves_the_mails_to_the_task(
    region_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        candidate = register().candidate

    event = signup_event(candidate)
    assert event.followed_up_at is None
    assert not OutboxMail.objects.exists() and not Notification.objects.exists()
    assert len(callbacks) == 1  # one task for the broker, not one per mail

    callbacks[0]()

    event.refresh_from_db()
    assert event.followed_up_at is not None
    assert OutboxMail.objects.filter(to="anna.devries@example.org", subject=CONFIRMATION).count() == 1
    assert OutboxMail.objects.filter(to="coordinator@contactpunt.example").count() == 1
    assert Notification.objects.filter(user=coordinator).count() == 1


def test_a_follow_up_that_runs_twice_sends_everything_once(region_a, coordinator):
    event = signup_event(register().candidate)

    assert follow_up_signup(event.pk) is True
    assert follow_up_signup(event.pk) is False

    assert OutboxMail.objects.count() == 2
    assert Notification.objects.count() == 1


def test_a_repeat_sign_up_is_confirmed_but_the_coordinators_are_not_told_again(region_a, coordinator):
    first = register().candidate
    follow_up_signup(signup_event(first).pk)
    OutboxMail.objects.all().delete()
    Notification.objects.all().delete()

    again = register(message="Nog een vraag.").candidate
    follow_up_signup(signup_event(again).pk)

    assert again == first
    assert subjects() == [CONFIRMATION]
    assert not Notification.objects.exists()


def test_nobody_is_written_to_when_the_person_was_erased_before_the_worker_came(region_a, coordinator):
    candidate = register().candidate
    event = signup_event(candidate)
    privacy.erase_candidate(candidate=candidate, via=ErasureRequest.Via.COORDINATOR, actor=coordinator, confirm=False)
    OutboxMail.objects.all().delete()

    assert follow_up_signup(event.pk) is True

    assert not OutboxMail.objects.exists()
    assert not Notification.objects.exists()


def test_the_sweep_takes_sign_ups_left_behind_after_a_minute_and_only_those(region_a, coordinator):
    left_behind = signup_event(register().candidate)
    TimelineEvent.objects.filter(pk=left_behind.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    just_now = signup_event(register(email="bram@example.org", phone="06 87654321", first_name="Bram").candidate)

    assert list(follow_ups_left_behind()) == [left_behind]
    assert sweep_signup_follow_ups.delay().get() == 1  # eager here: the follow-up runs at once

    left_behind.refresh_from_db()
    just_now.refresh_from_db()
    assert left_behind.followed_up_at is not None
    assert just_now.followed_up_at is None
    assert OutboxMail.objects.filter(to="anna.devries@example.org").count() == 1
    assert not OutboxMail.objects.filter(to="bram@example.org").exists()
    assert sweep_signup_follow_ups.delay().get() == 0


def test_the_sweep_gives_up_on_a_follow_up_after_eight_tries_so_it_cannot_block_the_others(region_a, coordinator):
    stuck = signup_event(register().candidate)
    TimelineEvent.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(minutes=30))

    with patch("kandidaten.tasks.enqueue") as queued:  # the broker takes it, the worker never succeeds
        counts = [sweep_signup_follow_ups.delay().get() for _sweep in range(10)]

    assert counts == [1] * 8 + [0, 0]
    assert queued.call_count == 8
    stuck.refresh_from_db()
    assert stuck.followed_up_at is None and stuck.follow_up_sweeps == 8
