"""The quarterly progress report of a region: the figures of the quarter as a PDF with charts and the
same tables as an Excel workbook, made by a Celery job and announced to the region's coordinators.

`request_report` records the wish (one report per region and quarter; asking again makes it anew) and
queues `cijfers.tasks.build_quarterly_report` after commit. `build_report` draws both files, stores
them and queues one e-mail per coordinator with a link to the report (the files stay behind the login:
a mailbox is not the place for a region's figures). Beat asks for last quarter's reports of every region
on the first day of a quarter (`request_last_quarter`).
"""

from __future__ import annotations

import io
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from contactpunt.jobs import enqueue_on_commit
from contactpunt.mail import queue_mail
from contactpunt.models import Region, User

from . import exports, figures, tables
from .models import QuarterlyReport
from .periods import Period

logger = logging.getLogger(__name__)

# Longer than the build's hard time limit (cijfers.tasks) with its retries.
STALE_AFTER = timedelta(minutes=30)

# The portal's colours (static/css/portal.css): series one and two of every chart.
PRIMARY = colors.HexColor("#0b5d7a")
SECONDARY = colors.HexColor("#e8833a")
PALETTE = [PRIMARY, SECONDARY, colors.HexColor("#5b8c3a"), colors.HexColor("#8e5ba8"), colors.HexColor("#c44b4b")]


def request_report(region: Region, period: Period, *, by: User | None = None) -> QuarterlyReport:
    """Queue a region's report of a quarter; a report asked for again is made anew."""
    if not period.is_quarter:
        raise ValueError("a progress report covers a calendar quarter")
    quarter = (period.first.month - 1) // 3 + 1
    with transaction.atomic():
        report, _created = QuarterlyReport.objects.update_or_create(
            region=region,
            year=period.first.year,
            quarter=quarter,
            defaults={
                "status": QuarterlyReport.Status.QUEUED,
                "requested_by": by,
                "requested_at": timezone.now(),
                "ready_at": None,
            },
        )
        from .tasks import build_quarterly_report

        enqueue_on_commit(build_quarterly_report, report.pk)
    return report


def request_last_quarter(today: date | None = None) -> int:
    """Beat, on the first day of a quarter: last quarter's report for every region with coordinators."""
    period = Period.quarter_of(today or timezone.localdate()).previous()
    regions = Region.objects.filter(users__role=User.Role.COORDINATOR, users__is_active=True).distinct()
    count = 0
    for region in regions:
        if not QuarterlyReport.objects.filter(
            region=region, year=period.first.year, quarter=(period.first.month - 1) // 3 + 1
        ).exists():
            request_report(region, period)
            count += 1
    return count


def build_report(report_id: int, *, now: datetime | None = None) -> QuarterlyReport | None:
    report = QuarterlyReport.objects.select_related("region").filter(pk=report_id).first()
    if report is None:
        return None
    with translation.override("nl"):
        result = figures.compute([report.region], report.period, now=now)
        report_tables = tables.build(result)
        report.pdf = pdf_bytes(report.region, result, report_tables)
        report.workbook = exports.workbook_bytes(result, report_tables)
    report.status = QuarterlyReport.Status.READY
    report.ready_at = timezone.now()
    with transaction.atomic():
        report.save(update_fields=["pdf", "workbook", "status", "ready_at"])
        _announce(report, settings.SITE_URL)
    return report


def _announce(report: QuarterlyReport, site_url: str) -> None:
    coordinators = User.objects.filter(role=User.Role.COORDINATOR, is_active=True, regions=report.region).order_by("pk")
    link = site_url + reverse("cijfers:reports")
    for coordinator in coordinators:
        queue_mail(
            to=coordinator.email,
            template="emails/cijfers/report_ready",
            context={"report": report, "region": report.region.name, "period": report.period.label, "link": link},
        )


def mark_failed(report_id: int) -> None:
    QuarterlyReport.objects.filter(pk=report_id).update(status=QuarterlyReport.Status.FAILED)


def stale_report_ids(now: datetime | None = None) -> list[int]:
    """Reports still queued long after they were asked for: the broker was down or the worker died."""
    since = (now or timezone.now()) - STALE_AFTER
    return list(
        QuarterlyReport.objects.filter(status=QuarterlyReport.Status.QUEUED, requested_at__lt=since).values_list(
            "pk", flat=True
        )
    )


# Drawing the PDF.


def _styles():
    styles = getSampleStyleSheet()
    return styles["Title"], styles["Heading2"], styles["BodyText"], styles["Italic"]


