"""Celery tasks of the candidates app: take ids, call kandidaten.matching."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.db.models import F

from contactpunt.jobs import enqueue

from . import bulk_matching, matching, public_signup, services
from .models import TimelineEvent

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def register_signup(pending_id: int) -> bool:
    return public_signup.register_pending_signup(pending_id)


@shared_task(**RETRY)
def follow_up_signup(event_id: int) -> bool:
    return services.follow_up_signup(event_id)


# Enough for an outage of a busy campaign day per run; the next run takes the rest.
SWEEP_BATCH = 5000


@shared_task
def sweep_pending_signups() -> int:
    """Re-enqueue the public sign-ups no worker has registered (Celery beat, every two minutes)."""
    pending_ids = list(public_signup.pending_signups_left_behind().values_list("pk", flat=True)[:SWEEP_BATCH])
    public_signup.mark_swept(pending_ids)
    if last := public_signup.last_tries(pending_ids):
        logger.error("%d public sign-ups still not registered: the sweep queued them for the last time", last)
    for pending_id in pending_ids:
        enqueue(register_signup, pending_id)
    return len(pending_ids)


@shared_task
def sweep_signup_follow_ups() -> int:
    """Re-enqueue the follow-ups of sign-ups that were left behind (Celery beat, every two minutes)."""
    # Oldest first: after a long outage the first sign-ups have waited longest.
    events = services.follow_ups_left_behind().order_by("created_at", "pk").values_list("pk", flat=True)
    event_ids = list(events[:SWEEP_BATCH])
    TimelineEvent.objects.filter(pk__in=event_ids).update(follow_up_sweeps=F("follow_up_sweeps") + 1)
    for event_id in event_ids:
        enqueue(follow_up_signup, event_id)
    return len(event_ids)


@shared_task(**RETRY)
def match_candidate(candidate_id: int) -> int:
    return matching.match_candidate(candidate_id).written


@shared_task(**RETRY, soft_time_limit=600, time_limit=660)
def match_offer(offer_id: int) -> int:
    return matching.match_offer(offer_id).written


@shared_task(soft_time_limit=3000, time_limit=3300)
def rematch_all() -> int:
    """The nightly full run (Celery beat), vectorised."""
    return bulk_matching.rematch_all().written


@shared_task(**RETRY, soft_time_limit=1800, time_limit=1900)
def apply_retention() -> dict[str, int]:
    """The nightly retention run (Celery beat): warnings, erasures and clean-up (kandidaten.privacy)."""
    from . import privacy

    return privacy.apply_retention()


@shared_task(**RETRY)
def scrub_erasure_confirmations_task() -> int:
    """Wipe the address of erasure confirmations once they have been sent."""
    from . import privacy

    return privacy.scrub_erasure_confirmations()
