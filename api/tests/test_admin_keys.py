"""An administrator makes, rotates and revokes a partner's keys in the admin; a key is shown once."""

import re

import pytest
from django.urls import reverse

from api.factories import PartnerFactory
from api.models import ApiKey, Partner, Scope

from .conftest import PartnerClient

pytestmark = pytest.mark.django_db
ACTIVITIES = "/api/v1/activiteiten/"


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Welkomstpanel", slug="welkomstpanel")


def _key_on(page) -> str:
    return re.search(r'value="(cp_[0-9a-f]{8}_[^"]+)"', page.content.decode()).group(1)


def test_an_administrator_adds_a_partner_with_its_scopes(administrator_client):
    response = administrator_client.post(
        reverse("admin:api_partner_add"),
        {
            "name": "Werken in de Zorg",
            "slug": "werken-in-de-zorg",
            "active": "on",
            "scopes": [Scope.HAND_OFF],
            "source": "welcome_panel",
            "rate_limit": "60/min",
            "webhook_url": "https://partner.example/hooks",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get(slug="werken-in-de-zorg")
    assert partner.scopes == [Scope.HAND_OFF]
    assert len(partner.webhook_secret) > 30  # made for the webhook address


def test_a_bad_rate_limit_is_refused(administrator_client):
    response = administrator_client.post(
        reverse("admin:api_partner_add"),
        {"name": "X", "slug": "x", "scopes": [Scope.HAND_OFF], "source": "welcome_panel", "rate_limit": "veel"},
    )

    assert response.status_code == 200
    assert "120/min" in response.content.decode()
    assert not Partner.objects.filter(slug="x").exists()


def test_a_new_key_is_shown_once_and_works(administrator_client, administrator, partner):
    page = administrator_client.post(reverse("admin:api_partner_new_key", args=[partner.pk]), {"name": "productie"})

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    secret = _key_on(page)
    key = ApiKey.objects.get(partner=partner)
    assert (key.name, key.created_by) == ("productie", administrator)
    assert PartnerClient(secret).get(ACTIVITIES).status_code == 200
    listing = administrator_client.get(reverse("admin:api_partner_change", args=[partner.pk])).content.decode()
    assert f"cp_{key.prefix}_…" in listing
    assert secret not in listing


def test_rotating_and_revoking(administrator_client, partner):
    first = _key_on(administrator_client.post(reverse("admin:api_partner_new_key", args=[partner.pk])))
    old = ApiKey.objects.get(partner=partner)

    second = _key_on(administrator_client.post(reverse("admin:api_partner_rotate_key", args=[partner.pk, old.pk])))
    assert PartnerClient(first).get(ACTIVITIES).status_code == 200  # for another day
    assert PartnerClient(second).get(ACTIVITIES).status_code == 200

    administrator_client.post(reverse("admin:api_partner_revoke_key", args=[partner.pk, old.pk]))
    assert PartnerClient(first).get(ACTIVITIES).status_code == 401
    assert PartnerClient(second).get(ACTIVITIES).status_code == 200


def test_a_key_is_only_made_by_post(administrator_client, partner):
    administrator_client.get(reverse("admin:api_partner_new_key", args=[partner.pk]))

    assert not ApiKey.objects.exists()


def test_coordinators_and_employers_cannot_make_keys(client_a, employer_client, partner):
    for client in (client_a, employer_client):
        response = client.post(reverse("admin:api_partner_new_key", args=[partner.pk]))
        assert response.status_code in (302, 403)
    assert not ApiKey.objects.exists()
