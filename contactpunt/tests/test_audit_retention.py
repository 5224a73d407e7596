"""The audit log keeps its rows AUDIT_LOG_RETENTION_DAYS, then the nightly job deletes them in batches."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from contactpunt import audit
from contactpunt.models import AuditEvent
from contactpunt.tasks import purge_audit_log

pytestmark = pytest.mark.django_db


def _rows(*ages_in_days: float) -> None:
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(action="view", object_type="kandidaten.candidate", object_id=n, created_at=now - timedelta(days=age))
        for n, age in enumerate(ages_in_days, start=1)
    )


def test_rows_past_the_period_are_deleted_and_younger_ones_kept(monkeypatch):
    monkeypatch.setattr(audit, "PURGE_BATCH", 2)  # several batches
    keep = settings.AUDIT_LOG_RETENTION_DAYS
    _rows(keep + 400, keep + 1, keep + 0.01, keep + 3, keep + 2, keep - 1, 10, 0)

    assert purge_audit_log.delay().get() == 5

    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == [6, 7, 8]
    assert purge_audit_log.delay().get() == 0


def test_the_period_follows_the_setting(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    _rows(31, 29)
    assert audit.purge_expired(timezone.now()) == 1
    assert list(AuditEvent.objects.values_list("object_id", flat=True)) == [2]


def test_the_job_is_scheduled_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-log-retention"]
    assert entry["task"] == "contactpunt.tasks.purge_audit_log"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {45})
