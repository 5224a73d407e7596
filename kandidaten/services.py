"""Writes on candidates: sign-up with duplicate rules, assignment, status, contact moments, merge.

Every function here records what happened in the candidate's timeline, with who did it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpunt.jobs import enqueue_on_commit
from contactpunt.mail import queue_mail
from contactpunt.models import Region, User
from contactpunt.notifications import NewCandidate, notify
from contactpunt.postcodes import place_for_postcode, route_postcode

from . import milestones
from .matching import schedule_candidate
from .models import (
    Candidate,
    CandidateQuerySet,
    Consent,
    ConsentPurpose,
    ContactMoment,
    Match,
    Status,
    TimelineEvent,
)
from .signals import candidates_merged

MANY_TO_MANY_FIELDS = ("branches", "functions", "next_steps", "target_groups")
# The campaign tag of a sign-up (Candidate.source_tag): which poster or story brought the person.
SOURCE_TAG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_TAG_MAX_LENGTH = 40
CAMPAIGN_TAG_PREFIXES = ("poster-", "verhaal-")


def clean_source_tag(value: object) -> str:
    """The tag when it is one (lower-case letters, digits and hyphens, at most 40); otherwise ""."""
    if not isinstance(value, str) or len(value) > SOURCE_TAG_MAX_LENGTH:
        return ""
    return value if SOURCE_TAG_PATTERN.fullmatch(value) else ""


def is_campaign_tag(tag: str) -> bool:
    """A tag of a campaign poster or story: the person came through the Ik Zorg campaign."""
    return tag.startswith(CAMPAIGN_TAG_PREFIXES)


class SignupChannel:
    """Where a sign-up came in; kept in the timeline."""

    INTAKE = "intake"
    PHONE = "phone"
    AGENDA = "agenda"
    API = "api"  # handed off by a partner (api.handoffs)


class InvalidTransition(Exception):
    """The requested status change is not allowed from the current status."""


# nieuw → in gesprek → doorverwezen → gestart, or gestopt (with a reason) from anywhere open.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_CONVERSATION, Status.REFERRED, Status.STOPPED},
    Status.IN_CONVERSATION: {Status.REFERRED, Status.STARTED, Status.STOPPED},
    Status.REFERRED: {Status.IN_CONVERSATION, Status.STARTED, Status.STOPPED},
    Status.STARTED: {Status.STOPPED},
    Status.STOPPED: {Status.NEW, Status.IN_CONVERSATION},
}


def email_key(email: str) -> str:
    """An e-mail address reduced to what identifies the mailbox, to spot the same person.

    Case, a `+tag` and (for Gmail) dots do not change where mail arrives.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def find_existing_candidate(*, email: str, phone: str) -> Candidate | None:
    """The candidate a new sign-up belongs to: same e-mail address or same phone number.

    When the e-mail address points to one candidate and the phone number to another, the e-mail wins.
    The e-mail key holds the address in lower case, so an indexed lookup finds it whatever the case.
    """
    same_email = Q(email_key=email_key(email)) if email else Q(pk__in=[])
    same_phone = Q(phone=phone) if phone else Q(pk__in=[])
    return (
        Candidate.objects.filter(same_email | same_phone)
        .annotate(by_email=Case(When(same_email, then=Value(0)), default=Value(1)))
        .order_by("by_email", "signed_up_at", "id")
        .first()
    )


def likely_duplicates(
    *,
    scope: CandidateQuerySet,
    first_name: str = "",
    last_name: str = "",
    postcode: str = "",
    email: str = "",
    phone: str = "",
    exclude_id: int | None = None,
) -> CandidateQuerySet:
    """Candidates that are probably the same person: same name and postcode, similar e-mail, same phone."""
    condition = Q(pk__in=[])
    if last_name and postcode:
        condition |= Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), postcode=postcode)
    if email and "@" in email:
        key = email_key(email)
        condition |= Q(email__iexact=email.strip()) | Q(email_key=key)
        local = key.split("@", 1)[0]
        if len(local) >= 4:
            condition |= Q(email_key__startswith=f"{local}@")
    if phone:
        condition |= Q(phone=phone)
    queryset = scope.filter(condition)
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.select_related("region").order_by("-signed_up_at")[:10]


