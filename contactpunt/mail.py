"""Outgoing e-mail through an outbox: written with the event, sent once by a Celery task."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMail

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died; the sweep tries again. It must be
# longer than a send can take (CELERY_TASK_TIME_LIMIT). settings.OUTBOX_CLAIM_LEASE (a timedelta)
# overrides it: the services tests kill a worker and use seconds.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Attachment:
    """A text attachment (an .ics calendar file, for instance), stored with the mail."""

    filename: str
    content: str
    mimetype: str


def site_url(request: HttpRequest) -> str:
    """The portal's address as the person reached it (without a trailing slash), for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboxMail:
    """Render `<template>_subject.txt`, `.txt` and `.html` and queue the mail after commit."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    mail = OutboxMail.objects.create(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=[asdict(attachment) for attachment in attachments],
    )
    transaction.on_commit(lambda: enqueue_mail(mail.pk))
    return mail


def enqueue_mail(mail_id: int) -> None:
    """Hand the mail to the broker; if it is down, the periodic sweep picks the mail up later."""
    from .tasks import send_outbox_mail

    try:
        send_outbox_mail.delay(mail_id)
    except Exception:
        logger.warning("Outbox mail %s not handed to the broker; the sweep retries it", mail_id)


def claim_lease() -> timedelta:
    return getattr(settings, "OUTBOX_CLAIM_LEASE", CLAIM_LEASE)


def send_mail_once(mail_id: int) -> bool:
    """Claim the mail and send it; False when it is sent already or someone else has it."""
    mail = _claim(mail_id)
    if mail is None:
        return False
    message = EmailMultiAlternatives(mail.subject, mail.body_text, settings.DEFAULT_FROM_EMAIL, [mail.to])
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except Exception as error:
        OutboxMail.objects.filter(pk=mail_id).update(claimed_at=None, last_error=type(error).__name__)
        raise
    _record_sent(mail_id)
    return True


def _claim(mail_id: int) -> OutboxMail | None:
    """Claim and read the mail in one transaction.

    Claimed in one statement and read in the next, a connection lost in between (a database restart)
    left a claim that the task's own retry could not take: the mail waited out the lease.
    """
    now = timezone.now()
    with transaction.atomic():
        mail = (
            OutboxMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, sent_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_lease()))
            .first()
        )
        if mail is not None:
            OutboxMail.objects.filter(pk=mail_id).update(claimed_at=now, attempts=F("attempts") + 1)
    return mail


# Seconds between tries to record a sent mail: together longer than a database restart takes.
RECORD_SENT_PAUSES = (0.5, 1, 2, 4, 8)


def _record_sent(mail_id: int) -> None:
    """Record that the mail went out, waiting out a short database outage.

    The message is out; a raised error would make the task's retry (or, after the lease, the sweep)
    send it a second time.
    """
    for pause in (*RECORD_SENT_PAUSES, None):
        try:
            OutboxMail.objects.filter(pk=mail_id).update(sent_at=timezone.now(), last_error="")
            return
        except (OperationalError, InterfaceError):
            if pause is None or db_connection.in_atomic_block:
                raise
            logger.warning("Outbox mail %s sent but not yet recorded; trying again", mail_id)
            db_connection.close_if_unusable_or_obsolete()
            time.sleep(pause)


def mails_left_behind(now=None):
    """Unsent mails nobody is working on: never enqueued, failed, or claimed by a dead worker."""
    now = now or timezone.now()
    return OutboxMail.objects.filter(
        Q(claimed_at__isnull=True, created_at__lt=now - timedelta(minutes=1)) | Q(claimed_at__lt=now - claim_lease()),
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
    )
