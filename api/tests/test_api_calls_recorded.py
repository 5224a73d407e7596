"""Every call is recorded: which partner and key, what, the answer, from which network; never the body."""

import pytest

from api.models import ApiCall, Handoff
from contactpunt.models import AuditEvent

from .conftest import URL, hand_off_body

pytestmark = pytest.mark.django_db


def test_every_call_is_recorded_without_the_data_sent(panel, welcome_panel, client):
    panel.post(URL, hand_off_body(), REMOTE_ADDR="203.0.113.77")
    panel.post(URL, hand_off_body(email="kapot"))
    client.get("/api/v1/activiteiten/", headers={"Authorization": "Bearer cp_0badc0de_wrong"})

    calls = list(ApiCall.objects.order_by("id"))
    partner, _key = welcome_panel
    prefix = partner.keys.get().prefix
    assert [(call.operation, call.status_code, call.key_prefix) for call in calls] == [
        ("handoff_create", 201, prefix),
        ("handoff_create", 400, prefix),
        ("activity_list", 401, "0badc0de"),
    ]
    assert calls[0].partner == partner and calls[2].partner is None
    assert calls[0].handoff == Handoff.objects.get()
    assert calls[0].network == "127.0.0.0/24"
    recorded = " ".join(str(value) for call in calls for value in vars(call).values())
    assert "Sanne" not in recorded and "kapot" not in recorded


def test_the_new_candidate_is_in_the_audit_log(panel):
    panel.post(URL, hand_off_body())

    event = AuditEvent.objects.get(object_type="kandidaten.candidate")
    assert event.action == AuditEvent.Action.CREATE
    assert event.request_id == ApiCall.objects.get().request_id
