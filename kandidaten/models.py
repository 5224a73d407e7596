"""Candidates (kandidaten / geïnteresseerden), their consents, contact moments and timeline."""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat, Left, Length, Lower, StrIndex
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, EducationLevel, Function, NextStep, Region, TargetGroup
from contactpunt.phones import normalize_phone
from contactpunt.postcodes import normalize_postcode
from contactpunt.workdays import first_contact_cutoff, working_days_between


class Situation(models.TextChoices):
    PUPIL = "pupil", _("At school (secondary school)")
    STUDENT = "student", _("Student (mbo, hbo or university)")
    JOB_SEEKER = "job_seeker", _("Looking for work")
    WORKING_OUTSIDE_CARE = "working_outside_care", _("Working outside zorg en welzijn")
    WORKING_IN_CARE = "working_in_care", _("Working in zorg en welzijn")
    RETURNER = "returner", _("Returner: I used to work in care")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Something else")


class Source(models.TextChoices):
    CAMPAIGN = "campaign", _("Ik Zorg campaign")
    WELCOME_PANEL = "welcome_panel", _("Welcome panel (Werken in de Zorg)")
    SOCIAL_MEDIA = "social_media", _("Social media")
    SCHOOL = "school", _("School")
    UWV_MUNICIPALITY = "uwv_municipality", _("UWV or municipality")
    EMPLOYER = "employer", _("An employer")
    ACQUAINTANCE = "acquaintance", _("Family or friends")
    AGENDA = "agenda", _("An activity in the agenda")
    OTHER = "other", _("Other")


class TravelDistance(models.IntegerChoices):
    KM_5 = 5, _("up to 5 km")
    KM_10 = 10, _("up to 10 km")
    KM_15 = 15, _("up to 15 km")
    KM_25 = 25, _("up to 25 km")
    KM_40 = 40, _("up to 40 km")
    KM_60 = 60, _("more than 40 km")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_CONVERSATION = "in_conversation", _("In conversation")
    REFERRED = "referred", _("Referred")
    STARTED = "started", _("Started")
    STOPPED = "stopped", _("Stopped")


class StopReason(models.TextChoices):
    NOT_REACHABLE = "not_reachable", _("Could not be reached")
    NO_LONGER_INTERESTED = "no_longer_interested", _("No longer interested")
    FOUND_WORK_ELSEWHERE = "found_work_elsewhere", _("Found work outside zorg en welzijn")
    NOT_SUITABLE = "not_suitable", _("Care work does not suit them")
    CIRCUMSTANCES = "circumstances", _("Personal circumstances")
    MOVED = "moved", _("Moved out of the region")
    OTHER = "other", _("Other")
    ERASED = "erased", _("Details erased (privacy)")


# What the dashboard search takes for (part of) a phone number, and for (the start of) a postcode.
_PHONE_TYPED = re.compile(r"^[0-9+\s\-().]+$")
_POSTCODE_START = re.compile(r"^[1-9][0-9]{3}[A-Z]{0,2}$")


