"""Periodic notifications: the daily digest, reminders and warnings. Plain functions taking `now`.

Each job is idempotent: every notification carries a dedupe key (kind + key + recipient is unique),
so a job that runs twice, is retried, or runs in two workers at once sends nothing twice. Work is
done in batches, one transaction per item: a job that dies half-way keeps what it sent, and the
next run does the rest. Celery beat runs them (contactpunt.tasks, CELERY_BEAT_SCHEDULE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kandidaten import models as candidate_models
from kandidaten.models import Candidate
from werkgevers.cohorts import with_filling
from werkgevers.models import DATED_KINDS, Cohort, Introduction, Offer, Registration

from .models import NotificationStamp, Region, User
from .notifications import (
    ActivityReminder,
    ActivityTomorrow,
    CohortBelowMinimum,
    DailyDigest,
    IntroductionEscalated,
    IntroductionReminder,
    NewCandidate,
    OfferExpiring,
    Recipient,
    claim,
    get_kind,
    load_preferences,
    notify,
    preferences,
    recipient_key,
    wants_digest,
)
from .workdays import first_contact_cutoff, is_working_day

BATCH = 200

# Introductions without an answer: a reminder to the employer, then the coordinator takes over.
REMIND_EMPLOYER_AFTER = 5  # working days
ESCALATE_AFTER = 10  # working days
# Warnings before it is too late.
COHORT_WARNING_BEFORE = timedelta(weeks=4)
OFFER_EXPIRY_WARNING_DAYS = 7
EMPTY_ACTIVITY_WARNING = timedelta(days=3)
# The digest lists at most this many lines per section, then links to the full list.
DIGEST_LINES = 10
# A digest never reaches back further than this (a coordinator new to digests, a long outage).
DIGEST_MAX_LOOKBACK = timedelta(days=7)


def _batches(queryset: QuerySet) -> Iterator[list[Any]]:
    """The rows of `queryset` in batches, by primary key, so that memory stays flat."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def employer_users(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(role=User.Role.EMPLOYER, organisation_id=organisation_id, is_active=True)


def _offer_people(offer: Offer) -> list[Recipient]:
    """The employer users of the offer's organisation, and its contact person (their account, or
    their address when they have none)."""
    recipients: list[Recipient] = list(employer_users(offer.organisation_id))
    contact = offer.contact_person
    if contact.user_id and contact.user.is_active and contact.user.organisation_id == offer.organisation_id:
        recipients.append(contact.user)
    elif contact.active and contact.email:
        recipients.append(contact.email)
    return recipients


def _offer_users_or_contact(offer: Offer) -> list[Recipient]:
    """The employer users of the offer's organisation (who can change it in the portal); the contact
    person's address only when the organisation has no users."""
    users: list[Recipient] = list(employer_users(offer.organisation_id))
    if users:
        return users
    contact = offer.contact_person
    return [contact.email] if contact.active and contact.email else []


def _not_stamped(queryset: QuerySet, kind: str) -> QuerySet:
    """Rows for which this kind was never sent to anyone (its key is the row's id)."""
    stamps = NotificationStamp.objects.filter(kind=kind, key=Cast(OuterRef("pk"), output_field=CharField()))
    return queryset.filter(~Exists(stamps))


# The daily digest -----------------------------------------------------------------------------------


@dataclass
class DigestLine:
    text: str
    url: str


@dataclass
class DigestSection:
    """One part of the digest: a heading, the first lines and the total, with a link to the full list."""

    name: str
    title: str
    total: int
    lines: list[DigestLine] = field(default_factory=list)
    more_url: str = ""


