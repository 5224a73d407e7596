"""Celery tasks of the figures: thin wrappers that take ids and call cijfers.report."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded


@shared_task(bind=True, max_retries=3, soft_time_limit=5 * 60, time_limit=6 * 60)
def build_quarterly_report(self, report_id: int) -> bool:
    from . import report

    try:
        return report.build_report(report_id) is not None
    except SoftTimeLimitExceeded:
        report.mark_failed(report_id)
        raise
    except Exception as error:
        if self.request.retries >= self.max_retries:
            report.mark_failed(report_id)
            raise
        raise self.retry(exc=error, countdown=60) from error


@shared_task
def request_last_quarter_reports() -> int:
    from . import report

    return report.request_last_quarter()


@shared_task
def sweep_quarterly_reports() -> int:
    """Queue again the reports whose build never ran or died."""
    from . import report

    report_ids = report.stale_report_ids()
    for report_id in report_ids:
        build_quarterly_report.delay(report_id)
    return len(report_ids)


@shared_task(ignore_result=True)
def refresh_summaries() -> str:
    """Count the stale days and the day that left the live window, so that the page need not."""
    from . import summaries

    return summaries.refresh().isoformat()


@shared_task(ignore_result=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def rebuild_summaries() -> str:
    """Count every day again: catches changes made in bulk, which no signal sees."""
    from . import summaries

    return summaries.rebuild().isoformat()
