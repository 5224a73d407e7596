"""Celery tasks of the project package: thin wrappers that take ids and call plain functions."""

from celery import shared_task
from django.utils import timezone

from . import audit, reminders
from .mail import enqueue_mail, mails_left_behind, send_mail_once

# At most this many mails per sweep; beat runs the sweep every two minutes.
SWEEP_BATCH = 500


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_outbox_mail(mail_id: int) -> bool:
    return send_mail_once(mail_id)


@shared_task
def sweep_outbox() -> int:
    """Re-enqueue outbox mail that was left behind (broker down, worker killed)."""
    # Oldest first: after a long outage the first sign-ups have waited longest.
    mail_ids = list(mails_left_behind().order_by("created_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    for mail_id in mail_ids:
        enqueue_mail(mail_id)
    return len(mail_ids)


# Periodic notifications (contactpunt.reminders): beat passes no arguments; each job takes the time
# it runs and is idempotent (dedupe keys), so a retry or a second run sends nothing twice.
PERIODIC = {"soft_time_limit": 10 * 60, "time_limit": 11 * 60}


@shared_task(**PERIODIC)
def send_daily_digests() -> int:
    return reminders.send_daily_digests(timezone.now())


@shared_task(**PERIODIC)
def send_introduction_reminders() -> int:
    return reminders.send_introduction_reminders(timezone.now())


@shared_task(**PERIODIC)
def send_warnings() -> int:
    return reminders.send_warnings(timezone.now())


@shared_task(**PERIODIC)
def send_activity_reminders() -> int:
    return reminders.send_activity_reminders(timezone.now())


@shared_task(**PERIODIC)
def purge_audit_log() -> int:
    return audit.purge_expired(timezone.now())
