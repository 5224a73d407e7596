"""The audit log page as CSV and Excel: administrators only, the filtered rows of every page, and the
export itself recorded as one row naming the log."""

import pytest
from django.urls import reverse

from contactpunt.models import AuditEvent
from contactpunt.testing import export_rows

pytestmark = pytest.mark.django_db

URL = reverse("audit_log")


def event(**fields) -> AuditEvent:
    defaults = {"action": AuditEvent.Action.VIEW, "object_type": "kandidaten.candidate", "object_id": 1}
    return AuditEvent.objects.create(**{**defaults, **fields})


@pytest.fixture(autouse=True)
def _without_the_logins_of_the_test_clients(request):
    """The persona fixtures log in (an audit row each); the tests count only their own rows."""
    for name in ("administrator_client", "client_a"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    AuditEvent.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_filtered_log_of_every_page_exports(administrator_client, administrator, fmt):
    for number in range(60):  # more than a page of 50
        event(object_id=number + 1, actor=administrator, fields=["phone"], network="203.0.113.0/24")
    event(action=AuditEvent.Action.CHANGE, object_id=99)

    response = administrator_client.get(URL, {"export": fmt, "action": "view"})

    assert response["Content-Disposition"].startswith('attachment; filename="auditlog-')
    rows = export_rows(response)
    assert len(rows) == 1 + 60
    assert {str(row[5]) for row in rows[1:]} == {str(number) for number in range(1, 61)}
    assert rows[1][7] == "203.0.113.0/24"


def test_the_export_is_one_audit_row_naming_the_log(administrator_client, administrator):
    event()
    event()

    administrator_client.get(URL, {"export": "csv"})

    exported = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (exported.actor, exported.object_type, exported.object_id) == (administrator, "contactpunt.auditevent", None)


def test_exports_show_in_the_log_with_their_type(administrator_client):
    event(action=AuditEvent.Action.EXPORT, object_type="werkgevers.offer", object_id=None)

    response = administrator_client.get(URL, {"object_type": "werkgevers.offer"})

    assert [row["event"].object_type for row in response.context["rows"]] == ["werkgevers.offer"]


def test_a_coordinator_cannot_export_the_log(client_a):
    assert client_a.get(URL, {"export": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_an_unknown_format_shows_the_page(administrator_client):
    event()

    response = administrator_client.get(URL, {"export": "pdf"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "export=xlsx" in response.content.decode()


def test_the_export_runs_a_bounded_number_of_queries(
    administrator_client, administrator, django_assert_max_num_queries
):
    for number in range(20):
        event(object_id=number + 1, actor=administrator)

    # session, user, SAVEPOINT, the events with their actor (one chunk), the audit INSERT, RELEASE
    with django_assert_max_num_queries(8):
        response = administrator_client.get(URL, {"export": "xlsx"})

    assert len(export_rows(response)) == 21
