"""The same hand-off posted 50 times at once with one Idempotency-Key makes one candidate (PostgreSQL)."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from api.factories import partner_key
from api.models import Handoff
from kandidaten.models import Candidate, ContactMoment

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REQUESTS = 50
BODY = {
    "first_name": "Sanne",
    "last_name": "de Vries",
    "email": "sanne.devries@example.org",
    "phone": "06 12345678",
    "postcode": "9711 AB",
    "situation": "job_seeker",
    "education_level": 40,
    "max_travel_km": 15,
    "consent_contact": True,
    "conversation_notes": "Belde het welkomstpanel.",
}


def test_fifty_concurrent_posts_with_one_key_make_one_candidate(region_a):
    _partner, key = partner_key(name="Welkomstpanel", slug="welkomstpanel")
    barrier = threading.Barrier(REQUESTS)
    answers: list[tuple[int, dict]] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                "/api/v1/aanmeldingen/",
                json.dumps(BODY),
                content_type="application/json",
                headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "0f8c5b0e-5a2e-4d9b-9a57-1c2d3e4f5a6b"},
            )
            answers.append((response.status_code, response.json()))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(answers) == REQUESTS
    assert {status for status, _body in answers} == {201}
    assert len({body["id"] for _status, body in answers}) == 1
    assert Candidate.objects.count() == 1
    assert Handoff.objects.count() == 1
    assert ContactMoment.objects.count() == 1