# Namespace of the advisory locks that serialise sign-ups of one person (any fixed 32-bit number).
SIGNUP_LOCK_NAMESPACE = 2_0026


def _lock_identity(key: str, phone: str) -> None:
    """Serialise sign-ups with the same e-mail or phone until commit, so a double submit or two
    channels at once cannot create the person twice. PostgreSQL only: SQLite writes one at a time.
    """
    if connection.vendor != "postgresql":
        return
    locks = sorted({zlib.crc32(f"email:{key}".encode()), zlib.crc32(f"phone:{phone}".encode())})
    # One round trip; the locks are taken in the order listed (ascending), as every sign-up does.
    calls = ", ".join(["pg_advisory_xact_lock(%s, %s)"] * len(locks))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", [value for lock in locks for value in (SIGNUP_LOCK_NAMESPACE, lock - 2**31)])


@dataclass(frozen=True)
class Registration:
    candidate: Candidate
    created: bool
    event: TimelineEvent  # the sign-up in the timeline; its follow-up runs after commit


# No savepoint inside the request's transaction: nobody recovers from a failed sign-up halfway, and the
# intake is the page a campaign day loads (two round trips fewer).
@transaction.atomic(savepoint=False)
def candidate_register(
    *,
    details: dict[str, Any],
    consents: dict[str, bool | None],
    channel: str,
    actor: User | None = None,
    new_only: dict[str, Any] | None = None,
    confirm: bool = True,
    source_tag: str = "",
    signed_up_at: datetime | None = None,
    queue_follow_up: bool = True,
) -> Registration:
    """Sign a person up, or update them if they signed up before (same e-mail or phone).

    Routes by postcode; a sign-up that matches nobody's region lands in the national queue.
    The confirmation e-mail goes out after commit, unless `confirm` is False (the caller sends its
    own). `new_only`: values a new candidate gets for what this sign-up does not ask; a known
    candidate keeps theirs. `source_tag`: the poster or story the person came from (ignored when it is
    not a valid tag); a known candidate keeps the tag they had, or gets this one if they had none.
    `signed_up_at`: when the person sent it, if that was earlier (a sign-up the worker registers).
    `queue_follow_up`: False when the caller runs the follow-up itself after commit.
    """
    source_tag = clean_source_tag(source_tag)
    fields = {key: value for key, value in details.items() if key not in MANY_TO_MANY_FIELDS}
    relations = {key: details[key] for key in MANY_TO_MANY_FIELDS if key in details}
    fields["email_key"] = email_key(fields["email"])
    if not fields.get("place"):
        fields["place"] = place_for_postcode(fields["postcode"])
    now = signed_up_at or timezone.now()

    _lock_identity(fields["email_key"], fields["phone"])
    candidate = find_existing_candidate(email=fields["email"], phone=fields["phone"])
    created = candidate is None
    reopened = False
    if created:
        candidate = Candidate(
            **{**(new_only or {}), **fields},
            region=route_postcode(fields["postcode"]),
            signed_up_at=now,
            source_tag=source_tag,
        )
        candidate.save()
        changed: list[str] = []
    else:
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        reopened = candidate.status == Status.STOPPED
        tagged = bool(source_tag) and not candidate.source_tag
        if tagged:
            candidate.source_tag = source_tag  # saved with the rest in _apply_resignup
        changed = _apply_resignup(candidate, fields, actor=actor, now=now)
        if tagged:
            changed.append("source_tag")

    for name, values in relations.items():
        values = list(values)
        if created:
            if values:  # nothing to compare with yet: one INSERT each, none for an empty list
                getattr(candidate, name).add(*values)
        elif values and {item.pk for item in values} != set(getattr(candidate, name).values_list("pk", flat=True)):
            # Like the other fields: a repeat sign-up that leaves a list empty keeps what was known.
            getattr(candidate, name).set(values)
            changed.append(name)
    _record_consents(candidate, consents, now=now)
    event = TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.SIGNUP,
        actor=actor,
        created_at=now,
        data={
            "channel": channel,
            "source": candidate.source,
            "repeat": not created,
            "changed": changed,
            "confirm": confirm,
            "tell": created or reopened,
            "reopened": reopened,
        },
    )
    if queue_follow_up:
        _follow_up_after_commit(event.pk)
    return Registration(candidate=candidate, created=created, event=event)


