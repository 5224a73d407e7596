"""The figures as Excel and CSV: the same numbers as the page, recorded in the audit log."""

import csv
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from cijfers import figures, tables
from cijfers.periods import Period
from contactpunt.models import AuditEvent

from .conftest import COUNTED_ON

URL = reverse("cijfers:figures")
Q2 = {"period": "custom", "start": "2026-04-01", "end": "2026-06-30"}


@pytest.fixture(autouse=True)
def _counted_on():
    with time_machine.travel(COUNTED_ON, tick=False):
        yield


def _sheet(book, title):
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def test_the_workbook_holds_the_numbers_of_the_page(data_set, client_a):
    response = client_a.get(URL, {**Q2, "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="cijfers-2026-q2.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    funnel = _sheet(book, "Trechter")
    assert funnel[0][:2] == ["Fase", "K2 2026"]
    assert [row[:2] for row in funnel[1:5]] == [
        ["Aangemeld", 7],
        ["Eerste contact", 5],
        ["Doorverwezen", 2],
        ["Gestart", 1],
    ]
    first_contact = _sheet(book, "Tijd tot eerste contact")
    assert first_contact[1][:2] == ["Mediaan (werkdagen)", 2.0]
    assert first_contact[2][:2] == ["90e percentiel (werkdagen)", 3.6]
    assert first_contact[3][:2] == ["Binnen twee werkdagen (%)", 42.9]
    # Every table of the page is a sheet with the same rows.
    result = figures.compute([data_set.region_a], Period.quarter_of(COUNTED_ON.date()).previous(), now=COUNTED_ON)
    for number, table in enumerate(tables.build(result), start=1):
        rows = _sheet(book, book.sheetnames[number])
        assert rows[0] == table.columns
        assert rows[1 : 1 + len(table.rows)] == [list(row) for row in table.rows]


def test_an_employer_name_that_looks_like_a_formula_stays_text(data_set, client_a, organisation_a):
    organisation_a.name = '=HYPERLINK("http://example.org")'
    organisation_a.save()

    book = openpyxl.load_workbook(io.BytesIO(client_a.get(URL, {**Q2, "export": "xlsx"}).content))
    cell = book["Per werkgever"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == organisation_a.name
    text = client_a.get(URL, {**Q2, "export": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_the_csv_holds_every_table(data_set, client_a):
    response = client_a.get(URL, {**Q2, "export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    funnel = rows.index(["Trechter"])
    assert rows[funnel + 2][:2] == ["Aangemeld", "7"]
    assert ["Mediaan (werkdagen)", "2,0", "2,0", "0,0"] in rows


def test_an_export_is_recorded_in_the_audit_log(data_set, client_a, coordinator_a):
    client_a.get(URL, {**Q2, "export": "csv"})

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.object_type, event.object_id) == (coordinator_a, "cijfers.figures", None)


def test_an_unknown_export_shows_the_page(data_set, client_a):
    response = client_a.get(URL, {**Q2, "export": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_long_table_title_becomes_a_sheet_name_cut_at_a_word(data_set, client_a):
    book = openpyxl.load_workbook(io.BytesIO(client_a.get(URL, {**Q2, "export": "xlsx"}).content))

    assert "BBL-klassen die in de periode" in book.sheetnames
    assert all(len(name) <= 31 for name in book.sheetnames)
