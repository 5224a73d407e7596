"""A public sign-up, with a real Celery worker: the request stores the sign-up and queues its follow-up;
the worker follows it up (it queues the region coordinator's "new candidate" notice and the candidate's
confirmation, and matches), sends both e-mails and stores the matches."""

from __future__ import annotations

import time

import pytest

from contactpunt.factories import MunicipalityFactory, PostcodeAreaFactory
from contactpunt.models import NextStep, Notification, OutboxMail
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, Match, TimelineEvent
from werkgevers.factories import LocationFactory, OfferFactory

from .conftest import sent_messages, wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def open_day(region_a, organisation_a):
    """An open day in Haren (9751), 5 km from the candidate's Groningen (9711)."""
    municipality = MunicipalityFactory()
    PostcodeAreaFactory(pc4="9711", latitude=53.2194, longitude=6.5665, municipality=municipality)
    PostcodeAreaFactory(pc4="9751", latitude=53.17, longitude=6.605, municipality=municipality, place_names="Haren")
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", place="Haren", region=region_a)
    return OfferFactory(organisation=organisation_a, location=location, kind="open_huis", title="Open huis De Linde")


def test_a_sign_up_is_matched_and_its_coordinator_mailed_by_the_worker(
    worker, client, coordinator_a, coordinator_b, open_day
):
    data = intake_form_data(postcode="9711 AB", next_steps=[NextStep.objects.get(slug="open-huis").pk])

    started = time.monotonic()
    response = client.post("/aanmelden/", data)
    assert time.monotonic() - started < 5

    assert response.status_code == 302
    assert response.headers["Location"] == "/aanmelden/bedankt/"
    anna = Candidate.objects.get()
    # The web request only saved the sign-up; the worker follows it up, once.
    event = TimelineEvent.objects.get(candidate=anna, kind=TimelineEvent.Kind.SIGNUP)
    assert wait_for(lambda: TimelineEvent.objects.filter(pk=event.pk, followed_up_at__isnull=False).exists()), (
        "the sign-up was not followed up within 20 s"
    )
    assert wait_for(lambda: Match.objects.filter(candidate=anna).exists()), "no match stored within 20 s"
    match = Match.objects.get(candidate=anna)
    assert match.offer == open_day
    assert match.status == Match.Status.NEW
    assert match.score > 0

    assert OutboxMail.objects.count() == 2  # queued by the follow-up, in its transaction
    assert wait_for(lambda: not OutboxMail.objects.filter(sent_at__isnull=True).exists()), (
        "the worker did not send every mail within 20 s"
    )
    messages = {message["To"]: message for message in sent_messages(worker.mail_dir)}
    assert sorted(messages) == ["anna.devries@example.org", "coordinator.a@contactpunt.example"]
    assert messages["coordinator.a@contactpunt.example"]["Subject"] == "Nieuwe kandidaat in Noord-Nederland: Anna"
    assert (
        f"/dashboard/kandidaten/{anna.pk}/"
        in messages["coordinator.a@contactpunt.example"].get_body(("plain",)).get_content()
    )
    assert messages["anna.devries@example.org"]["Subject"] == "We hebben je aanmelding ontvangen"
    assert list(OutboxMail.objects.values_list("attempts", flat=True)) == [1, 1]
    # The coordinator of the other region hears nothing; coordinator A also sees it in the portal.
    [notification] = Notification.objects.all()
    assert notification.user == coordinator_a
    assert notification.title == "Nieuwe kandidaat in Noord-Nederland: Anna uit Groningen"
