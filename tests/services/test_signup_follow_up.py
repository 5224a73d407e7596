"""A sign-up's follow-up is a Celery task that may be delivered more than once: a retry, a message Redis
hands out again, the sign-up sweep re-enqueueing it while the first is still on its way. Whichever worker
runs it first claims the sign-up event (a conditional UPDATE of followed_up_at); every other delivery
finds it claimed and does nothing, so the person and their coordinator get one e-mail each.

Two workers on a Redis of their own (`private_redis`), so that two deliveries published back to back
are likely run at the same moment, one by each.
"""

from __future__ import annotations

import re

import pytest

from contactpunt.celery import app as celery_app
from contactpunt.models import EducationLevel, Notification, OutboxMail
from kandidaten.models import Candidate, ConsentPurpose, Situation, Source, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register
from kandidaten.tasks import follow_up_signup

from .conftest import reset_broker_connections, sent_messages, wait_for

pytestmark = pytest.mark.services

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"


def _sign_up_without_its_follow_up() -> TimelineEvent:
    """A public sign-up whose own follow-up task does not reach the broker (nothing listens there)."""
    working_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    reset_broker_connections()
    try:
        candidate_register(
            details={
                "first_name": "Sanne",
                "last_name": "de Vries",
                "email": "sanne.devries@example.org",
                "phone": "+31612345678",
                "postcode": "9711 AB",
                "situation": Situation.WORKING_OUTSIDE_CARE,
                "education_level": EducationLevel.MBO3,
                "source": Source.CAMPAIGN,
            },
            consents={ConsentPurpose.CONTACT: True},
            channel=SignupChannel.INTAKE,
        )
    finally:
        celery_app.conf.broker_url = working_broker
        reset_broker_connections()
    return TimelineEvent.objects.get(kind=TimelineEvent.Kind.SIGNUP, followed_up_at__isnull=True)


def _results(workers, task_ids) -> list[str]:
    """What the tasks returned, from the workers' logs ("… succeeded in 0.01s: True")."""
    results = []
    for worker in workers:
        for line in worker.log().splitlines():
            found = re.search(r"\[([-0-9a-f]+)\] succeeded in [0-9.e-]+s: (.*)$", line)
            if found and found.group(1) in task_ids:
                results.append(found.group(2))
    return sorted(results)


def test_a_follow_up_delivered_twice_queues_one_confirmation_and_one_notice(
    private_redis, start_worker, region_a, coordinator_a
):
    event = _sign_up_without_its_follow_up()
    assert not OutboxMail.objects.exists()
    workers = [start_worker(), start_worker()]

    # The same follow-up twice, back to back: each worker takes one.
    deliveries = [follow_up_signup.delay(event.pk), follow_up_signup.delay(event.pk)]
    task_ids = {delivery.id for delivery in deliveries}

    assert wait_for(lambda: len(_results(workers, task_ids)) == 2, timeout=30), "both deliveries did not run"
    # One claimed the sign-up and followed it up; the other found it done.
    assert _results(workers, task_ids) == ["False", "True"]
    assert wait_for(lambda: private_redis.pending() == {"queued": 0, "unacknowledged": 0}, timeout=20)
    assert wait_for(lambda: not OutboxMail.objects.filter(sent_at__isnull=True).exists(), timeout=20)

    event.refresh_from_db()
    assert event.followed_up_at is not None
    anna = Candidate.objects.get()
    assert sorted(OutboxMail.objects.values_list("to", flat=True)) == [
        "coordinator.a@contactpunt.example",
        anna.email,
    ]
    assert set(OutboxMail.objects.values_list("attempts", flat=True)) == {1}
    [notification] = Notification.objects.all()
    assert notification.user == coordinator_a
    messages = sorted((str(message["To"]), str(message["Subject"])) for message in sent_messages(workers[0].mail_dir))
    assert messages == [
        ("coordinator.a@contactpunt.example", "Nieuwe kandidaat in Noord-Nederland: Sanne"),
        ("sanne.devries@example.org", "We hebben je aanmelding ontvangen"),
    ]
