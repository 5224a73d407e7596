"""A candidate's rights without an account, erasure and retention.

- Personal link: a person types their e-mail address at /mijn-gegevens/; if a candidate has it, a
  link is e-mailed (the page answers the same either way). The link holds a random token of which
  only the SHA-256 is stored; it is valid for `RetentionSettings.link_hours` and once: opening it
  trades the token for a short session that knows only the candidate's id (`open_session`).
- Self-service: plain-language status, the details, corrections (through kandidaten.services so the
  routing and the timeline stay right), consent per purpose (a new Consent row per change), a JSON
  download, and erasure.
- Erasure (`erase_candidate`) anonymises the candidate in every table that holds their personal data
  and keeps what the figures count: status, region, source, dates, branches, functions.
- Retention (`apply_retention`, nightly from Celery beat): a warning e-mail before the period without
  activity ends, then erasure; people who only came to an activity, some months after it; sent
  e-mails, expired links and invitations, and image files left behind by withdrawn stories.

Activity: a sign-up, a contact moment, a status change, an activity registration, an introduction or
a BBL placement, or the candidate opening their personal link or changing their details: every one
of these writes a timeline event (`ACTIVITY_KINDS`), so the last of those is the last activity.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactpunt.mail import queue_mail
from contactpunt.models import Notification, OutboxMail, User

from . import services
from .models import (
    Candidate,
    Consent,
    ConsentPurpose,
    ContactMoment,
    ErasureRequest,
    Match,
    PendingSignup,
    PersonalLink,
    RetentionSettings,
    Source,
    Status,
    StopReason,
    TimelineEvent,
)

logger = logging.getLogger(__name__)

# The session of someone who opened their personal link: the candidate's id and until when it holds.
SESSION_KEY = "personal_link"
SESSION_MINUTES = 30
# Where GET /mijn-gegevens/link/<token>/ parks the token until the person presses the button.
PENDING_TOKEN_KEY = "personal_link_token"  # noqa: S105 (a session key, not a secret)
TOKEN_MAX_LENGTH = 100

ACTIVITY_KINDS = (
    TimelineEvent.Kind.SIGNUP,
    TimelineEvent.Kind.CONTACT,
    TimelineEvent.Kind.STATUS,
    TimelineEvent.Kind.REGISTRATION,
    TimelineEvent.Kind.INTRODUCTION,
    TimelineEvent.Kind.COHORT,
    TimelineEvent.Kind.SELF_SERVICE,
)
OPEN_STATUSES = (Status.NEW, Status.IN_CONVERSATION, Status.REFERRED)
RETENTION_BATCH = 500


class PrivacyRefused(Exception):
    """The request cannot be carried out; `message` says why (Dutch, for the person)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _period_months(now: datetime, months: int) -> datetime:
    return now - relativedelta(months=months)


# Personal link --------------------------------------------------------------------------------------


def candidate_for_email(email: str) -> Candidate | None:
    """The (not erased) candidate an address belongs to, matched like a repeat sign-up is."""
    email = (email or "").strip()
    if "@" not in email or len(email) > 254:
        return None
    return (
        Candidate.objects.filter(erased_at__isnull=True)
        .filter(Q(email__iexact=email) | Q(email_key=services.email_key(email)))
        .order_by("signed_up_at", "pk")
        .first()
    )


@transaction.atomic
def request_link(*, email: str, site_url: str, now: datetime | None = None) -> PersonalLink | None:
    """E-mail a personal link if a candidate has this address; the caller says the same either way."""
    now = now or timezone.now()
    candidate = candidate_for_email(email)
    if candidate is None:
        return None
    token = secrets.token_urlsafe(32)
    hours = RetentionSettings.current().link_hours
    link = PersonalLink.objects.create(
        candidate=candidate, token_hash=hash_token(token), created_at=now, expires_at=now + timedelta(hours=hours)
    )
    queue_mail(
        to=candidate.email,
        template="emails/privacy/personal_link",
        context={
            "candidate": candidate,
            "region": candidate.region,
            "link": site_url.rstrip("/") + reverse("kandidaten:privacy_link", args=[token]),
            "hours": hours,
        },
    )
    return link


def valid_token_shape(token: str) -> bool:
    return bool(token) and len(token) <= TOKEN_MAX_LENGTH and re.fullmatch(r"[A-Za-z0-9_\-]+", token) is not None


