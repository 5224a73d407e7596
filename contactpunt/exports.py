"""Lists and figures as a spreadsheet: `?export=csv` or `?export=xlsx` on a page gives its rows as a file.

A table is a list of `Column`s: a header (gettext_lazy, so it is translated when the file is made) and
where a row's value comes from (an attribute path such as "candidate.region.name", or a function of
the row). `export_response` writes the rows the page's own queryset holds, so an export never holds
more than the page shows, and writes the export to the audit log.

CSV: UTF-8 with a byte order mark and ";" between the cells. Excel opens a CSV file in the list
separator of the computer's regional settings, which is ";" in the Netherlands (the comma is the
decimal sign there), and reads it as UTF-8 only when the file starts with a BOM; without both, a
Dutch Excel shows every row in one cell and "Zoë" as "ZoÃ«". LibreOffice and scripts read it as well.

Formula injection (OWASP "CSV injection"): a name or message typed by a candidate such as
"=HYPERLINK(...)" must not become a formula on a coordinator's computer. In CSV a text cell starting
with = + - @, a tab or a carriage return gets a leading apostrophe; in Excel files every text is
written as a text cell, never as a formula.

Times are written in the portal's time zone (Europe/Amsterdam), as the pages show them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.translation import gettext

from . import audit

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
EXPORT_PARAMETER = "export"

CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_DELIMITER = ";"
# Cells Excel (or LibreOffice) would read as the start of a formula or a command.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The stem of a file name: fixed words of ours, never a name or anything typed (no personal data, no
# header injection through Content-Disposition).
_STEM = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Column widths in Excel: measured on the first rows, within these bounds (characters).
_WIDTH_SAMPLE = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_DATE_FORMAT, _DATETIME_FORMAT = "dd-mm-yyyy", "dd-mm-yyyy hh:mm"
_CHUNK_SIZE = 2000

Value = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """One column: its header and where a row's value comes from.

    `value`: a dotted attribute path ("candidate.region.name"; a method on the way is called, so
    "get_status_display" works) or a function of the row. None anywhere on the path gives an empty cell.
    """

    header: str | Promise
    value: str | Value

    def of(self, row: Any) -> Any:
        if callable(self.value):
            return self.value(row)
        current = row
        for name in self.value.split("."):
            if current is None:
                return None
            current = getattr(current, name)
            if callable(current) and not isinstance(current, Model | Manager):  # a related manager is callable
                current = current()
        return current


def requested_format(request: HttpRequest) -> str | None:
    """ "csv" or "xlsx" when the page is asked for as a file (`?export=`), else None: the normal page."""
    value = request.GET.get(EXPORT_PARAMETER, "")
    return value if value in FORMATS else None


def _primary_key(row: Any) -> int | None:
    return row.pk


def export_response(
    request: HttpRequest,
    *,
    rows: Iterable[Any],
    columns: Sequence[Column],
    filename_stem: str,
    format: str,
    audit_type: type[Model] | None = None,
    audit_id: Callable[[Any], int | None] | None = _primary_key,
) -> HttpResponse:
    """The rows as a CSV or Excel file to download, recorded in the audit log.

    `rows`: a queryset (read with `.iterator()`, so a long list is not held in memory twice) or any
    iterable. In the audit log the export is one row per object of `audit_type` (default: the
    queryset's model) with `audit_id(row)` as its id, e.g. `Candidate` and `lambda r: r.candidate_id`
    for a list of introductions: "who exported this person's data" is then answered like "who viewed
    it". `audit_id=None`, for a list without personal data (offers), records one row naming the type.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}")
    if not _STEM.match(filename_stem):
        raise ValueError("the file name stem must be a fixed lower-case slug")
    model = audit_type or getattr(rows, "model", None)
    if model is None:
        raise ValueError("audit_type is needed when the rows are not a queryset")
    ids: list[int | None] = []

    def values() -> Iterator[list[Any]]:
        for row in _iterate(rows):
            if audit_id is not None:
                ids.append(audit_id(row))
            yield [column.of(row) for column in columns]

    headers = [str(column.header) for column in columns]
    content = _csv(headers, values()) if format == CSV else _xlsx(headers, values(), sheet_title=filename_stem)
    audit.record_export(request, model, ids)
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    filename = f"{filename_stem}-{timezone.localdate():%Y-%m-%d}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: kept in no shared or browser cache.
    patch_cache_control(response, no_store=True, private=True)
    return response


def _iterate(rows: Iterable[Any]) -> Iterable[Any]:
    if isinstance(rows, QuerySet):
        # chunk_size: needed for prefetch_related to work with iterator(); one query per chunk.
        return rows.iterator(chunk_size=_CHUNK_SIZE)
    return rows


def text_of(value: Any) -> str:
    """A value as a CSV cell shows it: Dutch dates, local times, "ja"/"nee"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")  # the Dutch decimal sign, as ";" is the separator
    return str(value)


def guard(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([guard(header) for header in headers])
    for row in rows:
        writer.writerow([guard(text_of(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell_value(value: Any) -> Any:
    """A value as an Excel cell holds it: numbers and dates as such (local time, no zone), the rest text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    return _ILLEGAL.sub("", str(value))


def _xlsx(headers: list[str], rows: Iterable[list[Any]], *, sheet_title: str) -> bytes:
    """A write-only workbook (rows go to a temporary file, not memory): bold, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    rows = iter(rows)
    sample = [[_cell_value(value) for value in row] for row, _i in zip(rows, range(_WIDTH_SAMPLE), strict=False)]
    for index, header in enumerate(headers):
        longest = max([len(header)] + [len(_shown(row[index])) for row in sample])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, *, font: Font | None = None) -> WriteOnlyCell:
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            item.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(value, datetime):
            item.number_format = _DATETIME_FORMAT
        elif isinstance(value, date):
            item.number_format = _DATE_FORMAT
        if font is not None:
            item.font = font
        return item

    sheet.append([cell(_cell_value(header), font=bold) for header in headers])
    for row in sample:
        sheet.append([cell(value) for value in row])
    for row in rows:
        sheet.append([cell(_cell_value(value)) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return "00-00-0000 00:00"
    if isinstance(value, date):
        return "00-00-0000"
    return "" if value is None else str(value)


# Control characters an Excel file cannot hold (openpyxl refuses them): dropped from text cells.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
