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