def new_candidates_section(user: User, regions: list[Region], since: datetime, now: datetime) -> DigestSection | None:
    """The candidates who signed up since the last digest, for coordinators who chose the digest."""
    if not wants_digest(user, NewCandidate):
        return None
    candidates = (
        Candidate.objects.filter(region__in=regions, signed_up_at__gte=since, signed_up_at__lt=now)
        .open()
        .select_related("region")
        .order_by("signed_up_at", "pk")
    )
    total = candidates.count()
    lines = [
        DigestLine(
            _("%(name)s from %(place)s, signed up %(when)s")
            % {
                "name": candidate.first_name,
                "place": candidate.place or candidate.pc4,
                "when": timezone.localtime(candidate.signed_up_at).strftime("%d-%m %H:%M"),
            },
            reverse("kandidaten:candidate", args=[candidate.pk]),
        )
        for candidate in (candidates[:DIGEST_LINES] if total else [])
    ]
    return DigestSection("new_candidates", str(_("New candidates")), total, lines, reverse("kandidaten:inbox"))


def overdue_section(user: User, regions: list[Region], since: datetime, now: datetime) -> DigestSection:
    """Candidates of the user's regions still waiting for a first contact after the promised working days."""
    candidates = Candidate.objects.filter(region__in=regions).overdue(now).order_by("signed_up_at", "pk")
    total = candidates.count()
    lines = [
        DigestLine(
            _("%(name)s from %(place)s, waiting %(days)s working days")
            % {
                "name": candidate.first_name,
                "place": candidate.place or candidate.pc4,
                "days": candidate.age_in_working_days(now),
            },
            reverse("kandidaten:candidate", args=[candidate.pk]),
        )
        for candidate in (candidates[:DIGEST_LINES] if total else [])
    ]
    more = reverse("kandidaten:inbox") + "?overdue=on&sort=waiting"
    return DigestSection("overdue", str(_("Waiting too long for a first contact")), total, lines, more)


def new_matches_section(user: User, regions: list[Region], since: datetime, now: datetime) -> DigestSection | None:
    """New match suggestions for candidates of the user's regions since the last digest."""
    match_model = getattr(candidate_models, "Match", None)
    if match_model is None:  # matching not installed
        return None
    matches = (
        match_model.objects.filter(status="new", created_at__gte=since, candidate__region__in=regions)
        .select_related("candidate", "offer")
        .order_by("-score", "pk")
    )
    total = matches.count()
    lines = [
        DigestLine(
            _("%(name)s and %(offer)s (score %(score)s)")
            % {"name": match.candidate.first_name, "offer": match.offer.title, "score": match.score},
            reverse("kandidaten:candidate", args=[match.candidate_id]),
        )
        for match in (matches[:DIGEST_LINES] if total else [])
    ]
    return DigestSection("new_matches", str(_("New matches")), total, lines, reverse("kandidaten:new_matches"))


# The digest's sections, in order; each returns None or a section (left out when its total is 0).
DigestSectionBuilder = Callable[[User, list[Region], datetime, datetime], DigestSection | None]
DIGEST_SECTIONS: list[DigestSectionBuilder] = [new_matches_section, new_candidates_section, overdue_section]


def digest_sections(user: User, since: datetime, now: datetime) -> list[DigestSection]:
    regions = list(user.regions.all())
    sections = (builder(user, regions, since, now) for builder in DIGEST_SECTIONS)
    return [section for section in sections if section is not None and section.total]


