"""Two partners with a key each, and a hand-off as the welcome panel would send it."""

import json

import pytest
from django.test import Client

from api.factories import partner_key

URL = "/api/v1/aanmeldingen/"


def hand_off_body(**changes) -> dict:
    body = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne.devries@example.org",
        "phone": "06 12345678",
        "postcode": "9711 AB",
        "situation": "job_seeker",
        "education_level": 40,
        "max_travel_km": 15,
        "consent_contact": True,
        "conversation_notes": "Wil graag meelopen op een afdeling met ouderen.",
        "partner_reference": "WP-2026-0042",
    }
    return {**body, **changes}


class PartnerClient:
    """The test client with a partner's key in the Authorization header."""

    def __init__(self, key: str):
        self.key = key
        self.client = Client()

    def headers(self, **extra) -> dict:
        return {"Authorization": f"Bearer {self.key}", **extra}

    def post(self, path: str, body, *, idempotency_key: str | None = None, **headers):
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", headers=self.headers(**headers))

    def get(self, path: str, params=None, **headers):
        return self.client.get(path, params or {}, headers=self.headers(**headers))


@pytest.fixture
def welcome_panel(region_a, region_b):
    return partner_key(name="Landelijk welkomstpanel", slug="welkomstpanel")


@pytest.fixture
def other_partner(db):
    return partner_key(name="Andere partner", slug="andere-partner")


@pytest.fixture
def panel(welcome_panel) -> PartnerClient:
    return PartnerClient(welcome_panel[1])


@pytest.fixture
def other(other_partner) -> PartnerClient:
    return PartnerClient(other_partner[1])
