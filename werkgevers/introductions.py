"""Introductions (voorstellen aan werkgevers): a coordinator introduces a candidate to an offer, the
employer answers (invite / not suitable) and later records the outcome (started / did not start).

The lifecycle is a small explicit state table. Every step runs in one transaction with the
introduction row locked, writes a line in the candidate's timeline (who, when, what, why), moves
the candidate's status and tells the other side by e-mail through the outbox. An e-mail to an
employer never carries the candidate's personal data: the employer reads what the candidate agreed
to share in the portal, after logging in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpunt.mail import queue_mail
from contactpunt.models import User
from contactpunt.notifications import IntroductionUpdate, Recipient, notify
from contactpunt.workdays import first_contact_cutoff, working_days_between
from kandidaten.models import Candidate, Consent, ConsentPurpose, TimelineEvent
from kandidaten.models import Status as CandidateStatus
from kandidaten.services import candidate_change_status, candidate_progress

from .models import CohortPlacement, Introduction, Offer, week_start

Status = Introduction.Status

# An introduction without an answer after this many working days is "waiting long" for coordinators.
WAITING_LONG_WORKING_DAYS = 5

# Notes on the candidate's status changes caused here (the timeline renders them in Dutch).
NOTE_INTRODUCED = "introduction"
NOTE_STARTED = "introduction_started"
NOTE_NO_OPEN_INTRODUCTIONS = "introductions_closed"


class Action:
    """What someone does with an introduction; each is one transition of the state table."""

    INVITE = "invite"
    NOT_SUITABLE = "not_suitable"
    STARTED = "started"
    NOT_STARTED = "not_started"
    WITHDRAW = "withdraw"
    STARTED_ELSEWHERE = "started_elsewhere"


# action → (the statuses it may start from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.INVITE: (frozenset({Status.PROPOSED}), Status.INVITED),
    Action.NOT_SUITABLE: (frozenset({Status.PROPOSED}), Status.NOT_SUITABLE),
    Action.STARTED: (frozenset({Status.INVITED}), Status.STARTED),
    Action.NOT_STARTED: (frozenset({Status.INVITED}), Status.NOT_STARTED),
    Action.WITHDRAW: (frozenset(Introduction.OPEN), Status.WITHDRAWN),
    Action.STARTED_ELSEWHERE: (frozenset(Introduction.OPEN), Status.STARTED_ELSEWHERE),
}
NEEDS_REASON = frozenset({Action.NOT_SUITABLE, Action.NOT_STARTED})
ANSWERS = frozenset({Action.INVITE, Action.NOT_SUITABLE})
OUTCOMES = frozenset({Action.STARTED, Action.NOT_STARTED})
# After these the candidate may have nothing open any more: back to "in gesprek" then.
CLOSING = frozenset({Action.NOT_SUITABLE, Action.NOT_STARTED, Action.WITHDRAW})


class IntroductionRefused(Exception):
    """What was asked cannot be done (already done, not possible now, no room); `message` says why."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Reads -----------------------------------------------------------------------------------------


def introductions_visible_to(user: User) -> QuerySet[Introduction]:
    """Coordinators: introductions of the candidates of their regions; administrators: all;
    employers: those to their own organisation's offers."""
    introductions = Introduction.objects.all()
    if not user.is_authenticated or not user.is_active:
        return introductions.none()
    if user.is_administrator:
        return introductions
    if user.is_coordinator:
        return introductions.filter(candidate__region__in=user.regions.all())
    if user.is_employer and user.organisation_id:
        return introductions.filter(offer__organisation_id=user.organisation_id)
    return introductions.none()


OPEN_FIRST = Case(When(status__in=Introduction.OPEN, then=0), default=1, output_field=IntegerField())


def latest_share_consent() -> Subquery:
    """The latest answer of the candidate to "share my profile with employers" (None: never asked)."""
    return Subquery(
        Consent.objects.filter(candidate=OuterRef("candidate"), purpose=ConsentPurpose.SHARE_WITH_EMPLOYERS)
        .order_by("-recorded_at", "-id")
        .values("granted")[:1]
    )


def for_employer_list(queryset: QuerySet[Introduction]) -> QuerySet[Introduction]:
    """An employer's list: open ones first, each row with the candidate's sharing consent (one query)."""
    return (
        queryset.select_related("candidate", "offer__location")
        .annotate(shares_profile=latest_share_consent())
        .order_by(OPEN_FIRST, "-created_at", "-id")
    )


def for_coordinator_list(queryset: QuerySet[Introduction]) -> QuerySet[Introduction]:
    return queryset.select_related("candidate", "offer__organisation", "offer__location", "introduced_by").order_by(
        OPEN_FIRST, "-created_at", "-id"
    )


