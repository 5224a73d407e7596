"""A partner hands off a candidate: the intake's fields and rules, routed by postcode, once per key."""

import pytest

from api.models import Handoff
from kandidaten.models import Candidate, ContactMoment, Source, Status

from .conftest import URL, hand_off_body

pytestmark = pytest.mark.django_db


def test_a_hand_off_lands_in_the_inbox_of_the_region_of_its_postcode(panel, client_a, client_b):
    response = panel.post(URL, hand_off_body(), idempotency_key="8d1f0b2e-0001")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert body["status_label"] == "Ontvangen"
    assert body["region"] == {"slug": "noord-nederland", "name": "Noord-Nederland"}
    assert body["partner_reference"] == "WP-2026-0042"
    assert response["Location"] == body["status_url"]
    assert body["status_url"].endswith(f"/api/v1/aanmeldingen/{body['id']}/status/")
    candidate = Candidate.objects.get()
    assert candidate.region.slug == "noord-nederland"
    assert candidate.source == Source.WELCOME_PANEL
    assert candidate.status == Status.NEW
    # The panel's conversation is kept, but is not the contact point's first contact.
    assert candidate.first_contact_at is None
    notes = ContactMoment.objects.get(candidate=candidate)
    assert "Wil graag meelopen" in notes.summary and "Landelijk welkomstpanel" in notes.summary
    assert "Sanne de Vries" in client_a.get("/dashboard/").content.decode()
    assert "Sanne de Vries" not in client_b.get("/dashboard/").content.decode()


def test_errors_come_per_field_in_the_intake_forms_words_and_nothing_is_saved(panel):
    response = panel.post(URL, hand_off_body(postcode="97", consent_contact=False, branches=["geen-branche"]))

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["errors"]["postcode"] == [
        "Vul een Nederlandse postcode in: vier cijfers en twee letters, bijvoorbeeld 9711 AB."
    ]
    assert "consent_contact" in body["errors"]
    assert body["errors"]["branches"] == ["Kies een van de mogelijkheden uit de lijst."]
    assert not Candidate.objects.exists()
    assert not Handoff.objects.exists()


def test_reference_items_are_named_by_slug(panel):
    response = panel.post(URL, hand_off_body(branches=["ziekenhuis"], target_groups=["zij-instromer"]))

    assert response.status_code == 201, response.json()
    candidate = Candidate.objects.get()
    assert [branch.slug for branch in candidate.branches.all()] == ["ziekenhuis"]


def test_the_same_key_gives_the_same_answer_and_one_candidate(panel):
    first = panel.post(URL, hand_off_body(), idempotency_key="retry-me")
    again = panel.post(URL, hand_off_body(), idempotency_key="retry-me")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1
    assert Handoff.objects.count() == 1
    assert ContactMoment.objects.count() == 1


def test_the_same_key_with_other_data_is_refused(panel):
    panel.post(URL, hand_off_body(), idempotency_key="once")

    response = panel.post(URL, hand_off_body(first_name="Anna"), idempotency_key="once")

    assert response.status_code == 409
    assert Candidate.objects.get().first_name == "Sanne"


def test_another_partner_may_use_the_same_key_for_its_own_hand_off(panel, other):
    panel.post(URL, hand_off_body(), idempotency_key="shared")

    response = other.post(URL, hand_off_body(email="piet@example.org", phone="06 23456789"), idempotency_key="shared")

    assert response.status_code == 201
    assert Handoff.objects.count() == 2


def test_a_person_known_already_is_updated_not_doubled(panel):
    panel.post(URL, hand_off_body())

    response = panel.post(URL, hand_off_body(postcode="3511 AA"))

    assert response.status_code == 201
    assert Candidate.objects.count() == 1
    assert Handoff.objects.count() == 2
    assert response.json()["region"]["slug"] == "utrecht"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("[1, 2]", "application/json"), ('{"first_name": ', "application/json"), ("first_name=Sanne", "text/plain")],
    ids=["not an object", "broken JSON", "not JSON"],
)
def test_a_body_that_is_no_json_object_is_refused_cleanly(panel, body, content_type):
    response = panel.client.post(URL, body, content_type=content_type, headers=panel.headers())

    assert response.status_code in (400, 415)
    assert set(response.json()) == {"detail"}
    assert not Candidate.objects.exists()


def test_a_malformed_idempotency_key_is_refused(panel):
    response = panel.post(URL, hand_off_body(), idempotency_key="x" * 101)

    assert response.status_code == 400
    assert not Candidate.objects.exists()


def test_the_coordinators_are_told_and_the_person_gets_the_confirmation(
    panel, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panel.post(URL, hand_off_body())

    recipients = {address for mail in mailoutbox for address in mail.to}
    assert "sanne.devries@example.org" in recipients
    assert "coordinator.a@contactpunt.example" in recipients


def test_the_timeline_says_a_partner_handed_the_person_off(panel, client_a):
    panel.post(URL, hand_off_body())

    page = client_a.get(f"/dashboard/kandidaten/{Candidate.objects.get().pk}/").content.decode()
    assert "Overgedragen door een partner" in page
    assert "Notities van Landelijk welkomstpanel: Wil graag meelopen" in page
