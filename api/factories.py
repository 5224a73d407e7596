import factory

from .keys import issue_key
from .models import Partner, Scope


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda number: f"Partner {number}")
    slug = factory.Sequence(lambda number: f"partner-{number}")
    scopes = factory.LazyFunction(lambda: [Scope.HAND_OFF, Scope.ACTIVITIES])


def partner_key(partner: Partner | None = None, **partner_fields) -> tuple[Partner, str]:
    """A partner and the key to call the API with (as the partner would send it)."""
    partner = partner or PartnerFactory(**partner_fields)
    return partner, issue_key(partner).secret
