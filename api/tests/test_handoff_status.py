"""The status of a hand-off: for the partner who sent it only, and nothing about the person."""

import pytest

from api.models import Handoff
from kandidaten import services
from kandidaten.models import Channel, Status

from .conftest import URL, hand_off_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_off(panel):
    return panel.post(URL, hand_off_body(), idempotency_key="status-1").json()


def _status_path(body) -> str:
    return f"/api/v1/aanmeldingen/{body['id']}/status/"


def test_the_status_follows_the_person_through_the_funnel(panel, handed_off, coordinator_a):
    candidate = Handoff.objects.get().candidate
    assert panel.get(_status_path(handed_off)).json()["status"] == "received"

    services.contact_moment_log(
        candidate=candidate, actor=coordinator_a, details={"channel": Channel.PHONE, "summary": "Gebeld."}
    )
    assert panel.get(_status_path(handed_off)).json()["status"] == "contacted"

    for status, told in ((Status.REFERRED, "referred"), (Status.STARTED, "started")):
        services.candidate_change_status(candidate=candidate, status=status, actor=coordinator_a)
        assert panel.get(_status_path(handed_off)).json()["status"] == told


def test_the_status_holds_no_personal_details(panel, handed_off):
    response = panel.get(_status_path(handed_off))

    assert response.status_code == 200
    text = response.content.decode()
    for detail in ("Sanne", "Vries", "sanne.devries", "0612345678", "+31612345678", "9711", "meelopen"):
        assert detail not in text
    assert set(response.json()) == {
        "id",
        "status",
        "status_label",
        "region",
        "partner_reference",
        "created_at",
        "status_url",
    }


def test_a_partner_cannot_read_another_partners_hand_off(other, handed_off):
    response = other.get(_status_path(handed_off))

    assert response.status_code == 404
    assert response.json() == {"detail": "Er is geen overdracht van jou met dit id."}


@pytest.mark.parametrize("public_id", ["not-a-uuid", "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"])
def test_an_unknown_id_is_404_in_json(panel, public_id):
    response = panel.get(f"/api/v1/aanmeldingen/{public_id}/status/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_hand_off_follows_its_person_when_a_duplicate_is_merged(panel, handed_off, coordinator_a, region_a):
    from kandidaten.factories import CandidateFactory

    duplicate = Handoff.objects.get().candidate
    kept = CandidateFactory(region=region_a)
    services.candidate_change_status(candidate=kept, status=Status.IN_CONVERSATION, actor=coordinator_a)

    services.candidate_merge(keep=kept, remove=duplicate, actor=coordinator_a)

    assert Handoff.objects.get().candidate == kept
    assert panel.get(_status_path(handed_off)).json()["status"] == "contacted"