def _text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1)
    return str(value)


def _pdf_table(table: tables.Table, body) -> PdfTable:
    cell = body.clone("cell", fontSize=7.5, leading=9)
    head = body.clone("head", fontSize=7.5, leading=9, fontName="Helvetica-Bold")
    data = [[Paragraph(_text(column), head) for column in table.columns]]
    data += [[Paragraph(_text(value), cell) for value in row] for row in table.rows]
    first = 62 * mm
    others = (landscape(A4)[0] - 30 * mm - first) / max(len(table.columns) - 1, 1)
    result = PdfTable(data, colWidths=[first] + [others] * (len(table.columns) - 1), repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f5f7")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return result


def _bar_chart(table: tables.Table, *, horizontal: bool = False, width: float = 250 * mm, height: float = 62 * mm):
    rows = [row for row in table.rows if any(isinstance(row[index], (int, float)) for index in table.series)]
    if not rows:
        return None
    drawing = Drawing(width, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (60 * mm, 8 * mm) if horizontal else (12 * mm, 16 * mm)
    chart.width = width - chart.x - 45 * mm
    chart.height = height - chart.y - 6 * mm
    chart.data = [[float(row[index] or 0) for row in rows] for index in table.series]
    chart.categoryAxis.categoryNames = [str(row[0])[:38] for row in rows]
    chart.categoryAxis.labels.fontSize = 6.5
    if not horizontal and len(rows) > 6:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    for index in range(len(table.series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 42 * mm, height - 8 * mm
    legend.fontSize = 7
    legend.alignment = "right"
    legend.colorNamePairs = [
        (PALETTE[number % len(PALETTE)], str(table.columns[index])[:30]) for number, index in enumerate(table.series)
    ]
    drawing.add(legend)
    return drawing


CHARTED = {"funnel": False, "waiting": False, "weekly": False, "branches": True, "target_groups": True}


def pdf_bytes(region: Region, result: figures.Figures, report_tables: list[tables.Table]) -> bytes:
    title, heading, body, note = _styles()
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=_("Progress report %(region)s %(period)s") % {"region": region.name, "period": result.period.label},
        author=_("Contactpunt Zorg en Welzijn"),
    )
    funnel = result.funnel
    story = [
        Paragraph(
            _("Progress report %(region)s, %(period)s") % {"region": region.name, "period": result.period.label}, title
        ),
        Paragraph(
            _(
                "%(signed_up)s sign-ups, %(contacted)s with first contact, %(referred)s referred and %(started)s "
                "started. Median time to first contact: %(median)s working days; within two working days: "
                "%(within)s%%."
            )
            % {
                "signed_up": funnel.signed_up,
                "contacted": funnel.contacted,
                "referred": funnel.referred,
                "started": funnel.started,
                "median": _text(funnel.median_days),
                "within": _text(funnel.within_share),
            },
            body,
        ),
    ]
    about = [[Paragraph(_text(value), body) for value in row] for row in exports.about_rows(result)[1:]]
    story += [PdfTable(about, colWidths=[40 * mm, 200 * mm], hAlign="LEFT"), Spacer(1, 4 * mm)]
    for table in report_tables:
        block = [Paragraph(table.title, heading)]
        if table.key in CHARTED:
            chart = _bar_chart(table if table.key != "weekly" else _weekly_totals(table), horizontal=CHARTED[table.key])
            if chart is not None:
                block.append(chart)
        if table.rows:
            block.append(_pdf_table(table, body))
        else:
            block.append(Paragraph(_("Nothing to count in this quarter."), body))
        if table.note:
            block.append(Paragraph(table.note, note))
        # A short table stays on one page with its chart; a long one flows over pages, its header repeated.
        if len(table.rows) < 25:
            story.append(KeepTogether(block))
        else:
            story += block
        story.append(Spacer(1, 3 * mm))
        if table.key == "funnel":
            story.append(PageBreak())
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return output.getvalue()


def _weekly_totals(table: tables.Table) -> tables.Table:
    """The weekly chart in the PDF shows the total per week (the table beside it the sources)."""
    return tables.Table(
        key="weekly_totals",
        title=table.title,
        columns=[table.columns[0], table.columns[-1]],
        rows=[[row[0], row[-1]] for row in table.rows],
        series=[1],
    )


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.setFillColor(colors.grey)
    canvas.drawString(15 * mm, 8 * mm, document.title)
    canvas.drawRightString(landscape(A4)[0] - 15 * mm, 8 * mm, _("Page %(page)s") % {"page": document.page})
    canvas.restoreState()
