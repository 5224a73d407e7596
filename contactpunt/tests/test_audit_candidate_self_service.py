"""What a candidate does with their personal link is in the audit log as the candidate's, even when a
portal user is logged in in the same browser; the administrator reads it as such."""

import pytest
from django.urls import reverse

from contactpunt.models import AuditEvent
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory
from kandidaten.tests.privacy_world import signed_in_client

pytestmark = pytest.mark.django_db


def test_a_download_through_the_personal_link_is_the_candidates(region_a, administrator_client):
    candidate = CandidateFactory(region=region_a, first_name="Tjitske", last_name="Bosma")

    assert signed_in_client(candidate).get(reverse("kandidaten:privacy_download")).status_code == 200

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.actor_role, event.object_id) == (None, "candidate", candidate.pk)
    page = administrator_client.get(reverse("audit_log"), {"action": "export"}).content.decode()
    assert "Kandidaat (persoonlijke link)" in page
    assert "Tjitske" not in page and "Bosma" not in page


def test_a_coordinator_logged_in_in_the_same_browser_is_not_named_as_the_actor(region_a, coordinator_a):
    candidate = CandidateFactory(region=region_a)
    browser = signed_in_client(candidate)
    log_in(browser, coordinator_a)  # with the code, as a coordinator really is

    assert browser.get(reverse("kandidaten:privacy_download")).status_code == 200

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.actor_role) == (None, "candidate")


def test_changing_consents_through_the_personal_link_is_recorded_by_name_only(region_a):
    candidate = CandidateFactory(region=region_a)
    browser = signed_in_client(candidate)

    response = browser.post(reverse("kandidaten:privacy_consents"), {"contact": "on", "campaign_news": "on"})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE)
    assert (event.actor_role, event.object_id, event.fields) == ("candidate", candidate.pk, ["consents"])
