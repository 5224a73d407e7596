"""What the offer tests share: the form as an employer fills it in, per kind, and many offers at once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from contactpunt.models import Branch, EducationLevel, Function
from werkgevers.factories import ContactPersonFactory, OfferFactory
from werkgevers.models import DATED_KINDS, VACANCY_KINDS, ContractType, Offer, Organisation

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def local(moment) -> str:
    """A moment as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime(DATETIME_LOCAL)


def day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def form_data(kind: str, organisation: Organisation, **changes) -> dict:
    """A complete, valid form for an offer of this kind at the organisation's first location."""
    location = organisation.locations.filter(active=True).first()
    contact = organisation.contact_people.filter(active=True).first() or ContactPersonFactory(
        organisation=organisation, name="Petra de Vries", email="petra@zorg.example"
    )
    data = {
        "title": "Kijkje in de ouderenzorg",
        "description": "Loop mee met een verzorgende IG en ontdek of het werk bij je past.",
        "branch": Branch.objects.get(slug="vvt").pk,
        "functions": [Function.objects.get(slug="vig").pk, Function.objects.get(slug="helpende").pk],
        "location": location.pk,
        "contact_person": contact.pk,
        "visibility": Offer.Visibility.PUBLIC,
        "max_introductions_per_week": "",
    }
    if kind in DATED_KINDS:
        start = (timezone.now() + timedelta(days=14)).replace(hour=10, minute=0, second=0, microsecond=0)
        data |= {
            "starts_at": local(start),
            "ends_at": local(start + timedelta(hours=4)),
            "capacity": "8",
            "signup_deadline": local(start - timedelta(days=2)),
        }
    elif kind in VACANCY_KINDS:
        data |= {
            "hours_min": "24",
            "hours_max": "32",
            "contract_type": ContractType.PERMANENT,
            "valid_until": day(30),
        }
    else:
        data |= {
            "places": "2",
            "start_date": day(60),
            "hours_min": "24",
            "hours_max": "32",
            "duration_weeks": "104",
            "min_education_level": str(EducationLevel.MBO2),
            "diploma_requirements": "VOG nodig.",
            "trains_towards_level": str(EducationLevel.MBO3),
            "valid_until": day(45),
        }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def bulk_offers(count: int, organisation: Organisation, **fields) -> list[Offer]:
    """Many offers in one INSERT at the organisation's first location (no functions or target groups)."""
    location = organisation.locations.first()
    contact = organisation.contact_people.first() or ContactPersonFactory(organisation=organisation)
    branch = Branch.objects.get(slug="vvt")
    offers = OfferFactory.build_batch(
        count, organisation=organisation, location=location, contact_person=contact, branch=branch, **fields
    )
    return Offer.objects.bulk_create(offers)
