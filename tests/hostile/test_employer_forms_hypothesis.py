"""Random and hostile posts to every form of the employer portal: never a server error, a refused
post changes nothing (no rows, the edited object as it was), an accepted one is saved complete.
Forms: offer create and edit, the organisation, a location, a contact person (new and edit), the
answer to an introduction, a story with its photo, a poster."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given

from campagne.factories import PublishedStoryFactory
from campagne.models import Poster, Story
from campagne.tests.story_helpers import story_data
from werkgevers.factories import ContactPersonFactory, IntroductionFactory, OfferFactory, PlaceOfferFactory
from werkgevers.models import ContactPerson, Introduction, Location, Offer, OfferKind
from werkgevers.tests.offers_helpers import form_data as offer_data

from .hostile import broken, fresh_world, post_and_check

pytestmark = pytest.mark.django_db


# The strategies are built before the fixtures exist: the organisation reaches them through here.
_ORGANISATION: list = []


@pytest.fixture(autouse=True)
def _organisation_for_strategies(organisation_a):
    _ORGANISATION[:] = [organisation_a]


def _one_more(model, before: int):
    return lambda: model.objects.count() == before + 1


# Offers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [OfferKind.MEELOOPDAG, OfferKind.VACATURE, OfferKind.BBL_PLEK])
def test_a_valid_offer_is_saved(employer_a_client, organisation_a, kind):
    url = f"{reverse('werkgevers:offer_create')}?soort={kind}"
    with fresh_world():
        saved = _one_more(Offer, Offer.objects.count())
        assert post_and_check(employer_a_client, url, offer_data(kind, organisation_a), saved=saved).status_code == 302


@given(data=broken(lambda: offer_data(OfferKind.MEELOOPDAG, _ORGANISATION[0])))
def test_hostile_new_activities(employer_a_client, organisation_a, data):
    url = f"{reverse('werkgevers:offer_create')}?soort={OfferKind.MEELOOPDAG}"
    with fresh_world():
        post_and_check(employer_a_client, url, data, saved=_one_more(Offer, Offer.objects.count()))


@given(data=broken(lambda: offer_data(OfferKind.BBL_PLEK, _ORGANISATION[0])))
def test_hostile_new_bbl_places(employer_a_client, organisation_a, data):
    url = f"{reverse('werkgevers:offer_create')}?soort={OfferKind.BBL_PLEK}"
    with fresh_world():
        post_and_check(employer_a_client, url, data, saved=_one_more(Offer, Offer.objects.count()))


@pytest.fixture
def activity(organisation_a):
    return OfferFactory(organisation=organisation_a, title="Meeloopdag De Linde", capacity=8)


@given(data=broken(lambda: offer_data(OfferKind.MEELOOPDAG, _ORGANISATION[0], title="Meeloopdag")))
def test_hostile_offer_edits(employer_a_client, organisation_a, activity, data):
    with fresh_world():
        post_and_check(employer_a_client, reverse("werkgevers:offer_edit", args=[activity.pk]), data, watch=[activity])


# The organisation, its locations and contact people ----------------------------------------------


def organisation_data() -> dict:
    from contactpunt.models import Branch

    return {
        "name": "Zorggroep Noord & Oost",
        "website": "zorggroepnoord.example",
        "branches": [Branch.objects.first().pk],
    }


@given(data=broken(organisation_data))
def test_hostile_organisation_edits(employer_a_client, organisation_a, data):
    with fresh_world():
        post_and_check(employer_a_client, reverse("werkgevers:organisation_edit"), data, watch=[organisation_a])


def location_data() -> dict:
    return {"name": "Het Anker", "street": "Oudegracht 10", "postcode": "3511 AB", "place": "Utrecht", "active": "on"}


def test_a_valid_location_is_saved(employer_a_client, organisation_a):
    with fresh_world():
        saved = _one_more(Location, Location.objects.count())
        url = reverse("werkgevers:location_create")
        assert post_and_check(employer_a_client, url, location_data(), saved=saved).status_code == 302


@given(data=broken(location_data))
def test_hostile_new_locations(employer_a_client, organisation_a, data):
    with fresh_world():
        saved = _one_more(Location, Location.objects.count())
        post_and_check(employer_a_client, reverse("werkgevers:location_create"), data, saved=saved)


@given(data=broken(location_data))
def test_hostile_location_edits(employer_a_client, organisation_a, data):
    location = organisation_a.locations.get()
    with fresh_world():
        url = reverse("werkgevers:location_edit", args=[location.pk])
        post_and_check(employer_a_client, url, data, watch=[location])


def contact_person_data() -> dict:
    return {"name": "Wim Wiersma", "email": "w.wiersma@zorg.example", "phone": "050 1234567"}


@given(data=broken(contact_person_data))
def test_hostile_new_contact_people(employer_a_client, organisation_a, data):
    with fresh_world():
        saved = _one_more(ContactPerson, ContactPerson.objects.count())
        post_and_check(employer_a_client, reverse("werkgevers:contact_person_create"), data, saved=saved)


@given(data=broken(contact_person_data))
def test_hostile_contact_person_edits(employer_a_client, organisation_a, data):
    person = ContactPersonFactory(organisation=organisation_a, name="Petra de Vries", email="petra@zorg.example")
    with fresh_world():
        url = reverse("werkgevers:contact_person_edit", args=[person.pk])
        post_and_check(employer_a_client, url, data, watch=[person])


# Answering an introduction -----------------------------------------------------------------------


@pytest.fixture
def introduction(organisation_a, region_a):
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    return IntroductionFactory(offer=offer, candidate__region=region_a, status=Introduction.Status.PROPOSED)


@given(data=broken(lambda: {"decision": "not_suitable", "reason": "Geen plek op deze afdeling."}))
def test_hostile_introduction_answers(employer_a_client, introduction, data):
    with fresh_world():
        url = reverse("werkgevers:introduction_answer", args=[introduction.pk])
        post_and_check(employer_a_client, url, data, watch=[introduction])


# A story with its photo, and a poster ------------------------------------------------------------


def test_a_valid_story_is_saved_with_its_photo(employer_a_client, organisation_a):
    with fresh_world():
        saved = _one_more(Story, Story.objects.count())
        url = reverse("campagne:employer_story_create")
        assert post_and_check(employer_a_client, url, story_data(), saved=saved).status_code == 302
        assert Story.objects.get().photo


@given(data=broken(story_data))
def test_hostile_stories(employer_a_client, organisation_a, data):
    with fresh_world():
        saved = _one_more(Story, Story.objects.count())
        post_and_check(employer_a_client, reverse("campagne:employer_story_create"), data, saved=saved)


@pytest.fixture
def story_a(organisation_a):
    return PublishedStoryFactory(organisation=organisation_a)


@given(
    data=broken(
        lambda: {
            "story": str(Story.objects.filter(organisation=_ORGANISATION[0]).values_list("pk", flat=True).first()),
            "person_name": "",
            "function_name": "",
            "quote": "Ik zorg met hart.",
            "organisation_name": "",
            "colour_scheme": "nacht",
        }
    )
)
def test_hostile_poster_requests(employer_a_client, story_a, data):
    with fresh_world():
        saved = _one_more(Poster, Poster.objects.count())
        post_and_check(employer_a_client, reverse("campagne:poster_create"), data, saved=saved)