def _usable_links(token: str, now: datetime):
    return PersonalLink.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=now, candidate__erased_at__isnull=True
    )


def link_is_usable(*, token: str, now: datetime | None = None) -> bool:
    """Whether the link would open now, without using it up (a mail scanner's GET must not)."""
    return valid_token_shape(token) and _usable_links(token, now or timezone.now()).exists()


@transaction.atomic
def redeem_link(*, token: str, now: datetime | None = None) -> Candidate | None:
    """Trade a valid, unused link for its candidate; None when it is unknown, used or expired.

    One conditional UPDATE claims it, so two clicks at once cannot both succeed.
    """
    now = now or timezone.now()
    if not valid_token_shape(token):
        return None
    claimed = _usable_links(token, now).update(used_at=now)
    if claimed != 1:
        return None
    link = PersonalLink.objects.select_related("candidate").get(token_hash=hash_token(token))
    TimelineEvent.objects.create(
        candidate=link.candidate, kind=TimelineEvent.Kind.SELF_SERVICE, created_at=now, data={"action": "signed_in"}
    )
    return link.candidate


def open_session(session, candidate: Candidate, *, now: datetime | None = None) -> None:
    """A new session key (the old one may be known to someone else) that knows only the candidate's id."""
    now = now or timezone.now()
    session.cycle_key()
    session[SESSION_KEY] = {"id": candidate.pk, "until": (now + timedelta(minutes=SESSION_MINUTES)).isoformat()}


def session_candidate(session, *, now: datetime | None = None) -> Candidate | None:
    """The candidate of a personal-link session still valid, or None."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, dict):
        return None
    try:
        until = datetime.fromisoformat(value["until"])
        candidate_id = int(value["id"])
    except (KeyError, TypeError, ValueError):
        return None
    if (now or timezone.now()) >= until:
        session.pop(SESSION_KEY, None)
        return None
    return (
        Candidate.objects.select_related("region")
        .prefetch_related("branches", "functions", "next_steps")
        .filter(pk=candidate_id, erased_at__isnull=True)
        .first()
    )


def close_session(session) -> None:
    session.flush()


# What the candidate sees ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    explanation: str


def plain_status(candidate: Candidate) -> Step:
    """Where the person stands, in their words, not the coordinators'."""
    if candidate.status == Status.NEW:
        return Step(
            "received",
            _("Received"),
            _("We have received your sign-up. A coordinator will contact you soon."),
        )
    if candidate.status == Status.IN_CONVERSATION:
        return Step(
            "in_contact",
            _("In contact"),
            _("You are in contact with a coordinator, who helps you find a next step."),
        )
    if candidate.status == Status.REFERRED:
        return Step(
            "referred",
            _("Referred"),
            _("You have been referred to an employer or an activity. You will hear from them."),
        )
    if candidate.status == Status.STARTED:
        return Step("started", _("Started"), _("You have started in zorg en welzijn. Good luck!"))
    return Step(
        "closed",
        _("Closed"),
        _("We are no longer working on your sign-up. You can sign up again at any time."),
    )


STEPS = [
    ("received", gettext_lazy("Received")),
    ("in_contact", gettext_lazy("In contact")),
    ("referred", gettext_lazy("Referred")),
    ("started", gettext_lazy("Started")),
]


def current_consents(candidate: Candidate) -> dict[str, bool]:
    """The latest answer per purpose (False when never asked)."""
    answers: dict[str, bool] = {}
    for consent in Consent.objects.filter(candidate=candidate).order_by("-recorded_at", "-id"):
        answers.setdefault(consent.purpose, consent.granted)
    return {purpose: answers.get(purpose, False) for purpose in ConsentPurpose.values}


def registrations_for(candidate: Candidate) -> list[dict[str, Any]]:
    from werkgevers.models import Registration

    rows = Registration.objects.filter(candidate=candidate).select_related("offer__organisation", "offer__location")
    return [
        {
            "activity": registration.offer.title,
            "kind": str(registration.offer.get_kind_display()),
            "organisation": registration.offer.organisation.name,
            "starts_at": registration.offer.starts_at,
            "place": registration.offer.location.place if registration.offer.location_id else "",
            "status": str(registration.get_status_display()),
        }
        for registration in rows.order_by("-offer__starts_at", "-pk")
    ]