def _previous_digest(user: User, key: str) -> datetime | None:
    return (
        NotificationStamp.objects.filter(kind=DailyDigest.name, recipient=recipient_key(user))
        .exclude(key=key)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@transaction.atomic
def send_digest(user: User, now: datetime) -> bool:
    """The user's digest of today, once: False when it was sent already, switched off, or empty."""
    kind = get_kind(DailyDigest)
    if not kind.choice(preferences(kind, [user]).get(user.pk)).email:
        return False
    key = timezone.localdate(now).isoformat()
    previous = _previous_digest(user, key)
    since = max(previous or now - timedelta(days=1), now - DIGEST_MAX_LOOKBACK)
    # Claimed before it is known whether there is anything to report: an empty day is a digest too,
    # so that the next one starts from here.
    if not claim(kind, key, [user], now=now):
        return False
    sections = digest_sections(user, since, now)
    if not sections:
        return False
    notify(kind, recipients=[user], context={"sections": sections, "since": since, "now": now}, now=now)
    return True


def send_daily_digests(now: datetime | None = None) -> int:
    """Every working day at 08:00: the digest to each coordinator with a region. The number sent."""
    now = now or timezone.now()
    if not is_working_day(timezone.localdate(now)):
        return 0
    coordinators = User.objects.coordinators().filter(regions__isnull=False).distinct()
    sent = 0
    for ids in _batches(coordinators):
        users = list(User.objects.filter(pk__in=ids).prefetch_related("regions").order_by("pk"))
        load_preferences(users)
        for user in users:
            sent += send_digest(user, now)
    return sent


# Introductions without an answer ---------------------------------------------------------------------


def _waiting_since_before(working_days: int, now: datetime) -> QuerySet[Introduction]:
    cutoff = first_contact_cutoff(now, working_days)
    return Introduction.objects.filter(status=Introduction.Status.PROPOSED, created_at__lt=cutoff)


def _introduction_context(introduction: Introduction, working_days: int) -> dict[str, Any]:
    return {
        "introduction": introduction,
        "offer": introduction.offer,
        "organisation": introduction.offer.organisation,
        "candidate": introduction.candidate,
        "working_days": working_days,
    }


def _introductions(ids: list[int]) -> QuerySet[Introduction]:
    return (
        Introduction.objects.filter(pk__in=ids, status=Introduction.Status.PROPOSED)
        .select_related(
            "candidate__region",
            "offer__organisation",
            "offer__contact_person__user",
            "offer__location",
            "introduced_by",
        )
        .order_by("pk")
    )


def _coordinators_for(introduction: Introduction) -> list[Recipient]:
    """The coordinator who made the introduction; when they left, the coordinators of the candidate's
    region, or else the contact point's address."""
    introducer = introduction.introduced_by
    if introducer is not None and introducer.is_active:
        return [introducer]
    region = introduction.candidate.region
    if region is None:
        return []
    coordinators: list[Recipient] = list(User.objects.coordinators().filter(regions=region))
    return coordinators or ([region.email] if region.email else [])


def send_introduction_reminders(now: datetime | None = None) -> int:
    """On working days: introductions without an answer after 5 working days remind the employer;
    after 10 they go to the coordinator, so that the candidate is never left without an answer."""
    now = now or timezone.now()
    if not is_working_day(timezone.localdate(now)):
        return 0
    count = 0
    remind = _not_stamped(_waiting_since_before(REMIND_EMPLOYER_AFTER, now), IntroductionReminder.name)
    for ids in _batches(remind):
        for introduction in _introductions(ids):
            with transaction.atomic():
                delivered = notify(
                    IntroductionReminder,
                    recipients=_offer_people(introduction.offer),
                    context=_introduction_context(introduction, REMIND_EMPLOYER_AFTER),
                    dedupe_key=str(introduction.pk),
                    now=now,
                )
            count += bool(delivered.notifications or delivered.mails)
    escalate = _not_stamped(_waiting_since_before(ESCALATE_AFTER, now), IntroductionEscalated.name)
    for ids in _batches(escalate):
        for introduction in _introductions(ids):
            with transaction.atomic():
                delivered = notify(
                    IntroductionEscalated,
                    recipients=_coordinators_for(introduction),
                    context=_introduction_context(introduction, ESCALATE_AFTER),
                    dedupe_key=str(introduction.pk),
                    now=now,
                )
            count += bool(delivered.notifications or delivered.mails)
    return count


# Warnings: BBL classes and offers ---------------------------------------------------------------------


def send_cohort_warnings(now: datetime | None = None) -> int:
    """A BBL class starting within four weeks with fewer participants than its minimum: to the
    coordinators of its region and the users of the employers that pledged places, once per class."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cohorts = with_filling(
        Cohort.objects.filter(start_date__gte=today, start_date__lte=today + COHORT_WARNING_BEFORE)
    ).select_related("region", "function")
    count = 0
    for cohort in cohorts.order_by("start_date", "pk"):
        if cohort.placed_count >= cohort.min_size:
            continue
        recipients: list[Recipient] = [
            *User.objects.coordinators().filter(regions=cohort.region_id),
            *User.objects.filter(
                role=User.Role.EMPLOYER, is_active=True, organisation__cohort_pledges__cohort=cohort
            ).distinct(),
        ]
        context = {
            "cohort": cohort,
            "placed": cohort.placed_count,
            "pledged": cohort.pledged_places,
            "short": cohort.min_size - cohort.placed_count,
            "days": (cohort.start_date - today).days,
        }
        with transaction.atomic():
            delivered = notify(
                CohortBelowMinimum, recipients=recipients, context=context, dedupe_key=str(cohort.pk), now=now
            )
        count += bool(delivered.notifications or delivered.mails)
    return count


class ExpiryReason:
    VALID_UNTIL = "valid_until"
    NOBODY_SIGNED_UP = "nobody_signed_up"


def send_offer_expiry_warnings(now: datetime | None = None) -> int:
    """To the employer users (or the contact person) of the organisation, once per offer per reason:
    a place or vacancy open for 7 more days at most; a dated activity within 3 days with nobody signed up."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED).select_related(
        "organisation", "location", "contact_person__user"
    )
    closing = published.exclude(kind__in=DATED_KINDS).filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=OFFER_EXPIRY_WARNING_DAYS)
    )
    empty = published.filter(
        kind__in=DATED_KINDS, registered_count=0, starts_at__gt=now, starts_at__lte=now + EMPTY_ACTIVITY_WARNING
    )
    count = 0
    for reason, offers in ((ExpiryReason.VALID_UNTIL, closing), (ExpiryReason.NOBODY_SIGNED_UP, empty)):
        for offer in offers.order_by("pk"):
            when = offer.valid_until if reason == ExpiryReason.VALID_UNTIL else timezone.localdate(offer.starts_at)
            context = {"offer": offer, "reason": reason, "date": when, "days": (when - today).days}
            with transaction.atomic():
                delivered = notify(
                    OfferExpiring,
                    recipients=_offer_users_or_contact(offer),
                    context=context,
                    # A new date (the offer was extended or moved) warns again.
                    dedupe_key=f"{offer.pk}:{reason}:{when.isoformat()}",
                    now=now,
                )
            count += bool(delivered.notifications or delivered.mails)
    return count


