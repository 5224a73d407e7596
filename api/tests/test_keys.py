"""Keys: stored hashed, revoked at once, rotated with a day's grace, scoped to what the partner may do."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from api.keys import revoke_key, rotate_key
from api.models import ApiKey, Scope

from .conftest import URL, PartnerClient, hand_off_body

pytestmark = pytest.mark.django_db
ACTIVITIES = "/api/v1/activiteiten/"


def test_only_a_hash_of_the_key_is_stored(welcome_panel):
    partner, secret = welcome_panel
    key = ApiKey.objects.get(partner=partner)

    assert secret.startswith(f"cp_{key.prefix}_")
    assert secret.split("_", 2)[2] not in key.secret_hash
    assert len(key.secret_hash) == 64


@pytest.mark.parametrize(
    "header",
    ["", "Bearer cp_00000000_nope", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer cp_"],
    ids=["none", "unknown", "malformed", "other scheme", "empty"],
)
def test_without_a_valid_key_the_answer_is_401(client, welcome_panel, header):
    headers = {"Authorization": header} if header else {}

    response = client.get(ACTIVITIES, headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"detail"}


def test_a_revoked_key_gets_401_at_once(welcome_panel, panel):
    assert panel.get(ACTIVITIES).status_code == 200

    revoke_key(ApiKey.objects.get(partner=welcome_panel[0]))

    assert panel.get(ACTIVITIES).status_code == 401


def test_a_rotated_key_works_for_a_day_beside_the_new_one(welcome_panel, panel):
    issued = rotate_key(ApiKey.objects.get(partner=welcome_panel[0]))
    new = PartnerClient(issued.secret)

    assert panel.get(ACTIVITIES).status_code == 200
    assert new.get(ACTIVITIES).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert panel.get(ACTIVITIES).status_code == 401
        assert new.get(ACTIVITIES).status_code == 200


def test_an_inactive_partner_gets_401(welcome_panel, panel):
    partner = welcome_panel[0]
    partner.active = False
    partner.save()

    assert panel.get(ACTIVITIES).status_code == 401


def test_a_key_may_only_do_what_its_partner_may(welcome_panel, panel):
    partner = welcome_panel[0]
    partner.scopes = [Scope.ACTIVITIES]
    partner.save()

    assert panel.get(ACTIVITIES).status_code == 200
    response = panel.post(URL, hand_off_body())
    assert response.status_code == 403
    assert response.json() == {"detail": "Deze API-sleutel mag dit niet."}
