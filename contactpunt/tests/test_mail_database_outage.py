"""The outbox through a database restart: a mail is neither stuck behind its own claim nor sent twice.

A restart ends the worker's connection between two statements. The claim and the read are one
transaction, so a lost connection takes the claim with it and the task's retry sends; a mail that went
out is recorded once the database answers again, so no retry sends it a second time.
"""

import pytest
from django.core import mail as django_mail
from django.db import OperationalError
from django.db.models import QuerySet

from contactpunt.models import OutboxMail
from contactpunt.tasks import send_outbox_mail

# Not in a test transaction: the worker runs in autocommit, and a rolled-back claim is what is tested.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class DatabaseGoesAway:
    """Makes the `failures` first UPDATEs that set `field` fail as a dropped connection does."""

    def __init__(self, monkeypatch, field: str, failures: int):
        self.failures = failures
        self.raised = 0
        real_update = QuerySet.update

        def update(queryset, **changes):
            if field in changes and self.raised < self.failures:
                self.raised += 1
                raise OperationalError("server closed the connection unexpectedly")
            return real_update(queryset, **changes)

        monkeypatch.setattr(QuerySet, "update", update)
        monkeypatch.setattr("contactpunt.mail.time.sleep", lambda seconds: None)


def _mail() -> OutboxMail:
    return OutboxMail.objects.create(to="iemand@example.org", subject="Onderwerp", body_text="Tekst")


def test_a_claim_lost_with_the_connection_is_no_claim_and_the_retry_sends(monkeypatch):
    outage = DatabaseGoesAway(monkeypatch, "claimed_at", failures=1)
    mail = _mail()

    result = send_outbox_mail.apply(args=[mail.pk], throw=False)  # the failure retries at once here

    assert outage.raised == 1
    assert result.get() is True
    mail.refresh_from_db()
    assert mail.sent_at is not None
    assert mail.attempts == 1  # the lost claim left no trace
    assert len(django_mail.outbox) == 1


def test_a_sent_mail_is_recorded_once_the_database_is_back_and_not_sent_again(monkeypatch):
    outage = DatabaseGoesAway(monkeypatch, "sent_at", failures=3)
    mail = _mail()

    assert send_outbox_mail.apply(args=[mail.pk], throw=False).get() is True

    assert outage.raised == 3
    mail.refresh_from_db()
    assert mail.sent_at is not None
    assert len(django_mail.outbox) == 1
    assert send_outbox_mail.apply(args=[mail.pk]).get() is False
    assert len(django_mail.outbox) == 1


def test_a_database_that_stays_away_fails_the_task_and_the_lease_keeps_the_mail(monkeypatch):
    DatabaseGoesAway(monkeypatch, "sent_at", failures=100)
    mail = _mail()

    with pytest.raises(OperationalError):
        send_outbox_mail.apply(args=[mail.pk], throw=True, retries=send_outbox_mail.max_retries)

    mail.refresh_from_db()
    assert (mail.sent_at, mail.attempts) == (None, 1)
    assert mail.claimed_at is not None  # claimed until the lease ends: the sweep decides after that
    assert len(django_mail.outbox) == 1
