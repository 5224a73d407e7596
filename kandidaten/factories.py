import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from contactpunt.factories import RegionFactory
from contactpunt.models import EducationLevel

from .models import (
    Candidate,
    Channel,
    Consent,
    ConsentPurpose,
    ContactMoment,
    Match,
    Situation,
    Source,
    TimelineEvent,
)
from .services import email_key


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.org")
    email_key = factory.LazyAttribute(lambda o: email_key(o.email))
    phone = factory.Sequence(lambda n: f"+316{10000000 + n:08d}")
    postcode = "9711 AB"
    place = "Groningen"
    region = factory.SubFactory(RegionFactory)
    situation = Situation.WORKING_OUTSIDE_CARE
    education_level = EducationLevel.MBO2
    source = Source.CAMPAIGN
    signed_up_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consents(self, create, extracted, **kwargs):
        if not create:
            return
        granted = extracted if extracted is not None else [ConsentPurpose.CONTACT]
        Consent.objects.bulk_create(
            Consent(
                candidate=self,
                purpose=purpose,
                granted=purpose in granted,
                text_version=settings.PRIVACY_STATEMENT_VERSION,
            )
            for purpose in ConsentPurpose.values
        )

    @factory.post_generation
    def signup_event(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TimelineEvent.objects.create(
                candidate=self,
                kind=TimelineEvent.Kind.SIGNUP,
                created_at=self.signed_up_at,
                followed_up_at=self.signed_up_at,
                data={"channel": "intake", "source": self.source, "repeat": False, "changed": []},
            )


class ContactMomentFactory(DjangoModelFactory):
    class Meta:
        model = ContactMoment

    candidate = factory.SubFactory(CandidateFactory)
    channel = Channel.PHONE
    summary = "Kennismakingsgesprek gevoerd."


def intake_form_data(**overrides) -> dict:
    """What a person types in the intake form (POST data); `field=None` leaves a field out."""
    from contactpunt.models import Branch, Function, NextStep

    data = {
        "first_name": "Anna",
        "last_name": "de Vries",
        "email": "anna.devries@example.org",
        "phone": "06 12345678",
        "postcode": "9711 AB",
        "place": "Groningen",
        "situation": Situation.WORKING_OUTSIDE_CARE.value,
        "education_level": str(EducationLevel.MBO2.value),
        "diplomas": "mbo Helpende Zorg en Welzijn",
        "branches": [str(Branch.objects.get(slug="vvt").pk)],
        "functions": [str(Function.objects.get(slug="vig").pk)],
        "next_steps": [str(NextStep.objects.get(slug="meeloopdag").pk), str(NextStep.objects.get(slug="bbl").pk)],
        "hours_per_week": "24",
        "max_travel_km": "25",
        "support_needs": "Hulp bij het Nederlands",
        "source": Source.CAMPAIGN.value,
        "message": "Ik wil graag een dag meelopen in de ouderenzorg.",
        "consent_contact": "on",
        "consent_share_with_employers": "on",
        "website": "",
    }
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


# Coordinator dashboard
class TimelineEventFactory(DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    candidate = factory.SubFactory(CandidateFactory)
    kind = TimelineEvent.Kind.EDIT
    data = factory.LazyFunction(lambda: {"changed": ["place"]})


def bulk_candidates(count: int, **fields) -> list[Candidate]:
    """Many candidates in one INSERT (no consents or timeline), for list pages with lots of rows."""
    candidates = CandidateFactory.build_batch(count, **fields)
    return Candidate.objects.bulk_create(candidates)


# Match suggestions
class MatchFactory(DjangoModelFactory):
    """An open suggestion with the reasons the engine would store (6 km, the kind, VVT, the start)."""

    class Meta:
        model = Match

    candidate = factory.SubFactory(CandidateFactory)
    offer = factory.SubFactory("werkgevers.factories.OfferFactory")
    score = 72
    reasons = factory.LazyAttribute(
        lambda o: [
            ["distance", 6],
            ["kind", o.offer.kind],
            ["branch", "VVT / ouderenzorg"],
            ["starts_on", timezone.localdate(o.offer.starts_at or timezone.now()).isoformat()],
        ]
    )