def _follow_up_after_commit(event_id: int) -> None:
    from .tasks import follow_up_signup

    enqueue_on_commit(follow_up_signup, event_id)


# A sign-up whose follow-up was not handed to the broker (it was down) waits this long for the sweep,
# which queues it again at most this many times (at two-minute intervals: a quarter of an hour).
FOLLOW_UP_GRACE = timedelta(minutes=1)
FOLLOW_UP_SWEEPS = 8


def follow_up_signup(event_id: int) -> bool:
    """What a sign-up sets off, after the visitor has their answer: the confirmation e-mail, the notice
    to the region's coordinators and matching. Once per sign-up: the event is claimed in the same
    transaction, so a retry, a second worker or the sweep finds it done. False when it was done.
    """
    with transaction.atomic():
        claimed = TimelineEvent.objects.filter(
            pk=event_id, kind=TimelineEvent.Kind.SIGNUP, followed_up_at__isnull=True
        ).update(followed_up_at=timezone.now())
        if not claimed:
            return False
        event = TimelineEvent.objects.select_related("candidate__region", "actor").get(pk=event_id)
        candidate = event.candidate
        if candidate.is_erased:  # erased before the worker came to it: nobody to write to
            return True
        if event.data.get("confirm", True):
            _queue_signup_confirmation(candidate)
        if event.data.get("tell", not event.data.get("repeat")):
            _tell_coordinators(candidate, reopened=event.data.get("reopened", False), actor=event.actor)
        schedule_candidate(candidate.pk)
    return True


def follow_ups_left_behind(now=None):
    """Sign-ups whose follow-up never ran (the broker was down, a worker died before it claimed one),
    unless the sweep has tried them FOLLOW_UP_SWEEPS times already (an error log each time says why)."""
    now = now or timezone.now()
    return TimelineEvent.objects.filter(
        kind=TimelineEvent.Kind.SIGNUP,
        followed_up_at__isnull=True,
        created_at__lt=now - FOLLOW_UP_GRACE,
        follow_up_sweeps__lt=FOLLOW_UP_SWEEPS,
    )


def _apply_resignup(candidate: Candidate, fields: dict[str, Any], *, actor: User | None, now) -> list[str]:
    """A repeat sign-up brings newer details; a stopped candidate is picked up again."""
    changed = [name for name, value in fields.items() if value not in ("", None) and getattr(candidate, name) != value]
    for name in changed:
        setattr(candidate, name, fields[name])
    if "postcode" in changed:
        if "place" not in changed and candidate.place:
            # The old place belongs to the old postcode; better no place than a wrong one.
            candidate.place = ""
            changed.append("place")
        _reroute(candidate, route_postcode(candidate.postcode), actor=actor, now=now)
    if candidate.status == Status.STOPPED:
        _record_status(candidate, Status.NEW, actor=actor, now=now, note="repeat_signup")
        # Reopened: the promise of a call within two working days starts again, and the inbox
        # shows the person as a fresh sign-up (the earlier sign-up stays in the timeline).
        candidate.signed_up_at = now
        milestones.reset(candidate)
    candidate.save()
    return [name for name in changed if name != "email_key"]


def _tell_coordinators(candidate: Candidate, *, reopened: bool, actor: User | None) -> None:
    """A new (or reopened) candidate: the region's coordinators hear of it, at once or in their digest
    (not the coordinator who registered the candidate themselves)."""
    if candidate.region_id is None:
        return
    coordinators = User.objects.coordinators().filter(regions=candidate.region_id)
    if actor is not None:
        coordinators = coordinators.exclude(pk=actor.pk)
    notify(
        NewCandidate,
        recipients=coordinators,
        context={"candidate": candidate, "region": candidate.region, "reopened": reopened},
    )


def _queue_signup_confirmation(candidate: Candidate) -> None:
    """Tell the person what happens next: a coordinator calls within two working days."""
    queue_mail(
        to=candidate.email,
        template="kandidaten/email/signup_confirmation",
        context={
            "candidate": candidate,
            "region": candidate.region,
            "working_days": settings.FIRST_CONTACT_WORKING_DAYS,
        },
    )


