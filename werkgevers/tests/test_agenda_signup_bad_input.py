"""Hostile or broken sign-ups for an agenda activity: a Dutch error at the field, what was typed is kept,
nothing is saved, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from contactpunt.models import OutboxMail
from kandidaten.models import Candidate, Consent, TimelineEvent
from werkgevers.factories import OfferFactory, agenda_signup_data
from werkgevers.models import Offer, Registration

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def offer(organisation_a):
    return OfferFactory(organisation=organisation_a, title="Informatiebijeenkomst VIG")


def nothing_saved(offer) -> None:
    assert not Candidate.objects.exists()
    assert not Consent.objects.exists()
    assert not TimelineEvent.objects.exists()
    assert not Registration.objects.exists()
    assert not OutboxMail.objects.exists()
    offer.refresh_from_db()
    assert offer.registered_count == 0


CASES = [
    ("first_name", {"first_name": "x" * 10_000}, "100 tekens"),
    ("last_name", {"last_name": "y" * 10_000}, "100 tekens"),
    ("first_name", {"first_name": SCRIPT}, ""),
    ("last_name", {"last_name": SCRIPT}, ""),
    ("first_name", {"first_name": "R2-D2"}, "Gebruik alleen letters"),
    ("first_name", {"first_name": ""}, "Dit veld is verplicht"),
    ("last_name", {"last_name": None}, "Dit veld is verplicht"),
    ("email", {"email": "fatima@"}, "e-mailadres"),
    ("email", {"email": SCRIPT}, "e-mailadres"),
    ("email", {"email": "a" * 300 + "@example.org"}, ""),
    ("email", {"email": ""}, "Dit veld is verplicht"),
    ("phone", {"phone": "bel me maar"}, "Vul een geldig telefoonnummer in"),
    ("phone", {"phone": "06 1234"}, "Vul een geldig telefoonnummer in"),
    ("phone", {"phone": SCRIPT}, ""),
    ("phone", {"phone": "0" * 10_000}, ""),
    ("postcode", {"postcode": "12345"}, "Vul een Nederlandse postcode in"),
    ("postcode", {"postcode": "ABCD 12"}, "Vul een Nederlandse postcode in"),
    ("postcode", {"postcode": "B-1000"}, "Vul een Nederlandse postcode in"),
    ("postcode", {"postcode": SCRIPT}, ""),
    ("consent_contact", {"consent_contact": None}, "We kunnen je alleen aanmelden als je dit goed vindt"),
]


@pytest.mark.parametrize(("field", "typed", "message"), CASES)
def test_bad_input_gets_a_dutch_error_at_the_field_and_saves_nothing(client, offer, field, typed, message):
    response = client.post(reverse("werkgevers:activity_signup", args=[offer.pk]), agenda_signup_data(**typed))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    errors = " ".join(form.errors[field])
    assert message in errors
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert SCRIPT not in html  # escaped when shown back
    nothing_saved(offer)


@pytest.mark.parametrize(("field", "typed", "message"), CASES)
def test_the_other_typed_values_are_kept(client, offer, field, typed, message):
    response = client.post(reverse("werkgevers:activity_signup", args=[offer.pk]), agenda_signup_data(**typed))

    html = response.content.decode()
    for name, value in {"first_name": "Fatima", "last_name": "el Amrani", "postcode": "9712 CD"}.items():
        if name != field:
            assert f'value="{value}"' in html, name


def test_every_error_is_in_dutch(client, offer):
    response = client.post(
        reverse("werkgevers:activity_signup", args=[offer.pk]),
        {"first_name": SCRIPT, "email": "nee", "phone": "nee", "postcode": "nee"},
    )

    errors = response.context["form"].errors
    assert set(errors) == {"first_name", "last_name", "email", "phone", "postcode", "consent_contact"}
    text = " ".join(" ".join(messages) for messages in errors.values())
    for english in ("This field", "Enter a valid", "Ensure this"):
        assert english not in text
    assert "Laat HTML of code weg" in text or "Gebruik alleen letters" in text


def test_an_unknown_choice_in_the_consent_is_just_a_tick(client, offer, region_a):
    response = client.post(
        reverse("werkgevers:activity_signup", args=[offer.pk]), agenda_signup_data(consent_contact="<b>ja</b>")
    )

    assert response.status_code == 302  # any value of a ticked box means ticked
    assert Registration.objects.count() == 1


def test_a_wrong_csrf_token_is_refused_without_saving(offer):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("werkgevers:activity_signup", args=[offer.pk]),
        {**agenda_signup_data(), "csrfmiddlewaretoken": "wrong"},
    )

    assert response.status_code == 403
    nothing_saved(offer)


def test_an_id_that_is_no_number_is_not_found(client, db):
    assert client.post("/agenda/abc/aanmelden/", agenda_signup_data()).status_code == 404


def test_bad_input_for_a_full_activity_also_saves_nothing(client, offer):
    Offer.objects.filter(pk=offer.pk).update(registered_count=5, status=Offer.Status.FULL)

    response = client.post(reverse("werkgevers:activity_signup", args=[offer.pk]), agenda_signup_data(email="x"))

    assert response.status_code == 200
    assert not Registration.objects.exists()
