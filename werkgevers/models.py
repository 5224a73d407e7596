"""Employers (werkgevers): organisations, their locations and contact people, what they offer,
registrations for dated activities, introductions of candidates, and joint BBL classes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, EducationLevel, Function, Region, TargetGroup

kvk_validator = RegexValidator(r"^[0-9]{8}$", _("A KvK number has eight digits."))


def new_token() -> tuple[str, str]:
    """A random token for a link in an e-mail, and the hash that is stored (never the token itself)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def week_start(now=None):
    """Monday 00:00 of the current week, Dutch time: the period of `max_introductions_per_week`."""
    today = timezone.localdate(now or timezone.now())
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


class OrganisationQuerySet(QuerySet["Organisation"]):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Administrators: all; coordinators: organisations of their regions; employers: their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            regions = user.regions.all()
            return self.filter(Q(home_region__in=regions) | Q(locations__region__in=regions)).distinct()
        if user.is_employer and user.organisation_id:
            return self.filter(pk=user.organisation_id)
        return self.none()


class Organisation(models.Model):
    """A care or welfare employer (werkgever) that offers next steps to candidates."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(_("KvK number"), max_length=8, unique=True, validators=[kvk_validator])
    branches = models.ManyToManyField(Branch, blank=True, related_name="organisations", verbose_name=_("branches"))
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    website = models.URLField(_("website"), blank=True)
    home_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("contact point"),
        help_text=_("The contact point that onboarded the organisation; locations may add others."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place where the organisation works; its postcode decides its region."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    place = models.CharField(_("place"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="locations", verbose_name=_("region")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return f"{self.name}, {self.place}"

    @property
    def pc4(self) -> str:
        return self.postcode[:4]


class ContactPerson(models.Model):
    """Whom coordinators and candidates may contact about an offer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contact_people")
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_roles",
        verbose_name=_("portal account"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A one-time link for an employer user to set a password; valid for seven days."""

    VALID_FOR = timedelta(days=7)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at


class AccessRequest(models.Model):
    """An employer asks for access on the public page; a coordinator of the region decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation_name = models.CharField(_("organisation"), max_length=200)
    kvk_number = models.CharField(_("KvK number"), max_length=8, validators=[kvk_validator])
    contact_name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=7)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="access_requests")
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")

    def __str__(self) -> str:
        return self.organisation_name


class OfferKind(models.TextChoices):
    MEELOOPDAG = "meeloopdag", _("Job shadowing day")
    OPEN_HUIS = "open_huis", _("Open day")
    SPEEDDATE = "speeddate", _("Speed date")
    INFORMATIEBIJEENKOMST = "informatiebijeenkomst", _("Information meeting")
    BBL_PLEK = "bbl_plek", _("BBL place (work and learn)")
    STAGEPLEK = "stageplek", _("Internship")
    VACATURE = "vacature", _("Vacancy")
    WERKERVARINGSPLEK = "werkervaringsplek", _("Work experience place")
    OPLEIDING = "opleiding", _("Training")
    STERK_IN_JE_WERK = "sterk_in_je_werk", _("Sterk in je Werk (career coaching)")


# Dated activities take sign-ups on the agenda; places and vacancies take introductions.
DATED_KINDS = frozenset(
    {OfferKind.MEELOOPDAG, OfferKind.OPEN_HUIS, OfferKind.SPEEDDATE, OfferKind.INFORMATIEBIJEENKOMST}
)
PLACE_KINDS = frozenset(
    {
        OfferKind.BBL_PLEK,
        OfferKind.STAGEPLEK,
        OfferKind.WERKERVARINGSPLEK,
        OfferKind.OPLEIDING,
        OfferKind.STERK_IN_JE_WERK,
    }
)
VACANCY_KINDS = frozenset({OfferKind.VACATURE})
# The next step (contactpunt.NextStep slug) a candidate wants that each kind of offer answers.
NEXT_STEP_OF_KIND = {
    OfferKind.MEELOOPDAG: "meeloopdag",
    OfferKind.OPEN_HUIS: "open-huis",
    OfferKind.SPEEDDATE: "speeddate",
    OfferKind.INFORMATIEBIJEENKOMST: "informatiebijeenkomst",
    OfferKind.BBL_PLEK: "bbl",
    OfferKind.STAGEPLEK: "opleiding",
    OfferKind.VACATURE: "vacature",
    OfferKind.WERKERVARINGSPLEK: "vacature",
    OfferKind.OPLEIDING: "opleiding",
    OfferKind.STERK_IN_JE_WERK: "sterk-in-je-werk",
}


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent contract")
    TEMPORARY = "temporary", _("Temporary contract")
    ON_CALL = "on_call", _("On call / flexible")
    INTERNSHIP_ALLOWANCE = "allowance", _("Allowance (no employment contract)")


