"""The public sign-up at /aanmelden/: accepted in the request, registered by a worker.

A campaign day sends hundreds of visitors a minute to one form. The request stores what the visitor
sent as one PendingSignup row (one INSERT) and answers; a Celery task then registers it through
kandidaten.services.candidate_register (the duplicate rules, the routing, consents and timeline, the
audit row) and runs its follow-up. Where no worker runs (the embedded mode of `make run` and
`make test`) the same registration happens in the request, so both paths share every line but the
hand-over. A sign-up whose task never ran (the broker was down) is queued again by the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from contactpunt.audit import Action, record
from contactpunt.jobs import enqueue_on_commit
from contactpunt.postcodes import route_postcode

from .forms import active_reference_lines
from .models import Candidate, PendingSignup
from .services import MANY_TO_MANY_FIELDS, Registration, SignupChannel, candidate_register, follow_up_signup

# A sign-up the worker has not registered this long after it came in is queued again by the sweep,
# at most this many times (two-minute intervals: a quarter of an hour); then it waits for retention.
PENDING_GRACE = timedelta(minutes=1)
PENDING_SWEEPS = 8


@dataclass(frozen=True)
class AcceptedSignup:
    """What the thank-you page may say: the first name and the contact point that will call."""

    first_name: str
    region_name: str


def accept_signup(
    *, details: dict[str, Any], consents: dict[str, bool], source_tag: str, origin: dict[str, str]
) -> AcceptedSignup:
    """Store the sign-up and hand it to the worker after commit; without a worker, register it now.

    The intake view runs without a request transaction: the stored row is one INSERT in autocommit
    (no BEGIN and COMMIT round trips); registering in the request takes a transaction of its own.
    """
    stored = {"details": _to_json(details), "consents": dict(consents), "source_tag": source_tag, "origin": origin}
    if settings.INTAKE_REGISTERS_IN_WORKER:
        from .tasks import register_signup

        pending = PendingSignup.objects.create(**stored)
        enqueue_on_commit(register_signup, pending.pk)
        return AcceptedSignup(first_name=details["first_name"], region_name=_region_name(details["postcode"]))
    with transaction.atomic():
        region = _register(PendingSignup.objects.create(**stored)).candidate.region
    return AcceptedSignup(first_name=details["first_name"], region_name=region.name if region else "")


# The thank-you page names the contact point before the worker has routed the sign-up: looked up once
# a minute per PC4 area in each process. A range changed in that minute shows the old name on that
# page only; the worker routes with the ranges as they are.
REGION_NAME_SECONDS = 60


def _region_name(postcode: str) -> str:
    def lookup() -> str:
        region = route_postcode(postcode)
        return region.name if region else ""

    return caches["process"].get_or_set(f"region-name:{postcode[:4]}", lookup, REGION_NAME_SECONDS)


def register_pending_signup(pending_id: int) -> bool:
    """The worker's half: register the sign-up once, then its follow-up. False when it was done already
    (a retry, the sweep and a late task may all come for the same row)."""
    with transaction.atomic():
        pending = PendingSignup.objects.select_for_update(skip_locked=True).filter(pk=pending_id).first()
        if pending is None:
            return False
        registration = _register(pending, follow_up=False)
    # After commit, so the confirmation never goes out for a sign-up that was rolled back; if the
    # worker dies in between, the follow-up sweep finds the sign-up event not followed up.
    follow_up_signup(registration.event.pk)
    return True


def pending_signups_left_behind(now=None) -> QuerySet[PendingSignup]:
    now = now or timezone.now()
    return PendingSignup.objects.filter(received_at__lt=now - PENDING_GRACE, sweeps__lt=PENDING_SWEEPS)


def mark_swept(pending_ids: list[int]) -> None:
    PendingSignup.objects.filter(pk__in=pending_ids).update(sweeps=F("sweeps") + 1)


def last_tries(pending_ids: list[int]) -> int:
    """Of the sign-ups just swept, those queued for the last time (after that, retention deletes them)."""
    return PendingSignup.objects.filter(pk__in=pending_ids, sweeps__gte=PENDING_SWEEPS).count()


def _register(pending: PendingSignup, *, follow_up: bool = True) -> Registration:
    registration = candidate_register(
        details=_from_json(pending.details),
        consents=pending.consents,
        channel=SignupChannel.INTAKE,
        source_tag=pending.source_tag,
        signed_up_at=pending.received_at,
        queue_follow_up=follow_up,
    )
    record(
        None,
        Action.CREATE if registration.created else Action.CHANGE,
        registration.candidate,
        from_origin=pending.origin,
    )
    pending.delete()
    return registration


def _to_json(details: dict[str, Any]) -> dict[str, Any]:
    """The reference lists by id; the form's other cleaned values are JSON already."""
    stored = {}
    for name, value in details.items():
        if name in MANY_TO_MANY_FIELDS:
            # An empty choice is `queryset.none()`: no need to run it through the query compiler.
            empty = isinstance(value, QuerySet) and value.query.is_empty()
            stored[name] = [] if empty else [item.pk for item in value]
        else:
            stored[name] = value
    return stored


def _from_json(stored: dict[str, Any]) -> dict[str, Any]:
    """The details as the form gave them. A reference item switched off since still counts: it was
    on the form the visitor filled in."""
    details = dict(stored)
    for name in MANY_TO_MANY_FIELDS:
        if details.get(name):
            model = Candidate._meta.get_field(name).related_model
            lines = active_reference_lines(model)  # cached per process: no query for the usual case
            chosen = [lines[str(pk)] for pk in details[name] if str(pk) in lines]
            if len(chosen) < len(details[name]):
                chosen += model.objects.filter(pk__in=details[name]).exclude(pk__in=[item.pk for item in chosen])
            details[name] = chosen
    return details
