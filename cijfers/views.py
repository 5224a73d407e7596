"""The figures page, its exports and the quarterly reports: coordinators see their regions,
administrators every region."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contactpunt import audit
from contactpunt.access import dashboard_view

from . import exports, figures, report, tables
from .forms import PeriodForm, ReportForm
from .models import QuarterlyReport

EXPORTS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def _download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@dashboard_view
def figures_page(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, user=request.user)
    period = form.chosen_period()
    regions = form.chosen_regions()
    result = figures.compute(regions, period)
    figure_tables = tables.build(result)
    export = request.GET.get("export")
    if export in EXPORTS and not form.errors:
        content_type, extension = EXPORTS[export]
        content = (
            exports.workbook_bytes(result, figure_tables)
            if extension == "xlsx"
            else exports.csv_text(result, figure_tables)
        )
        audit.record(request, audit.Action.EXPORT, ("cijfers.figures", None))
        return _download(content, content_type=content_type, filename=f"cijfers-{period.slug}.{extension}")
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "cijfers/figures.html",
        {
            "form": form,
            "figures": result,
            "tables": {table.key: table for table in figure_tables},
            "query": query.urlencode(),
            "report_form": ReportForm(user=request.user, initial={"quarter": period.slug if period.is_quarter else ""}),
        },
    )


@require_http_methods(["GET", "POST"])
@dashboard_view
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = report.request_report(form.cleaned_data["region"], form.cleaned_data["period"], by=request.user)
        messages.success(
            request,
            _("The report %(report)s is being made. You will get an e-mail when it is ready.") % {"report": made},
        )
        return redirect("cijfers:reports")
    made = (
        QuarterlyReport.objects.visible_to(request.user)
        .select_related("region", "requested_by")
        .defer("pdf", "workbook")[:100]
    )
    return render(request, "cijfers/reports.html", {"form": form, "reports": made, "now": timezone.now()})


@require_GET
@dashboard_view
def report_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("pdf", "xlsx"):
        raise Http404
    made = get_object_or_404(
        QuarterlyReport.objects.visible_to(request.user).select_related("region"),
        pk=pk,
        status=QuarterlyReport.Status.READY,
    )
    audit.record(request, audit.Action.EXPORT, made)
    if kind == "pdf":
        return _download(bytes(made.pdf), content_type="application/pdf", filename=f"{made.file_stem}.pdf")
    return _download(bytes(made.workbook), content_type=EXPORTS["xlsx"][0], filename=f"{made.file_stem}.xlsx")
