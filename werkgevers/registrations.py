"""Sign-ups for dated activities on the public agenda: places, the waiting list, cancellations, attendance.

Capacity is guarded by the database, not by reading and then writing: a place is claimed with one
conditional UPDATE (`registered_count < capacity`), so one row changed means a place and none means
full, however many requests arrive at once, on SQLite and on PostgreSQL alike. A CHECK constraint
(registered_count ≤ capacity) backs this up. Whoever finds the activity full joins the waiting list;
a cancellation gives the freed place to the first person waiting, in the same transaction.

Every step is written in the candidate's timeline (TimelineEvent kind REGISTRATION) and the person
gets one e-mail about it through the outbox.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from contactpunt.mail import Attachment, queue_mail
from contactpunt.models import User
from kandidaten.models import Candidate, Source, Status, TimelineEvent
from kandidaten.services import SignupChannel, candidate_progress, candidate_register

from .calendar import activity_calendar, domain_of
from .models import Offer, Registration, hash_token, new_token
from .signals import attendance_recorded

# The agenda's short form asks only for name, e-mail, phone and postcode. A NEW candidate is recorded
# with source "agenda" and no situation or education level (unknown until the coordinator's first call);
# a known candidate keeps what they told us before (candidate_register's `new_only`).
NEW_CANDIDATE_DEFAULTS: dict[str, Any] = {
    "situation": "",
    "education_level": None,
    "source": Source.AGENDA,
}

OPEN_STATUSES = (Offer.Status.PUBLISHED, Offer.Status.FULL)


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    ALREADY = "already"


class Refusal(enum.StrEnum):
    CLOSED = "closed"  # not (or no longer) on the public agenda
    DEADLINE = "deadline"  # the sign-up deadline has passed


class SignupRefused(Exception):
    """The activity takes no sign-ups: nothing was saved."""

    def __init__(self, reason: Refusal):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignupResult:
    outcome: Outcome
    registration: Registration
    candidate: Candidate
    position: int | None = None  # place on the waiting list


class CancelOutcome(enum.StrEnum):
    CANCELLED = "cancelled"
    ALREADY = "already"
    TOO_LATE = "too_late"  # the activity has started or is over


@dataclass(frozen=True)
class CancelResult:
    outcome: CancelOutcome
    registration: Registration
    promoted: list[Registration]


class AttendanceRefused(Exception):
    """Attendance can be recorded only for someone with a place, once the activity has started."""

    NOT_STARTED = "not_started"
    NO_PLACE = "no_place"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Reads


def open_for_signup(offer: Offer, now: datetime | None = None) -> bool:
    """Whether the agenda offers the sign-up form: the deadline (if any) has not passed."""
    now = now or timezone.now()
    return offer.signup_deadline is None or now < offer.signup_deadline


def waiting_position(registration: Registration) -> int:
    """1 for the first person waiting: the order in which they joined the waiting list."""
    return Registration.objects.filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lte=registration.pk),
        offer_id=registration.offer_id,
        status=Registration.Status.WAITING,
    ).count()


def registration_by_token(token: str) -> Registration:
    """The registration a cancel link belongs to (only the token's hash is stored); DoesNotExist if none."""
    return Registration.objects.select_related("offer__organisation", "offer__location", "candidate").get(
        cancel_token_hash=hash_token(token)
    )


# Places: conditional updates, never read-then-write


def _claim_place(offer_id: int, now: datetime) -> bool:
    """Take one place if one is left on an open activity to come. The last place makes it full."""
    claimed = (
        Offer.objects.filter(pk=offer_id, status__in=OPEN_STATUSES, starts_at__gt=now)
        .filter(Q(capacity__isnull=True) | Q(registered_count__lt=F("capacity")))
        .update(
            registered_count=F("registered_count") + 1,
            # Evaluated on the row before the update: one place left means this was the last one.
            status=Case(
                When(capacity__isnull=False, registered_count__gte=F("capacity") - 1, then=Value(Offer.Status.FULL)),
                default=Value(Offer.Status.PUBLISHED),
            ),
        )
    )
    return claimed == 1


def _free_place(offer_id: int) -> None:
    """Give a place back; a full activity is open again."""
    Offer.objects.filter(pk=offer_id, registered_count__gt=0).update(
        registered_count=F("registered_count") - 1,
        status=Case(When(status=Offer.Status.FULL, then=Value(Offer.Status.PUBLISHED)), default=F("status")),
    )


# Writes


@transaction.atomic
def registration_signup(
    *,
    offer_id: int,
    details: dict[str, Any],
    consents: dict[str, bool | None],
    site_url: str,
    now: datetime | None = None,
) -> SignupResult:
    """Sign a person up for an activity on the public agenda: a place, or the waiting list when full.

    The person becomes (or stays) a candidate by the intake's duplicate rules. Raises SignupRefused
    when the activity is not on the agenda or the deadline has passed; nothing is saved then.
    `site_url` (https://host) makes the links in the e-mail.
    """
    now = now or timezone.now()
    offer = Offer.objects.public_agenda(now).filter(pk=offer_id).first()
    if offer is None:
        raise SignupRefused(Refusal.CLOSED)
    if not open_for_signup(offer, now):
        raise SignupRefused(Refusal.DEADLINE)

    candidate = candidate_register(
        details=details,
        consents=consents,
        channel=SignupChannel.AGENDA,
        new_only=NEW_CANDIDATE_DEFAULTS,
        confirm=False,  # one e-mail: the registration's own
    ).candidate

    return _join(offer, candidate, actor=None, site_url=site_url, now=now)


def _join(offer: Offer, candidate: Candidate, *, actor: User | None, site_url: str, now: datetime) -> SignupResult:
    """A place for the candidate on the (open) activity, or the waiting list when it is full; one e-mail."""
    active = Registration.objects.filter(offer_id=offer.pk, candidate=candidate, status__in=Registration.ACTIVE)
    if existing := active.first():
        return _already(existing, candidate)
    # Someone waiting goes before a newcomer, should a place be free (capacity raised, say).
    if Registration.objects.filter(offer_id=offer.pk, status=Registration.Status.WAITING).exists():
        fill_from_waiting_list(offer_id=offer.pk, site_url=site_url, now=now)

    token, token_hash = new_token()
    try:
        with transaction.atomic():
            if _claim_place(offer.pk, now):
                status = Registration.Status.CONFIRMED
            else:
                # Full. Hold the activity's row until commit, so that the waiting list is joined in
                # order, and look once more: a cancellation may have freed a place meanwhile.
                offer = Offer.objects.select_for_update().get(pk=offer.pk)
                if offer.status not in OPEN_STATUSES or offer.starts_at <= now:
                    raise SignupRefused(Refusal.CLOSED)
                status = Registration.Status.CONFIRMED if _claim_place(offer.pk, now) else Registration.Status.WAITING
            registration = Registration.objects.create(
                offer=offer,
                candidate=candidate,
                status=status,
                cancel_token_hash=token_hash,
                created_at=timezone.now(),
            )
    except IntegrityError:
        # The same person through another request at the same moment (one active registration each).
        existing = active.first()
        if existing is None:
            raise
        return _already(existing, candidate)

    offer = Offer.objects.select_related("organisation", "location", "contact_person").get(pk=offer.pk)
    registration.offer = offer
    if status == Registration.Status.CONFIRMED:
        _record(registration, "signed_up", actor=actor)
        candidate_progress(candidate=candidate, status=Status.REFERRED, actor=actor, note="registration")
        _mail(registration, "registration_confirmed", token=token, site_url=site_url, calendar=True)
        return SignupResult(Outcome.CONFIRMED, registration, candidate)
    position = waiting_position(registration)
    _record(registration, "waiting", actor=actor, position=position)
    _mail(registration, "registration_waiting", token=token, site_url=site_url, position=position)
    return SignupResult(Outcome.WAITING, registration, candidate, position=position)


def _already(registration: Registration, candidate: Candidate) -> SignupResult:
    position = waiting_position(registration) if registration.status == Registration.Status.WAITING else None
    return SignupResult(Outcome.ALREADY, registration, candidate, position=position)


@transaction.atomic
def fill_from_waiting_list(*, offer_id: int, site_url: str, now: datetime | None = None) -> list[Registration]:
    """Give free places to the people waiting, first come first served; each is told by e-mail.

    Called after a cancellation; also for the offers' side when an activity gets more places.
    """
    now = now or timezone.now()
    promoted: list[Registration] = []
    passed: list[int] = []
    while True:
        first = (
            Registration.objects.filter(offer_id=offer_id, status=Registration.Status.WAITING)
            .exclude(pk__in=passed)
            .order_by("created_at", "pk")
            .first()
        )
        if first is None or not _claim_place(offer_id, now):
            return promoted
        token, token_hash = new_token()
        # The cancel link changes: only its hash is stored, so the new e-mail needs a new one.
        moved = Registration.objects.filter(pk=first.pk, status=Registration.Status.WAITING).update(
            status=Registration.Status.CONFIRMED, promoted_at=now, cancel_token_hash=token_hash
        )
        if moved != 1:  # cancelled or promoted by someone else just now: the place goes to the next
            _free_place(offer_id)
            passed.append(first.pk)
            continue
        registration = Registration.objects.select_related(
            "offer__organisation", "offer__location", "offer__contact_person", "candidate"
        ).get(pk=first.pk)
        _record(registration, "promoted")
        candidate_progress(candidate=registration.candidate, status=Status.REFERRED, actor=None, note="registration")
        _mail(registration, "registration_promoted", token=token, site_url=site_url, calendar=True)
        promoted.append(registration)


@transaction.atomic
def registration_cancel(*, token: str, site_url: str, now: datetime | None = None) -> CancelResult:
    """The person cancels through the link in their e-mail; a freed place goes to the first waiting.

    Raises Registration.DoesNotExist for an unknown token.
    """
    now = now or timezone.now()
    # Lock the row until commit: its status decides whether a place is freed.
    registration = Registration.objects.select_for_update().get(cancel_token_hash=hash_token(token))
    pk = registration.pk
    if registration.status not in Registration.ACTIVE:
        return CancelResult(CancelOutcome.ALREADY, registration_by_token(token), [])
    offer = Offer.objects.get(pk=registration.offer_id)
    if offer.starts_at is not None and offer.starts_at <= now:
        return CancelResult(CancelOutcome.TOO_LATE, registration_by_token(token), [])
    held_place = registration.status == Registration.Status.CONFIRMED
    Registration.objects.filter(pk=pk).update(status=Registration.Status.CANCELLED, cancelled_at=now)
    promoted: list[Registration] = []
    if held_place:
        _free_place(offer.pk)
        promoted = fill_from_waiting_list(offer_id=offer.pk, site_url=site_url, now=now)
    registration = Registration.objects.select_related(
        "offer__organisation", "offer__location", "offer__contact_person", "candidate"
    ).get(pk=pk)
    _record(registration, "cancelled", had_place=held_place)
    _mail(registration, "registration_cancelled", site_url=site_url)
    return CancelResult(CancelOutcome.CANCELLED, registration, promoted)


ATTENDANCE = {True: Registration.Status.ATTENDED, False: Registration.Status.ABSENT}
WITH_PLACE = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED, Registration.Status.ABSENT)


