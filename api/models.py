"""Partners of the API, their keys, the hand-offs they made, every call and the webhooks sent to them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kandidaten.models import Candidate, Source


class Scope(models.TextChoices):
    """What a partner's keys may do."""

    HAND_OFF = "hand_off", _("Hand off candidates and read their status")
    ACTIVITIES = "activities", _("Read the public activities")


class Partner(models.Model):
    """An organisation that uses the API: the welcome panel hands candidates over, a partner site reads
    the agenda. Its keys act for it; what they may do is its scopes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    scopes = models.JSONField(_("scopes"), default=list, help_text=_("What this partner's keys may do."))
    active = models.BooleanField(_("active"), default=True, help_text=_("An inactive partner's keys get 401."))
    source = models.CharField(
        _("source"),
        max_length=30,
        choices=Source,
        default=Source.WELCOME_PANEL,
        help_text=_("How the people this partner hands off heard of the contact point, for the figures."),
    )
    rate_limit = models.CharField(
        _("rate limit"),
        max_length=20,
        blank=True,
        help_text=_("Requests per key, such as 120/min; empty for the default of the installation."),
    )
    webhook_url = models.URLField(
        _("webhook address"),
        blank=True,
        help_text=_("Receives a signed POST when a hand-off's status changes; empty for no webhooks."),
    )
    webhook_secret = models.CharField(_("webhook secret"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def may(self, scope: str) -> bool:
        return self.active and scope in self.scopes


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self, now=None) -> ApiKeyQuerySet:
        now = now or timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True, partner__active=True
        )


class ApiKey(models.Model):
    """A partner's secret key. Only its prefix (to find it, and to tell keys apart in lists) and a hash
    of the secret are stored: the key itself is shown once, when it is made."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys", verbose_name=_("partner"))
    name = models.CharField(_("description"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A rotated key keeps working until then, so the partner can switch without an outage.
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.partner} {self.prefix}…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now) and self.partner.active


class HandoffStatus(models.TextChoices):
    """Where a handed-off person stands, as the partner may know it: no details, no notes."""

    RECEIVED = "received", _("Received")
    CONTACTED = "contacted", _("Contacted")
    REFERRED = "referred", _("Referred")
    STARTED = "started", _("Started")
    CLOSED = "closed", _("Closed")


class Handoff(models.Model):
    """A candidate a partner handed over (an aanmelding through the API).

    The public id is a random UUID, so that one partner cannot guess another's hand-offs. The
    Idempotency-Key is unique per partner: a retry with the same key gets the stored answer.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="handoffs")
    candidate = models.ForeignKey(Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs")
    idempotency_key = models.CharField(max_length=100, blank=True)
    # A hash of the request body: the same key with another body is refused, not answered from store.
    request_hash = models.CharField(max_length=64, editable=False)
    partner_reference = models.CharField(_("partner's reference"), max_length=100, blank=True)
    # The status last told to the partner's webhook.
    reported_status = models.CharField(max_length=20, choices=HandoffStatus, default=HandoffStatus.RECEIVED)
    created_at = models.DateTimeField(_("handed off"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="handoff_idempotency_key_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class ApiCall(models.Model):
    """Every call of the API: which partner and key, what, the answer, when and from which network
    (as contactpunt.audit keeps it). Never the request body: it holds personal data."""

    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    key_prefix = models.CharField(_("key"), max_length=16, blank=True)
    method = models.CharField(_("method"), max_length=10)
    operation = models.CharField(_("operation"), max_length=60)
    status_code = models.PositiveSmallIntegerField(_("answer"))
    handoff = models.ForeignKey(Handoff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    network = models.CharField(_("network"), max_length=50, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self) -> str:
        return f"{self.method} {self.operation} {self.status_code}"


class WebhookDelivery(models.Model):
    """One status change told to a partner's webhook, with its attempts."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="deliveries")
    handoff = models.ForeignKey(Handoff, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("hand-off status"), max_length=20, choices=HandoffStatus)
    payload = models.JSONField()
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.partner} {self.status} {self.state}"
