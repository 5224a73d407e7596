"""Random and hostile posts to every public form: never a server error, a refused post saves
nothing, an accepted one saves all of it. Forms: the intake at /aanmelden/, the sign-up for an agenda
activity, the employer's access request, the password reset, the login; and the gallery's search
and filters (GET parameters), which must answer and write nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import intake_form_data
from kandidaten.models import Candidate, Consent, TimelineEvent
from werkgevers.factories import OfferFactory, agenda_signup_data
from werkgevers.models import AccessRequest, Registration

from .hostile import broken, fresh_world, hostile_text, post_and_check, snapshot

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-en-sterk-wachtwoord-42"


def _signed_up() -> bool:
    """A complete sign-up: the candidate with consents and a sign-up line in the timeline."""
    candidate = Candidate.objects.order_by("-id").first()
    return (
        candidate is not None
        and Consent.objects.filter(candidate=candidate).exists()
        and TimelineEvent.objects.filter(candidate=candidate, kind=TimelineEvent.Kind.SIGNUP).exists()
    )


def _client() -> Client:
    return Client(REMOTE_ADDR="192.0.2.10")


# The intake --------------------------------------------------------------------------------------


def test_the_valid_intake_is_saved_complete(region_a):
    with fresh_world():
        response = post_and_check(_client(), reverse("kandidaten:intake"), intake_form_data(), saved=_signed_up)
        assert response.status_code == 302


@given(data=broken(intake_form_data))
def test_hostile_intakes(region_a, data):
    with fresh_world():
        post_and_check(_client(), reverse("kandidaten:intake"), data, saved=_signed_up)


# Signing up for an activity in the agenda --------------------------------------------------------


@pytest.fixture
def activity(organisation_a):
    return OfferFactory(organisation=organisation_a, title="Informatiebijeenkomst VIG", capacity=3)


def _registered(activity) -> bool:
    activity.refresh_from_db()
    registration = Registration.objects.filter(offer=activity).first()
    return registration is not None and activity.registered_count >= 1 and _signed_up()


def test_the_valid_agenda_sign_up_is_saved_complete(activity):
    url = reverse("werkgevers:activity_signup", args=[activity.pk])
    with fresh_world():
        response = post_and_check(_client(), url, agenda_signup_data(), saved=lambda: _registered(activity))
        assert response.status_code == 302


@given(data=broken(agenda_signup_data))
def test_hostile_agenda_sign_ups(activity, data):
    url = reverse("werkgevers:activity_signup", args=[activity.pk])
    with fresh_world():
        post_and_check(_client(), url, data, watch=[activity], saved=lambda: _registered(activity))


# An employer asks for access ---------------------------------------------------------------------


def access_request_data() -> dict:
    return {
        "organisation_name": "Thuiszorg Het Wad",
        "kvk_number": "1234 5678",
        "contact_name": "Fenna Dijkstra",
        "email": "fenna@hetwad.example",
        "phone": "06 12345678",
        "postcode": "9712 CD",
        "message": "Wij willen graag meeloopdagen aanbieden.",
        "website": "",
    }


def test_the_valid_access_request_is_saved(region_a):
    with fresh_world():
        response = post_and_check(
            _client(), reverse("werkgevers:access_request"), access_request_data(), saved=AccessRequest.objects.exists
        )
        assert response.status_code == 302


@given(data=broken(access_request_data))
def test_hostile_access_requests(region_a, data):
    with fresh_world():
        post_and_check(_client(), reverse("werkgevers:access_request"), data, saved=AccessRequest.objects.exists)


# Password reset and login ------------------------------------------------------------------------


@pytest.fixture
def known_user(region_a):
    user = CoordinatorFactory(email="bekend@contactpunt.example", regions=[region_a])
    user.set_password(PASSWORD)
    user.save()
    return user


@given(data=broken(lambda: {"email": "bekend@contactpunt.example"}))
def test_hostile_password_resets(known_user, data):
    with fresh_world():
        post_and_check(_client(), reverse("password_reset"), data, watch=[known_user])


@given(data=broken(lambda: {"username": "bekend@contactpunt.example", "password": PASSWORD}))
def test_hostile_logins(known_user, data):
    with fresh_world():
        post_and_check(_client(), reverse("login"), data, watch=[known_user])


# The gallery's search and filters ----------------------------------------------------------------

GALLERY_PARAMETERS = ["q", "branch", "function", "region", "education", "life_stage", "side_entrant", "page"]


@given(
    params=st.dictionaries(
        st.sampled_from(GALLERY_PARAMETERS),
        st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3)),
        min_size=1,
        max_size=5,
    )
)
def test_hostile_gallery_searches(region_a, params):
    # GET parameters travel in the URL: keep them to what a URL can carry (a proxy cuts longer ones).
    params = {
        key: [v[:2000] for v in value] if isinstance(value, list) else value[:2000] for key, value in params.items()
    }
    with fresh_world():
        before = snapshot()
        response = _client().get(reverse("campagne:gallery"), params)
        assert response.status_code in (200, 400), response.status_code
        assert snapshot() == before