def waiting_long(queryset: QuerySet[Introduction], now: datetime | None = None) -> QuerySet[Introduction]:
    """Introductions that have waited for an answer longer than five working days."""
    cutoff = first_contact_cutoff(now or timezone.now(), WAITING_LONG_WORKING_DAYS)
    return queryset.filter(status=Status.PROPOSED, created_at__lt=cutoff)


def open_introductions(candidate: Candidate) -> QuerySet[Introduction]:
    return Introduction.objects.filter(candidate=candidate, status__in=Introduction.OPEN)


def introductions_this_week(offer: Offer, now: datetime | None = None) -> int:
    return (
        Introduction.objects.filter(offer=offer, created_at__gte=week_start(now))
        .exclude(status=Status.WITHDRAWN)
        .count()
    )


def offer_refusal(offer: Offer, now: datetime | None = None) -> str | None:
    """Why nobody can be introduced to this offer now (None: they can), apart from the weekly maximum."""
    now = now or timezone.now()
    if offer.status != Offer.Status.PUBLISHED:
        return _("This offer is not open for introductions (status: %(status)s).") % {
            "status": offer.get_status_display()
        }
    if offer.starts_at and offer.starts_at <= now:
        return _("This activity has already begun.")
    if offer.valid_until and offer.valid_until < timezone.localdate(now):
        return _("This offer was open until %(date)s.") % {"date": offer.valid_until.strftime("%d-%m-%Y")}
    return None


def weekly_maximum_message(offer: Offer) -> str:
    return _(
        "The maximum of %(maximum)s introductions a week for this offer has been reached. "
        "Try again next week or choose another offer."
    ) % {"maximum": offer.max_introductions_per_week}


@dataclass(frozen=True)
class SharedProfile:
    """What the employer may see of the candidate: everything only with the candidate's consent."""

    full: bool
    first_name: str
    education_level: str
    place: str
    interests: dict[str, list[str]] = field(default_factory=dict)
    last_name: str = ""
    email: str = ""
    phone: str = ""
    diplomas: str = ""
    hours_per_week: int | None = None
    erased: bool = False  # the candidate had their details erased: nothing is left to show

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def heading(self) -> str:
        """How the page names the candidate: the full name with consent, else the first name."""
        if self.erased:
            return _("Details erased")
        return self.name if self.full else self.first_name


def shares_with_employers(candidate: Candidate) -> bool:
    """Whether the candidate's latest answer to "share with employers" is yes (prefetched consents, newest first)."""
    for consent in candidate.consents.all():
        if consent.purpose == ConsentPurpose.SHARE_WITH_EMPLOYERS:
            return consent.granted
    return False


def shared_profile(candidate: Candidate) -> SharedProfile:
    """The candidate as an employer sees them: pass a candidate with consents, branches, functions
    and next steps prefetched. Without consent: first name, PC4 area, education and interests only.
    Erased: nothing, not even what the anonymous stub keeps for the figures (area, education, interests)."""
    if candidate.is_erased:
        return SharedProfile(full=False, erased=True, first_name="", education_level="", place="")
    interests = {
        "branches": [str(item) for item in candidate.branches.all()],
        "functions": [str(item) for item in candidate.functions.all()],
        "next_steps": [str(item) for item in candidate.next_steps.all()],
    }
    common = {
        "first_name": candidate.first_name,
        "education_level": candidate.get_education_level_display() or _("not asked yet"),
        "interests": interests,
    }
    if not shares_with_employers(candidate):
        area = f"{candidate.pc4} {candidate.place}".strip() if candidate.postcode else candidate.place
        return SharedProfile(full=False, place=area, **common)
    return SharedProfile(
        full=True,
        place=f"{candidate.postcode} {candidate.place}".strip(),
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
        diplomas=candidate.diplomas,
        hours_per_week=candidate.hours_per_week,
        **common,
    )


# Writes ----------------------------------------------------------------------------------------


def _site(site_url: str, path: str) -> str:
    return f"{site_url.rstrip('/')}{path}"


def _timeline(introduction: Introduction, event: str, *, actor: User | None, now, reason: str = "") -> None:
    offer = introduction.offer
    data = {
        "event": event,
        "introduction_id": introduction.pk,
        "offer": offer.title,
        "offer_id": offer.pk,
        "organisation": offer.organisation.name,
    }
    if reason:
        data["reason"] = reason
    if event == Status.PROPOSED and introduction.note:
        data["note"] = introduction.note
    TimelineEvent.objects.create(
        candidate_id=introduction.candidate_id,
        kind=TimelineEvent.Kind.INTRODUCTION,
        actor=actor,
        created_at=now,
        data=data,
    )


