"""Changing or deleting a candidate in the admin goes to the audit log and the timeline, not to
Django's admin log (whose object_repr would keep the name after erasure)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import AuditEvent
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, TimelineEvent

pytestmark = pytest.mark.django_db


def admin_form(candidate, **changes) -> dict:
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "postcode": candidate.postcode,
        "place": candidate.place,
        "region": candidate.region_id,
        "situation": candidate.situation,
        "education_level": candidate.education_level,
        "diplomas": "",
        "max_travel_km": candidate.max_travel_km,
        "support_needs": "",
        "source": candidate.source,
        "source_tag": "",
        "message": "",
        "status": candidate.status,
        "stop_reason": "",
        "assigned_to": "",
        "signed_up_at_0": timezone.localtime(candidate.signed_up_at).strftime("%Y-%m-%d"),
        "signed_up_at_1": timezone.localtime(candidate.signed_up_at).strftime("%H:%M:%S"),
        # The page's hidden copies of the shown time, which Django compares to see what changed.
        "initial-signed_up_at_0": timezone.localtime(candidate.signed_up_at).strftime("%d-%m-%Y"),
        "initial-signed_up_at_1": timezone.localtime(candidate.signed_up_at).strftime("%H:%M:%S"),
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
        "consents-MIN_NUM_FORMS": "0",
        "consents-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_an_admin_change_is_audited_by_field_name_and_shown_in_the_timeline(
    administrator_client, administrator, region_a
):
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen", place="Groningen")
    url = reverse("admin:kandidaten_candidate_change", args=[anna.pk])

    response = administrator_client.post(url, admin_form(anna, place="Haren"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    anna.refresh_from_db()
    assert anna.place == "Haren"
    change = AuditEvent.objects.get(action="change")
    assert (change.actor, change.object_type, change.object_id, change.fields) == (
        administrator,
        "kandidaten.candidate",
        anna.pk,
        ["place"],
    )
    edit = anna.timeline.get(kind=TimelineEvent.Kind.EDIT)
    assert (edit.actor, edit.data) == (administrator, {"changed": ["place"]})
    assert not LogEntry.objects.filter(object_repr__icontains="Jansen").exists()


def test_an_admin_deletion_is_audited_as_an_erasure_by_id(administrator_client, administrator, region_a):
    anna = CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")
    pk = anna.pk

    response = administrator_client.post(reverse("admin:kandidaten_candidate_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Candidate.objects.filter(pk=pk).exists()
    erase = AuditEvent.objects.get(action="erase")
    assert (erase.actor, erase.object_type, erase.object_id) == (administrator, "kandidaten.candidate", pk)
    assert not LogEntry.objects.filter(object_repr__icontains="Jansen").exists()
