"""The outbox: mail is written with the event, sent once by a task, retried, and swept up when left behind."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from contactpunt.mail import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    Attachment,
    enqueue_mail,
    mails_left_behind,
    queue_mail,
    send_mail_once,
)
from contactpunt.models import OutboxMail
from contactpunt.tasks import send_outbox_mail, sweep_outbox
from kandidaten.factories import CandidateFactory

pytestmark = pytest.mark.django_db

CONFIRMATION = "kandidaten/email/signup_confirmation"


def _queue_confirmation(region) -> OutboxMail:
    candidate = CandidateFactory(first_name="Fatima", email="fatima@example.org", region=region)
    return queue_mail(
        to=candidate.email,
        template=CONFIRMATION,
        context={"candidate": candidate, "region": region, "working_days": 2},
    )


def _outbox_mail(**fields) -> OutboxMail:
    """An outbox row as it stands some time after it was written (created_at is set on insert)."""
    created_at = fields.pop("created_at", timezone.now())
    mail = OutboxMail.objects.create(to="iemand@example.org", subject="Onderwerp", body_text="Tekst", **fields)
    OutboxMail.objects.filter(pk=mail.pk).update(created_at=created_at)
    return mail


class FlakySend:
    """Makes EmailMultiAlternatives.send fail the first `failures` times, then send for real."""

    def __init__(self, monkeypatch, failures: int):
        self.failures = failures
        self.calls = 0
        real_send = EmailMultiAlternatives.send

        def send(message, fail_silently=False):
            self.calls += 1
            if self.calls <= self.failures:
                raise SMTPServerDisconnected("connection unexpectedly closed")
            return real_send(message, fail_silently)

        monkeypatch.setattr(EmailMultiAlternatives, "send", send)


def test_queue_mail_renders_subject_text_and_html_in_dutch(region_a):
    mail = _queue_confirmation(region_a)

    assert mail.to == "fatima@example.org"
    assert mail.subject == "We hebben je aanmelding ontvangen"
    assert "Hallo Fatima," in mail.body_text
    assert "Noord-Nederland" in mail.body_text
    assert "werkdag" in mail.body_text  # "belt je binnen twee werkdagen"
    assert "Hallo Fatima," in mail.body_html
    assert mail.body_html.lstrip().startswith("<!doctype html>")
    assert mail.sent_at is None


def test_queue_mail_sends_only_after_commit(region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mail = _queue_confirmation(region_a)
        assert django_mail.outbox == []

    assert len(callbacks) == 1
    assert len(django_mail.outbox) == 1
    sent = django_mail.outbox[0]
    assert sent.to == ["fatima@example.org"]
    assert sent.subject == "We hebben je aanmelding ontvangen"
    assert sent.alternatives[0].mimetype == "text/html"
    mail.refresh_from_db()
    assert mail.sent_at is not None
    assert mail.attempts == 1


def test_a_mail_is_sent_once_even_when_the_task_runs_twice(region_a):
    mail = _queue_confirmation(region_a)

    assert send_outbox_mail.delay(mail.pk).get() is True
    assert send_outbox_mail.delay(mail.pk).get() is False

    assert len(django_mail.outbox) == 1
    mail.refresh_from_db()
    assert mail.attempts == 1


def test_a_mail_claimed_by_another_worker_is_left_alone():
    mail = _outbox_mail(claimed_at=timezone.now() - timedelta(minutes=1))

    assert send_mail_once(mail.pk) is False

    assert django_mail.outbox == []


def test_a_claim_of_a_worker_that_died_expires():
    mail = _outbox_mail(claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1), attempts=1)

    assert send_mail_once(mail.pk) is True

    assert len(django_mail.outbox) == 1
    mail.refresh_from_db()
    assert mail.attempts == 2


def test_a_failed_send_releases_the_claim_and_a_later_try_sends(monkeypatch):
    FlakySend(monkeypatch, failures=1)
    mail = _outbox_mail()

    with pytest.raises(SMTPServerDisconnected):
        send_mail_once(mail.pk)

    mail.refresh_from_db()
    assert (mail.claimed_at, mail.sent_at, mail.attempts) == (None, None, 1)
    assert mail.last_error == "SMTPServerDisconnected"

    assert send_mail_once(mail.pk) is True
    mail.refresh_from_db()
    assert mail.sent_at is not None
    assert mail.attempts == 2
    assert mail.last_error == ""
    assert len(django_mail.outbox) == 1


def test_the_task_retries_a_failed_send(monkeypatch):
    flaky = FlakySend(monkeypatch, failures=1)
    mail = _outbox_mail()

    # As a worker runs it: the failure schedules a retry (run at once here) instead of raising.
    result = send_outbox_mail.apply(args=[mail.pk], throw=False)

    assert result.get() is True
    assert flaky.calls == 2
    mail.refresh_from_db()
    assert mail.sent_at is not None
    assert mail.attempts == 2
    assert len(django_mail.outbox) == 1


def test_a_failed_send_in_the_request_keeps_the_mail_for_the_sweep(monkeypatch, region_a):
    """Eager tasks (no REDIS_URL): a mail server that is down never breaks the sign-up itself."""
    FlakySend(monkeypatch, failures=1)

    mail = _queue_confirmation(region_a)
    enqueue_mail(mail.pk)

    mail.refresh_from_db()
    assert (mail.sent_at, mail.claimed_at, mail.attempts) == (None, None, 1)
    assert mail.last_error == "SMTPServerDisconnected"
    assert django_mail.outbox == []


def test_mails_left_behind_are_the_unsent_ones_nobody_works_on():
    now = timezone.now()
    never_enqueued = _outbox_mail(created_at=now - timedelta(minutes=5))
    stale_claim = _outbox_mail(created_at=now - timedelta(hours=1), claimed_at=now - CLAIM_LEASE - timedelta(minutes=1))
    _outbox_mail(created_at=now)  # fresh: its task is on the way
    _outbox_mail(created_at=now - timedelta(minutes=5), claimed_at=now - timedelta(minutes=2))  # being sent
    _outbox_mail(created_at=now - timedelta(minutes=5), sent_at=now - timedelta(minutes=4))  # sent
    _outbox_mail(created_at=now - timedelta(days=1), attempts=MAX_ATTEMPTS)  # given up

    assert set(mails_left_behind(now)) == {never_enqueued, stale_claim}


def test_the_sweep_sends_what_was_left_behind_and_nothing_else():
    now = timezone.now()
    left_behind = [_outbox_mail(created_at=now - timedelta(minutes=5)) for _ in range(3)]
    fresh = _outbox_mail(created_at=now)

    assert sweep_outbox.delay().get() == 3

    assert len(django_mail.outbox) == 3
    assert not OutboxMail.objects.filter(pk__in=[m.pk for m in left_behind], sent_at__isnull=True).exists()
    fresh.refresh_from_db()
    assert fresh.sent_at is None
    assert sweep_outbox.delay().get() == 0


def test_the_sweep_takes_the_oldest_mails_first(monkeypatch):
    monkeypatch.setattr("contactpunt.tasks.SWEEP_BATCH", 2)
    now = timezone.now()
    newest = _outbox_mail(created_at=now - timedelta(minutes=2))
    oldest = _outbox_mail(created_at=now - timedelta(minutes=30))
    middle = _outbox_mail(created_at=now - timedelta(minutes=10))

    assert sweep_outbox.delay().get() == 2

    assert sorted(OutboxMail.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)) == sorted(
        [oldest.pk, middle.pk]
    )
    newest.refresh_from_db()
    assert newest.sent_at is None


@pytest.mark.django_db
def test_an_attachment_travels_with_the_mail(mailoutbox, django_capture_on_commit_callbacks):
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(
            to="sanne@example.org",
            template="kandidaten/email/signup_confirmation",
            context={"candidate": {"first_name": "Sanne"}, "region": None, "working_days": 2},
            attachments=[Attachment("meeloopdag.ics", calendar, "text/calendar")],
        )

    (message,) = mailoutbox
    assert message.attachments == [("meeloopdag.ics", calendar, "text/calendar")]
