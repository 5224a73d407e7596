"""Error pages: 400, 403, 404, 429, 500 and 503 in the portal's style, in Dutch, without a stack trace,
each with an error id that is also in the log line of that request (and nothing personal in that line).

DEBUG is off, as in production. Views that fail on purpose live in contactpunt/tests/error_urls.py.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from contactpunt import errors
from contactpunt.models import Region
from contactpunt.tests.error_urls import SECRET_DETAIL
from kandidaten.factories import CandidateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("contactpunt.tests.error_urls")]

ROOT = Path(__file__).resolve().parents[2]
ERROR_ID = re.compile(r"data-error-id>([0-9A-F]{8})<")

HEADINGS = {
    400: "Ongeldig verzoek",
    403: "Geen toegang",
    404: "Pagina niet gevonden",
    429: "Te veel pogingen",
    500: "Er ging iets mis",
    503: "Het portaal is tijdelijk niet beschikbaar",
}


@pytest.fixture(autouse=True)
def _debug_off(settings):
    assert settings.DEBUG is False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def error_log_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "contactpunt.errors"]


def check_error_page(response, status: int, caplog) -> str:
    """The page a person sees for `status`; returns its error id, found in exactly one log line."""
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{HEADINGS[status]}</h1>" in body
    assert "Foutcode" in body
    assert '<html lang="nl">' in body
    assert "Traceback" not in body
    assert SECRET_DETAIL not in body
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    [error_id] = ERROR_ID.findall(body)
    lines = [line for line in error_log_lines(caplog) if f"error_id={error_id}" in line]
    assert len(lines) == 1, error_log_lines(caplog)
    assert f"status={status}" in lines[0]
    assert SECRET_DETAIL not in lines[0]
    return error_id


def test_400_for_a_request_with_a_host_we_do_not_serve(anonymous, caplog):
    response = anonymous.get("/", HTTP_HOST="portal.aanvaller.example")

    check_error_page(response, 400, caplog)


def test_400_for_a_suspicious_request(anonymous, caplog):
    check_error_page(anonymous.get("/test-fouten/verdacht/"), 400, caplog)


def test_403_for_an_employer_on_the_dashboard(employer_a_client, caplog):
    employer_a_client.raise_request_exception = False

    response = employer_a_client.get(reverse("kandidaten:inbox"))

    check_error_page(response, 403, caplog)
    # Rendered with the request: the employer's own menu is there.
    assert reverse("werkgevers:employer_home") in response.content.decode()


def test_403_raised_by_a_view(anonymous, caplog):
    check_error_page(anonymous.get("/test-fouten/verboden/"), 403, caplog)


def test_404_for_an_unknown_address(anonymous, caplog):
    response = anonymous.get("/deze-pagina-bestaat-niet/")

    check_error_page(response, 404, caplog)
    assert "Terug naar de startpagina" in response.content.decode()


def test_404_for_a_candidate_of_another_region_logs_the_route_not_the_address(client_b, region_a, caplog):
    candidate = CandidateFactory(region=region_a, first_name="Anouk", last_name="Vermeulen")
    client_b.raise_request_exception = False
    url = reverse("kandidaten:candidate", args=[candidate.pk])

    response = client_b.get(url)

    error_id = check_error_page(response, 404, caplog)
    [line] = [line for line in error_log_lines(caplog) if error_id in line]
    assert "route=dashboard/kandidaten/<int:pk>/" in line
    assert url not in line
    assert "Anouk" not in response.content.decode()


def test_429_when_django_ratelimit_refuses(anonymous, caplog):
    """django-ratelimit's Ratelimited is a PermissionDenied: handler403 answers it with 429."""
    response = anonymous.get("/test-fouten/te-vaak/")

    check_error_page(response, 429, caplog)
    assert response["Retry-After"] == "3600"


def test_429_from_the_intake_limit(anonymous, settings, caplog):
    settings.INTAKE_RATE_LIMIT = "1/h"
    anonymous.post(reverse("kandidaten:intake"), {})

    response = anonymous.post(reverse("kandidaten:intake"), {})

    check_error_page(response, 429, caplog)


def test_500_without_a_stack_trace_or_the_error_text(anonymous, caplog):
    response = anonymous.get("/test-fouten/crash/")

    error_id = check_error_page(response, 500, caplog)
    [line] = [line for line in error_log_lines(caplog) if error_id in line]
    assert "exception=RuntimeError" in line
    assert "route=test-fouten/crash/" in line


