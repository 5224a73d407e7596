"""The funnel's milestones on a candidate: first contact (and how many working days it took), first
referral and first start.

They are stamped when they happen (kandidaten.services) and can be worked out again from the history
(`recompute`), e.g. after the demo dated its events back or for rows made before the fields existed.
"Reached" means ever reached since the sign-up: a candidate who was referred and stopped later still
counts as referred, which is what the funnel of a period asks. A start counts as a referral too (a
coordinator may record a start straight after a conversation), so the funnel's stages nest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Min, Q

from contactpunt.workdays import working_days_between

from .models import Candidate, Status, TimelineEvent

# Every field these functions write, for `save(update_fields=...)` next to a status change.
FIELDS = ["referred_at", "started_at"]


def working_days_to_first_contact(signed_up_at: datetime, first_contact_at: datetime | None) -> int | None:
    if first_contact_at is None:
        return None
    return working_days_between(signed_up_at, first_contact_at)


def stamp_first_contact(candidate: Candidate, moment: datetime | None) -> None:
    candidate.first_contact_at = moment
    candidate.first_contact_working_days = working_days_to_first_contact(candidate.signed_up_at, moment)


def stamp_status(candidate: Candidate, status: str, now: datetime) -> None:
    """The first referral and the first start since the sign-up; later ones change nothing."""
    if status in (Status.REFERRED, Status.STARTED) and candidate.referred_at is None:
        candidate.referred_at = now
    if status == Status.STARTED and candidate.started_at is None:
        candidate.started_at = now


def reset(candidate: Candidate) -> None:
    """A reopened sign-up starts the funnel again (the earlier one stays in the timeline)."""
    stamp_first_contact(candidate, None)
    candidate.referred_at = candidate.started_at = None


def recompute(candidates: Iterable[Candidate], *, batch_size: int = 500) -> int:
    """Work the milestones out from the timeline's status changes since each sign-up; returns how many
    candidates changed. Two queries and one bulk update per batch, whatever the length of the histories."""
    candidates = list(candidates)
    changed = 0
    for offset in range(0, len(candidates), batch_size):
        changed += _recompute_batch(candidates[offset : offset + batch_size])
    return changed


def _recompute_batch(candidates: list[Candidate]) -> int:
    since_sign_up = Q(created_at__gte=F("candidate__signed_up_at"))
    reached: dict[int, dict[str, datetime]] = {}
    for to in (Status.REFERRED, Status.STARTED):
        firsts = (
            TimelineEvent.objects.filter(
                since_sign_up,
                candidate__in=[candidate.pk for candidate in candidates],
                kind=TimelineEvent.Kind.STATUS,
                data__to=to,
            )
            .values("candidate_id")
            .annotate(first=Min("created_at"))
        )
        for row in firsts:
            reached.setdefault(row["candidate_id"], {})[to] = row["first"]
    changed = []
    for candidate in candidates:
        moments = reached.get(candidate.pk, {})
        started = moments.get(Status.STARTED)
        referred = min(filter(None, [moments.get(Status.REFERRED), started]), default=None)
        days = working_days_to_first_contact(candidate.signed_up_at, candidate.first_contact_at)
        values = (referred, started, days)
        if values != (candidate.referred_at, candidate.started_at, candidate.first_contact_working_days):
            candidate.referred_at, candidate.started_at, candidate.first_contact_working_days = values
            changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["referred_at", "started_at", "first_contact_working_days"])
    return len(changed)