class CandidateQuerySet(QuerySet["Candidate"]):
    def visible_to(self, user) -> CandidateQuerySet:
        """Coordinators see their regions only; administrators see all, employers none here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            return self.filter(region__in=user.regions.all())
        return self.none()

    def national_queue(self) -> CandidateQuerySet:
        return self.filter(region__isnull=True)

    def open(self) -> CandidateQuerySet:
        return self.exclude(status__in=[Status.STARTED, Status.STOPPED])

    def overdue(self, now: datetime | None = None) -> CandidateQuerySet:
        """No first contact while the sign-up is older than the allowed working days."""
        cutoff = first_contact_cutoff(now or timezone.now(), settings.FIRST_CONTACT_WORKING_DAYS)
        return self.filter(first_contact_at__isnull=True, signed_up_at__lt=cutoff).open()

    # Coordinator dashboard: reads for the inbox, the candidate page and the duplicates page.

    def for_list(self) -> CandidateQuerySet:
        """What a list row shows: the region and the coordinator come in the same query."""
        return self.select_related("region", "assigned_to")

    def with_details(self) -> CandidateQuerySet:
        """Everything the candidate page shows, in a fixed number of queries however long the timeline."""
        timeline = TimelineEvent.objects.select_related("actor", "contact_moment__author")
        return self.select_related("region", "assigned_to").prefetch_related(
            "branches",
            "functions",
            "next_steps",
            "target_groups",
            "consents",
            models.Prefetch("timeline", queryset=timeline),
        )

    def dashboard_counts(self, now: datetime | None = None) -> dict[str, int]:
        """Open, overdue and unassigned open candidates, in one query."""
        cutoff = first_contact_cutoff(now or timezone.now(), settings.FIRST_CONTACT_WORKING_DAYS)
        is_open = ~Q(status__in=[Status.STARTED, Status.STOPPED])
        return self.aggregate(
            open=models.Count("pk", filter=is_open),
            overdue=models.Count("pk", filter=is_open & Q(first_contact_at__isnull=True, signed_up_at__lt=cutoff)),
            unassigned=models.Count("pk", filter=is_open & Q(assigned_to__isnull=True)),
        )

    def search(self, text: str) -> CandidateQuerySet:
        """Name (first, last or both), e-mail, phone number (whole or in part) or postcode (whole or PC4)."""
        from .services import email_key  # services builds on this module

        text = " ".join(text.split())[:100]
        if not text:
            return self
        name = Q()
        for word in text.split(" "):
            name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        condition = name | Q(email__icontains=text)
        if "@" in text:
            condition |= Q(email_key=email_key(text))
        if phone := normalize_phone(text):
            condition |= Q(phone=phone)
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4 and _PHONE_TYPED.match(text):
            if text.startswith("+"):
                condition |= Q(phone__startswith=f"+{digits}")
            elif digits.startswith("00"):
                condition |= Q(phone__startswith=f"+{digits[2:]}")
            elif digits.startswith("0"):
                condition |= Q(phone__startswith=f"+31{digits[1:]}")
            else:
                condition |= Q(phone__contains=digits)
        if postcode := normalize_postcode(text):
            condition |= Q(postcode=postcode)
        compact = re.sub(r"[\s\-]", "", text).upper()
        if _POSTCODE_START.match(compact):
            condition |= Q(postcode__startswith=f"{compact[:4]} {compact[4:]}".strip())
        return self.filter(condition)

    def duplicate_pairs(self, limit: int = 1000) -> list[tuple[Candidate, Candidate, list[str]]]:
        """Pairs of probable duplicates within this queryset, each with the rules they share.

        Rules: same first and last name and postcode; same e-mail key; same e-mail name at another
        domain; same phone number. One query: each rule groups the rows and keeps the keys held more
        than once, and the candidates holding such a key are fetched together and paired here.
        """
        # Erased candidates share their empty keys; they are nobody's duplicate.
        scope = self.filter(erased_at__isnull=True).order_by()
        name_key = Concat(
            Lower("first_name"), Value("|"), Lower("last_name"), Value("|"), "postcode", output_field=models.CharField()
        )
        local_part = Left("email_key", StrIndex("email_key", Value("@")) - 1)

        def repeated(queryset: CandidateQuerySet, key: str, count: models.Count) -> CandidateQuerySet:
            return queryset.values(key).annotate(holders=count).filter(holders__gt=1).values(key)

        names = repeated(scope.annotate(name_key=name_key), "name_key", models.Count("pk"))
        emails = repeated(scope, "email_key", models.Count("pk"))
        locals_ = repeated(
            scope.filter(email_key__contains="@")
            .annotate(local=local_part, local_length=Length(local_part))
            .filter(local_length__gte=4),
            "local",
            models.Count("email_key", distinct=True),
        )
        phones = repeated(scope.exclude(phone=""), "phone", models.Count("pk"))
        candidates = list(
            scope.annotate(name_key=name_key, local=local_part)
            .filter(Q(name_key__in=names) | Q(email_key__in=emails) | Q(local__in=locals_) | Q(phone__in=phones))
            .select_related("region", "assigned_to")
            .order_by("-signed_up_at", "-pk")
        )
        rules = {
            "name_postcode": lambda c: c.name_key,
            "email": lambda c: c.email_key,
            "email_local": lambda c: c.local if len(c.local or "") >= 4 else None,
            "phone": lambda c: c.phone or None,
        }
        pairs: dict[tuple[int, int], tuple[Candidate, Candidate, list[str]]] = {}
        for rule, key_of in rules.items():
            groups: dict[str, list[Candidate]] = {}
            for candidate in candidates:
                if (key := key_of(candidate)) is not None:
                    groups.setdefault(key, []).append(candidate)
            for group in groups.values():
                for index, first in enumerate(group):
                    for second in group[index + 1 :]:
                        if rule == "email_local" and first.email_key == second.email_key:
                            continue
                        pair = pairs.setdefault((first.pk, second.pk), (first, second, []))
                        pair[2].append(rule)
                        if len(pairs) >= limit:
                            return list(pairs.values())
        return list(pairs.values())


# The most hours a week anyone can ask for (the intake says so; the database holds to it).
MAX_HOURS_PER_WEEK = 60


def _only_on(constraint: models.BaseConstraint, fields: set[str]) -> bool:
    """Whether a check constraint looks at none but these fields."""
    condition = getattr(constraint, "condition", None)
    return (
        isinstance(condition, Q)
        and isinstance(constraint, models.CheckConstraint)
        and (condition.referenced_base_fields <= fields)
    )


class Candidate(models.Model):
    """A person interested in work in zorg en welzijn, routed to a region by postcode."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), db_index=True)
    email_key = models.CharField(max_length=254, db_index=True, editable=False)
    phone = models.CharField(_("phone number"), max_length=20, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=7, db_index=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("region"),
    )

    # Empty / null: not asked yet (a sign-up for an activity in the agenda asks only for contact details).
    situation = models.CharField(_("current situation"), max_length=30, choices=Situation)
    education_level = models.PositiveSmallIntegerField(_("highest education"), choices=EducationLevel, null=True)
    diplomas = models.CharField(_("diplomas"), max_length=500, blank=True)
    diploma_abroad = models.BooleanField(_("diploma obtained abroad"), default=False)
    diploma_outdated = models.BooleanField(_("outdated care diploma or lapsed BIG registration"), default=False)

    branches = models.ManyToManyField(Branch, blank=True, related_name="candidates", verbose_name=_("branches"))
    functions = models.ManyToManyField(Function, blank=True, related_name="candidates", verbose_name=_("functions"))
    next_steps = models.ManyToManyField(
        NextStep, blank=True, related_name="candidates", verbose_name=_("next steps wanted")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="candidates", verbose_name=_("target groups")
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True, validators=[MaxValueValidator(MAX_HOURS_PER_WEEK)]
    )
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximum travel distance"), choices=TravelDistance, default=TravelDistance.KM_15
    )
    support_needs = models.TextField(_("support needs"), max_length=1000, blank=True)
    source = models.CharField(_("how they heard of us"), max_length=30, choices=Source)
    # Which poster or story brought them (the `bron` of the link or QR code), e.g. "poster-x7k2".
    source_tag = models.SlugField(_("campaign tag"), max_length=40, blank=True, db_index=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    stop_reason = models.CharField(_("reason for stopping"), max_length=30, choices=StopReason, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_candidates",
        verbose_name=_("coordinator"),
    )
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now, db_index=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    # The funnel (kandidaten.milestones): working days from sign-up to first contact, and when the person
    # was first referred (an introduction, an activity, a BBL class or by hand) and first started. Kept
    # here so that the figures count them with indexed aggregates instead of reading every history.
    first_contact_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    referred_at = models.DateTimeField(_("referred"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Privacy (kandidaten.privacy): when the details were anonymised, and when the retention warning went out.
    erased_at = models.DateTimeField(_("details erased"), null=True, blank=True, db_index=True)
    retention_warned_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_up_at"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [
            models.Index(fields=["region", "status", "-signed_up_at"]),
            models.Index(fields=["last_name", "postcode"]),
            # The figures page reads sign-ups of a period in some regions; on PostgreSQL the columns it
            # counts (and the id, for the joins) are in the index too, so it never visits the table (cijfers.figures).
            models.Index(
                fields=["region", "signed_up_at"],
                include=[
                    "id",
                    "source",
                    "status",
                    "stop_reason",
                    "first_contact_at",
                    "first_contact_working_days",
                    "referred_at",
                    "started_at",
                ],
                name="candidate_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="candidate_hours_per_week_at_most_60",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.STOPPED) | ~Q(stop_reason=""),
                name="candidate_stopped_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def validate_constraints(self, exclude=None):
        """The hours limit is the field's validator as well, checked in Python by `clean_fields`; asking
        the database the same again would cost every sign-up three round trips. When every check is on
        fields left out (the intake form has no status or stop reason), nothing is prepared at all: that
        alone costs the public sign-up about a millisecond."""
        exclude = {*(exclude or ()), "hours_per_week"}
        if all(_only_on(constraint, exclude) for constraint in self._meta.constraints):
            return
        super().validate_constraints(exclude=exclude)

    @property
    def full_name(self) -> str:
        if self.erased_at is not None:
            return gettext("Erased candidate #%(pk)s") % {"pk": self.pk}
        return f"{self.first_name} {self.last_name}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def pc4(self) -> str:
        return self.postcode[:4]

    def age_in_working_days(self, now: datetime | None = None) -> int:
        return working_days_between(self.signed_up_at, now or timezone.now())

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (
            self.first_contact_at is None
            and self.status not in (Status.STARTED, Status.STOPPED)
            and self.age_in_working_days(now) > settings.FIRST_CONTACT_WORKING_DAYS
        )


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", _("Contact by the contact point")
    SHARE_WITH_EMPLOYERS = "share_with_employers", _("Share my profile with employers I am introduced to")
    CAMPAIGN_NEWS = "campaign_news", _("Campaign news")


class Consent(models.Model):
    """One answer to one consent question, with the privacy text version it was given under."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("privacy statement version"), max_length=20)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.granted}"


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video call")
    IN_PERSON = "in_person", _("In person")
    CHAT = "chat", _("Chat or WhatsApp")


class ContactMoment(models.Model):
    """A conversation (contactmoment / gesprek) a coordinator had with the candidate."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="contact_moments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    happened_at = models.DateTimeField(_("date and time"), default=timezone.now)
    summary = models.TextField(_("summary"), max_length=4000)
    abilities = models.TextField(_("what the person can do"), max_length=2000, blank=True)
    wishes = models.TextField(_("what the person wants"), max_length=2000, blank=True)
    agreed_next_step = models.CharField(_("agreed next step"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.happened_at:%Y-%m-%d}"


class TimelineEvent(models.Model):
    """One line in a candidate's history: who did what, when. Never edited afterwards."""

    class Kind(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        CONTACT = "contact", _("Contact moment")
        STATUS = "status", _("Status change")
        ASSIGNMENT = "assignment", _("Assignment")
        EDIT = "edit", _("Details changed")
        ROUTING = "routing", _("Region changed")
        MERGE = "merge", _("Merged")
        REGISTRATION = "registration", _("Activity registration")
        INTRODUCTION = "introduction", _("Introduction to an employer")
        COHORT = "cohort", _("BBL class")
        SELF_SERVICE = "self_service", _("By the candidate")
        PRIVACY = "privacy", _("Privacy")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    contact_moment = models.OneToOneField(
        ContactMoment, on_delete=models.CASCADE, null=True, blank=True, related_name="timeline_event"
    )
    data = models.JSONField(default=dict, blank=True)
    # A sign-up's follow-up (its confirmation, the coordinators' notice, matching) runs in a Celery task
    # after the response; set when it ran, so that a retry or the sweep does it once.
    followed_up_at = models.DateTimeField(null=True, blank=True)
    # How often the sweep queued it again; it gives up after FOLLOW_UP_SWEEPS (kandidaten.services), so a
    # follow-up that fails every time cannot keep the others waiting.
    follow_up_sweeps = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="signup_follow_up_pending",
                condition=Q(kind="signup", followed_up_at__isnull=True),
            ),
        ]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class PendingSignup(models.Model):
    """A public sign-up as the visitor sent it, until it is registered as (or merged into) a candidate.

    On a busy campaign day the request only stores this row and answers; a Celery worker does the rest
    (kandidaten.services.register_pending_signup): find the person if they signed up before, route by
    postcode, store the candidate with consents and timeline, then the follow-up. The row is deleted in
    the same transaction that stores the candidate, so the personal data in it lives for seconds; a row
    the worker could not register (kandidaten.services.PENDING_SWEEPS) is erased by retention.
    """

    received_at = models.DateTimeField(default=timezone.now)
    # The cleaned form values by model field name; lists of ids for the many-to-many fields.
    details = models.JSONField()
    consents = models.JSONField()
    source_tag = models.CharField(max_length=40, blank=True)
    # Where the request came from, for the audit row written when it is registered (contactpunt.audit.origin).
    origin = models.JSONField(default=dict, blank=True)
    # How often the sweep queued it again.
    sweeps = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["received_at"], name="pending_signup_received")]
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MatchQuerySet(QuerySet["Match"]):
    def visible_to(self, user) -> MatchQuerySet:
        """The matches of the candidates a user may see (coordinators: their regions)."""
        return self.filter(candidate__in=Candidate.objects.visible_to(user))

    def new(self) -> MatchQuerySet:
        return self.filter(status=Match.Status.NEW)

    def showable(self, now: datetime | None = None) -> MatchQuerySet:
        """Open suggestions whose offer is still open (one that filled up since is left out)."""
        from .matching import open_offers_q

        return self.new().filter(open_offers_q(now or timezone.now(), prefix="offer__"))


class Match(models.Model):
    """A match suggestion (matchvoorstel): an offer that fits a candidate, with its score and reasons.

    Written by kandidaten.matching only. A coordinator accepts it (an introduction or a registration
    follows) or rejects it with a reason; a decided match keeps its status when matching runs again.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class RejectReason(models.TextChoices):
        NOT_WANTED = "not_wanted", _("Does not fit the candidate's wishes")
        TOO_FAR = "too_far", _("Too far away")
        LEVEL = "level", _("Level or diploma does not fit")
        TIMING = "timing", _("The moment does not fit")
        OTHER_STEP = "other_step", _("Another next step is planned")
        OTHER = "other", _("Other")

    # No single-column indexes on the foreign keys: the pair constraint leads with the candidate and
    # the (offer, status) index with the offer. Every index costs the nightly rematch ~850k inserts.
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches", db_index=False)
    offer = models.ForeignKey("werkgevers.Offer", on_delete=models.CASCADE, related_name="matches", db_index=False)
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    # A digest of score and reasons, so that a rematch writes only what changed.
    fingerprint = models.BigIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW)
    reject_reason = models.CharField(_("reason"), max_length=20, choices=RejectReason, blank=True)
    reject_note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["candidate", "offer"], name="match_once_per_pair")]
        indexes = [
            models.Index(fields=["candidate", "status", "-score"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["offer", "status"]),
            # Only decided matches have a decider: open suggestions stay out of this index.
            models.Index(fields=["decided_by"], name="match_decided_by", condition=Q(decided_by__isnull=False)),
            # The acceptance rate of a period (cijfers.figures): decided matches by when they were decided.
            models.Index(fields=["decided_at"], name="match_decided_at", condition=Q(decided_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} × {self.offer} ({self.score})"


# Privacy: the candidate's personal link, erasure requests and the retention periods (kandidaten.privacy).


class PersonalLink(models.Model):
    """A link e-mailed to a candidate to see, correct, download or erase their details.

    Only the SHA-256 of the token is stored. Valid for a limited time and once: opening it trades the
    token for a short session (kandidaten.privacy.redeem_link).
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="personal_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ErasureRequestQuerySet(QuerySet["ErasureRequest"]):
    def visible_to(self, user) -> ErasureRequestQuerySet:
        return self.filter(candidate__in=Candidate.objects.visible_to(user))

    def open(self) -> ErasureRequestQuerySet:
        return self.filter(carried_out_at__isnull=True)


class ErasureRequest(models.Model):
    """A candidate asked for their details to be erased; it must be carried out within a month."""

    class Via(models.TextChoices):
        PERSONAL_LINK = "personal_link", _("Through the personal link")
        COORDINATOR = "coordinator", _("Received by a coordinator")
        RETENTION = "retention", _("Retention period ended")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="erasure_requests")
    via = models.CharField(_("received"), max_length=20, choices=Via)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_on = models.DateField(_("deadline"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_out_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The confirmation to the person: its address is wiped from the outbox once it has been sent.
    confirmation_mail = models.ForeignKey(
        "contactpunt.OutboxMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(carried_out_at__isnull=True), name="erasure_request_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    def is_overdue(self, today=None) -> bool:
        return self.carried_out_at is None and (today or timezone.localdate()) > self.due_on


class RetentionSettings(models.Model):
    """How long personal data is kept; one row, edited by administrators in the admin."""

    inactive_months = models.PositiveSmallIntegerField(
        _("erase candidates after this many months without activity"), default=12, validators=[MinValueValidator(1)]
    )
    warning_days = models.PositiveSmallIntegerField(_("warn the candidate this many days before"), default=30)
    activity_only_months = models.PositiveSmallIntegerField(
        _("erase people who only signed up for an activity, this many months after it"),
        default=6,
        validators=[MinValueValidator(1)],
    )
    sent_mail_days = models.PositiveSmallIntegerField(
        _("delete sent e-mails from the outbox after this many days"), default=90, validators=[MinValueValidator(1)]
    )
    link_hours = models.PositiveSmallIntegerField(
        _("personal link valid for this many hours"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="retention_settings_singleton")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> RetentionSettings:
        """The saved settings, or the defaults (unsaved) while an administrator has not set any."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