class OfferQuerySet(QuerySet["Offer"]):
    def visible_to(self, user) -> OfferQuerySet:
        """Administrators: all; coordinators: offers at locations in their regions; employers: their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            return self.filter(location__region__in=user.regions.all())
        if user.is_employer and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def with_introductions_this_week(self, now=None) -> OfferQuerySet:
        """Annotate `introductions_this_week`: introductions since Monday 00:00 (Amsterdam), withdrawn ones excluded."""
        return self.annotate(
            introductions_this_week=models.Count(
                "introductions",
                filter=Q(introductions__created_at__gte=week_start(now))
                & ~Q(introductions__status=Introduction.Status.WITHDRAWN),
            )
        )

    def dated(self) -> OfferQuerySet:
        return self.filter(kind__in=DATED_KINDS)

    def public_agenda(self, now=None) -> OfferQuerySet:
        """What anyone may see and sign up for: published (or full) public dated activities to come."""
        now = now or timezone.now()
        return self.dated().filter(
            visibility=Offer.Visibility.PUBLIC,
            status__in=[Offer.Status.PUBLISHED, Offer.Status.FULL],
            starts_at__gt=now,
        )


class Offer(models.Model):
    """Something an employer offers (aanbod): a dated activity, places, or a vacancy."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public agenda and coordinators")
        COORDINATORS = "coordinators", _("Coordinators only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        FULL = "full", _("Full")
        EXPIRED = "expired", _("Expired")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("kind"), max_length=30, choices=OfferKind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="offers", verbose_name=_("branch"))
    functions = models.ManyToManyField(Function, blank=True, related_name="offers", verbose_name=_("functions"))
    target_groups = models.ManyToManyField(
        TargetGroup,
        blank=True,
        related_name="offers",
        verbose_name=_("target groups welcome"),
        help_text=_("Leave empty when everybody is welcome."),
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="offers", verbose_name=_("location"))
    contact_person = models.ForeignKey(
        ContactPerson, on_delete=models.PROTECT, related_name="offers", verbose_name=_("contact person")
    )
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility, default=Visibility.PUBLIC)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True)

    # Dated activities (meeloopdag, open huis, speeddate, informatiebijeenkomst).
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("number of places"), null=True, blank=True)
    signup_deadline = models.DateTimeField(_("sign up before"), null=True, blank=True)
    registered_count = models.PositiveIntegerField(default=0, editable=False)

    # Places (BBL, internship, work experience, training, coaching) and vacancies.
    places = models.PositiveSmallIntegerField(_("number of places"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    hours_min = models.PositiveSmallIntegerField(
        _("hours per week (from)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    hours_max = models.PositiveSmallIntegerField(
        _("hours per week (to)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    duration_weeks = models.PositiveSmallIntegerField(_("duration in weeks"), null=True, blank=True)
    min_education_level = models.PositiveSmallIntegerField(
        _("minimum education level"), choices=EducationLevel, null=True, blank=True
    )
    diploma_requirements = models.CharField(_("diploma requirements"), max_length=500, blank=True)
    trains_towards_level = models.PositiveSmallIntegerField(
        _("trains towards level"),
        choices=EducationLevel,
        null=True,
        blank=True,
        help_text=_("For BBL places and training: the level the candidate obtains."),
    )
    contract_type = models.CharField(_("contract"), max_length=20, choices=ContractType, blank=True)
    valid_until = models.DateField(_("open until"), null=True, blank=True)

    max_introductions_per_week = models.PositiveSmallIntegerField(
        _("maximum introductions per week"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no maximum."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["kind", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="offer_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(registered_count__lte=F("capacity")),
                name="offer_never_over_capacity",
            ),
            models.CheckConstraint(
                condition=Q(hours_min__isnull=True) | Q(hours_max__isnull=True) | Q(hours_max__gte=F("hours_min")),
                name="offer_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_dated(self) -> bool:
        return self.kind in DATED_KINDS

    @property
    def is_vacancy(self) -> bool:
        return self.kind in VACANCY_KINDS

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count, 0)

    def introductions_left(self, introductions_this_week: int) -> int | None:
        """How many introductions coordinators may still make this week (None: no maximum)."""
        if self.max_introductions_per_week is None:
            return None
        return max(self.max_introductions_per_week - introductions_this_week, 0)

    @property
    def next_step_slug(self) -> str:
        return NEXT_STEP_OF_KIND[self.kind]


class Registration(models.Model):
    """A candidate signed up for a dated activity (aanmelding activiteit), or on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not come")

    ACTIVE = (Status.CONFIRMED, Status.WAITING)

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="registrations")
    candidate = models.ForeignKey("kandidaten.Candidate", on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=20, choices=Status, db_index=True)
    cancel_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "candidate"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="registration_one_active_per_candidate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.offer}"


class Introduction(models.Model):
    """A coordinator introduces a candidate to an employer's offer (voorstel aan werkgever)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for an answer")
        INVITED = "invited", _("Invited")
        NOT_SUITABLE = "not_suitable", _("Not suitable")
        STARTED = "started", _("Started")
        NOT_STARTED = "not_started", _("Did not start")
        STARTED_ELSEWHERE = "started_elsewhere", _("Started elsewhere")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.PROPOSED, Status.INVITED)

    candidate = models.ForeignKey("kandidaten.Candidate", on_delete=models.CASCADE, related_name="introductions")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="introductions")
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note for the employer"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED, db_index=True)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Working days from the introduction to the employer's first answer, for the figures (cijfers).
    answered_in_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "offer"],
                condition=Q(status__in=["proposed", "invited"]),
                name="introduction_one_open_per_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.offer}"


class Cohort(models.Model):
    """A joint BBL class (BBL-carrousel): one school class filled with candidates of several employers."""

    MIN_WEEKS = 52

    name = models.CharField(_("name"), max_length=200)
    school = models.CharField(_("school"), max_length=200)
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("function"))
    education_level = models.PositiveSmallIntegerField(_("level"), choices=EducationLevel)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("region"))
    start_date = models.DateField(_("start date"))
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration in weeks"), default=MIN_WEEKS, validators=[MinValueValidator(MIN_WEEKS)]
    )
    min_size = models.PositiveSmallIntegerField(_("minimum class size"), default=16)
    max_size = models.PositiveSmallIntegerField(_("maximum class size"), default=18)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("BBL class")
        verbose_name_plural = _("BBL classes")
        constraints = [
            models.CheckConstraint(condition=Q(duration_weeks__gte=52), name="cohort_at_least_52_weeks"),
            models.CheckConstraint(condition=Q(min_size__gte=1), name="cohort_min_size_positive"),
            models.CheckConstraint(condition=Q(max_size__gte=F("min_size")), name="cohort_max_at_least_min"),
        ]

    def __str__(self) -> str:
        return self.name


class CohortPledge(models.Model):
    """Places an employer pledges in a BBL class."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pledges")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cohort_pledges")
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    pledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="cohort_pledge_once_per_organisation"),
            models.CheckConstraint(condition=Q(places__gte=1), name="cohort_pledge_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.places}"


class CohortPlacement(models.Model):
    """A candidate placed on one of an employer's pledged places in a BBL class."""

    pledge = models.ForeignKey(CohortPledge, on_delete=models.CASCADE, related_name="placements")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="placements")
    candidate = models.ForeignKey("kandidaten.Candidate", on_delete=models.CASCADE, related_name="cohort_placements")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "candidate"], name="cohort_placement_once_per_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} in {self.cohort}"