def _record_consents(candidate: Candidate, consents: dict[str, bool | None], *, now) -> None:
    """One answer per purpose; None means the sign-up did not ask, so the earlier answer stands."""
    Consent.objects.bulk_create(
        Consent(
            candidate=candidate,
            purpose=purpose,
            granted=bool(consents.get(purpose, False)),
            text_version=settings.PRIVACY_STATEMENT_VERSION,
            recorded_at=now,
        )
        for purpose in ConsentPurpose.values
        if consents.get(purpose, False) is not None
    )


def _reroute(candidate: Candidate, region: Region | None, *, actor: User | None, now) -> None:
    """Move the candidate to another region (None: the national queue).

    A coordinator who does not serve the new region can no longer see the candidate, so the
    candidate is no longer assigned to them.
    """
    if candidate.region_id == (region.pk if region else None):
        return
    assignee = candidate.assigned_to
    keeps_assignee = assignee is None or assignee.is_administrator
    if not keeps_assignee and region is not None:
        keeps_assignee = assignee.regions.filter(pk=region.pk).exists()
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.ROUTING,
        actor=actor,
        created_at=now,
        data={
            "from": str(candidate.region) if candidate.region_id else None,
            "to": str(region) if region else None,
            "unassigned": None if keeps_assignee else str(assignee),
        },
    )
    candidate.region = region
    if not keeps_assignee:
        candidate.assigned_to = None


def _record_status(
    candidate: Candidate, status: str, *, actor: User | None, now, reason: str = "", note: str = ""
) -> None:
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.STATUS,
        actor=actor,
        created_at=now,
        data={"from": candidate.status, "to": status, "reason": reason, "note": note},
    )
    candidate.status = status
    candidate.stop_reason = reason if status == Status.STOPPED else ""
    milestones.stamp_status(candidate, status, now)


# What a status change writes on the candidate.
STATUS_FIELDS = ["status", "stop_reason", *milestones.FIELDS, "updated_at"]


@transaction.atomic
def candidate_change_status(
    *, candidate: Candidate, status: str, actor: User, reason: str = "", note: str = ""
) -> None:
    """Move a candidate along the pipeline; stopping needs a reason."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if status == candidate.status or status not in ALLOWED_TRANSITIONS[candidate.status]:
        raise InvalidTransition(f"{candidate.status} → {status}")
    if status == Status.STOPPED and not reason:
        raise InvalidTransition("stopping needs a reason")
    _record_status(candidate, status, actor=actor, now=timezone.now(), reason=reason, note=note)
    candidate.save(update_fields=STATUS_FIELDS)
    schedule_candidate(candidate.pk)


# The order of the pipeline for progress reported from elsewhere (a registration, an introduction).
PIPELINE = [Status.NEW, Status.IN_CONVERSATION, Status.REFERRED, Status.STARTED]


@transaction.atomic
def candidate_progress(*, candidate: Candidate, status: str, actor: User | None, note: str = "") -> bool:
    """Move a candidate forward because of something that happened elsewhere (signed up for an
    activity, introduced to or started at an employer). Never backwards, never out of "gestopt"
    unless the candidate starts somewhere. Returns whether the status changed.
    """
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == Status.STOPPED and status != Status.STARTED:
        return False
    if candidate.status in PIPELINE and PIPELINE.index(candidate.status) >= PIPELINE.index(status):
        return False
    _record_status(candidate, status, actor=actor, now=timezone.now(), note=note)
    candidate.save(update_fields=STATUS_FIELDS)
    schedule_candidate(candidate.pk)
    return True


@transaction.atomic
def candidate_assign(*, candidate: Candidate, assignee: User | None, actor: User) -> None:
    """Give the candidate to a coordinator (or nobody); the assignee must serve the candidate's region."""
    if candidate.assigned_to_id == (assignee.pk if assignee else None):
        return
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.ASSIGNMENT,
        actor=actor,
        data={"to": str(assignee) if assignee else None, "to_id": assignee.pk if assignee else None},
    )
    candidate.assigned_to = assignee
    candidate.save(update_fields=["assigned_to", "updated_at"])


