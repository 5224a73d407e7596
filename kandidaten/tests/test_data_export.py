"""The JSON download: everything about the person that they may see, nothing coordinators wrote."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kandidaten.models import TimelineEvent

from .privacy_world import EMAIL, FIRST_NAME, LAST_NAME, build_world, signed_in_client

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("kandidaten:privacy_download")


@pytest.fixture
def world(region_a, coordinator_a, employer_a, organisation_a, django_capture_on_commit_callbacks):
    return build_world(
        region=region_a,
        coordinator=coordinator_a,
        employer=employer_a,
        organisation=organisation_a,
        capture=django_capture_on_commit_callbacks,
    )


@pytest.fixture
def download(world):
    response = signed_in_client(world.candidate).get(DOWNLOAD)
    assert response.status_code == 200
    return response


def test_it_is_a_json_attachment_that_no_cache_keeps(download):
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    assert download["Cache-Control"] == "no-store"


def test_it_holds_the_candidate_fields(download, world):
    data = json.loads(download.content)
    person = data["candidate"]

    assert (person["first_name"], person["last_name"], person["email"]) == (FIRST_NAME, LAST_NAME, EMAIL)
    assert person["phone"] == "+31612398765"
    assert person["postcode"] == "9711 AB"
    assert person["contact_point"] == world.candidate.region.name
    assert person["status"] == "In contact"
    assert person["branches"] == ["VVT / ouderenzorg"]
    assert person["message"].startswith("Groet van")
    assert person["support_needs"]  # what they told us themselves is theirs
    assert person["signed_up_at"]


def test_it_holds_every_consent_with_its_version(download, world):
    consents = json.loads(download.content)["consents"]

    assert len(consents) == world.candidate.consents.count()
    assert {consent["granted"] for consent in consents} == {True, False}
    assert all(consent["privacy_statement_version"] for consent in consents)


def test_it_holds_registrations_and_introductions_as_the_person_may_see_them(download):
    data = json.loads(download.content)

    assert {row["status"] for row in data["activity_registrations"]} == {"Aangemeld", "Aanwezig geweest"}
    assert len(data["introductions"]) == 2
    assert {row["organisation"] for row in data["introductions"]} == {"Zorggroep Noord"}
    for row in data["introductions"]:
        assert set(row) == {"offer", "kind", "organisation", "date", "status"}


def test_it_holds_the_history_in_plain_terms(download):
    data = json.loads(download.content)
    history = [line["what"] for line in data["history"]]

    assert history[0] == "Je hebt je aangemeld."
    assert "Je hebt gesproken met een coördinator." in history
    assert any(line.startswith("Je bent voorgesteld aan Zorggroep Noord") for line in history)
    assert "Je hebt een plek gekregen in een BBL-klas." in history
    assert len(data["contact_moments"]) == 1
    assert set(data["contact_moments"][0]) == {"date", "channel"}


def test_it_holds_nothing_a_coordinator_or_employer_wrote(download):
    text = download.content.decode()

    for internal in (
        "Gesprek met",
        "kan goed luisteren",
        "erg gemotiveerd",
        "past nu niet",
        "wil dit niet",
        "belt terug",
    ):
        assert internal not in text
    assert "woont dichtbij" not in text  # match reasons


def test_downloading_is_recorded_in_the_timeline(download, world):
    assert TimelineEvent.objects.filter(
        candidate=world.candidate, kind=TimelineEvent.Kind.SELF_SERVICE, data__action="exported"
    ).exists()


def test_the_download_needs_an_opened_link(client, world):
    response = client.get(DOWNLOAD)

    assert response.status_code == 403
    assert EMAIL not in response.content.decode()


def test_the_download_is_in_the_audit_log_by_id_only(download, world):
    from contactpunt.models import AuditEvent

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.object_type, event.object_id, event.actor) == ("kandidaten.candidate", world.candidate.pk, None)
