"""Redis stops: people can still sign up, and once Redis is back every sign-up is followed up (its
confirmation, the coordinator's notice, matching) and every e-mail goes out exactly once.

The services test runs its own redis-server (the `private_redis` fixture), so that stopping it touches
no other test or service; this process's Celery app, cache and REDIS_URL and the test's worker all use
it, as one REDIS_URL does in production. It has no persistence: what Redis held is gone after the
restart. The first two tests (the cache with Redis unreachable) need no Redis and run in `make test` too.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import F
from django.test import override_settings

from contactpunt.cache import ResilientRedisCache
from contactpunt.factories import MunicipalityFactory, PostcodeAreaFactory
from contactpunt.models import NextStep, Notification, OutboxMail
from contactpunt.tasks import sweep_outbox
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, Match, TimelineEvent
from kandidaten.tasks import sweep_signup_follow_ups
from werkgevers.factories import LocationFactory, OfferFactory

from .conftest import (
    declare_task_queue,
    free_port,
    reset_broker_connections,
    sent_messages,
    wait_for,
    wait_until_ready,
)

SIGN_UPS = 5


def _closed_port_cache() -> dict:
    return {
        "BACKEND": "contactpunt.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def test_a_cache_whose_redis_cannot_be_reached_acts_as_an_empty_one():
    settings = _closed_port_cache()
    cache = ResilientRedisCache(settings["LOCATION"], settings)

    assert cache.get("count", "nothing") == "nothing"
    assert cache.add("count", 1) is False
    cache.set("count", 1)
    assert cache.get_many(["count"]) == {}
    assert cache.has_key("count") is False
    assert cache.delete("count") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("count")
    assert cache.clear() is False


@pytest.mark.django_db
def test_the_intake_takes_sign_ups_while_the_rate_limit_cannot_count(client, region_a):
    with override_settings(CACHES={**settings.CACHES, "default": _closed_port_cache()}):
        for number in range(2):
            response = client.post(
                "/aanmelden/", intake_form_data(email=f"sanne.{number}@example.org", phone=f"06 1234567{number}")
            )
            assert response.status_code == 302
            assert response.headers["Location"] == "/aanmelden/bedankt/"

    assert Candidate.objects.count() == 2


@pytest.fixture
def open_day(region_a, organisation_a):
    municipality = MunicipalityFactory()
    PostcodeAreaFactory(pc4="9711", latitude=53.2194, longitude=6.5665, municipality=municipality)
    PostcodeAreaFactory(pc4="9751", latitude=53.17, longitude=6.605, municipality=municipality, place_names="Haren")
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", place="Haren", region=region_a)
    return OfferFactory(organisation=organisation_a, location=location, kind="open_huis", title="Open huis De Linde")


def _succeeded(worker, task_id: str) -> str | None:
    """The worker's log line of a finished task ("… succeeded in 0.01s: 0"), if it is there yet."""
    return next((line for line in worker.log().splitlines() if f"[{task_id}] succeeded" in line), None)


def _succeeded_with(worker, result) -> str:
    """What the task of `result` returned, from the worker's log (after waiting up to 20 s for it)."""
    assert wait_for(lambda: _succeeded(worker, result.id), timeout=20), f"task {result.id} did not run"
    return _succeeded(worker, result.id).rpartition(": ")[2]


@pytest.mark.services
def test_sign_ups_while_redis_is_down_are_followed_up_and_mailed_once_after_it_is_back(
    private_redis, start_worker, client, coordinator_a, open_day
):
    worker = start_worker()
    open_house = NextStep.objects.get(slug="open-huis").pk

    private_redis.stop()
    for number in range(SIGN_UPS):
        data = intake_form_data(
            first_name=f"Sanne{'abcde'[number]}",
            email=f"sanne.{number}@example.org",
            phone=f"06 1234567{number}",
            postcode="9711 AB",
            next_steps=[open_house],
        )
        started = time.monotonic()
        response = client.post("/aanmelden/", data)
        assert time.monotonic() - started < 5, "a sign-up must not wait for a Redis that is down"
        assert response.status_code == 302
        assert response.headers["Location"] == "/aanmelden/bedankt/"

    # The sign-ups were saved: the candidates and their sign-up events, waiting for their follow-up.
    # That follow-up (confirmation, notice, matching) is a task, and it never reached the broker.
    assert Candidate.objects.count() == SIGN_UPS
    events = TimelineEvent.objects.filter(kind=TimelineEvent.Kind.SIGNUP)
    assert events.count() == SIGN_UPS
    assert not events.filter(followed_up_at__isnull=False).exists()
    assert not Notification.objects.exists()
    assert not OutboxMail.objects.exists()
    assert sent_messages(worker.mail_dir) == []
    assert not Match.objects.exists()
    assert worker.process.poll() is None, "the worker must survive the outage"

    private_redis.start()  # empty: the tasks of the sign-ups were never stored
    reset_broker_connections()
    wait_until_ready(worker, timeout=40)  # the worker reconnects by itself
    declare_task_queue()

    # Celery beat runs the sign-up sweep every two minutes: by then the sign-ups are over a minute old.
    events.update(created_at=F("created_at") - timedelta(minutes=2))
    swept = sweep_signup_follow_ups.delay()
    assert _succeeded_with(worker, swept) == str(SIGN_UPS)

    # Each follow-up queues the confirmation and the coordinator's notice (sent on its commit) and matching.
    assert wait_for(lambda: not events.filter(followed_up_at__isnull=True).exists(), timeout=30), (
        "the sweep did not follow up every sign-up left behind within 30 s"
    )
    assert wait_for(lambda: not OutboxMail.objects.filter(sent_at__isnull=True).exists(), timeout=30), (
        "the follow-ups' mails were not all sent within 30 s"
    )
    assert wait_for(lambda: Match.objects.count() == SIGN_UPS, timeout=20), "matching did not catch up"
    assert set(Match.objects.values_list("offer", flat=True)) == {open_day.pk}
    assert set(Match.objects.values_list("candidate", flat=True)) == set(Candidate.objects.values_list("pk", flat=True))
    assert Notification.objects.filter(user=coordinator_a).count() == SIGN_UPS
    assert Notification.objects.count() == SIGN_UPS

    # A second sweep of both finds nothing left to do, even with everything aged past their minute;
    # after it, every queued mail was sent exactly once.
    events.update(created_at=F("created_at") - timedelta(minutes=2))
    OutboxMail.objects.update(created_at=F("created_at") - timedelta(minutes=2))
    assert _succeeded_with(worker, sweep_signup_follow_ups.delay()) == "0"
    assert _succeeded_with(worker, sweep_outbox.delay()) == "0"
    queued = sorted(OutboxMail.objects.values_list("to", "subject"))
    assert len(queued) == 2 * SIGN_UPS  # a confirmation and a mail to the coordinator per sign-up
    sent = sorted((message["To"], message["Subject"]) for message in sent_messages(worker.mail_dir))
    assert sent == queued
    assert set(OutboxMail.objects.values_list("attempts", flat=True)) == {1}
    assert Notification.objects.count() == SIGN_UPS
    subjects = [subject for _to, subject in sent]
    assert subjects.count("We hebben je aanmelding ontvangen") == SIGN_UPS
    assert sum(subject.startswith("Nieuwe kandidaat in Noord-Nederland: Sanne") for subject in subjects) == SIGN_UPS