def introductions_for(candidate: Candidate) -> list[dict[str, Any]]:
    """The introductions as the person may see them: the employer, the offer and the outcome; never
    the coordinator's note for the employer nor the employer's reason."""
    from werkgevers.models import Introduction

    rows = Introduction.objects.filter(candidate=candidate).select_related("offer__organisation")
    return [
        {
            "offer": introduction.offer.title,
            "kind": str(introduction.offer.get_kind_display()),
            "organisation": introduction.offer.organisation.name,
            "date": introduction.created_at,
            "status": str(introduction.get_status_display()),
        }
        for introduction in rows.order_by("-created_at", "-pk")
    ]


def plain_timeline(candidate: Candidate) -> list[dict[str, Any]]:
    """The history in plain terms: what happened and when, never who wrote what about them."""
    lines: list[dict[str, Any]] = []
    for event in TimelineEvent.objects.filter(candidate=candidate).order_by("created_at", "pk"):
        text = _plain_event(event)
        if text:
            lines.append({"date": event.created_at, "what": text})
    return lines


def _plain_event(event: TimelineEvent) -> str:
    data = event.data or {}
    kind = event.kind
    if kind == TimelineEvent.Kind.SIGNUP:
        return _("You signed up again.") if data.get("repeat") else _("You signed up.")
    if kind == TimelineEvent.Kind.CONTACT:
        return _("You talked with a coordinator.")
    if kind == TimelineEvent.Kind.STATUS:
        to = data.get("to")
        if to in (Status.NEW, Status.IN_CONVERSATION, Status.REFERRED, Status.STARTED):
            fake = Candidate(status=to)
            return _("Your status became: %(status)s.") % {"status": plain_status(fake).label}
        return _("We closed your sign-up.")
    if kind == TimelineEvent.Kind.REGISTRATION:
        return _("Activity registration: %(activity)s (%(organisation)s).") % {
            "activity": data.get("offer", ""),
            "organisation": data.get("organisation", ""),
        }
    if kind == TimelineEvent.Kind.INTRODUCTION:
        if data.get("event") == "proposed":
            return _("You were introduced to %(organisation)s for %(offer)s.") % {
                "organisation": data.get("organisation", ""),
                "offer": data.get("offer", ""),
            }
        return _("News about your introduction to %(organisation)s.") % {"organisation": data.get("organisation", "")}
    if kind == TimelineEvent.Kind.COHORT:
        return _("You got a place in a BBL class.")
    if kind == TimelineEvent.Kind.ROUTING:
        return _("Your sign-up went to another contact point.")
    if kind == TimelineEvent.Kind.SELF_SERVICE:
        return str(_SELF_SERVICE_PLAIN.get(data.get("action"), _("You looked at your details.")))
    if kind == TimelineEvent.Kind.PRIVACY:
        return str(_PRIVACY_PLAIN.get(data.get("action"), ""))
    return ""


_SELF_SERVICE_PLAIN = {
    "signed_in": gettext_lazy("You opened your personal link."),
    "corrected": gettext_lazy("You corrected your details."),
    "consent": gettext_lazy("You changed your consent."),
    "exported": gettext_lazy("You downloaded your details."),
}
_PRIVACY_PLAIN = {
    "erasure_requested": gettext_lazy("You asked us to erase your details."),
    "retention_warning": gettext_lazy("We told you that your details will be erased soon."),
}
_SELF_SERVICE_DASHBOARD = {
    "signed_in": gettext_lazy("The candidate opened their personal link"),
    "corrected": gettext_lazy("The candidate corrected their details"),
    "consent": gettext_lazy("The candidate changed their consent"),
    "exported": gettext_lazy("The candidate downloaded their details"),
}
_PRIVACY_DASHBOARD = {
    "erasure_requested": gettext_lazy("Erasure request received"),
    "retention_warning": gettext_lazy("Retention warning sent"),
    "erased": gettext_lazy("Details erased"),
}


