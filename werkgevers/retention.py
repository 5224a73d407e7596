"""The employer side of privacy: what an erased candidate leaves here, and expired invitations.

Called by kandidaten.privacy (erasure) and its nightly retention job.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from .models import Introduction, Invitation, Offer, Registration
from .registrations import _free_place, fill_from_waiting_list


@transaction.atomic
def registrations_cancel_for_erasure(*, candidate_id: int, site_url: str, now: datetime) -> int:
    """Cancel the candidate's places and waiting-list spots on activities still to come, without
    e-mailing them (their address is about to go); a freed place goes to the first person waiting.

    Past registrations stay (the activity's figures), but their cancel links stop working: an old
    e-mail forwarded or left in a mailbox must not open the page. Returns the number cancelled.
    """
    registrations = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(candidate_id=candidate_id, status__in=Registration.ACTIVE)
        .filter(Q(offer__starts_at__isnull=True) | Q(offer__starts_at__gt=now))
        .values_list("pk", "offer_id", "status")
    )
    for pk, offer_id, status in registrations:
        Registration.objects.filter(pk=pk).update(status=Registration.Status.CANCELLED, cancelled_at=now)
        if status == Registration.Status.CONFIRMED:
            _free_place(offer_id)
            fill_from_waiting_list(offer_id=offer_id, site_url=site_url, now=now)
    retire_cancel_links(Registration.objects.filter(candidate_id=candidate_id))
    return len(registrations)


# A retired cancel link: a value no SHA-256 hex digest can be ("x" is not a hex digit), so no token matches.
RETIRED_PREFIX = "x"


def retire_cancel_links(registrations) -> int:
    """Give each registration a random value nobody holds the token of: old links stop working."""
    count = 0
    for pk in registrations.exclude(cancel_token_hash__startswith=RETIRED_PREFIX).values_list("pk", flat=True):
        count += Registration.objects.filter(pk=pk).update(cancel_token_hash=RETIRED_PREFIX + secrets.token_hex(31))
    return count


def retire_past_cancel_links(*, before: datetime) -> int:
    """Cancel links of activities that ended before `before`: nothing to cancel, only a name to show."""
    return retire_cancel_links(Registration.objects.filter(offer__in=past_offer_ids(before=before)))


def introductions_close_for_erasure(*, candidate_id: int, now: datetime) -> int:
    """Open introductions are withdrawn; every note and reason (free text about the person) goes."""
    withdrawn = Introduction.objects.filter(candidate_id=candidate_id, status__in=Introduction.OPEN).update(
        status=Introduction.Status.WITHDRAWN, outcome_at=now
    )
    Introduction.objects.filter(candidate_id=candidate_id).update(note="", reason="")
    return withdrawn


def invitations_delete_expired(*, now: datetime) -> int:
    """Invitations nobody accepted before they expired: the invitee's name and address go."""
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=now).delete()
    return deleted


def past_offer_ids(*, before: datetime):
    """Activities that ended (or started, without an end) before `before`."""
    return Offer.objects.filter(
        Q(ends_at__lt=before) | Q(ends_at__isnull=True, starts_at__lt=before),
    ).values("pk")