@transaction.atomic
def registration_record_attendance(
    *, registration: Registration, attended: bool, actor: User, now: datetime | None = None
) -> bool:
    """The employer records whether a person with a place came (and may correct it). Returns whether
    anything changed. Raises AttendanceRefused before the start or for someone without a place."""
    now = now or timezone.now()
    offer = registration.offer
    if offer.starts_at is None or offer.starts_at > now:
        raise AttendanceRefused(AttendanceRefused.NOT_STARTED)
    status = ATTENDANCE[attended]
    changed = (
        Registration.objects.filter(pk=registration.pk, status__in=WITH_PLACE)
        .exclude(status=status)
        .update(status=status, attendance_recorded_by=actor)
    )
    if not changed:
        if not Registration.objects.filter(pk=registration.pk, status=status).exists():
            raise AttendanceRefused(AttendanceRefused.NO_PLACE)
        return False
    registration.status = status
    registration.attendance_recorded_by = actor
    _record(registration, "attended" if attended else "absent", actor=actor)
    attendance_recorded.send(sender=Registration, registration=registration)
    return True


# Timeline and e-mail


def _record(registration: Registration, action: str, *, actor: User | None = None, **extra: Any) -> None:
    """A line in the candidate's timeline. `action`: signed_up, waiting, promoted, cancelled, attended, absent."""
    offer = registration.offer
    TimelineEvent.objects.create(
        candidate_id=registration.candidate_id,
        kind=TimelineEvent.Kind.REGISTRATION,
        actor=actor,
        data={
            "action": action,
            "registration_id": registration.pk,
            "offer_id": offer.pk,
            "offer": offer.title,
            "kind": offer.kind,
            "organisation": offer.organisation.name,
            "starts_at": offer.starts_at.isoformat() if offer.starts_at else None,
            **extra,
        },
    )


