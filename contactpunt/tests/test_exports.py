"""contactpunt.exports: CSV that a Dutch Excel opens, Excel files with a bold frozen header, no formulas
from typed text, local times, a file name without personal data, and every export in the audit log."""

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from django.test import RequestFactory

from contactpunt.audit import record_export
from contactpunt.exports import Column, export_response, guard, requested_format
from contactpunt.models import AuditEvent
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate
from werkgevers.models import Offer

pytestmark = pytest.mark.django_db

COLUMNS = [
    Column("Naam", "full_name"),
    Column("Regio", "region.name"),
    Column("Aangemeld", "signed_up_at"),
    Column("Status", "get_status_display"),
]


def _request(user, path="/dashboard/?export=csv"):
    request = RequestFactory().get(path, REMOTE_ADDR="203.0.113.9")
    request.user = user
    return request


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _workbook_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("export=csv", "csv"), ("export=xlsx", "xlsx"), ("export=pdf", None), ("export=", None), ("", None)],
)
def test_only_csv_and_xlsx_are_export_formats(rf, query, expected):
    assert requested_format(rf.get(f"/dashboard/?{query}")) == expected


def test_csv_is_utf8_with_a_bom_semicolons_and_a_header(coordinator_a, region_a):
    CandidateFactory(first_name="Zoë", last_name="de Vries; Jansen", region=region_a)

    response = export_response(
        _request(coordinator_a), rows=Candidate.objects.all(), columns=COLUMNS, filename_stem="kandidaten", format="csv"
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert rows[0] == ["Naam", "Regio", "Aangemeld", "Status"]
    assert rows[1][:2] == ["Zoë de Vries; Jansen", "Noord-Nederland"]  # the ; inside a cell is quoted
    assert b";" in response.content.splitlines()[0]


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+31 6", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_formula_typed_by_someone_gets_an_apostrophe_in_csv(coordinator_a, region_a, typed):
    CandidateFactory(first_name=typed, last_name="X", region=region_a)

    rows = _csv_rows(
        export_response(
            _request(coordinator_a),
            rows=Candidate.objects.all(),
            columns=[Column("Voornaam", "first_name")],
            filename_stem="kandidaten",
            format="csv",
        )
    )

    assert rows[1] == [f"'{typed}"]


def test_ordinary_text_is_not_guarded():
    assert guard("Anna") == "Anna"
    assert guard("06 12345678") == "06 12345678"
    assert guard("") == ""


def test_xlsx_opens_with_the_header_the_rows_and_no_formula(coordinator_a, region_a):
    CandidateFactory(first_name="=1+1", last_name="Bakker", region=region_a)
    CandidateFactory(first_name="Piet", last_name="Jansen", region=region_a)

    response = export_response(
        _request(coordinator_a),
        rows=Candidate.objects.order_by("first_name"),
        columns=COLUMNS,
        filename_stem="kandidaten",
        format="xlsx",
    )

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Naam", "Regio", "Aangemeld", "Status"]
    assert [row[0] for row in rows[1:]] == ["=1+1 Bakker", "Piet Jansen"]
    assert sheet["A2"].data_type == "s"  # text, not a formula
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert 8 <= sheet.column_dimensions["A"].width <= 60


def test_times_are_local_in_both_formats(coordinator_a, region_a):
    # 23:30 UTC on 31 December is 00:30 on 1 January in Amsterdam.
    CandidateFactory(region=region_a, signed_up_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    columns = [Column("Aangemeld", "signed_up_at"), Column("Dag", lambda c: date(2026, 1, 2))]
    kwargs = {"rows": Candidate.objects.all(), "columns": columns, "filename_stem": "kandidaten"}

    csv_rows = _csv_rows(export_response(_request(coordinator_a), format="csv", **kwargs))
    xlsx_rows = _workbook_rows(export_response(_request(coordinator_a), format="xlsx", **kwargs))

    assert csv_rows[1] == ["01-01-2026 00:30", "02-01-2026"]
    assert xlsx_rows[1][0].isoformat() == "2026-01-01T00:30:00"  # Excel has no time zones: local time
    assert xlsx_rows[1][1].date() == date(2026, 1, 2)


def test_yes_no_empty_and_control_characters(coordinator_a, region_a):
    CandidateFactory(region=region_a, place="", message="a\x0bb")
    columns = [
        Column("Buitenland", "diploma_abroad"),
        Column("Plaats", "place"),
        Column("Coördinator", "assigned_to.email"),
        Column("Bericht", "message"),
    ]
    kwargs = {"rows": Candidate.objects.all(), "columns": columns, "filename_stem": "kandidaten"}

    assert _csv_rows(export_response(_request(coordinator_a), format="csv", **kwargs))[1] == ["Nee", "", "", "a\x0bb"]
    assert _workbook_rows(export_response(_request(coordinator_a), format="xlsx", **kwargs))[1] == [
        False,
        None,
        None,
        "ab",  # a character an Excel file cannot hold is left out instead of failing the export
    ]


def test_the_file_name_is_a_fixed_word_and_a_date_and_the_file_is_not_cached(coordinator_a):
    response = export_response(
        _request(coordinator_a),
        rows=Candidate.objects.none(),
        columns=COLUMNS,
        filename_stem="kandidaten",
        format="xlsx",
    )

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="kandidaten-20')
    assert disposition.endswith('.xlsx"')
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("stem", ["Jan de Vries", "kandidaten\r\nX-Evil: 1", "", "kandidaten/../x"])
def test_a_file_name_stem_that_could_carry_a_name_is_refused(coordinator_a, stem):
    with pytest.raises(ValueError):
        export_response(
            _request(coordinator_a), rows=Candidate.objects.none(), columns=COLUMNS, filename_stem=stem, format="csv"
        )


def test_an_unknown_format_is_refused(coordinator_a):
    with pytest.raises(ValueError):
        export_response(
            _request(coordinator_a), rows=Candidate.objects.none(), columns=COLUMNS, filename_stem="x", format="pdf"
        )


def test_an_export_of_people_is_one_audit_row_per_person_without_their_data(coordinator_a, region_a):
    candidates = [CandidateFactory(region=region_a, first_name="Anna", last_name="Smit") for _ in range(3)]

    export_response(
        _request(coordinator_a), rows=Candidate.objects.all(), columns=COLUMNS, filename_stem="kandidaten", format="csv"
    )

    events = list(AuditEvent.objects.all())
    assert {(e.action, e.object_type, e.object_id) for e in events} == {
        ("export", "kandidaten.candidate", candidate.pk) for candidate in candidates
    }
    assert len({event.request_id for event in events}) == 1  # one export: one request id
    assert {(e.actor, e.network, tuple(e.fields)) for e in events} == {(coordinator_a, "203.0.113.0/24", ())}
    stored = repr(list(AuditEvent.objects.values()))
    assert "Anna" not in stored and "Smit" not in stored


def test_a_list_without_personal_data_and_an_empty_list_are_one_row_naming_the_type(coordinator_a, region_a):
    CandidateFactory(region=region_a)
    export_response(
        _request(coordinator_a),
        rows=Candidate.objects.all(),
        columns=COLUMNS,
        filename_stem="x",
        format="csv",
        audit_type=Offer,
        audit_id=None,
    )
    export_response(
        _request(coordinator_a), rows=Candidate.objects.none(), columns=COLUMNS, filename_stem="x", format="csv"
    )

    assert list(AuditEvent.objects.order_by("id").values_list("action", "object_type", "object_id")) == [
        ("export", "werkgevers.offer", None),
        ("export", "kandidaten.candidate", None),
    ]


def test_record_export_counts_a_person_once(coordinator_a):
    assert record_export(coordinator_a, Candidate, [7, 7, 8, None]) == 2
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == [7, 8]


def test_a_list_of_rows_needs_the_type_to_record(coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a)
    with pytest.raises(ValueError):
        export_response(_request(coordinator_a), rows=[candidate], columns=COLUMNS, filename_stem="x", format="csv")

    export_response(
        _request(coordinator_a),
        rows=[candidate],
        columns=COLUMNS,
        filename_stem="x",
        format="csv",
        audit_type=Candidate,
    )
    assert AuditEvent.objects.get().object_id == candidate.pk


def test_a_queryset_is_read_in_chunks_not_all_at_once(coordinator_a, region_a, django_assert_num_queries):
    for _ in range(5):
        CandidateFactory(region=region_a)

    # 1. the candidates with their region (one chunk)  2. the audit rows in one INSERT
    with django_assert_num_queries(2):
        export_response(
            _request(coordinator_a),
            rows=Candidate.objects.select_related("region"),
            columns=COLUMNS,
            filename_stem="kandidaten",
            format="xlsx",
        )