@transaction.atomic
def candidate_update(
    *, candidate: Candidate, details: dict[str, Any], actor: User | None, by_candidate: bool = False
) -> list[str]:
    """A coordinator (or, `by_candidate`, the person through their personal link) corrects or completes
    the details; returns the names of what changed."""
    now = timezone.now()
    fields = {key: value for key, value in details.items() if key not in MANY_TO_MANY_FIELDS}
    changed = [name for name, value in fields.items() if getattr(candidate, name) != value]
    for name in changed:
        setattr(candidate, name, fields[name])
    if "email" in changed:
        candidate.email_key = email_key(candidate.email)
    if "postcode" in changed:
        _reroute(candidate, route_postcode(candidate.postcode), actor=actor, now=now)
    for name in MANY_TO_MANY_FIELDS:
        if name in details:
            current = set(getattr(candidate, name).values_list("pk", flat=True))
            wanted = {item.pk for item in details[name]}
            if current != wanted:
                getattr(candidate, name).set(details[name])
                changed.append(name)
    if changed:
        candidate.save()
        TimelineEvent.objects.create(
            candidate=candidate,
            kind=TimelineEvent.Kind.SELF_SERVICE if by_candidate else TimelineEvent.Kind.EDIT,
            actor=actor,
            created_at=now,
            data={"action": "corrected", "changed": changed} if by_candidate else {"changed": changed},
        )
        schedule_candidate(candidate.pk)
    return changed


@transaction.atomic
def candidate_hand_to_region(*, candidate: Candidate, region: Region, actor: User) -> None:
    """An administrator hands a candidate from the national queue (or elsewhere) to a region."""
    _reroute(candidate, region, actor=actor, now=timezone.now())
    candidate.assigned_to = None
    candidate.save(update_fields=["region", "assigned_to", "updated_at"])
    schedule_candidate(candidate.pk)


@transaction.atomic
def contact_moment_log(*, candidate: Candidate, actor: User, details: dict[str, Any]) -> ContactMoment:
    """Record a conversation; the first one ends the wait and puts a new candidate 'in gesprek'."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    moment = ContactMoment.objects.create(candidate=candidate, author=actor, **details)
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.CONTACT,
        actor=actor,
        created_at=moment.happened_at,
        contact_moment=moment,
    )
    update_fields = ["updated_at"]
    if candidate.first_contact_at is None or moment.happened_at < candidate.first_contact_at:
        milestones.stamp_first_contact(candidate, moment.happened_at)
        update_fields += ["first_contact_at", "first_contact_working_days"]
    if candidate.status == Status.NEW:
        _record_status(candidate, Status.IN_CONVERSATION, actor=actor, now=timezone.now())
        update_fields = [*update_fields, *STATUS_FIELDS]
    candidate.save(update_fields=update_fields)
    return moment


@transaction.atomic
def candidate_merge(*, keep: Candidate, remove: Candidate, actor: User) -> Candidate:
    """Fold a duplicate into `keep`, moving every timeline entry, contact moment and consent."""
    if keep.pk == remove.pk:
        raise ValueError("A candidate cannot be merged with itself.")
    keep = Candidate.objects.select_for_update().get(pk=keep.pk)
    remove = Candidate.objects.select_for_update().get(pk=remove.pk)
    for field in Candidate._meta.concrete_fields:
        if field.name in ("id", "created_at", "updated_at"):
            continue
        if getattr(keep, field.attname) in ("", None) and getattr(remove, field.attname) not in ("", None):
            setattr(keep, field.attname, getattr(remove, field.attname))
    keep.signed_up_at = min(keep.signed_up_at, remove.signed_up_at)
    if remove.first_contact_at and (not keep.first_contact_at or remove.first_contact_at < keep.first_contact_at):
        keep.first_contact_at = remove.first_contact_at
    for name in MANY_TO_MANY_FIELDS:
        getattr(keep, name).add(*getattr(remove, name).all())
    TimelineEvent.objects.filter(candidate=remove).update(candidate=keep)
    ContactMoment.objects.filter(candidate=remove).update(candidate=keep)
    Consent.objects.filter(candidate=remove).update(candidate=keep)
    # Decisions on match suggestions move along, unless the kept record has its own for that offer.
    Match.objects.filter(candidate=remove).exclude(status=Match.Status.NEW).exclude(
        offer__in=Match.objects.filter(candidate=keep).values("offer")
    ).update(candidate=keep)
    TimelineEvent.objects.create(
        candidate=keep,
        kind=TimelineEvent.Kind.MERGE,
        actor=actor,
        data={"merged_name": remove.full_name, "merged_id": remove.pk},
    )
    candidates_merged.send(sender=Candidate, keep=keep, remove=remove)
    remove.delete()
    keep.save()
    # The earliest contact, referral and start of the two histories, now one.
    milestones.recompute([keep])
    schedule_candidate(keep.pk)
    return keep


# Match suggestions: a coordinator accepts one (an activity registration or an introduction follows) or
# rejects it with a reason. Decided matches keep their status when matching runs again, and feed the score.


class MatchRefused(Exception):
    """The suggestion cannot be decided now; `message` says why, `code` what kind of refusal it is."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class MatchAccepted:
    """What accepting did: a registration (dated activities) or an introduction (places, vacancies)."""

    match: Match
    signup: Any = None  # werkgevers.registrations.SignupResult
    introduction: Any = None  # werkgevers.models.Introduction


