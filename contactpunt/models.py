"""Shared base pieces: users and roles, regions with their postcode areas, reference lists."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LabourMarketRegion(models.Model):
    """A CBS arbeidsmarktregio (35 in 2026), e.g. AM01 Groningen."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("labour market region")
        verbose_name_plural = _("labour market regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A gemeente, keyed by its 4-digit CBS code."""

    code = models.CharField(_("CBS code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=50, blank=True)
    labour_market_region = models.ForeignKey(
        LabourMarketRegion,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("labour market region"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A PC4 area with a rough centroid, for routing and straight-line distance."""

    pc4 = models.CharField(_("PC4"), max_length=4, primary_key=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    place_names = models.CharField(_("places"), max_length=255, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcode_areas", verbose_name=_("municipality")
    )

    class Meta:
        ordering = ["pc4"]
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")

    def __str__(self) -> str:
        return f"{self.pc4} {self.place_names}"


class Region(models.Model):
    """A regional contact point (regionaal contactpunt) and the area it serves."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    labour_market_regions = models.ManyToManyField(
        LabourMarketRegion, blank=True, related_name="regions", verbose_name=_("labour market regions")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class RegionPostcodeRange(models.Model):
    """An explicit PC4 range served by a region: the fallback before import and for exceptions."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="postcode_ranges")
    start = models.CharField(_("from PC4"), max_length=4)
    end = models.CharField(_("to PC4"), max_length=4)

    class Meta:
        ordering = ["start"]
        verbose_name = _("postcode range")
        verbose_name_plural = _("postcode ranges")
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="postcode_range_start_before_end"),
            models.CheckConstraint(condition=Q(start__regex=r"^[1-9][0-9]{3}$"), name="postcode_range_start_pc4"),
            models.CheckConstraint(condition=Q(end__regex=r"^[1-9][0-9]{3}$"), name="postcode_range_end_pc4"),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class ReferenceItem(models.Model):
    """A line in a reference list that administrators keep; `slug` is what code refers to."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return str(self.name)


class Branch(ReferenceItem):
    """A branch of zorg en welzijn (VVT, gehandicaptenzorg, GGZ, ...)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("branch")
        verbose_name_plural = _("branches")


class Function(ReferenceItem):
    """A job (helpende, VIG, verpleegkundige, ...)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("function")
        verbose_name_plural = _("functions")


class NextStep(ReferenceItem):
    """A kind of next step a candidate can want (meeloopdag, open huis, BBL, ...)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")


class TargetGroup(ReferenceItem):
    """A target group (doelgroep) that needs attention, e.g. status holders or returners."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class EducationLevel(models.IntegerChoices):
    """Highest education completed, ordered so that a minimum level can be compared."""

    NONE = 0, _("No diploma")
    VMBO = 10, _("vmbo")
    MBO1 = 20, _("mbo level 1")
    MBO2 = 30, _("mbo level 2")
    HAVO_VWO = 35, _("havo / vwo")
    MBO3 = 40, _("mbo level 3")
    MBO4 = 50, _("mbo level 4")
    HBO = 60, _("hbo")
    WO = 70, _("university (wo)")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.update(is_staff=True, is_superuser=True, role=User.Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> User:
        """Log in whatever the case of the typed address; addresses are stored in lower case."""
        return self.get(email__iexact=username)

    def coordinators(self):
        return self.filter(role=User.Role.COORDINATOR, is_active=True)


class User(AbstractUser):
    """A person who logs in with an e-mail address; the role decides what they see."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        EMPLOYER = "employer", _("Employer")
        ADMINISTRATOR = "administrator", _("Administrator")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.COORDINATOR)
    regions = models.ManyToManyField(Region, blank=True, related_name="users", verbose_name=_("regions"))
    organisation = models.ForeignKey(
        "werkgevers.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
        help_text=_("For employer users: the organisation they work for."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMINISTRATOR or self.is_superuser

    @property
    def is_employer(self) -> bool:
        return self.role == self.Role.EMPLOYER

    @property
    def works_candidates(self) -> bool:
        """Coordinators and administrators work the candidate dashboard."""
        return self.is_coordinator or self.is_administrator


class OutboxMail(models.Model):
    """An e-mail written in the same transaction as the event it reports, sent by a task.

    Nothing is lost while the broker is down: the periodic sweep sends what was left behind.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return self.subject


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A line in a user's in-app list (meldingen), written in the same transaction as the event.

    The text is written in the portal's language when the event happens; `url` is a path in the portal.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_newest"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_user_unread"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """What a user chose for one kind of notification; without a row the kind's defaults hold."""

    class Delivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DIGEST = "digest", _("In the daily digest")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=50)
    email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the portal"), default=True)
    delivery = models.CharField(_("e-mail"), max_length=20, choices=Delivery, default=Delivery.IMMEDIATELY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class NotificationStamp(models.Model):
    """Proof that a notification was dealt with for one recipient, so that a periodic job that runs
    twice (or in two workers at once) sends nothing twice. `recipient`: "user:<id>" or an address."""

    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    recipient = models.CharField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="notification_stamp_once"),
        ]
        indexes = [models.Index(fields=["recipient", "kind", "-created_at"], name="notification_stamp_latest")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} → {self.recipient}"


class AuditEvent(models.Model):
    """Who viewed, changed, exported or erased personal data, when and from roughly where.

    Never the personal data itself: the object is a type and an id ("kandidaten.candidate" 123),
    a change lists field names only, and "from where" is the network (IPv4 /24, IPv6 /48) plus the
    browser and system family. So erasing a candidate never has to touch this table. Written by
    `contactpunt.audit.record`; read by administrators only, never edited.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased")
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        LOGIN_FAILED = "login_failed", _("Failed login")

    actor = models.ForeignKey(
        "contactpunt.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The role at the time; empty for a visitor who is not logged in (a candidate signing up).
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    network = models.CharField(_("network"), max_length=50, blank=True)
    user_agent = models.CharField(_("browser"), max_length=40, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_latest"),
            models.Index(fields=["object_type", "object_id", "-created_at"], name="audit_object"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor"),
            models.Index(fields=["action", "-created_at"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id or ''}".strip()
