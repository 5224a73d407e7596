"""Webhooks: a signed POST to a partner when the status of one of its hand-offs changes.

Each change is a WebhookDelivery row first (the outbox), then sent by a Celery task; a failed attempt
is tried again later with a growing pause (WEBHOOK_RETRY_MINUTES), the last answer kept on the row.
The minute job also finds changes that no signal saw (updates in bulk) by comparing each hand-off's
status with the one last told. The body holds the hand-off's id, the partner's reference and the new
status: nothing about the person.

Signature: header `X-Contactpunt-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with
the partner's webhook secret; receivers check it and refuse a `t` older than five minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from contactpunt.jobs import enqueue, enqueue_on_commit

from .handoffs import STATUS_OF_CANDIDATE, handoff_status
from .models import Handoff, HandoffStatus, Partner, WebhookDelivery

logger = logging.getLogger(__name__)

EVENT = "handoff.status_changed"
TIMEOUT_SECONDS = 10
# Pauses before the second, third … attempt; after the last one the delivery has failed.
WEBHOOK_RETRY_MINUTES = (1, 5, 15, 60, 180, 720)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def ensure_secret(partner: Partner) -> None:
    if partner.webhook_url and not partner.webhook_secret:
        partner.webhook_secret = new_secret()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _payload(handoff: Handoff, status: str, event_id: str, now) -> dict:
    return {
        "event": EVENT,
        "event_id": event_id,
        "occurred_at": now.isoformat(),
        "handoff": {
            "id": str(handoff.public_id),
            "partner_reference": handoff.partner_reference,
            "status": status,
            "status_label": str(HandoffStatus(status).label),
        },
    }


def queue_changes(handoffs) -> int:
    """A delivery for every hand-off (with its candidate loaded) whose status differs from the one last
    told, to partners with a webhook; sent after commit."""
    queued = 0
    now = timezone.now()
    for handoff in handoffs:
        status = handoff_status(handoff.candidate)
        if status == handoff.reported_status:
            continue
        Handoff.objects.filter(pk=handoff.pk).update(reported_status=status)
        handoff.reported_status = status
        if not handoff.partner.webhook_url:
            continue
        delivery = WebhookDelivery(partner=handoff.partner, handoff=handoff, status=status, next_attempt_at=now)
        delivery.payload = _payload(handoff, status, str(delivery.event_id), now)
        delivery.save()
        from .tasks import deliver_webhook

        enqueue_on_commit(deliver_webhook, delivery.pk)
        queued += 1
    return queued


def queue_for_candidate(candidate_id: int) -> int:
    handoffs = Handoff.objects.select_related("partner", "candidate").filter(candidate_id=candidate_id)
    return queue_changes(handoffs)


def _candidate_status_as_handoff_status():
    """handoff_status in SQL: an erased or merged-away person counts as closed."""
    return Case(
        When(candidate__erased_at__isnull=False, then=Value(str(HandoffStatus.CLOSED))),
        *(When(candidate__status=status, then=Value(str(told))) for status, told in STATUS_OF_CANDIDATE.items()),
        default=Value(str(HandoffStatus.CLOSED)),
        output_field=CharField(),
    )


def reconcile() -> int:
    """Changes no signal saw (an update in bulk, an erasure, a merge): one query to find them."""
    changed = (
        Handoff.objects.annotate(now_status=_candidate_status_as_handoff_status())
        .exclude(now_status=F("reported_status"))
        .select_related("partner", "candidate")
    )
    return queue_changes(changed[:500])


def deliver(delivery_id: int) -> bool:
    """One attempt; True when the partner answered 2xx. The row is locked while sending, so a retry
    and the sweep never send one delivery twice at the same time."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("partner")
            .filter(pk=delivery_id, state=WebhookDelivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return False
        partner = delivery.partner
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        code, error = _post(partner, body, delivery)
        delivery.last_status_code, delivery.last_error = code, error[:200]
        if code is not None and 200 <= code < 300:
            delivery.state = WebhookDelivery.State.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif delivery.attempts > len(WEBHOOK_RETRY_MINUTES):
            delivery.state = WebhookDelivery.State.FAILED
            delivery.next_attempt_at = None
            logger.warning("Webhook delivery %s to partner %s failed for good", delivery.pk, partner.slug)
        else:
            delivery.next_attempt_at = now + timedelta(minutes=WEBHOOK_RETRY_MINUTES[delivery.attempts - 1])
        delivery.save()
    return delivery.state == WebhookDelivery.State.DELIVERED


def _post(partner: Partner, body: bytes, delivery: WebhookDelivery) -> tuple[int | None, str]:
    if not partner.webhook_url:
        return None, "no webhook address"
    # The address is an administrator's, and its form field allows http(s) only.
    request = urllib.request.Request(  # noqa: S310
        partner.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Contactpunt-Webhooks/1",
            "X-Contactpunt-Event": EVENT,
            "X-Contactpunt-Delivery": str(delivery.event_id),
            "X-Contactpunt-Signature": signature(partner.webhook_secret, int(time.time()), body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as refused:
        return refused.code, f"HTTP {refused.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as failed:
        return None, type(failed).__name__


def due(now=None):
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)


def sweep() -> int:
    """The minute job: changes no signal saw, and the deliveries whose next attempt is due."""
    from .tasks import deliver_webhook

    reconcile()
    ids = list(due().values_list("pk", flat=True)[:500])
    for delivery_id in ids:
        enqueue(deliver_webhook, delivery_id)
    return len(ids)
