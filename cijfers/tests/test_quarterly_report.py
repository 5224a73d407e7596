"""The quarterly progress report: asked for (or by beat), drawn in Celery as PDF and Excel, announced
by e-mail to the region's coordinators, downloaded only by them."""

import io
from datetime import date

import openpyxl
import pypdf
import pytest
import time_machine
from django.urls import reverse

from cijfers import report
from cijfers.models import QuarterlyReport
from cijfers.periods import Period
from contactpunt.models import AuditEvent

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))
REPORTS = reverse("cijfers:reports")


@pytest.fixture(autouse=True)
def _counted_on():
    with time_machine.travel(COUNTED_ON, tick=False):
        yield


@pytest.fixture
def make_report(django_capture_on_commit_callbacks, coordinator_a):
    """Ask for region A's report of Q2 as coordinator A, and run the Celery job it queues."""

    def make(region):
        with django_capture_on_commit_callbacks(execute=True):
            made = report.request_report(region, Q2, by=coordinator_a)
        made.refresh_from_db()
        return made

    return make


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_coordinator_asks_for_a_report_and_gets_an_e_mail(
    data_set, client_a, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(REPORTS, {"region": data_set.region_a.pk, "quarter": "2026-q2"}, follow=True)

    assert response.status_code == 200
    made = QuarterlyReport.objects.get()
    assert (made.region, made.period, made.status, made.requested_by) == (
        data_set.region_a,
        Q2,
        QuarterlyReport.Status.READY,
        coordinator_a,
    )
    # Both coordinators of region A (the fixture's and the data set's), nobody of region B.
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "coordinator.a@contactpunt.example",
        "telt@contactpunt.example",
    ]
    mail = mailoutbox[0]
    assert mail.subject == "Voortgangsrapportage Noord-Nederland K2 2026 is klaar"
    assert REPORTS in mail.body
    assert "Aangemeld" not in mail.body  # the figures stay behind the login


def test_the_pdf_holds_the_region_the_quarter_and_the_funnel(data_set, make_report):
    made = make_report(data_set.region_a)

    text = _pdf_text(bytes(made.pdf))
    assert "Voortgangsrapportage Noord-Nederland, K2 2026" in text
    assert "7 aanmeldingen, 5 met eerste contact, 2 doorverwezen en 1 gestart" in text
    assert "Mediaan (werkdagen)" in text and "3,6" in text
    assert "Zorggroep Noord" in text and "Zorg Utrecht" not in text


def test_the_workbook_holds_the_same_numbers(data_set, make_report):
    made = make_report(data_set.region_a)

    book = openpyxl.load_workbook(io.BytesIO(bytes(made.workbook)))
    funnel = [list(row) for row in book["Trechter"].iter_rows(values_only=True)]
    assert [row[:2] for row in funnel[1:5]] == [
        ["Aangemeld", 7],
        ["Eerste contact", 5],
        ["Doorverwezen", 2],
        ["Gestart", 1],
    ]
    about = [list(row) for row in book["Over"].iter_rows(values_only=True)]
    assert ["Regio's", "Noord-Nederland"] in about


def test_downloads_are_for_the_region_only_and_audited(data_set, make_report, client_a, client_b):
    made = make_report(data_set.region_a)

    pdf = client_a.get(reverse("cijfers:report_download", args=[made.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="voortgang-noord-nederland-2026-q2.pdf"'
    assert pdf.content.startswith(b"%PDF")
    xlsx = client_a.get(reverse("cijfers:report_download", args=[made.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert client_b.get(reverse("cijfers:report_download", args=[made.pk, "pdf"])).status_code == 404
    assert client_a.get(reverse("cijfers:report_download", args=[made.pk, "docx"])).status_code == 404
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type="cijfers.quarterlyreport").count() == 2
    )


def test_the_list_shows_only_the_region_s_reports(data_set, make_report, client_a, client_b):
    make_report(data_set.region_a)

    assert "Noord-Nederland" in client_a.get(REPORTS).content.decode()
    assert "Nog geen rapportages." in client_b.get(REPORTS).content.decode()
    assert reverse("cijfers:report_download", args=[QuarterlyReport.objects.get().pk, "pdf"]) not in (
        client_b.get(REPORTS).content.decode()
    )


def test_a_coordinator_cannot_ask_for_another_region(data_set, client_b):
    response = client_b.post(REPORTS, {"region": data_set.region_a.pk, "quarter": "2026-q2"})

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_asking_again_makes_the_report_anew(data_set, coordinator_a):
    report.request_report(data_set.region_a, Q2, by=coordinator_a)
    report.request_report(data_set.region_a, Q2, by=coordinator_a)

    assert QuarterlyReport.objects.count() == 1


def test_beat_makes_last_quarter_s_report_of_every_region_with_coordinators(
    data_set, coordinator_b, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = report.request_last_quarter(date(2026, 7, 1))

    assert count == 2
    assert sorted((made.region.name, made.period.label) for made in QuarterlyReport.objects.all()) == [
        ("Noord-Nederland", "K2 2026"),
        ("Utrecht", "K2 2026"),
    ]
    assert report.request_last_quarter(date(2026, 7, 1)) == 0  # once per quarter
    assert len(mailoutbox) == 2  # the coordinator of each region


def test_a_report_left_queued_is_swept_up(data_set):
    made = QuarterlyReport.objects.create(region=data_set.region_a, year=2026, quarter=2, requested_at=COUNTED_ON)

    assert report.stale_report_ids(COUNTED_ON) == []
    with time_machine.travel("2026-07-10 11:00 +0000", tick=False):
        from cijfers.tasks import sweep_quarterly_reports

        assert sweep_quarterly_reports() == 1
    made.refresh_from_db()
    assert made.status == QuarterlyReport.Status.READY
