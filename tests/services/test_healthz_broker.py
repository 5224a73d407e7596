"""/healthz asks the real Redis whether the broker answers."""

import pytest

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_healthz_reports_the_broker_ok_while_redis_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_reports_a_broker_error_but_stays_up_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error"}
