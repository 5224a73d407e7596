"""Writes on offers (aanbod): create, edit, publish, unpublish, close, copy, and the periodic expiry.

The status lifecycle: concept → gepubliceerd → vol / verlopen (set automatically) → gesloten.
"Vol" (full) is set by the registrations code; this module only reads it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpunt.models import User
from kandidaten.matching import schedule_offer

from .models import DATED_KINDS, PLACE_KINDS, VACANCY_KINDS, Offer, OfferKind, Organisation, Registration
from .registrations import fill_from_waiting_list

Status = Offer.Status

# What every offer has, whatever its kind.
COMMON_FIELDS = (
    "title",
    "description",
    "branch",
    "functions",
    "target_groups",
    "location",
    "contact_person",
    "visibility",
    "max_introductions_per_week",
)
DATED_FIELDS = ("starts_at", "ends_at", "capacity", "signup_deadline")
PLACE_FIELDS = (
    "places",
    "start_date",
    "hours_min",
    "hours_max",
    "duration_weeks",
    "min_education_level",
    "diploma_requirements",
    "trains_towards_level",
    "valid_until",
)
VACANCY_FIELDS = ("hours_min", "hours_max", "contract_type", "valid_until")
# Only BBL places and training lead to a diploma level.
TRAINING_KINDS = frozenset({OfferKind.BBL_PLEK, OfferKind.OPLEIDING})
MANY_TO_MANY_FIELDS = ("functions", "target_groups")
# Every field a kind may or may not have; what a kind does not have is cleared.
KIND_SPECIFIC_FIELDS = tuple(dict.fromkeys((*DATED_FIELDS, *PLACE_FIELDS, *VACANCY_FIELDS)))
# Without these an offer of the kind cannot be published (and the form asks for them).
REQUIRED_FOR_KIND = {
    "dated": ("starts_at", "ends_at", "capacity"),
    "place": ("places",),
    "vacancy": ("hours_min", "contract_type"),
}
# Offers that are out there: candidates can sign up or be introduced.
LIVE = (Status.PUBLISHED, Status.FULL)


class OfferStatusError(Exception):
    """The status change is not possible; `code` says why, `problems` what is missing to publish."""

    def __init__(self, code: str, problems: list[str] | None = None):
        super().__init__(code)
        self.code = code
        self.problems = problems or []


class CapacityBelowRegistrations(Exception):
    """The number of places would be lower than the number of people already signed up."""

    def __init__(self, registered: int):
        super().__init__(registered)
        self.registered = registered


def kind_group(kind: str) -> str:
    if kind in DATED_KINDS:
        return "dated"
    if kind in VACANCY_KINDS:
        return "vacancy"
    if kind in PLACE_KINDS:
        return "place"
    raise ValueError(f"Unknown kind of offer: {kind!r}")


def fields_for_kind(kind: str) -> list[str]:
    """The fields an offer of this kind has, in the order the form asks for them."""
    group = kind_group(kind)
    if group == "dated":
        specific = DATED_FIELDS
    elif group == "vacancy":
        specific = VACANCY_FIELDS
    else:
        specific = tuple(name for name in PLACE_FIELDS if name != "trains_towards_level" or kind in TRAINING_KINDS)
    return [*COMMON_FIELDS, *specific]


def required_for_kind(kind: str) -> tuple[str, ...]:
    return REQUIRED_FOR_KIND[kind_group(kind)]


def _empty(name: str) -> Any:
    field = Offer._meta.get_field(name)
    return "" if not field.null else None


def _apply(offer: Offer, details: dict[str, Any]) -> list[str]:
    """Write the fields of the offer's kind from `details` and clear the others; the names written."""
    allowed = set(fields_for_kind(offer.kind))
    written = []
    for name in (*COMMON_FIELDS, *KIND_SPECIFIC_FIELDS):
        if name in MANY_TO_MANY_FIELDS or (name in allowed and name not in details):
            continue
        setattr(offer, name, details[name] if name in allowed else _empty(name))
        written.append(name)
    return written