def send_warnings(now: datetime | None = None) -> int:
    """The daily warnings: BBL classes below their minimum and offers about to expire."""
    return send_cohort_warnings(now) + send_offer_expiry_warnings(now)


# Activities tomorrow -------------------------------------------------------------------------------


def send_activity_reminders(now: datetime | None = None) -> int:
    """The afternoon before an activity: a reminder to each person with a place (where, when, and how
    to cancel with the link they already have), and who comes to the employer. The number of e-mails
    and in-app rows written."""
    now = now or timezone.now()
    tomorrow = _local_day_start(timezone.localdate(now) + timedelta(days=1))
    offers = (
        Offer.objects.dated()
        .filter(status__in=[Offer.Status.PUBLISHED, Offer.Status.FULL], starts_at__gte=tomorrow)
        .filter(starts_at__lt=_local_day_start(timezone.localdate(tomorrow) + timedelta(days=1)))
        .select_related("organisation", "location", "contact_person__user")
        .order_by("starts_at", "pk")
    )
    count = 0
    for offer in offers:
        registrations = list(
            offer.registrations.filter(status__in=Registration.ACTIVE)
            .select_related("candidate")
            .order_by("created_at", "pk")
        )
        confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        waiting = len(registrations) - len(confirmed)
        common = {
            "offer": offer,
            "organisation": offer.organisation,
            "location": offer.location,
            "contact_person": offer.contact_person,
        }
        with transaction.atomic():
            for registration in confirmed:
                delivered = notify(
                    ActivityReminder,
                    recipients=[registration.candidate.email],
                    context={**common, "candidate": registration.candidate},
                    dedupe_key=str(offer.pk),
                    now=now,
                )
                count += len(delivered.mails)
            if registrations:
                delivered = notify(
                    ActivityTomorrow,
                    recipients=_offer_people(offer),
                    context={**common, "confirmed": confirmed, "waiting": waiting},
                    dedupe_key=str(offer.pk),
                    now=now,
                )
                count += len(delivered.mails) + len(delivered.notifications)
    return count
