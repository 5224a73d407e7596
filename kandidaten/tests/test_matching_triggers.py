"""Matching follows changes: a sign-up, an edit, a published offer — after the commit, in Celery."""

import pytest
from django.urls import reverse

from contactpunt.factories import MunicipalityFactory, PostcodeAreaFactory
from contactpunt.models import NextStep
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, Match
from werkgevers import offers
from werkgevers.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_day(region_a, organisation_a):
    municipality = MunicipalityFactory()
    PostcodeAreaFactory(pc4="9711", latitude=53.2194, longitude=6.5665, municipality=municipality)
    PostcodeAreaFactory(pc4="9751", latitude=53.17, longitude=6.605, municipality=municipality)
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", region=region_a)
    return OfferFactory(organisation=organisation_a, location=location, kind="open_huis", title="Open huis De Linde")


def test_a_sign_up_is_matched_once_committed(client, open_day, django_capture_on_commit_callbacks):
    data = intake_form_data(postcode="9711 AB", next_steps=[NextStep.objects.get(slug="open-huis").pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kandidaten:intake"), data)

    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.candidate, match.offer) == (Candidate.objects.get(), open_day)


def test_publishing_an_offer_matches_it(
    region_a, organisation_a, employer_a, open_day, django_capture_on_commit_callbacks
):
    from kandidaten.factories import CandidateFactory

    person = CandidateFactory(region=region_a, postcode="9711 AB")
    person.next_steps.set(NextStep.objects.filter(slug="meeloopdag"))
    location = LocationFactory(organisation=organisation_a, postcode="9751 BB", region=region_a)
    draft = OfferFactory(organisation=organisation_a, location=location, status="draft")

    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_publish(offer=draft, actor=employer_a)

    assert Match.objects.filter(candidate=person, offer=draft).exists()


def test_a_broker_that_is_down_does_not_fail_the_sign_up(
    client, open_day, monkeypatch, django_capture_on_commit_callbacks
):
    from kandidaten import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.match_candidate, "delay", down)
    data = intake_form_data(postcode="9711 AB", next_steps=[NextStep.objects.get(slug="open-huis").pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kandidaten:intake"), data)

    assert response.status_code == 302
    assert Candidate.objects.count() == 1
    assert not Match.objects.exists()  # the nightly rematch catches up
