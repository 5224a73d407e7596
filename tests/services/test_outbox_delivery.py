"""The confirmation e-mail of a sign-up travels through Redis to a real Celery worker (the sign-up's
follow-up task queues it, a send task sends it), and is not lost when the broker is down at the moment
of the sign-up (the sign-up sweep) or when the follow-up queues it (the outbox sweep)."""

from __future__ import annotations

import contextlib
import email
import time
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from django.db.models import F

from contactpunt.celery import app as celery_app
from contactpunt.models import EducationLevel, OutboxMail
from contactpunt.tasks import sweep_outbox
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, ConsentPurpose, Situation, Source, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register, follow_up_signup
from kandidaten.tasks import sweep_signup_follow_ups

from .conftest import reset_broker_connections, wait_for

pytestmark = pytest.mark.services

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"


def _sign_up(number: int = 1):
    return candidate_register(
        details={
            "first_name": "Sanne",
            "last_name": f"de Vries {number}",
            "email": f"sanne.{number}@example.org",
            "phone": f"+3161234567{number}",
            "postcode": "9711 AB",
            "situation": Situation.WORKING_OUTSIDE_CARE,
            "education_level": EducationLevel.MBO3,
            "source": Source.CAMPAIGN,
        },
        consents={ConsentPurpose.CONTACT: True},
        channel=SignupChannel.INTAKE,
    )


def _read(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


@contextlib.contextmanager
def _broker_down():
    """The broker unreachable for this process's publishes (nothing listens on the port)."""
    working_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    reset_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url = working_broker
        reset_broker_connections()


def _signup_events():
    return TimelineEvent.objects.filter(kind=TimelineEvent.Kind.SIGNUP)


def test_the_worker_sends_the_confirmation_of_a_public_sign_up(worker, client, region_a):
    started = time.monotonic()
    response = client.post("/aanmelden/", intake_form_data(first_name="Sanne", email="sanne.1@example.org"))
    assert time.monotonic() - started < 5

    assert response.status_code == 302
    assert response.headers["Location"] == "/aanmelden/bedankt/"
    candidate = Candidate.objects.get(email="sanne.1@example.org")
    assert candidate.region == region_a
    # The sign-up's follow-up, on the worker, queues the confirmation; a send task sends it.
    assert wait_for(lambda: OutboxMail.objects.filter(to="sanne.1@example.org", sent_at__isnull=False).exists()), (
        "the worker did not send the confirmation within 20 s"
    )
    mail = OutboxMail.objects.get(to="sanne.1@example.org")
    assert _signup_events().get().followed_up_at is not None
    assert mail.attempts == 1
    files = worker.sent_mail_files()
    assert len(files) == 1
    message = _read(files[0])
    assert message["To"] == "sanne.1@example.org"
    assert message["Subject"] == "We hebben je aanmelding ontvangen"
    text = message.get_body(("plain",)).get_content()
    assert "Hallo Sanne," in text
    assert "Noord-Nederland" in text
    assert message.get_body(("html",)) is not None


def test_sign_ups_during_a_broker_outage_are_mailed_by_the_sign_up_sweep(worker, region_a):
    with _broker_down():
        for number in (1, 2, 3):
            started = time.monotonic()
            _sign_up(number)
            assert time.monotonic() - started < 5, "a sign-up must not wait for a broker that is down"

    # Stored, but their follow-up never reached the broker: no confirmation is queued yet.
    assert Candidate.objects.count() == 3
    assert _signup_events().filter(followed_up_at__isnull=True).count() == 3
    assert not OutboxMail.objects.exists()
    assert worker.sent_mail_files() == []

    # Two minutes later, with Redis back, beat starts the sign-up sweep on the worker: the follow-ups
    # queue the confirmations, sent on their commit.
    _signup_events().update(created_at=F("created_at") - timedelta(minutes=2))
    sweep_signup_follow_ups.delay()

    assert wait_for(lambda: OutboxMail.objects.count() == 3), "the sweep did not follow up every sign-up within 20 s"
    assert wait_for(lambda: not OutboxMail.objects.filter(sent_at__isnull=True).exists()), (
        "the confirmations were not sent within 20 s"
    )
    assert not _signup_events().filter(followed_up_at__isnull=True).exists()
    assert sorted(OutboxMail.objects.values_list("to", flat=True)) == [
        "sanne.1@example.org",
        "sanne.2@example.org",
        "sanne.3@example.org",
    ]
    assert len(worker.sent_mail_files()) == 3


def test_a_confirmation_its_follow_up_could_not_hand_to_the_broker_is_mailed_by_the_outbox_sweep(worker, region_a):
    # The broker goes away while the follow-up runs: the confirmation is stored, its send task is not.
    with _broker_down():
        _sign_up()
        assert follow_up_signup(_signup_events().get().pk) is True
    mail = OutboxMail.objects.get()
    assert (mail.to, mail.sent_at, mail.attempts) == ("sanne.1@example.org", None, 0)

    # Two minutes later beat's outbox sweep sends it; the sign-up sweep has nothing left to do.
    OutboxMail.objects.update(created_at=F("created_at") - timedelta(minutes=2))
    _signup_events().update(created_at=F("created_at") - timedelta(minutes=2))
    sweep_signup_follow_ups.delay()
    sweep_outbox.delay()

    assert wait_for(lambda: OutboxMail.objects.filter(pk=mail.pk, sent_at__isnull=False).exists()), (
        "the outbox sweep did not send the confirmation within 20 s"
    )
    mail.refresh_from_db()
    assert mail.attempts == 1
    assert OutboxMail.objects.count() == 1
    [path] = worker.sent_mail_files()
    assert _read(path)["Subject"] == "We hebben je aanmelding ontvangen"