def _set_many(offer: Offer, details: dict[str, Any]) -> None:
    for name in MANY_TO_MANY_FIELDS:
        if name in details:
            getattr(offer, name).set(details[name])


def _check_owner(organisation: Organisation, details: dict[str, Any]) -> None:
    """Location and contact person must be the organisation's own (the form checks this for people)."""
    for name in ("location", "contact_person"):
        value = details.get(name)
        if value is not None and value.organisation_id != organisation.pk:
            raise ValueError(f"The {name} belongs to another organisation.")


@transaction.atomic
def offer_create(*, organisation: Organisation, kind: str, details: dict[str, Any], actor: User) -> Offer:
    """A new offer in concept (draft); fields that do not belong to the kind are left empty."""
    kind_group(kind)  # an unknown kind raises before anything is written
    _check_owner(organisation, details)
    offer = Offer(organisation=organisation, kind=kind, status=Status.DRAFT, created_by=actor)
    _apply(offer, details)
    offer.save()
    _set_many(offer, details)
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, details: dict[str, Any], actor: User, site_url: str) -> Offer:
    """Save an edit. The row is locked, so that a sign-up at the same moment cannot overtake a lower capacity.

    More places on a full activity open it again and go first to the people on the waiting list.
    """
    _check_owner(offer.organisation, details)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    capacity = details.get("capacity")
    if locked.kind in DATED_KINDS and capacity is not None and capacity < locked.registered_count:
        raise CapacityBelowRegistrations(locked.registered_count)
    changed = _apply(locked, details)
    if locked.status == Status.FULL and locked.capacity is not None and locked.capacity > locked.registered_count:
        locked.status = Status.PUBLISHED
        changed.append("status")
    # Only the fields of the form: the number signed up belongs to the registrations code.
    locked.save(update_fields=[*changed, "updated_at"])
    _set_many(locked, details)
    if "capacity" in changed:
        fill_from_waiting_list(offer_id=locked.pk, site_url=site_url)
    schedule_offer(locked.pk)
    return locked


def publish_problems(offer: Offer, now: datetime | None = None) -> list[str]:
    """What stops the offer from being published, in words for the employer (empty: it can go out)."""
    now = now or timezone.now()
    problems = []
    labels = {name: Offer._meta.get_field(name).verbose_name for name in KIND_SPECIFIC_FIELDS}
    for name in required_for_kind(offer.kind):
        if getattr(offer, name) in (None, ""):
            problems.append(_("Fill in: %(field)s.") % {"field": labels[name]})
    if offer.is_dated:
        if offer.starts_at is not None and offer.starts_at <= now:
            problems.append(_("The activity has already started. Choose a new date first."))
        if offer.signup_deadline is not None and offer.signup_deadline <= now:
            problems.append(_("The sign-up deadline has passed. Choose a new deadline or leave it empty."))
    elif offer.valid_until is not None and offer.valid_until < timezone.localdate(now):
        problems.append(_("The 'open until' date has passed. Choose a new date first."))
    if not offer.location.active:
        problems.append(_("The location is no longer active. Choose another location."))
    if not offer.contact_person.active:
        problems.append(_("The contact person is no longer active. Choose another contact person."))
    return problems


def _locked(offer: Offer) -> Offer:
    return Offer.objects.select_for_update().select_related("location", "contact_person").get(pk=offer.pk)


@transaction.atomic
def offer_publish(*, offer: Offer, actor: User, now: datetime | None = None) -> Offer:
    """Concept (or expired, after new dates) → gepubliceerd, when the offer is complete and still to come."""
    now = now or timezone.now()
    locked = _locked(offer)
    if locked.status in LIVE:
        raise OfferStatusError("already")
    if locked.status not in (Status.DRAFT, Status.EXPIRED):
        raise OfferStatusError("not_allowed")
    if problems := publish_problems(locked, now):
        raise OfferStatusError("incomplete", problems)
    locked.status = Status.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at", "updated_at"])
    schedule_offer(locked.pk)
    return locked


