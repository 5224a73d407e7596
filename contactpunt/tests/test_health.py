import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

from contactpunt import health


@pytest.mark.django_db
def test_healthz_reports_database_and_eager_broker(client, settings):
    settings.REDIS_URL = ""  # the embedded default, also under make test-services

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("database unreachable")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.fixture(autouse=True)
def _migrations_not_checked_yet(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied_at", None)


def test_live_answers_without_the_database_or_redis(client, settings, monkeypatch):
    """No django_db mark: pytest-django fails the test if the view touches the database."""
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
    monkeypatch.setattr(health, "broker_status", lambda: pytest.fail("liveness must not ask Redis"))

    response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_the_database_answers_with_every_migration(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "broker": "eager"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_ready_while_the_database_is_down(client, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("database unreachable")

    monkeypatch.setattr(health, "connection", DownConnection())

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["migrations"] == "unknown"


def _plan_with_one_migration_to_apply(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])


@pytest.mark.django_db
def test_not_ready_while_a_migration_of_this_code_is_not_applied(client, monkeypatch):
    _plan_with_one_migration_to_apply(monkeypatch)

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


@pytest.mark.django_db
def test_ready_stays_ready_without_redis(client, settings, monkeypatch):
    """Sign-ups are stored without Redis and swept into the queue later: no reason to take traffic away."""
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"
    monkeypatch.setattr(health, "broker_status", lambda: "error")

    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_applied_migrations_are_checked_again_only_after_a_while(monkeypatch):
    assert health.migrations_status() == "ok"
    _plan_with_one_migration_to_apply(monkeypatch)

    assert health.migrations_status() == "ok"  # kept from the first check
    monkeypatch.setattr(health, "MIGRATIONS_CHECK_SECONDS", 0)
    assert health.migrations_status() == "pending"


def test_production_answers_probes_over_plain_http_and_redirects_pages(tmp_path):
    """A probe asks the process itself, without the proxy's X-Forwarded-Proto: no redirect to HTTPS."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import django; django.setup();"
        "from django.test import Client; client = Client();"
        "print(*(client.get(path).status_code for path in ('/healthz/live', '/healthz/ready', '/over/')))"
    )
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "contactpunt.settings.production",
        "DJANGO_SECRET_KEY": "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, str(root)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "503", "301"]  # an empty database: not ready