def _decide(match: Match, *, status: str, actor: User, now, **fields: str) -> None:
    """Claim the decision with one conditional UPDATE: only an open suggestion can be decided, once."""
    decided = Match.objects.filter(pk=match.pk, status=Match.Status.NEW).update(
        status=status, decided_by=actor, decided_at=now, **fields
    )
    if decided == 1:
        return
    current = Match.objects.filter(pk=match.pk).values_list("status", flat=True).first()
    if current is None:  # matching ran again and dropped it (the offer closed, the candidate stopped)
        raise MatchRefused(_("This suggestion is no longer there: matching has run again."), "gone")
    label = str(Match.Status(current).label).lower()
    raise MatchRefused(_("Already done: this suggestion has been %(status)s.") % {"status": label}, "already_done")


@transaction.atomic
def match_accept(*, match: Match, actor: User, note: str = "", site_url: str) -> MatchAccepted:
    """Accept a suggestion: a dated activity signs the candidate up (a place or the waiting list, with
    the usual e-mail); a place or vacancy introduces the candidate to the employer with `note`.

    Raises MatchRefused when it was decided already, or when the registration or introduction is
    refused (closed, weekly maximum, already introduced): nothing is saved then and it stays open.
    """
    from werkgevers import introductions, registrations  # werkgevers builds on this module
    from werkgevers.models import DATED_KINDS

    now = timezone.now()
    _decide(match, status=Match.Status.ACCEPTED, actor=actor, now=now)
    match = Match.objects.select_related("candidate__region", "offer__organisation", "decided_by").get(pk=match.pk)
    if match.offer.kind in DATED_KINDS:
        try:
            signup = registrations.registration_by_coordinator(
                offer=match.offer, candidate=match.candidate, actor=actor, site_url=site_url, now=now
            )
        except registrations.SignupRefused as refused:
            raise MatchRefused(_signup_refusal(refused.reason), str(refused.reason)) from None
        result = MatchAccepted(match, signup=signup)
    else:
        try:
            introduction = introductions.introduction_create(
                candidate=match.candidate, offer=match.offer, note=note, actor=actor, site_url=site_url
            )
        except introductions.IntroductionRefused as refused:
            raise MatchRefused(refused.message, refused.code) from None
        result = MatchAccepted(match, introduction=introduction)
    schedule_candidate(match.candidate_id)  # an open place among the candidate's suggestions
    return result


def _signup_refusal(reason: str) -> str:
    if reason == "deadline":
        return _("The sign-up deadline of this activity has passed.")
    return _("This activity no longer takes sign-ups.")


@transaction.atomic
def match_reject(*, match: Match, actor: User, reason: str, note: str = "") -> Match:
    """Reject a suggestion with a reason (Match.RejectReason); it stays rejected, and the candidate is
    matched again so that another suggestion can take its place."""
    if reason not in Match.RejectReason.values:
        raise ValueError(f"unknown reject reason {reason!r}")
    _decide(
        match, status=Match.Status.REJECTED, actor=actor, now=timezone.now(), reject_reason=reason, reject_note=note
    )
    schedule_candidate(match.candidate_id)
    return Match.objects.select_related("candidate", "offer__organisation", "decided_by").get(pk=match.pk)
