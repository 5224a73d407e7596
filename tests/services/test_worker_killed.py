"""A worker killed with SIGKILL in the middle of sending: every notification still arrives exactly once.

The mail was claimed (OutboxMail.claimed_at, a conditional update) before the send; the kill leaves
the claim and an unacknowledged task message (acks_late) behind. Two roads lead back to the mail:
Redis hands the message out again once its visibility timeout has passed, and the outbox sweep
re-enqueues a mail whose claim's lease has run out. Either may come first, both may come: the
conditional claim lets exactly one of them send.

In production the visibility timeout is an hour and the lease ten minutes; the workers here get
seconds (SERVICES_VISIBILITY_TIMEOUT, SERVICES_CLAIM_LEASE) and a mail server that takes its time
(SERVICES_MAIL_DELAY), so that the kill lands between the claim and the writing of the message. They
run on a Redis of their own (`private_redis`), where no other worker takes their messages.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from django.db import transaction
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import OutboxMail
from contactpunt.notifications import NewCandidate, notify
from contactpunt.tasks import sweep_outbox
from kandidaten.factories import CandidateFactory

from .conftest import sent_messages, wait_for

pytestmark = pytest.mark.services

LEASE = 3.0
VISIBILITY_TIMEOUT = 4.0


def _env(mail_delay: float) -> dict[str, str]:
    return {
        "SERVICES_MAIL_DELAY": str(mail_delay),
        "SERVICES_CLAIM_LEASE": str(LEASE),
        "SERVICES_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }


def _new_candidate(region, coordinators) -> None:
    """A new candidate in the region: each coordinator gets a "new candidate" mail, queued on commit."""
    candidate = CandidateFactory(region=region, first_name="Sanne", place="Groningen")
    with transaction.atomic():
        notify(NewCandidate, recipients=coordinators, context={"candidate": candidate, "region": region})


def _claimed_not_sent():
    return OutboxMail.objects.filter(claimed_at__isnull=False, sent_at__isnull=True)


def test_a_mail_whose_worker_was_killed_while_sending_is_sent_once_by_the_next(
    private_redis, start_worker, region_a, coordinator_a
):
    first = start_worker(env=_env(mail_delay=1))
    _new_candidate(region_a, [coordinator_a])
    mail = OutboxMail.objects.get()

    assert wait_for(lambda: _claimed_not_sent().exists(), timeout=15, interval=0.02), "the worker did not claim it"
    first.kill()
    killed_at = time.monotonic()

    mail.refresh_from_db()
    assert (mail.sent_at, mail.attempts) == (None, 1)
    assert sent_messages(first.mail_dir) == []
    assert private_redis.pending() == {"queued": 0, "unacknowledged": 1}

    # No sweep here: the unacknowledged message itself comes back to the new worker.
    second = start_worker(env=_env(mail_delay=1))
    assert wait_for(lambda: OutboxMail.objects.filter(pk=mail.pk, sent_at__isnull=False).exists(), timeout=20), (
        "the mail was not sent again after the visibility timeout"
    )
    assert time.monotonic() - killed_at >= LEASE  # not before the claim of the dead worker ran out

    mail.refresh_from_db()
    assert mail.attempts == 2
    assert mail.sent_at <= timezone.now()
    assert wait_for(lambda: private_redis.pending() == {"queued": 0, "unacknowledged": 0}, timeout=10)
    [message] = sent_messages(second.mail_dir)
    assert message["To"] == "coordinator.a@contactpunt.example"
    assert message["Subject"] == "Nieuwe kandidaat in Noord-Nederland: Sanne"


def test_ten_mails_and_a_worker_killed_half_way_make_ten_messages(private_redis, start_worker, region_a):
    coordinators = [
        CoordinatorFactory(email=f"coordinator.{number}@contactpunt.example", regions=[region_a])
        for number in range(10)
    ]
    first = start_worker(env=_env(mail_delay=0.3))
    _new_candidate(region_a, coordinators)
    assert OutboxMail.objects.count() == 10

    # Kill it while it sends the fourth (or a later) mail.
    assert wait_for(
        lambda: OutboxMail.objects.filter(sent_at__isnull=False).count() >= 3 and _claimed_not_sent().exists(),
        timeout=20,
        interval=0.02,
    ), "the worker did not get half way"
    first.kill()
    [interrupted] = _claimed_not_sent()
    sent_before = OutboxMail.objects.filter(sent_at__isnull=False).count()
    assert len(sent_messages(first.mail_dir)) == sent_before < 10

    second = start_worker(env=_env(mail_delay=0.3))
    # Beat's sweep, once the claim's lease has run out, races the message Redis gives back.
    time.sleep(max(0.0, LEASE - (timezone.now() - interrupted.claimed_at).total_seconds()) + 0.2)
    sweep_outbox.delay()

    assert wait_for(lambda: not OutboxMail.objects.filter(sent_at__isnull=True).exists(), timeout=30), (
        "not every mail was sent after the kill"
    )
    # Both roads have been travelled to the end: nothing left to deliver that could send twice.
    assert wait_for(lambda: private_redis.pending() == {"queued": 0, "unacknowledged": 0}, timeout=15)
    recipients = sorted(message["To"] for message in sent_messages(second.mail_dir))
    assert recipients == sorted(coordinator.email for coordinator in coordinators)
    interrupted.refresh_from_db()
    assert interrupted.attempts == 2
    assert OutboxMail.objects.filter(attempts=1).count() == 9


def test_a_pool_process_killed_while_sending_is_replaced_and_its_mail_sent_once(
    private_redis, start_worker, region_a, coordinator_a
):
    """The prefork pool (the default of `celery worker`), where the kernel's OOM killer picks a pool process.

    The worker notices its pool process died (a few seconds later) and, with reject_on_worker_lost,
    puts the message back at once instead of waiting for the visibility timeout. Whether that message
    or the sweep gets past the claim depends on whether the lease ran out first (in production, with
    ten minutes, the sweep does); one of them sends, the other finds the mail sent.
    """
    worker = start_worker(env=_env(mail_delay=1), pool="prefork")
    _new_candidate(region_a, [coordinator_a])
    mail = OutboxMail.objects.get()

    assert wait_for(lambda: _claimed_not_sent().exists(), timeout=15, interval=0.02), "the worker did not claim it"
    [pool_process] = worker.pool_processes()
    os.kill(pool_process, signal.SIGKILL)
    mail.refresh_from_db()
    assert (mail.sent_at, mail.attempts) == (None, 1)

    task_received = re.compile(r"Task contactpunt\.tasks\.send_outbox_mail\[[-0-9a-f]+\] received")
    assert wait_for(lambda: len(task_received.findall(worker.log())) == 2, timeout=15), "the message did not come back"
    assert "WorkerLostError" in worker.log()
    assert worker.process.poll() is None, "the worker itself lives on"

    time.sleep(max(0.0, LEASE - (timezone.now() - mail.claimed_at).total_seconds()) + 0.2)
    sweep_outbox.delay()  # beat, every two minutes

    assert wait_for(lambda: OutboxMail.objects.filter(pk=mail.pk, sent_at__isnull=False).exists(), timeout=15), (
        "the mail was not sent after the kill"
    )
    assert wait_for(lambda: private_redis.pending() == {"queued": 0, "unacknowledged": 0}, timeout=10)
    mail.refresh_from_db()
    assert mail.attempts == 2
    [message] = sent_messages(worker.mail_dir)
    assert message["To"] == "coordinator.a@contactpunt.example"
