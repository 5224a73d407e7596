"""The quarterly progress report (voortgangsrapportage) of a region, drawn by a Celery job."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Region

from .periods import Period


class QuarterlyReportQuerySet(models.QuerySet["QuarterlyReport"]):
    def visible_to(self, user) -> QuarterlyReportQuerySet:
        """Administrators: every region's reports; coordinators: those of their regions."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_coordinator:
            return self.filter(region__in=user.regions.all())
        return self.none()


class QuarterlyReport(models.Model):
    """A region's figures of one quarter as a PDF with charts and the same numbers as an Excel workbook.

    The files hold counts and employers' names, no candidate's details, and are kept in the database:
    they are small, need no shared storage between web and worker hosts, and are only served to the
    region's coordinators through a view that checks who asks.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)])
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(editable=False, default=bytes)
    workbook = models.BinaryField(editable=False, default=bytes)

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "region__name"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="quarterly_report_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarterly_report_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.period.label}"

    @property
    def period(self) -> Period:
        return Period.quarter_of(date(self.year, 3 * self.quarter - 2, 1))

    @property
    def file_stem(self) -> str:
        return f"voortgang-{self.region.slug}-{self.period.slug}"


class Summary(models.Model):
    """What one region's sign-ups of one day (or of one whole month) add up to now, and the match
    suggestions decided on that day: nested counts that cijfers.summaries reads instead of the rows."""

    class Grain(models.TextChoices):  # internal: no reader sees these
        DAY = "day"
        MONTH = "month"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=5, choices=Grain)
    first = models.DateField()
    # Flat counts (cijfers.summaries.flatten): those the previous period is compared on, and the others.
    compared = models.JSONField()
    counts = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grain", "first", "region"], name="summary_once")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.grain} {self.first}"


class StaleDay(models.Model):
    """A summarised day whose candidates or matches changed since it was counted."""

    day = models.DateField(unique=True)

    def __str__(self) -> str:
        return str(self.day)


class SummaryState(models.Model):
    """One row: how far the summaries reach. Days before `summarised_until` have rows; later days are
    counted live."""

    summarised_until = models.DateField(null=True)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return str(self.summarised_until)
