"""The audit log page at /dashboard/auditlog/: administrators only, filters, pages, a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import AuditEvent
from kandidaten.factories import CandidateFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit_log")


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def event(**fields) -> AuditEvent:
    defaults = {"action": AuditEvent.Action.VIEW, "object_type": "kandidaten.candidate", "object_id": 1}
    return AuditEvent.objects.create(**{**defaults, **fields})


@pytest.fixture(autouse=True)
def _without_the_logins_of_the_test_clients(request):
    """The persona fixtures log in (an audit row each); the tests count only their own rows."""
    for name in ("administrator_client", "client_a", "employer_a_client"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    AuditEvent.objects.all().delete()


def shown_ids(response) -> list[int]:
    return [row["event"].pk for row in response.context["rows"]]


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["client_a", "employer_a_client"])
def test_coordinators_and_employers_may_not_read_it(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 403


def test_the_administrator_sees_who_did_what_without_personal_data(administrator_client, coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a, first_name="Quirijntje", last_name="Zwiebelhaak")
    event(actor=coordinator_a, actor_role="coordinator", object_id=candidate.pk, network="203.0.113.0/24")
    event(
        actor=coordinator_a,
        actor_role="coordinator",
        action=AuditEvent.Action.CHANGE,
        object_id=candidate.pk,
        fields=["phone", "postcode"],
        user_agent="Firefox/Windows",
    )
    event(action=AuditEvent.Action.ERASE, object_id=999)

    response = administrator_client.get(URL)

    assert response.status_code == 200
    page = text(response)
    assert "Auditlog" in page
    assert str(coordinator_a) in page
    assert "Regiocoördinator" in page
    assert "Telefoonnummer, Postcode" in page
    assert "203.0.113.0/24" in page and "Firefox/Windows" in page
    assert "Gewist" in page and "Kandidaat 999" in page
    assert "Quirijntje" not in page and "Zwiebelhaak" not in page
    assert f'href="{reverse("kandidaten:candidate", args=[candidate.pk])}"' in response.content.decode()


def test_filters_by_actor_action_object_and_date(administrator_client, coordinator_a, coordinator_b):
    now = timezone.now()
    seen_by_a = event(actor=coordinator_a, object_id=7, created_at=now - timedelta(days=3))
    changed_by_a = event(actor=coordinator_a, action="change", object_id=8, created_at=now)
    seen_by_b = event(actor=coordinator_b, object_id=7, created_at=now - timedelta(days=1))
    login = event(actor=coordinator_b, action="login", object_type="contactpunt.user", object_id=coordinator_b.pk)

    def ids(**params):
        response = administrator_client.get(URL, params)
        assert response.status_code == 200
        return sorted(shown_ids(response))

    assert ids() == sorted([seen_by_a.pk, changed_by_a.pk, seen_by_b.pk, login.pk])
    assert ids(actor=coordinator_a.pk) == sorted([seen_by_a.pk, changed_by_a.pk])
    assert ids(action="change") == [changed_by_a.pk]
    assert ids(object_type="kandidaten.candidate", object_id=7) == sorted([seen_by_a.pk, seen_by_b.pk])
    yesterday = timezone.localdate(now - timedelta(days=1)).isoformat()
    assert ids(date_from=yesterday) == sorted([changed_by_a.pk, seen_by_b.pk, login.pk])
    assert ids(date_to=yesterday) == sorted([seen_by_a.pk, seen_by_b.pk])


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "abc"},
        {"actor": "999999"},
        {"action": "peek"},
        {"object_type": "auth.permission"},
        {"object_id": "-1"},
        {"object_id": "1" * 40},
        {"date_from": "2026-02-31"},
        {"date_to": "gisteren"},
        {"page": "9999"},
        {"page": "x"},
        {"object_id": "1\x00"},
    ],
)
def test_bad_filter_values_show_an_empty_or_first_page_never_an_error(administrator_client, params):
    event()
    response = administrator_client.get(URL, params)
    assert response.status_code == 200


def test_a_bad_filter_shows_nothing_rather_than_everything(administrator_client):
    event()
    assert shown_ids(administrator_client.get(URL, {"action": "peek"})) == []


def test_pages_of_fifty_newest_first(administrator_client, coordinator_a):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=coordinator_a,
            action="view",
            object_type="kandidaten.candidate",
            object_id=n,
            created_at=now - timedelta(minutes=n),
        )
        for n in range(1, 61)
    )
    first = administrator_client.get(URL)
    second = administrator_client.get(URL, {"page": 2})
    assert [row["event"].object_id for row in first.context["rows"]] == list(range(1, 51))
    assert [row["event"].object_id for row in second.context["rows"]] == list(range(51, 61))
    assert "Pagina 1 van 2" in text(first)


def test_the_number_of_queries_does_not_grow_with_the_rows(administrator_client, coordinator_a, coordinator_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_with(count: int) -> int:
        AuditEvent.objects.all().delete()
        actors = [coordinator_a, coordinator_b]
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=actors[n % 2], action="change", object_type="kandidaten.candidate", object_id=n, fields=["phone"]
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as context:
            response = administrator_client.get(URL, {"action": "change"})
        assert len(response.context["rows"]) == min(count, 50)
        return len(context.captured_queries)

    administrator_client.get(URL)  # the first request of a session may save it
    few, many = queries_with(3), queries_with(60)
    # session, user, (two-factor device), the actor drop-down, the count, the page with its actors joined
    assert few == many
    assert many <= 8


def test_the_candidate_page_links_administrators_to_its_audit_log(administrator_client, client_a, region_a):
    candidate = CandidateFactory(region=region_a)
    link = f"{URL}?object_type=kandidaten.candidate&amp;object_id={candidate.pk}"
    assert link in administrator_client.get(reverse("kandidaten:candidate", args=[candidate.pk])).content.decode()
    assert URL not in client_a.get(reverse("kandidaten:candidate", args=[candidate.pk])).content.decode()


def test_the_admin_shows_the_log_read_only(administrator_client):
    row = event()
    assert administrator_client.get(reverse("admin:contactpunt_auditevent_changelist")).status_code == 200
    assert administrator_client.get(reverse("admin:contactpunt_auditevent_change", args=[row.pk])).status_code == 200
    assert administrator_client.get(reverse("admin:contactpunt_auditevent_add")).status_code == 403
    response = administrator_client.post(reverse("admin:contactpunt_auditevent_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_a_huge_log_is_counted_only_up_to_a_cap(administrator_client, monkeypatch):
    from contactpunt import audit_views

    monkeypatch.setattr(audit_views, "COUNT_CAP", 5)
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 2)
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="view", object_type="kandidaten.candidate", object_id=n, created_at=now - timedelta(minutes=n)
        )
        for n in range(1, 13)
    )

    first = administrator_client.get(URL)
    beyond = administrator_client.get(URL, {"page": 5})

    assert "Meer dan 10.000 regels passen bij deze filters" in text(first)
    assert "Pagina 1 van 3" in text(first)
    assert [row["event"].object_id for row in beyond.context["rows"]] == [5, 6]
    narrowed = administrator_client.get(URL, {"object_id": 7})
    assert "Meer dan 10.000" not in text(narrowed)