@transaction.atomic
def introduction_create(*, candidate: Candidate, offer: Offer, note: str, actor: User, site_url: str) -> Introduction:
    """Introduce the candidate to the offer; the offer's contact person gets an e-mail (no personal data).

    The offer row is locked first, so that two coordinators cannot both take the last introduction
    of the week: the second one waits, then counts the first one's introduction and is refused.
    """
    offer = (
        Offer.objects.select_for_update(of=("self",)).select_related("organisation", "contact_person").get(pk=offer.pk)
    )
    now = timezone.now()
    if refusal := offer_refusal(offer, now):
        raise IntroductionRefused(refusal, "not_open")
    if offer.max_introductions_per_week is not None and (
        introductions_this_week(offer, now) >= offer.max_introductions_per_week
    ):
        raise IntroductionRefused(weekly_maximum_message(offer), "weekly_maximum")
    already = _("%(name)s has already been introduced for this offer and is waiting for the answer.") % {
        "name": candidate.first_name
    }
    if Introduction.objects.filter(candidate=candidate, offer=offer, status__in=Introduction.OPEN).exists():
        raise IntroductionRefused(already, "already_introduced")
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                candidate=candidate, offer=offer, introduced_by=actor, note=note, created_at=now
            )
    except IntegrityError:  # the same introduction was made at the same moment
        raise IntroductionRefused(already, "already_introduced") from None
    _timeline(introduction, Status.PROPOSED, actor=actor, now=now)
    candidate_progress(candidate=candidate, status=CandidateStatus.REFERRED, actor=actor, note=NOTE_INTRODUCED)
    queue_mail(
        to=offer.contact_person.email,
        template="werkgevers/email/introduction_proposed",
        context={
            "offer": offer,
            "contact_person": offer.contact_person,
            "region": candidate.region,
            "link": _site(site_url, reverse("werkgevers:introduction_detail", args=[introduction.pk])),
        },
    )
    return introduction


def _refusal(introduction: Introduction, action: str) -> IntroductionRefused:
    """Why `action` cannot be done now, in words for the person who tried."""
    _sources, target = TRANSITIONS[action]
    status = introduction.status
    if status == target:
        return IntroductionRefused(
            _("Already done: this introduction is %(status)s.") % _labels(status), "already_done"
        )
    if status not in Introduction.OPEN:
        return IntroductionRefused(
            _("This introduction is closed (%(status)s): nothing can be changed any more.") % _labels(status),
            "closed",
        )
    if action in ANSWERS:
        return IntroductionRefused(
            _("This introduction has already been answered (%(status)s).") % _labels(status), "already_done"
        )
    if action in OUTCOMES:
        return IntroductionRefused(
            _("Not possible yet: record the outcome after you have invited the candidate."), "not_possible"
        )
    return IntroductionRefused(_("This is not possible now (%(status)s).") % _labels(status), "not_possible")


def _labels(status: str) -> dict[str, str]:
    return {"status": str(Status(status).label).lower()}


@dataclass
class Result:
    """What a step did, for the message the view shows."""

    introduction: Introduction
    back_in_conversation: bool = False
    closed_elsewhere: int = 0


def _lock(introduction: Introduction) -> Introduction:
    return (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("candidate__region", "offer__organisation", "offer__contact_person", "introduced_by")
        .get(pk=introduction.pk)
    )


def recompute_answer_days(introductions: QuerySet[Introduction]) -> int:
    """Work the answer time out again from the moments, e.g. after the demo dated them back."""
    answered = list(introductions.filter(answered_at__isnull=False).only("created_at", "answered_at"))
    for introduction in answered:
        introduction.answered_in_working_days = working_days_between(introduction.created_at, introduction.answered_at)
    return Introduction.objects.bulk_update(answered, ["answered_in_working_days"], batch_size=500)


def _apply(introduction: Introduction, action: str, *, actor: User, reason: str, now) -> None:
    sources, target = TRANSITIONS[action]
    if introduction.status not in sources:
        raise _refusal(introduction, action)
    if action in NEEDS_REASON and not reason.strip():
        raise IntroductionRefused(_("Give a reason."), "reason_missing")
    introduction.status = target
    update_fields = ["status"]
    if reason:
        introduction.reason = reason
        update_fields.append("reason")
    if action in ANSWERS:
        introduction.answered_by = actor
        introduction.answered_at = now
        introduction.answered_in_working_days = working_days_between(introduction.created_at, now)
        update_fields += ["answered_by", "answered_at", "answered_in_working_days"]
    if action in OUTCOMES:
        introduction.outcome_at = now
        update_fields.append("outcome_at")
    introduction.save(update_fields=update_fields)
    _timeline(introduction, target, actor=actor, now=now, reason=reason)