def describe_privacy_event(data: dict) -> tuple[str, list[tuple[str, str]]]:
    """The dashboard's timeline line for a SELF_SERVICE or PRIVACY event."""
    action = data.get("action")
    title = _SELF_SERVICE_DASHBOARD.get(action) or _PRIVACY_DASHBOARD.get(action) or _("Privacy")
    lines: list[tuple[str, str]] = []
    if data.get("changed"):
        from .templatetags.kandidaten_dashboard import _field_label

        lines.append((_("Changed"), ", ".join(_field_label(name) for name in data["changed"])))
    if data.get("purposes"):
        # gettext outside the f-string: xgettext (makemessages) does not look inside f-strings.
        answers = {True: _("yes"), False: _("no")}
        labels = [f"{ConsentPurpose(p).label}: {answers[bool(v)]}" for p, v in data["purposes"].items()]
        lines.append((_("Consent"), ", ".join(labels)))
    if data.get("due_on"):
        lines.append((_("Deadline"), data["due_on"]))
    return str(title), lines


# Self-service writes ---------------------------------------------------------------------------------


def correct_details(*, candidate: Candidate, details: dict[str, Any]) -> list[str]:
    """The person corrects their name, phone, postcode or wishes (kandidaten.services.candidate_update)."""
    return services.candidate_update(candidate=candidate, details=details, actor=None, by_candidate=True)


@transaction.atomic
def set_consents(*, candidate: Candidate, answers: dict[str, bool], now: datetime | None = None) -> dict[str, bool]:
    """Record a new Consent row for every purpose whose answer changed; returns what changed."""
    now = now or timezone.now()
    current = current_consents(candidate)
    changed = {
        purpose: bool(answers[purpose])
        for purpose in ConsentPurpose.values
        if purpose in answers and bool(answers[purpose]) != current[purpose]
    }
    Consent.objects.bulk_create(
        Consent(
            candidate=candidate,
            purpose=purpose,
            granted=granted,
            text_version=settings.PRIVACY_STATEMENT_VERSION,
            recorded_at=now,
        )
        for purpose, granted in changed.items()
    )
    if changed:
        TimelineEvent.objects.create(
            candidate=candidate,
            kind=TimelineEvent.Kind.SELF_SERVICE,
            created_at=now,
            data={"action": "consent", "purposes": changed},
        )
    return changed


