"""An activity's public page /agenda/<pk>/: what it shows, what it keeps to itself, and when it is gone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from werkgevers.factories import ContactPersonFactory, OfferFactory, PlaceOfferFactory
from werkgevers.forms.agenda import ActivitySignupForm
from werkgevers.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(organisation_a):
    contact = ContactPersonFactory(
        organisation=organisation_a,
        name="Ingrid Bakker",
        job_title="Praktijkopleider",
        email="ingrid.bakker@zorggroepnoord.example",
        phone="+31501234567",
    )
    return OfferFactory(
        organisation=organisation_a,
        location=organisation_a.locations.get(),
        contact_person=contact,
        title="Meeloopdag verpleeghuis De Linde",
        description="Je loopt een ochtend mee met een verzorgende IG.",
        capacity=8,
        registered_count=3,
        signup_deadline=timezone.now() + timedelta(days=10),
    )


def url(offer) -> str:
    return reverse("werkgevers:activity", args=[offer.pk])


def test_the_page_shows_the_public_information(client, offer):
    response = client.get(url(offer))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Meeloopdag verpleeghuis De Linde",
        "Je loopt een ochtend mee met een verzorgende IG.",
        "De Linde",
        "Zorgstraat 1",
        "9711 AB Groningen",
        "Zorggroep Noord",
        "Ingrid Bakker",
        "Praktijkopleider",
        "Nog 5 plaatsen vrij",
        "Aanmelden vóór",
    ):
        assert text in html, text
    assert reverse("werkgevers:activity_ics", args=[offer.pk]) in html
    assert reverse("werkgevers:organisation_feed", args=[offer.organisation_id]) in html


def test_the_contact_persons_e_mail_and_phone_are_not_public(client, offer):
    html = client.get(url(offer)).content.decode()

    assert "ingrid.bakker@zorggroepnoord.example" not in html
    for shown in ("+31501234567", "050 123 4567", "050-1234567", "tel:", "mailto:"):
        assert shown not in html


def test_the_sign_up_form_has_every_field_labelled_with_consent_unticked(client, offer):
    html = client.get(url(offer)).content.decode()

    for name in ("first_name", "last_name", "email", "phone", "postcode", "consent_contact"):
        assert f'for="id_{name}"' in html, name
    assert 'id="id_consent_contact"' in html
    consent_tag = html[html.index('id="id_consent_contact"') - 200 : html.index('id="id_consent_contact"') + 50]
    assert "checked" not in consent_tag
    assert "novalidate" in html
    assert "<legend>Je gegevens</legend>" in html
    assert "<legend>Je toestemming</legend>" in html
    # The sign-up says what is shared with the employer.
    assert "krijgt Zorggroep Noord je naam, e-mailadres en telefoonnummer" in html
    assert 'type="tel"' in html
    assert 'autocomplete="postal-code"' in html


def test_the_form_posts_to_the_sign_up_address(client, offer):
    html = client.get(url(offer)).content.decode()

    assert f'action="{reverse("werkgevers:activity_signup", args=[offer.pk])}"' in html


@pytest.mark.parametrize(
    "change",
    [
        {"status": Offer.Status.DRAFT},
        {"status": Offer.Status.CLOSED},
        {"status": Offer.Status.EXPIRED},
        {"visibility": Offer.Visibility.COORDINATORS},
    ],
)
def test_an_activity_not_on_the_agenda_is_not_available(client, offer, change):
    Offer.objects.filter(pk=offer.pk).update(**change)

    response = client.get(url(offer))

    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze activiteit is niet beschikbaar" in html
    assert "Meeloopdag verpleeghuis De Linde" not in html


def test_a_past_activity_is_not_available(client, offer):
    Offer.objects.filter(pk=offer.pk).update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )

    assert client.get(url(offer)).status_code == 404


def test_a_place_offer_or_an_unknown_id_is_not_available(client, organisation_a):
    place = PlaceOfferFactory(organisation=organisation_a)

    assert client.get(url(place)).status_code == 404
    assert client.get(reverse("werkgevers:activity", args=[987654])).status_code == 404


def test_a_full_activity_still_shows_its_page(client, offer):
    Offer.objects.filter(pk=offer.pk).update(registered_count=8, status=Offer.Status.FULL)

    response = client.get(url(offer))

    assert response.status_code == 200
    assert "Vol — wachtlijst" in response.content.decode()


def test_the_form_consent_is_required_and_unticked_by_default():
    form = ActivitySignupForm()

    assert form.fields["consent_contact"].required is True
    assert form.fields["consent_contact"].initial is None
    assert form.fields["consent_share_with_employers"].required is False


def test_the_detail_page_runs_a_fixed_number_of_queries(client, offer, django_assert_num_queries):
    # 1. SAVEPOINT  2. the activity with organisation, location (and region), branch and contact person
    # 3. RELEASE SAVEPOINT
    with django_assert_num_queries(3):
        assert client.get(url(offer)).status_code == 200