def _back_in_conversation_if_nothing_open(candidate_id: int, *, actor: User) -> bool:
    """After a closing step: with no open introduction and no BBL placement left, a referred
    candidate goes back to "in gesprek" through the normal status service."""
    if Introduction.objects.filter(candidate_id=candidate_id, status__in=Introduction.OPEN).exists():
        return False
    if CohortPlacement.objects.filter(candidate_id=candidate_id).exists():
        return False
    candidate = Candidate.objects.get(pk=candidate_id)
    if candidate.status != CandidateStatus.REFERRED:
        return False
    candidate_change_status(
        candidate=candidate, status=CandidateStatus.IN_CONVERSATION, actor=actor, note=NOTE_NO_OPEN_INTRODUCTIONS
    )
    return True


def _tell_coordinator(introduction: Introduction, *, result: Result) -> None:
    """Notify the coordinator who made the introduction (in the portal and/or by e-mail, as they chose),
    or e-mail their contact point when they left."""
    coordinator = introduction.introduced_by
    recipients: list[Recipient] = []
    if coordinator and coordinator.is_active:
        recipients.append(coordinator)
    else:
        coordinator = None  # the contact point's mailbox is not greeted with the name of someone who left
        if introduction.candidate.region and introduction.candidate.region.email:
            recipients.append(introduction.candidate.region.email)
    notify(
        IntroductionUpdate,
        recipients=recipients,
        context={
            "introduction": introduction,
            "offer": introduction.offer,
            "candidate": introduction.candidate,
            "coordinator": coordinator,
            "result": result,
        },
    )


def _tell_employer(introduction: Introduction, template: str, *, site_url: str) -> None:
    """E-mail the offer's contact person: only which introduction, never who the candidate is."""
    queue_mail(
        to=introduction.offer.contact_person.email,
        template=f"werkgevers/email/{template}",
        context={
            "introduction": introduction,
            "offer": introduction.offer,
            "contact_person": introduction.offer.contact_person,
            "link": _site(site_url, reverse("werkgevers:introduction_detail", args=[introduction.pk])),
        },
    )


@transaction.atomic
def introduction_answer(*, introduction: Introduction, invite: bool, reason: str, actor: User, site_url: str) -> Result:
    """The employer invites the candidate, or finds them not suitable (with a reason)."""
    introduction = _lock(introduction)
    action = Action.INVITE if invite else Action.NOT_SUITABLE
    _apply(introduction, action, actor=actor, reason="" if invite else reason, now=timezone.now())
    result = Result(introduction)
    if invite:
        candidate_progress(
            candidate=introduction.candidate, status=CandidateStatus.REFERRED, actor=actor, note=NOTE_INTRODUCED
        )
    else:
        result.back_in_conversation = _back_in_conversation_if_nothing_open(introduction.candidate_id, actor=actor)
    _tell_coordinator(introduction, result=result)
    return result


@transaction.atomic
def introduction_outcome(
    *, introduction: Introduction, started: bool, reason: str, actor: User, site_url: str
) -> Result:
    """The employer records whether the invited candidate started. Starting closes the candidate's
    other open introductions as "elders gestart" and tells those employers."""
    introduction = _lock(introduction)
    now = timezone.now()
    action = Action.STARTED if started else Action.NOT_STARTED
    _apply(introduction, action, actor=actor, reason="" if started else reason, now=now)
    result = Result(introduction)
    if started:
        candidate_progress(
            candidate=introduction.candidate, status=CandidateStatus.STARTED, actor=actor, note=NOTE_STARTED
        )
        others = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("offer__organisation", "offer__contact_person")
            .filter(candidate_id=introduction.candidate_id, status__in=Introduction.OPEN)
            .exclude(pk=introduction.pk)
            .order_by("pk")
        )
        for other in others:
            _apply(other, Action.STARTED_ELSEWHERE, actor=actor, reason="", now=now)
            _tell_employer(other, "introduction_started_elsewhere", site_url=site_url)
            result.closed_elsewhere += 1
    else:
        result.back_in_conversation = _back_in_conversation_if_nothing_open(introduction.candidate_id, actor=actor)
    _tell_coordinator(introduction, result=result)
    return result


@transaction.atomic
def introduction_withdraw(*, introduction: Introduction, reason: str, actor: User, site_url: str) -> Result:
    """A coordinator withdraws an open introduction; the employer is told (no personal data)."""
    introduction = _lock(introduction)
    _apply(introduction, Action.WITHDRAW, actor=actor, reason=reason, now=timezone.now())
    result = Result(introduction)
    result.back_in_conversation = _back_in_conversation_if_nothing_open(introduction.candidate_id, actor=actor)
    _tell_employer(introduction, "introduction_withdrawn", site_url=site_url)
    return result