def export_data(candidate: Candidate, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything about the person that they may see, as JSON-ready values."""
    now = now or timezone.now()
    region = candidate.region
    step = plain_status(candidate)

    def when(value):
        return value.isoformat() if value else None

    data = {
        "exported_at": now.isoformat(),
        "privacy_statement_version": settings.PRIVACY_STATEMENT_VERSION,
        "candidate": {
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "email": candidate.email,
            "phone": candidate.phone,
            "postcode": candidate.postcode,
            "place": candidate.place,
            "contact_point": region.name if region else None,
            "status": step.label,
            "status_explanation": step.explanation,
            "situation": str(candidate.get_situation_display()) if candidate.situation else None,
            "education_level": str(candidate.get_education_level_display()) if candidate.education_level else None,
            "diplomas": candidate.diplomas,
            "diploma_abroad": candidate.diploma_abroad,
            "diploma_outdated": candidate.diploma_outdated,
            "branches": [item.name for item in candidate.branches.all()],
            "functions": [item.name for item in candidate.functions.all()],
            "next_steps": [item.name for item in candidate.next_steps.all()],
            "target_groups": [item.name for item in candidate.target_groups.all()],
            "hours_per_week": candidate.hours_per_week,
            "max_travel_km": candidate.max_travel_km,
            "support_needs": candidate.support_needs,
            "how_you_heard_of_us": str(candidate.get_source_display()) if candidate.source else None,
            "message": candidate.message,
            "signed_up_at": when(candidate.signed_up_at),
            "first_contact_at": when(candidate.first_contact_at),
        },
        "consents": [
            {
                "purpose": str(consent.get_purpose_display()),
                "granted": consent.granted,
                "privacy_statement_version": consent.text_version,
                "recorded_at": when(consent.recorded_at),
            }
            for consent in Consent.objects.filter(candidate=candidate).order_by("recorded_at", "pk")
        ],
        "activity_registrations": [
            {**row, "starts_at": when(row["starts_at"])} for row in registrations_for(candidate)
        ],
        "introductions": [{**row, "date": when(row["date"])} for row in introductions_for(candidate)],
        "contact_moments": [
            {"date": when(moment.happened_at), "channel": str(moment.get_channel_display())}
            for moment in ContactMoment.objects.filter(candidate=candidate).order_by("happened_at", "pk")
        ],
        "history": [{"date": when(line["date"]), "what": line["what"]} for line in plain_timeline(candidate)],
    }
    TimelineEvent.objects.create(
        candidate=candidate, kind=TimelineEvent.Kind.SELF_SERVICE, created_at=now, data={"action": "exported"}
    )
    return data


# Erasure --------------------------------------------------------------------------------------------


def erasure_due_on(requested_at: datetime):
    """One month from the request (the GDPR's deadline), as a date in Dutch time."""
    return timezone.localdate(requested_at) + relativedelta(months=1)


@transaction.atomic
def record_erasure_request(
    *, candidate: Candidate, actor: User | None, via: str = ErasureRequest.Via.COORDINATOR, now: datetime | None = None
) -> ErasureRequest:
    """A coordinator received an erasure request (by phone, mail or letter): it gets a deadline.

    Recording it twice keeps the first request and its deadline.
    """
    now = now or timezone.now()
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise PrivacyRefused(_("Already done: the details of this candidate have been erased."), "already_erased")
    existing = ErasureRequest.objects.open().filter(candidate=candidate).first()
    if existing is not None:
        return existing
    request = ErasureRequest.objects.create(
        candidate=candidate, via=via, requested_at=now, due_on=erasure_due_on(now), recorded_by=actor
    )
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.PRIVACY,
        actor=actor,
        created_at=now,
        data={"action": "erasure_requested", "via": via, "due_on": request.due_on.isoformat()},
    )
    return request


def open_erasure_requests(user: User) -> QuerySet[ErasureRequest]:
    """The open requests of the candidates a user may see, the nearest deadline first."""
    return (
        ErasureRequest.objects.visible_to(user)
        .open()
        .select_related("candidate__region", "recorded_by")
        .order_by("due_on", "requested_at", "pk")
    )


def personal_strings(candidate: Candidate) -> list[str]:
    """What identifies the person in free text: name, e-mail address, phone number (as stored and shown)."""
    from .templatetags.kandidaten_dashboard import phone as shown_phone

    values = {
        candidate.full_name,
        candidate.email,
        candidate.email_key,
        candidate.phone,
        shown_phone(candidate.phone) if candidate.phone else "",
    }
    values |= {html.escape(value) for value in list(values)}
    return sorted(value for value in values if value and len(value) >= 4)


def _candidate_paths(candidate: Candidate) -> list[str]:
    return [reverse("kandidaten:candidate", args=[candidate.pk])]


def _mentions(fields: list[str], strings: list[str], paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for field in fields:
        for value in [*strings, *paths]:
            condition |= Q(**{f"{field}__icontains": value})
    return condition


_FREE_TEXT_KEYS = {"note", "reason", "merged_name"}


def _scrub_data(data: dict, strings: list[str]) -> dict:
    """Timeline data without free text and without anything naming the person; codes stay."""
    from .templatetags.kandidaten_dashboard import STATUS_NOTES

    cleaned: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if key == "reason" and value in StopReason.values:
            cleaned[key] = value
            continue
        if key == "note" and (value in STATUS_NOTES or value == "repeat_signup"):
            cleaned[key] = value
            continue
        if key in _FREE_TEXT_KEYS:
            continue
        if isinstance(value, str) and any(s.lower() in value.lower() for s in strings):
            continue
        cleaned[key] = value
    return cleaned


@transaction.atomic
def erase_candidate(
    *,
    candidate: Candidate,
    via: str,
    actor: User | None = None,
    now: datetime | None = None,
    site_url: str | None = None,
    confirm: bool = True,
    http_request=None,
) -> ErasureRequest:
    """Anonymise the person everywhere; keep the anonymous counts (status, region, source, dates, branch).

    The confirmation e-mail is queued before the address goes; once sent, its address is wiped too
    (`scrub_erasure_confirmations`). Raises PrivacyRefused when already erased.
    """
    from werkgevers import retention as employer_side

    now = now or timezone.now()
    site_url = site_url or settings.SITE_URL
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("region").get(pk=candidate.pk)
    if candidate.erased_at is not None:
        raise PrivacyRefused(_("Already done: the details of this candidate have been erased."), "already_erased")
    request = ErasureRequest.objects.open().filter(candidate=candidate).first() or ErasureRequest(
        candidate=candidate, via=via, requested_at=now, due_on=erasure_due_on(now), recorded_by=actor
    )
    strings = personal_strings(candidate)
    paths = _candidate_paths(candidate)

    # Other tables first: a freed place may e-mail the next person waiting, never this one.
    employer_side.registrations_cancel_for_erasure(candidate_id=candidate.pk, site_url=site_url, now=now)
    employer_side.introductions_close_for_erasure(candidate_id=candidate.pk, now=now)
    Match.objects.filter(candidate=candidate, status=Match.Status.NEW).delete()
    Match.objects.filter(candidate=candidate).update(reasons=[], reject_note="")
    ContactMoment.objects.filter(candidate=candidate).update(summary="", abilities="", wishes="", agreed_next_step="")
    Consent.objects.filter(candidate=candidate).delete()
    PersonalLink.objects.filter(candidate=candidate).delete()
    for event in TimelineEvent.objects.filter(candidate=candidate).only("pk", "data"):
        cleaned = _scrub_data(event.data, strings)
        if cleaned != event.data:
            TimelineEvent.objects.filter(pk=event.pk).update(data=cleaned)
    with translation.override(settings.LANGUAGE_CODE):
        neutral = _("A candidate whose details have since been erased")
    Notification.objects.filter(Q(url__in=paths) | _mentions(["title"], strings, [])).update(title=neutral)
    # In-app texts name a candidate by first name ("Anna from Groningen has signed up"): those of the
    # people who work the candidate's region, naming the first name as a word, are reworded too.
    if candidate.first_name and candidate.region_id:
        word = re.compile(rf"\b{re.escape(candidate.first_name)}\b", re.IGNORECASE)
        naming = [
            pk
            for pk, title in Notification.objects.filter(
                user__regions=candidate.region_id, title__icontains=candidate.first_name
            ).values_list("pk", "title")
            if word.search(title)
        ]
        Notification.objects.filter(pk__in=naming).update(title=neutral)
    mention = Q(to__iexact=candidate.email) | _mentions(["to", "subject", "body_text", "body_html"], strings, paths)
    OutboxMail.objects.filter(mention).delete()
    candidate_type = ContentType.objects.get_for_model(Candidate)
    LogEntry.objects.filter(content_type=candidate_type, object_id=str(candidate.pk)).update(
        object_repr=f"#{candidate.pk}"
    )
    LogEntry.objects.filter(_mentions(["object_repr", "change_message"], strings, [])).update(
        object_repr="#", change_message=""
    )
    _record_in_audit_log(candidate, actor=actor, http_request=http_request)

    # The confirmation goes out before the address is wiped; nothing in it names the person.
    mail = None
    if confirm and candidate.email:
        mail = queue_mail(
            to=candidate.email,
            template="emails/privacy/erasure_done",
            context={"region": candidate.region},
        )

    if candidate.status in OPEN_STATUSES:
        TimelineEvent.objects.create(
            candidate=candidate,
            kind=TimelineEvent.Kind.STATUS,
            actor=actor,
            created_at=now,
            data={"from": candidate.status, "to": Status.STOPPED, "reason": StopReason.ERASED},
        )
        candidate.status = Status.STOPPED
        candidate.stop_reason = StopReason.ERASED
    candidate.first_name = ""
    candidate.last_name = ""
    candidate.email = ""
    candidate.email_key = ""
    candidate.phone = ""
    candidate.postcode = candidate.postcode[:4]
    candidate.place = ""
    candidate.diplomas = ""
    candidate.support_needs = ""
    candidate.message = ""
    candidate.erased_at = now
    candidate.save()
    candidate.target_groups.clear()

    request.carried_out_at = now
    request.carried_out_by = actor
    request.confirmation_mail = mail
    request.save()
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.PRIVACY,
        actor=actor,
        created_at=now,
        data={"action": "erased", "via": via},
    )
    if mail is not None:
        transaction.on_commit(_schedule_scrub)
    logger.info("Candidate %s erased (%s)", candidate.pk, via)
    return request


def _record_in_audit_log(candidate: Candidate, *, actor: User | None, http_request=None) -> None:
    """The audit log (contactpunt.audit) records the erasure by type and id only, never a name."""
    from contactpunt import audit

    # Without an actor but with a request: the candidate erased themselves through their personal link.
    by_candidate = actor is None and http_request is not None
    audit.record(
        http_request if http_request is not None else actor, audit.Action.ERASE, candidate, by_candidate=by_candidate
    )


def _schedule_scrub() -> None:
    from .tasks import scrub_erasure_confirmations_task

    try:
        scrub_erasure_confirmations_task.apply_async(countdown=0 if settings.CELERY_TASK_ALWAYS_EAGER else 300)
    except Exception:
        logger.warning("Erasure confirmation scrub not handed to the broker; the nightly job does it")


def scrub_erasure_confirmations(*, now: datetime | None = None) -> int:
    """Wipe the address of sent erasure confirmations (and of ones that failed for a week)."""
    now = now or timezone.now()
    mails = OutboxMail.objects.filter(
        Q(sent_at__isnull=False) | Q(created_at__lt=now - timedelta(days=7)),
        pk__in=ErasureRequest.objects.filter(confirmation_mail__isnull=False).values("confirmation_mail"),
    ).exclude(to="")
    return mails.update(to="", body_text="", body_html="")


# Retention ------------------------------------------------------------------------------------------


def with_last_activity(queryset: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Annotate `last_activity`: the latest activity event in the timeline, or the sign-up."""
    latest = (
        TimelineEvent.objects.filter(candidate=OuterRef("pk"), kind__in=ACTIVITY_KINDS)
        .order_by()
        .values("candidate")
        .annotate(latest=Max("created_at"))
        .values("latest")
    )
    return queryset.annotate(
        last_activity=Greatest(Coalesce(Subquery(latest), "signed_up_at"), "signed_up_at"),
    )


def candidates_to_warn(now: datetime, retention: RetentionSettings) -> QuerySet[Candidate]:
    """Inactive long enough to be erased within `warning_days`, and not warned since their last activity."""
    warn_before = _period_months(now, retention.inactive_months) + timedelta(days=retention.warning_days)
    return (
        with_last_activity(Candidate.objects.filter(erased_at__isnull=True))
        .filter(last_activity__lte=warn_before)
        .filter(Q(retention_warned_at__isnull=True) | Q(retention_warned_at__lt=F("last_activity")))
    )


def candidates_to_erase(now: datetime, retention: RetentionSettings) -> QuerySet[Candidate]:
    """Warned at least `warning_days` ago, with no activity since, and inactive for the whole period."""
    return (
        with_last_activity(Candidate.objects.filter(erased_at__isnull=True, retention_warned_at__isnull=False))
        .filter(last_activity__lte=_period_months(now, retention.inactive_months))
        .filter(retention_warned_at__gte=F("last_activity"))
        .filter(retention_warned_at__lte=now - timedelta(days=retention.warning_days))
    )


def activity_only_to_erase(now: datetime, retention: RetentionSettings) -> QuerySet[Candidate]:
    """People who came only for an activity in the agenda (source agenda, no conversation, no
    introduction, no BBL class), some months after the last activity they signed up for."""
    from werkgevers.models import CohortPlacement, Introduction, Registration
    from werkgevers.retention import past_offer_ids

    cutoff = _period_months(now, retention.activity_only_months)
    later = Registration.objects.filter(candidate=OuterRef("pk")).exclude(offer__in=past_offer_ids(before=cutoff))
    return (
        with_last_activity(Candidate.objects.filter(erased_at__isnull=True, source=Source.AGENDA))
        .filter(Exists(Registration.objects.filter(candidate=OuterRef("pk"))))
        .exclude(Exists(later))
        .exclude(Exists(ContactMoment.objects.filter(candidate=OuterRef("pk"))))
        .exclude(Exists(Introduction.objects.filter(candidate=OuterRef("pk"))))
        .exclude(Exists(CohortPlacement.objects.filter(candidate=OuterRef("pk"))))
        .filter(last_activity__lte=cutoff)
    )


def warn_inactive(*, now: datetime, retention: RetentionSettings, site_url: str) -> int:
    ids = list(candidates_to_warn(now, retention).order_by("pk").values_list("pk", flat=True)[:RETENTION_BATCH])
    erase_on = timezone.localdate(now) + timedelta(days=retention.warning_days)
    warned = 0
    for pk in ids:
        with transaction.atomic():
            candidate = Candidate.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)
            # Locked: check again, so that two runs at once send one warning.
            if not candidates_to_warn(now, retention).filter(pk=pk).exists():
                continue
            Candidate.objects.filter(pk=pk).update(retention_warned_at=now)
            queue_mail(
                to=candidate.email,
                template="emails/privacy/retention_warning",
                context={
                    "candidate": candidate,
                    "region": candidate.region,
                    "erase_on": erase_on,
                    "link": site_url.rstrip("/") + reverse("kandidaten:privacy_request"),
                },
            )
            TimelineEvent.objects.create(
                candidate=candidate,
                kind=TimelineEvent.Kind.PRIVACY,
                created_at=now,
                data={"action": "retention_warning", "due_on": erase_on.isoformat()},
            )
            warned += 1
    return warned


def _erase_ids(ids: list[int], *, now: datetime, site_url: str) -> int:
    erased = 0
    for pk in ids:
        try:
            erase_candidate(candidate=Candidate(pk=pk), via=ErasureRequest.Via.RETENTION, now=now, site_url=site_url)
            erased += 1
        except PrivacyRefused:
            continue
    return erased


@transaction.atomic
def delete_sent_mails(*, now: datetime, retention: RetentionSettings) -> int:
    from contactpunt.mail import MAX_ATTEMPTS

    cutoff = now - timedelta(days=retention.sent_mail_days)
    # An erasure confirmation waits until its address has been wiped (scrub_erasure_confirmations).
    kept = ErasureRequest.objects.filter(confirmation_mail__isnull=False).exclude(confirmation_mail__to="")
    kept = kept.values("confirmation_mail")
    deleted, _ = (
        OutboxMail.objects.filter(
            Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS, created_at__lt=cutoff)
        )
        .exclude(pk__in=kept)
        .delete()
    )
    return deleted


def delete_expired_links(*, now: datetime) -> int:
    deleted, _ = PersonalLink.objects.filter(Q(expires_at__lt=now) | Q(used_at__isnull=False)).delete()
    return deleted


# A public sign-up the worker could not register after every sweep (kandidaten.public_signup) holds the
# person's details outside any candidate: whoever runs the portal has this long to see to it (the worker
# logged every failure, the sweep an error at its last try), then it is deleted.
PENDING_SIGNUP_DAYS = 30


def delete_stale_pending_signups(*, now: datetime) -> int:
    deleted, _ = PendingSignup.objects.filter(received_at__lt=now - timedelta(days=PENDING_SIGNUP_DAYS)).delete()
    if deleted:
        logger.error("Retention deleted %d public sign-ups that were never registered", deleted)
    return deleted


def apply_retention(*, now: datetime | None = None, site_url: str | None = None) -> dict[str, int]:
    """The nightly job: warn, erase, clean up. Safe to run twice: a rerun finds nothing new to do."""
    from campagne.retention import orphan_files_delete
    from werkgevers.retention import invitations_delete_expired, retire_past_cancel_links

    now = now or timezone.now()
    site_url = site_url or settings.SITE_URL
    retention = RetentionSettings.current()
    to_erase = list(candidates_to_erase(now, retention).order_by("pk").values_list("pk", flat=True)[:RETENTION_BATCH])
    activity_only = list(
        activity_only_to_erase(now, retention).order_by("pk").values_list("pk", flat=True)[:RETENTION_BATCH]
    )
    result = {
        "erased_inactive": _erase_ids(to_erase, now=now, site_url=site_url),
        "erased_activity_only": _erase_ids(
            [pk for pk in activity_only if pk not in to_erase], now=now, site_url=site_url
        ),
        "warned": warn_inactive(now=now, retention=retention, site_url=site_url),
        "confirmations_scrubbed": scrub_erasure_confirmations(now=now),
        "mails_deleted": delete_sent_mails(now=now, retention=retention),
        "links_deleted": delete_expired_links(now=now),
        "pending_signups_deleted": delete_stale_pending_signups(now=now),
        "invitations_deleted": invitations_delete_expired(now=now),
        "cancel_links_retired": retire_past_cancel_links(before=_period_months(now, retention.activity_only_months)),
        "files_deleted": orphan_files_delete(now=now),
    }
    logger.info("Retention: %s", ", ".join(f"{key} {value}" for key, value in result.items()))
    return result
