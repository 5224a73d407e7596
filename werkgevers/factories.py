from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from contactpunt.factories import EmployerUserFactory, RegionFactory
from contactpunt.models import Branch, EducationLevel, Function

from .models import (
    Cohort,
    CohortPledge,
    ContactPerson,
    Introduction,
    Location,
    Offer,
    OfferKind,
    Organisation,
    Registration,
    new_token,
)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["kvk_number"]

    name = factory.Sequence(lambda n: f"Zorggroep {n}")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    website = factory.LazyAttribute(lambda o: f"https://{o.kvk_number}.zorg.example")
    home_region = factory.SubFactory(RegionFactory)


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    street = "Zorgstraat 1"
    postcode = "9711 AB"
    place = "Groningen"
    region = factory.LazyAttribute(lambda o: o.organisation.home_region)


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="nl_NL")
    job_title = "Recruiter"
    email = factory.Sequence(lambda n: f"contact{n}@zorg.example")
    phone = "+31501234567"


class EmployerFactory(EmployerUserFactory):
    """An employer user of an organisation (werkgever)."""

    organisation = factory.SubFactory(OrganisationFactory)


class OfferFactory(DjangoModelFactory):
    """A published public meeloopdag in two weeks, unless told otherwise."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = OfferKind.MEELOOPDAG
    title = factory.Sequence(lambda n: f"Meeloopdag {n}")
    description = "Loop een dag mee met een verzorgende IG."
    branch = factory.LazyFunction(lambda: Branch.objects.get(slug="vvt"))
    location = factory.SubFactory(LocationFactory, organisation=factory.SelfAttribute("..organisation"))
    contact_person = factory.SubFactory(ContactPersonFactory, organisation=factory.SelfAttribute("..organisation"))
    visibility = Offer.Visibility.PUBLIC
    status = Offer.Status.PUBLISHED
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=4) if o.starts_at else None)
    capacity = 5
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def functions(self, create, extracted, **kwargs):
        if create and extracted:
            self.functions.set(extracted)


class PlaceOfferFactory(OfferFactory):
    """A published BBL place."""

    kind = OfferKind.BBL_PLEK
    title = factory.Sequence(lambda n: f"BBL-plek VIG {n}")
    starts_at = None
    ends_at = None
    capacity = None
    places = 2
    start_date = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=60)).date())
    hours_min = 24
    hours_max = 32
    duration_weeks = 104
    min_education_level = EducationLevel.MBO2
    trains_towards_level = EducationLevel.MBO3


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    offer = factory.SubFactory(OfferFactory)
    candidate = factory.SubFactory("kandidaten.factories.CandidateFactory")
    status = Registration.Status.CONFIRMED
    cancel_token_hash = factory.LazyFunction(lambda: new_token()[1])


class IntroductionFactory(DjangoModelFactory):
    class Meta:
        model = Introduction

    offer = factory.SubFactory(PlaceOfferFactory)
    candidate = factory.SubFactory("kandidaten.factories.CandidateFactory")
    note = "Gemotiveerde zij-instromer, wil graag in de ouderenzorg werken."


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"BBL-carrousel VIG {n}")
    school = "Noorderpoort"
    function = factory.LazyFunction(lambda: Function.objects.get(slug="vig"))
    education_level = EducationLevel.MBO3
    region = factory.SubFactory(RegionFactory)
    start_date = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=90)).date())


class CohortPledgeFactory(DjangoModelFactory):
    class Meta:
        model = CohortPledge

    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    places = 4


def agenda_signup_data(**overrides) -> dict:
    """What a person types in the sign-up form of an agenda activity (POST data); `field=None` leaves it out."""
    data = {
        "first_name": "Fatima",
        "last_name": "el Amrani",
        "email": "fatima.elamrani@example.org",
        "phone": "06 23456789",
        "postcode": "9712 CD",
        "consent_contact": "on",
        "website": "",
    }
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
