"""Personas every test can use: two regions, their coordinators, an administrator, an employer."""

import factory.random
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from contactpunt.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    RegionFactory,
    RegionPostcodeRangeFactory,
)
from contactpunt.testing import log_in
from kandidaten.forms import forget_reference_lines
from kandidaten.matching import forget_reference_data
from werkgevers.factories import EmployerFactory, LocationFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _isolated(request, settings, tmp_path):
    """Every test starts with an empty cache (rate limits) and its own media folder.

    Factory names are seeded per test, so a test that checks a name is absent cannot fail on the day
    Faker happens to give a coordinator that same name, whatever order the tests run in. Every test
    starts in Dutch: a request of an earlier test with the English language cookie leaves English
    active in the thread.
    """
    factory.random.reseed_random(request.node.nodeid)
    translation.activate(django_settings.LANGUAGE_CODE)
    cache.clear()
    if "process" in settings.CACHES:  # the services tests replace CACHES with their own Redis
        caches["process"].clear()
    forget_reference_data()
    forget_reference_lines()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()
    forget_reference_data()
    forget_reference_lines()


@pytest.fixture
def region_a(db):
    region = RegionFactory(name="Noord-Nederland", slug="noord-nederland")
    RegionPostcodeRangeFactory(region=region, start="9000", end="9999")
    return region


@pytest.fixture
def region_b(db):
    region = RegionFactory(name="Utrecht", slug="utrecht")
    RegionPostcodeRangeFactory(region=region, start="3400", end="3999")
    return region


@pytest.fixture
def coordinator_a(region_a):
    return CoordinatorFactory(email="coordinator.a@contactpunt.example", regions=[region_a])


@pytest.fixture
def coordinator_b(region_b):
    return CoordinatorFactory(email="coordinator.b@contactpunt.example", regions=[region_b])


@pytest.fixture
def administrator(db):
    return AdministratorFactory(email="beheer@contactpunt.example")


@pytest.fixture
def organisation_a(region_a):
    """An employer in region A (Noord-Nederland) with one location there."""
    organisation = OrganisationFactory(name="Zorggroep Noord", kvk_number="11111111", home_region=region_a)
    LocationFactory(organisation=organisation, name="De Linde", postcode="9711 AB", place="Groningen", region=region_a)
    return organisation


@pytest.fixture
def organisation_b(region_b):
    """An employer in region B (Utrecht) with one location there."""
    organisation = OrganisationFactory(name="Zorg Utrecht", kvk_number="22222222", home_region=region_b)
    LocationFactory(organisation=organisation, name="Het Baken", postcode="3511 AA", place="Utrecht", region=region_b)
    return organisation


@pytest.fixture
def employer_a(organisation_a):
    return EmployerFactory(email="werkgever.a@zorg.example", organisation=organisation_a)


@pytest.fixture
def employer_b(organisation_b):
    return EmployerFactory(email="werkgever.b@zorg.example", organisation=organisation_b)


@pytest.fixture
def employer_user(employer_a):
    return employer_a


def _logged_in(user) -> Client:
    """A client logged in as `user`; coordinators and administrators also verified their code."""
    return log_in(Client(), user)


@pytest.fixture
def client_a(coordinator_a):
    return _logged_in(coordinator_a)


@pytest.fixture
def client_b(coordinator_b):
    return _logged_in(coordinator_b)


@pytest.fixture
def administrator_client(administrator):
    return _logged_in(administrator)


@pytest.fixture
def employer_client(employer_user):
    return _logged_in(employer_user)


@pytest.fixture
def employer_a_client(employer_a):
    return _logged_in(employer_a)


@pytest.fixture
def employer_b_client(employer_b):
    return _logged_in(employer_b)
