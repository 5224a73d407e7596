"""Bad input on the offer form: a Dutch error at the field, what was typed kept, nothing saved, never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from werkgevers.factories import ContactPersonFactory, OfferFactory
from werkgevers.models import Offer, OfferKind

from .offers_helpers import day, form_data, local

pytestmark = pytest.mark.django_db

CREATE = reverse("werkgevers:offer_create")
CHOOSE = "Kies een van de mogelijkheden uit de lijst."
MARKUP = "Laat HTML of code weg: schrijf gewone tekst."
NOW = timezone.now()


def post(client, kind: str, data: dict):
    return client.post(f"{CREATE}?soort={kind}", data)


def assert_field_error(response, field: str, text: str) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(text in error for error in errors[field]), errors[field]
    assert escape(text) in response.content.decode()
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        # Dates in the past, end before start, a deadline after the start.
        ("meeloopdag", "starts_at", local(NOW - timedelta(days=1)), "Het begin is al voorbij."),
        ("open_huis", "ends_at", local(NOW + timedelta(days=13)), "Het einde moet na het begin liggen."),
        ("speeddate", "signup_deadline", local(NOW + timedelta(days=20)), "vóór het begin liggen"),
        ("speeddate", "signup_deadline", local(NOW - timedelta(hours=1)), "De aanmeldtermijn is al voorbij."),
        ("bbl_plek", "start_date", day(-1), "Deze datum is al voorbij."),
        ("vacature", "valid_until", day(-3), "Deze datum is al voorbij."),
        ("meeloopdag", "starts_at", "31-02-2027 10:00", "Vul een datum en tijd in"),
        ("meeloopdag", "starts_at", "", "Dit veld is verplicht."),
        ("stageplek", "start_date", "morgen", "Vul een datum in"),
        # Capacity and numbers.
        ("meeloopdag", "capacity", "0", "Vul een aantal plaatsen in van 1 tot en met 1000."),
        ("informatiebijeenkomst", "capacity", "-4", "Vul een aantal plaatsen in van 1 tot en met 1000."),
        ("open_huis", "capacity", "100000", "Vul een aantal plaatsen in van 1 tot en met 1000."),
        ("open_huis", "capacity", "veel", "Vul een heel getal in."),
        ("meeloopdag", "capacity", "", "Dit veld is verplicht."),
        ("bbl_plek", "places", "0", "Vul een aantal plaatsen in van 1 tot en met 500."),
        ("werkervaringsplek", "hours_min", "0", "Vul een aantal uren in van 1 tot en met 60."),
        ("opleiding", "hours_max", "61", "Vul een aantal uren in van 1 tot en met 60."),
        ("vacature", "hours_max", "12", "kan niet lager zijn dan het aantal uren 'van'"),
        ("sterk_in_je_werk", "duration_weeks", "-1", "Vul een aantal weken in van 1 tot en met 520."),
        ("meeloopdag", "max_introductions_per_week", "0", "Vul een getal in van 1 tot en met 100"),
        # Huge text.
        ("meeloopdag", "title", "Meeloopdag " * 1000, "niet meer dan 200 tekens"),
        ("open_huis", "description", "Kom langs. " * 10_000, "niet meer dan 5000 tekens"),
        ("bbl_plek", "diploma_requirements", "VOG. " * 500, "niet meer dan 500 tekens"),
        # Unknown choices.
        ("meeloopdag", "visibility", "iedereen", CHOOSE),
        ("meeloopdag", "branch", "999999", CHOOSE),
        ("meeloopdag", "branch", "vvt", CHOOSE),
        ("meeloopdag", "functions", ["999999"], CHOOSE),
        ("meeloopdag", "target_groups", ["abc"], CHOOSE),
        ("vacature", "contract_type", "eeuwig", CHOOSE),
        ("bbl_plek", "min_education_level", "99", CHOOSE),
        ("opleiding", "trains_towards_level", "hbo", CHOOSE),
        ("meeloopdag", "location", "abc", "Kies een van je eigen actieve locaties."),
        # Markup.
        ("meeloopdag", "title", "<script>alert(1)</script>", MARKUP),
        ("open_huis", "description", "Welkom <img src=x onerror=alert(1)>", MARKUP),
        ("bbl_plek", "diploma_requirements", "javascript:alert(1)", MARKUP),
    ],
)
def test_bad_input_gets_a_dutch_error_at_the_field(employer_a_client, organisation_a, kind, field, value, message):
    response = post(employer_a_client, kind, form_data(kind, organisation_a, **{field: value}))

    assert_field_error(response, field, message)


@pytest.mark.parametrize("field", ["functions", "target_groups"])
@pytest.mark.parametrize("value", ["18446744073709551616", "-9223372036854775809", "abc", "0x10"])
def test_a_choice_number_the_database_cannot_hold_is_a_field_error(employer_a_client, organisation_a, field, value):
    # Found by the hypothesis tests: on SQLite the query for such a number raised OverflowError (a 500).
    response = post(employer_a_client, "meeloopdag", form_data("meeloopdag", organisation_a, **{field: [value]}))

    assert_field_error(response, field, CHOOSE)


def test_what_was_typed_is_kept(employer_a_client, organisation_a):
    data = form_data(OfferKind.OPEN_HUIS, organisation_a, capacity="0", title="Open huis De Linde")

    page = post(employer_a_client, "open_huis", data).content.decode()

    assert 'value="Open huis De Linde"' in page
    assert f'value="{data["starts_at"]}"' in page
    assert "error-summary" in page


def test_a_location_of_another_organisation_is_a_form_error(employer_a_client, organisation_a, organisation_b):
    foreign = organisation_b.locations.get()

    response = post(employer_a_client, "meeloopdag", form_data("meeloopdag", organisation_a, location=foreign.pk))

    assert_field_error(response, "location", "Kies een van je eigen actieve locaties.")


def test_a_contact_person_of_another_organisation_is_a_form_error(employer_a_client, organisation_a, organisation_b):
    foreign = ContactPersonFactory(organisation=organisation_b)

    response = post(employer_a_client, "vacature", form_data("vacature", organisation_a, contact_person=foreign.pk))

    assert_field_error(response, "contact_person", "Kies een van je eigen actieve contactpersonen.")


def test_an_inactive_contact_person_is_a_form_error(employer_a_client, organisation_a):
    gone = ContactPersonFactory(organisation=organisation_a, active=False)

    response = post(employer_a_client, "meeloopdag", form_data("meeloopdag", organisation_a, contact_person=gone.pk))

    assert_field_error(response, "contact_person", "Kies een van je eigen actieve contactpersonen.")


def test_a_foreign_location_on_edit_is_a_form_error_too(employer_a_client, organisation_a, organisation_b):
    offer = OfferFactory(organisation=organisation_a, status=Offer.Status.DRAFT)
    data = form_data("meeloopdag", organisation_a, location=organisation_b.locations.get().pk)

    response = employer_a_client.post(reverse("werkgevers:offer_edit", args=[offer.pk]), data)

    assert response.status_code == 200
    assert "Kies een van je eigen actieve locaties." in response.content.decode()
    offer.refresh_from_db()
    assert offer.location.organisation == organisation_a


def test_a_form_full_of_rubbish_never_gives_a_server_error(employer_a_client):
    rubbish = {name: ["\x00", "<b>", "9" * 400] for name in ("title", "starts_at", "capacity", "location", "branch")}

    for kind in OfferKind.values:
        response = employer_a_client.post(f"{CREATE}?soort={kind}", rubbish)
        assert response.status_code == 200

    assert not Offer.objects.exists()