def test_500_for_a_logged_in_coordinator_shows_no_user_menu(client_a, coordinator_a, caplog):
    """Rendered without the request (no context processors): nothing of the user, no language form."""
    client_a.raise_request_exception = False

    response = client_a.get("/test-fouten/crash/")

    check_error_page(response, 500, caplog)
    body = response.content.decode()
    assert coordinator_a.email not in body
    assert reverse("set_language") not in body


def test_the_500_and_503_pages_need_no_database(django_assert_num_queries):
    request = RequestFactory().get("/ergens/")
    with django_assert_num_queries(0):
        try:
            raise RuntimeError(SECRET_DETAIL)
        except RuntimeError:
            crashed = errors.server_error(request)
        unavailable = errors.service_unavailable(request, OperationalError("down"))

    assert crashed.status_code == 500
    assert unavailable.status_code == 503


def test_503_with_retry_after_when_the_database_is_down_in_a_view(anonymous, caplog):
    response = anonymous.get("/test-fouten/database-weg/")

    error_id = check_error_page(response, 503, caplog)
    assert response["Retry-After"] == str(errors.RETRY_AFTER_UNAVAILABLE)
    assert "Connection refused" not in response.content.decode()
    [line] = [line for line in error_log_lines(caplog) if error_id in line]
    assert "exception=OperationalError" in line


def test_503_when_the_database_is_down_while_loading_the_session(client_a, monkeypatch, caplog):
    """The error comes from a middleware, before any view: handler500 turns it into 503 as well."""
    client_a.raise_request_exception = False

    def database_gone(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "load", database_gone)
    with caplog.at_level(logging.WARNING):
        response = client_a.get(reverse("kandidaten:inbox"))

    check_error_page(response, 503, caplog)
    assert response["Retry-After"] == str(errors.RETRY_AFTER_UNAVAILABLE)


def test_503_leaves_no_half_saved_rows(anonymous, caplog):
    """Requests are atomic: the row the view saved before the database went away is not kept."""
    before = Region.objects.count()

    response = anonymous.get("/test-fouten/half-opgeslagen/")

    check_error_page(response, 503, caplog)
    assert Region.objects.count() == before
    assert not Region.objects.filter(slug="half-opgeslagen").exists()


def test_every_error_id_is_new(anonymous, caplog):
    ids = {check_error_page(anonymous.get("/nergens/"), 404, caplog) for _ in range(5)}

    assert len(ids) == 5


def test_the_error_pages_are_in_english_for_who_chose_english(anonymous, caplog):
    anonymous.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = anonymous.get("/nergens/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "Error code" in response.content.decode()


def test_503_when_postgresql_does_not_answer(tmp_path):
    """End to end, in a fresh interpreter whose DATABASE_URL points at a port where nothing listens:
    the home page and the intake answer 503 with Retry-After instead of a server error."""
    code = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "c = Client(raise_request_exception=False);"
        "pages = [c.get('/'), c.get('/aanmelden/'), c.post('/aanmelden/', {'first_name': 'Anouk'})];"
        "print(*[f\"{r.status_code}:{r.get('Retry-After')}:{'Foutcode' in r.content.decode()}\" for r in pages])"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "contactpunt.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/contactpunt_onbereikbaar",
        "REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode == 0, result.stderr
    retry = errors.RETRY_AFTER_UNAVAILABLE
    assert result.stdout.split() == [f"503:{retry}:True"] * 3, result.stdout + result.stderr[-2000:]


def test_the_expired_form_page_has_an_error_id_too(region_a, caplog):
    strict = Client(enforce_csrf_checks=True)
    strict.get(reverse("kandidaten:intake"))

    response = strict.post(reverse("kandidaten:intake"), {"csrfmiddlewaretoken": "verlopen", "first_name": "Anouk"})

    body = response.content.decode()
    assert response.status_code == 403
    assert "Het formulier is verlopen" in body
    [error_id] = ERROR_ID.findall(body)
    [line] = [line for line in error_log_lines(caplog) if f"error_id={error_id}" in line]
    assert "status=403 method=POST route=aanmelden/" in line
    assert "Anouk" not in line