def _mail(
    registration: Registration,
    template: str,
    *,
    site_url: str,
    token: str = "",
    calendar: bool = False,
    position: int | None = None,
) -> None:
    offer = registration.offer
    site_url = site_url.rstrip("/")
    activity_url = site_url + reverse("werkgevers:activity", args=[offer.pk])
    attachments = []
    if calendar:
        text = activity_calendar(offer, domain=domain_of(site_url), url=activity_url, personal=True)
        attachments.append(Attachment("activiteit.ics", text, "text/calendar"))
    queue_mail(
        to=registration.candidate.email,
        template=f"werkgevers/email/{template}",
        context={
            "candidate": registration.candidate,
            "offer": offer,
            "location": offer.location,
            "organisation": offer.organisation,
            "contact_person": offer.contact_person,
            "position": position,
            "activity_url": activity_url,
            "agenda_url": site_url + reverse("werkgevers:agenda"),
            "cancel_url": site_url + reverse("werkgevers:registration_cancel", args=[token]) if token else "",
        },
        attachments=attachments,
    )


# Sign-ups by a coordinator (an accepted match suggestion)


@transaction.atomic
def registration_by_coordinator(
    *, offer: Offer, candidate: Candidate, actor: User, site_url: str, now: datetime | None = None
) -> SignupResult:
    """A coordinator signs a known candidate up for a dated activity, public or for coordinators only.

    The same places and waiting list as a sign-up on the agenda, and the same e-mail to the candidate;
    the timeline names the coordinator. Raises SignupRefused when the activity takes no sign-ups (not
    published, begun, not a dated activity) or its deadline has passed; nothing is saved then.
    """
    now = now or timezone.now()
    offer = Offer.objects.dated().filter(pk=offer.pk, status__in=OPEN_STATUSES, starts_at__gt=now).first()
    if offer is None:
        raise SignupRefused(Refusal.CLOSED)
    if not open_for_signup(offer, now):
        raise SignupRefused(Refusal.DEADLINE)
    return _join(offer, candidate, actor=actor, site_url=site_url, now=now)
