"""The figures as an Excel workbook (one sheet per table, openpyxl) or as one CSV file.

Both hold exactly the tables of the page (cijfers.tables). Text that a spreadsheet would take for a
formula (an employer named "=HYPERLINK(...)") is written as text: in the workbook with the cell's type
set to a string, in the CSV behind an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .figures import Figures
from .tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses sheet names over 31 characters and some punctuation.
SHEET_NAME_LENGTH = 31


def about_rows(figures: Figures) -> list[list[str]]:
    return [
        [_("Figures of the contact point")],
        [_("Period"), f"{figures.period.label} ({figures.period.first:%d-%m-%Y} – {figures.period.last:%d-%m-%Y})"],
        [
            _("Compared with"),
            f"{figures.previous.label} ({figures.previous.first:%d-%m-%Y} – {figures.previous.last:%d-%m-%Y})",
        ],
        [_("Regions"), ", ".join(figures.region_names)],
        [_("Computed"), formats.date_format(timezone.localtime(figures.counted_at), "j F Y H:i")],
    ]


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(" " if char in "[]:*?/\\" else char for char in title)
    if len(name) > SHEET_NAME_LENGTH:
        # Cut at the last whole word: "BBL-klassen die in de periode", not "… periode s".
        words = name[: SHEET_NAME_LENGTH + 1].rsplit(" ", 1)[0]
        name = words if len(words) <= SHEET_NAME_LENGTH else name[:SHEET_NAME_LENGTH]
    name = name.strip()
    base, number = name, 2
    while name in taken:
        suffix = f" {number}"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def _cell(sheet, value, *, bold: bool = False):
    """A value as written: text always as text (never a formula), numbers as they are (a cell object
    for each of thousands of numbers doubles the time of an export)."""
    if not bold and not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def workbook_bytes(figures: Figures, tables: Sequence[Table]) -> bytes:
    book = Workbook(write_only=True)
    taken: set[str] = set()
    about = book.create_sheet(_sheet_name(_("About"), taken))
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 70
    for number, row in enumerate(about_rows(figures)):
        about.append([_cell(about, value, bold=number == 0 or index == 0) for index, value in enumerate(row)])
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet.column_dimensions["A"].width = 40
        for letter in "BCDEFGHIJKLMNOP":
            sheet.column_dimensions[letter].width = 16
        sheet.freeze_panes = "B2"
        sheet.append([_cell(sheet, column, bold=True) for column in table.columns])
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([_cell(sheet, table.note)])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, float):
        # Dutch spreadsheets read a decimal comma; the separator is a semicolon, so it is unambiguous.
        return formats.number_format(value, decimal_pos=1)
    return value


def csv_text(figures: Figures, tables: Sequence[Table]) -> str:
    """All tables one after another, each under its title, separated by an empty line; semicolons
    and a byte order mark, as Excel with Dutch settings opens a CSV file without asking."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    for row in about_rows(figures):
        writer.writerow([_csv_value(value) for value in row])
    for table in tables:
        writer.writerow([])
        writer.writerow([_csv_value(table.title)])
        writer.writerow([_csv_value(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(value) for value in row])
    return output.getvalue()
