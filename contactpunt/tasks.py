"""Celery tasks of the project package: thin wrappers that take ids and call plain functions."""

from celery import shared_task

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
