"""The status pipeline: nieuw → in gesprek → doorverwezen → gestart, or gestopt with a reason."""

import pytest
from django.urls import reverse

from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, Status, StopReason, TimelineEvent

pytestmark = pytest.mark.django_db


def url(candidate) -> str:
    return reverse("kandidaten:candidate_status", args=[candidate.pk])


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", last_name="Jansen")


def test_follow_the_pipeline_to_started(client_a, coordinator_a, anna):
    for status, label in [
        (Status.IN_CONVERSATION, "In gesprek"),
        (Status.REFERRED, "Doorverwezen"),
        (Status.STARTED, "Gestart"),
    ]:
        response = client_a.post(url(anna), {"status": status}, follow=True)
        assert f"De status is nu {label}." in response.content.decode()
        anna.refresh_from_db()
        assert anna.status == status

    changes = list(anna.timeline.filter(kind=TimelineEvent.Kind.STATUS).order_by("created_at", "id"))
    assert [(event.data["from"], event.data["to"]) for event in changes] == [
        (Status.NEW, Status.IN_CONVERSATION),
        (Status.IN_CONVERSATION, Status.REFERRED),
        (Status.REFERRED, Status.STARTED),
    ]
    assert {event.actor for event in changes} == {coordinator_a}
    assert "Status: Doorverwezen → Gestart" in response.content.decode()


def test_stopping_needs_a_reason(client_a, anna):
    response = client_a.post(url(anna), {"status": Status.STOPPED, "note": "Geen tijd."})

    assert response.status_code == 200
    assert response.context["status_form"].errors["reason"] == ["Kies waarom de kandidaat stopt."]
    assert "Kies waarom de kandidaat stopt." in response.content.decode()
    assert "Geen tijd." in response.content.decode()
    anna.refresh_from_db()
    assert anna.status == Status.NEW


def test_stopping_with_a_reason_and_a_note(client_a, anna):
    response = client_a.post(
        url(anna),
        {"status": Status.STOPPED, "reason": StopReason.NO_LONGER_INTERESTED, "note": "Gaat studeren."},
        follow=True,
    )

    anna.refresh_from_db()
    assert anna.status == Status.STOPPED
    assert anna.stop_reason == StopReason.NO_LONGER_INTERESTED
    page = response.content.decode()
    assert "De status is nu Gestopt." in page
    assert "Gaat studeren." in page
    event = anna.timeline.get(kind=TimelineEvent.Kind.STATUS)
    assert event.data == {"from": "new", "to": "stopped", "reason": "no_longer_interested", "note": "Gaat studeren."}


def test_a_reason_without_stopping_is_not_kept(client_a, anna):
    client_a.post(url(anna), {"status": Status.IN_CONVERSATION, "reason": StopReason.MOVED})

    anna.refresh_from_db()
    assert anna.status == Status.IN_CONVERSATION
    assert anna.stop_reason == ""


def test_a_transition_the_pipeline_does_not_allow_gets_a_message(client_a, anna):
    Candidate.objects.filter(pk=anna.pk).update(status=Status.STARTED)

    response = client_a.post(url(anna), {"status": Status.REFERRED}, follow=True)

    assert response.status_code == 200
    assert "De status kan niet van Gestart naar Doorverwezen." in response.content.decode()
    anna.refresh_from_db()
    assert anna.status == Status.STARTED


def test_a_change_that_was_already_made_says_already_done(client_a, anna):
    # Two tabs: the first moves the candidate on, the second posts the same change again.
    client_a.post(url(anna), {"status": Status.IN_CONVERSATION})

    response = client_a.post(url(anna), {"status": Status.IN_CONVERSATION}, follow=True)

    assert "Dat is al gebeurd: de status is al In gesprek." in response.content.decode()
    assert anna.timeline.filter(kind=TimelineEvent.Kind.STATUS).count() == 1


def test_a_stopped_candidate_can_be_picked_up_again(client_a, anna):
    Candidate.objects.filter(pk=anna.pk).update(status=Status.STOPPED, stop_reason=StopReason.NOT_REACHABLE)

    client_a.post(url(anna), {"status": Status.IN_CONVERSATION})

    anna.refresh_from_db()
    assert anna.status == Status.IN_CONVERSATION
    assert anna.stop_reason == ""


@pytest.mark.parametrize("status", ["", "deleted", "NEW"])
def test_an_unknown_status_is_a_form_error(client_a, anna, status):
    response = client_a.post(url(anna), {"status": status})

    assert response.status_code == 200
    assert response.context["status_form"].errors["status"]
    anna.refresh_from_db()
    assert anna.status == Status.NEW


def test_an_unknown_reason_is_a_form_error(client_a, anna):
    response = client_a.post(url(anna), {"status": Status.STOPPED, "reason": "bored"})

    assert "Kies een van de mogelijkheden uit de lijst." in response.content.decode()


def test_get_is_not_allowed(client_a, anna):
    assert client_a.get(url(anna)).status_code == 405