@transaction.atomic
def offer_unpublish(*, offer: Offer, actor: User) -> Offer:
    """Gepubliceerd → concept, only while nobody has signed up (also not on the waiting list)."""
    locked = _locked(offer)
    if locked.status == Status.DRAFT:
        raise OfferStatusError("already")
    if locked.status != Status.PUBLISHED:
        raise OfferStatusError("not_allowed")
    if locked.registered_count or locked.registrations.filter(status__in=Registration.ACTIVE).exists():
        raise OfferStatusError("has_registrations")
    locked.status = Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    schedule_offer(locked.pk)
    return locked


@transaction.atomic
def offer_close(*, offer: Offer, actor: User) -> Offer:
    """Gepubliceerd, vol or verlopen → gesloten: nobody can sign up or be introduced any more."""
    locked = _locked(offer)
    if locked.status == Status.CLOSED:
        raise OfferStatusError("already")
    if locked.status not in (*LIVE, Status.EXPIRED):
        raise OfferStatusError("not_allowed")
    locked.status = Status.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    schedule_offer(locked.pk)
    return locked


COPIED_FIELDS = tuple(name for name in (*COMMON_FIELDS, *KIND_SPECIFIC_FIELDS) if name not in MANY_TO_MANY_FIELDS)
DATE_FIELDS = ("starts_at", "ends_at", "signup_deadline", "start_date", "valid_until")


def _later(value: date | datetime, weeks: int) -> date | datetime:
    """`weeks` on, at the same time of day in Dutch time (also across a change to or from summer time)."""
    if isinstance(value, datetime):
        wall_clock = timezone.localtime(value).replace(tzinfo=None) + timedelta(weeks=weeks)
        return timezone.make_aware(wall_clock)
    return value + timedelta(weeks=weeks)


@transaction.atomic
def offer_copy(*, offer: Offer, actor: User, weeks: int | None = None) -> Offer:
    """A new concept with the same fields, for a recurring open day.

    Without `weeks` the dates of a dated activity are left empty (to be chosen); with `weeks` every
    date of the copy moves that many weeks on. Places and vacancies keep their dates without `weeks`.
    """
    copy = Offer(organisation_id=offer.organisation_id, kind=offer.kind, status=Status.DRAFT, created_by=actor)
    for name in COPIED_FIELDS:
        attname = Offer._meta.get_field(name).attname
        setattr(copy, attname, getattr(offer, attname))
    for name in DATE_FIELDS:
        value = getattr(copy, name)
        if value is None:
            continue
        if weeks:
            setattr(copy, name, _later(value, weeks))
        elif offer.is_dated:
            setattr(copy, name, None)
    copy.save()
    copy.functions.set(offer.functions.all())
    copy.target_groups.set(offer.target_groups.all())
    return copy


def past_q(now: datetime) -> Q:
    """Published or full offers whose time is over: the activity has started, or `valid_until` has passed."""
    dated = Q(kind__in=DATED_KINDS)
    return Q(status__in=LIVE) & (
        (dated & Q(starts_at__lte=now)) | (~dated & Q(valid_until__lt=timezone.localdate(now)))
    )


def expire_offers(now: datetime | None = None) -> int:
    """Set published and full offers whose time is over to verlopen; the number changed.

    One conditional UPDATE: running it twice, or in two workers at once, changes nothing more.
    """
    now = now or timezone.now()
    return Offer.objects.filter(past_q(now)).update(status=Status.EXPIRED, updated_at=now)


def with_shown_status(queryset: QuerySet[Offer], now: datetime) -> QuerySet[Offer]:
    """Annotate `shown_status`: the status, but expired for a live offer whose time is over.

    The periodic job expires offers every 15 minutes; lists do not show a past activity as open meanwhile.
    """
    return queryset.annotate(
        shown_status=Case(When(past_q(now), then=Value(Status.EXPIRED)), default=F("status"), output_field=CharField())
    )


def shown_status_q(status: str, now: datetime) -> Q:
    """Offers that a list shows with this status (see `with_shown_status`)."""
    if status == Status.EXPIRED:
        return Q(status=Status.EXPIRED) | past_q(now)
    if status in LIVE:
        return Q(status=status) & ~past_q(now)
    return Q(status=status)
