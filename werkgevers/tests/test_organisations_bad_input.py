"""Bad input on every organisation and onboarding form: a Dutch error at the field, what was typed
kept, nothing saved, never a server error."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from werkgevers.factories import ContactPersonFactory
from werkgevers.models import AccessRequest, ContactPerson, Invitation, Location, Organisation

pytestmark = pytest.mark.django_db

LONG = "Zorg" * 2_500  # 10,000 characters
SCRIPT = "<script>alert('x')</script>"

KVK_EIGHT_DIGITS = "Een KvK-nummer heeft acht cijfers."
POSTCODE = "Vul een Nederlandse postcode in: vier cijfers en twee letters, bijvoorbeeld 9711 AB."
MARKUP = "Laat HTML of code weg: schrijf gewone tekst."
TOO_LONG = "Zorg dat deze waarde niet meer dan"
REQUIRED = "Dit veld is verplicht."
CHOICE = "Kies een van de mogelijkheden uit de lijst."
EMAIL = "Voer een geldig e-mailadres in."
NAME = "Gebruik alleen letters, met zo nodig spaties, streepjes of apostroffen."
PHONE = "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678 of 050 1234567."
WEBSITE = "Vul een webadres in, bijvoorbeeld https://www.zorg.nl."


def assert_refused(response, error: str) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert error in html, error
    assert "<script>alert" not in html
    return html


# The public access request ------------------------------------------------------------------------

ACCESS_REQUEST = {
    "organisation_name": "Thuiszorg Het Wad",
    "kvk_number": "12345678",
    "contact_name": "Fenna Dijkstra",
    "email": "fenna@hetwad.example",
    "phone": "06 12345678",
    "postcode": "9712 CD",
    "message": "",
}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"kvk_number": "1234"}, KVK_EIGHT_DIGITS, id="kvk-short"),
        pytest.param({"kvk_number": "abcdefgh"}, KVK_EIGHT_DIGITS, id="kvk-letters"),
        pytest.param({"kvk_number": "123456789"}, KVK_EIGHT_DIGITS, id="kvk-nine-digits"),
        pytest.param({"kvk_number": "１２３４５６７８"}, KVK_EIGHT_DIGITS, id="kvk-fullwidth-digits"),
        pytest.param({"kvk_number": ""}, REQUIRED, id="kvk-empty"),
        pytest.param({"postcode": "B-1000"}, POSTCODE, id="postcode-belgian"),
        pytest.param({"postcode": "75001"}, POSTCODE, id="postcode-french"),
        pytest.param({"postcode": "0123 AB"}, POSTCODE, id="postcode-leading-zero"),
        pytest.param({"organisation_name": LONG}, TOO_LONG, id="organisation-10000"),
        pytest.param({"organisation_name": SCRIPT}, MARKUP, id="organisation-script"),
        pytest.param({"contact_name": LONG}, TOO_LONG, id="name-10000"),
        pytest.param({"contact_name": SCRIPT}, MARKUP, id="name-script"),
        pytest.param({"contact_name": "R2D2"}, NAME, id="name-digits"),
        pytest.param({"email": "geen-adres"}, EMAIL, id="email"),
        pytest.param({"email": f"{LONG}@x.example"}, TOO_LONG, id="email-long"),
        pytest.param({"phone": "12"}, PHONE, id="phone"),
        pytest.param({"phone": LONG}, TOO_LONG, id="phone-long"),
        pytest.param({"message": SCRIPT}, MARKUP, id="message-script"),
        pytest.param({"message": LONG}, TOO_LONG, id="message-10000"),
    ],
)
def test_the_access_request_form(client, region_a, changes, error):
    data = {**ACCESS_REQUEST, **changes}

    html = assert_refused(client.post(reverse("werkgevers:access_request"), data), error)

    assert "Sommige velden moet je nog eens bekijken." in html
    assert AccessRequest.objects.count() == 0
    assert mail.outbox == []


def test_the_access_request_form_keeps_what_was_typed(client, region_a):
    data = {**ACCESS_REQUEST, "kvk_number": "1234"}

    html = client.post(reverse("werkgevers:access_request"), data).content.decode()

    assert 'value="Thuiszorg Het Wad"' in html and 'value="fenna@hetwad.example"' in html and 'value="1234"' in html


def test_an_empty_access_request_lists_every_required_field(client):
    html = assert_refused(client.post(reverse("werkgevers:access_request"), {}), REQUIRED)

    assert html.count(REQUIRED) >= 6


# The employer's organisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"name": ""}, REQUIRED, id="name-empty"),
        pytest.param({"name": LONG}, TOO_LONG, id="name-10000"),
        pytest.param({"name": SCRIPT}, MARKUP, id="name-script"),
        pytest.param({"website": "javascript:alert(1)"}, WEBSITE, id="website-javascript"),
        pytest.param({"website": "ftp://zorg.example"}, WEBSITE, id="website-ftp"),
        pytest.param({"website": "https://" + "a" * 300 + ".nl"}, TOO_LONG, id="website-long"),
        pytest.param({"branches": ["999999"]}, CHOICE, id="branch-unknown"),
        pytest.param({"branches": ["abc"]}, CHOICE, id="branch-not-a-number"),
    ],
)
def test_the_organisation_form(employer_a_client, organisation_a, changes, error):
    data = {"name": "Zorggroep Noord", "website": "", **changes}

    assert_refused(employer_a_client.post(reverse("werkgevers:organisation_edit"), data), error)

    organisation_a.refresh_from_db()
    assert organisation_a.name == "Zorggroep Noord" and organisation_a.website.startswith("https://")


# Registering an organisation (coordinators) -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"kvk_number": "1234"}, KVK_EIGHT_DIGITS, id="kvk-short"),
        pytest.param({"kvk_number": "abcdefgh"}, KVK_EIGHT_DIGITS, id="kvk-letters"),
        pytest.param({"kvk_number": LONG}, TOO_LONG, id="kvk-10000"),
        pytest.param({"name": LONG}, TOO_LONG, id="name-10000"),
        pytest.param({"name": SCRIPT}, MARKUP, id="name-script"),
        pytest.param({"home_region": "999999"}, CHOICE, id="region-unknown"),
        pytest.param({"home_region": ""}, REQUIRED, id="region-empty"),
        pytest.param({"website": "niet een adres"}, WEBSITE, id="website"),
    ],
)
def test_the_register_organisation_form(client_a, region_a, changes, error):
    data = {"name": "Thuiszorg Het Wad", "kvk_number": "12345678", "home_region": region_a.pk, **changes}

    assert_refused(client_a.post(reverse("werkgevers:organisations"), data), error)

    assert Organisation.objects.filter(home_region=region_a).count() == 0


# Locations ----------------------------------------------------------------------------------------

LOCATION = {"name": "Het Anker", "street": "Oudegracht 10", "postcode": "9712 CD", "place": "Groningen", "active": "on"}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"postcode": "B-1000"}, POSTCODE, id="postcode-belgian"),
        pytest.param({"postcode": "D-10115"}, POSTCODE, id="postcode-german"),
        pytest.param({"postcode": "9712 SS"}, POSTCODE, id="postcode-unused-letters"),
        pytest.param({"postcode": LONG}, TOO_LONG, id="postcode-10000"),
        pytest.param({"name": LONG}, TOO_LONG, id="name-10000"),
        pytest.param({"name": SCRIPT}, MARKUP, id="name-script"),
        pytest.param({"street": SCRIPT}, MARKUP, id="street-script"),
        pytest.param({"street": ""}, REQUIRED, id="street-empty"),
        pytest.param({"place": "12345"}, NAME, id="place-digits"),
        pytest.param({"place": LONG}, TOO_LONG, id="place-10000"),
    ],
)
def test_the_location_form(employer_a_client, organisation_a, changes, error):
    create = employer_a_client.post(reverse("werkgevers:location_create"), {**LOCATION, **changes})
    assert_refused(create, error)
    location = organisation_a.locations.get()
    edit = employer_a_client.post(reverse("werkgevers:location_edit", args=[location.pk]), {**LOCATION, **changes})
    assert_refused(edit, error)

    assert Location.objects.filter(organisation=organisation_a).count() == 1
    location.refresh_from_db()
    assert (location.name, location.postcode) == ("De Linde", "9711 AB")


# Contact people -----------------------------------------------------------------------------------

CONTACT = {
    "name": "Wim Wiersma",
    "job_title": "Praktijkopleider",
    "email": "wim@zorg.example",
    "phone": "",
    "active": "on",
}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"name": LONG}, TOO_LONG, id="name-10000"),
        pytest.param({"name": SCRIPT}, MARKUP, id="name-script"),
        pytest.param({"name": "W1m"}, NAME, id="name-digits"),
        pytest.param({"job_title": SCRIPT}, MARKUP, id="job-title-script"),
        pytest.param({"job_title": LONG}, TOO_LONG, id="job-title-10000"),
        pytest.param({"email": "wim@"}, EMAIL, id="email"),
        pytest.param({"email": ""}, REQUIRED, id="email-empty"),
        pytest.param({"phone": "0900 1234567"}, PHONE, id="phone-premium"),
        pytest.param({"phone": "+32 2 123 45 67"}, PHONE, id="phone-belgian"),
        pytest.param({"user": "999999"}, CHOICE, id="user-unknown"),
    ],
)
def test_the_contact_person_form(employer_a_client, organisation_a, changes, error):
    person = ContactPersonFactory(organisation=organisation_a, name="Anja Smit", email="anja@zorg.example")

    assert_refused(employer_a_client.post(reverse("werkgevers:contact_person_create"), {**CONTACT, **changes}), error)
    edit_url = reverse("werkgevers:contact_person_edit", args=[person.pk])
    assert_refused(employer_a_client.post(edit_url, {**CONTACT, **changes}), error)

    assert list(ContactPerson.objects.values_list("name", "email")) == [("Anja Smit", "anja@zorg.example")]


# Invitations --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        pytest.param({"email": "sanne"}, EMAIL, id="email"),
        pytest.param({"email": ""}, REQUIRED, id="email-empty"),
        pytest.param({"first_name": LONG}, TOO_LONG, id="first-name-10000"),
        pytest.param({"first_name": SCRIPT}, MARKUP, id="first-name-script"),
        pytest.param({"last_name": "B0er"}, NAME, id="last-name-digits"),
        pytest.param({"last_name": ""}, REQUIRED, id="last-name-empty"),
    ],
)
def test_the_invitation_form(client_a, organisation_a, changes, error):
    data = {"first_name": "Sanne", "last_name": "de Boer", "email": "sanne@zorg.example", **changes}

    html = assert_refused(client_a.post(reverse("werkgevers:invitation_create", args=[organisation_a.pk]), data), error)

    assert "Gebruiker uitnodigen" in html
    assert Invitation.objects.count() == 0


# Deciding on an access request --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param({"decision": "decline", "reason": LONG}, TOO_LONG, id="reason-10000"),
        pytest.param({"decision": "decline", "reason": SCRIPT}, MARKUP, id="reason-script"),
        pytest.param({"decision": ""}, "Kies goedkeuren of afwijzen.", id="no-decision"),
        pytest.param({}, "Kies goedkeuren of afwijzen.", id="nothing"),
    ],
)
def test_the_decision_form(client_a, region_a, fields, error):
    item = AccessRequest.objects.create(
        organisation_name="Thuiszorg Het Wad",
        kvk_number="12345678",
        contact_name="Fenna Dijkstra",
        email="fenna@hetwad.example",
        phone="+31612345678",
        postcode="9712 CD",
        region=region_a,
    )
    data = {f"request-{item.pk}-{name}": value for name, value in fields.items()}

    assert_refused(client_a.post(reverse("werkgevers:access_request_decide", args=[item.pk]), data), error)

    item.refresh_from_db()
    assert item.status == AccessRequest.Status.PENDING


def test_a_huge_password_is_a_form_error_not_a_crash(client_a, organisation_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            reverse("werkgevers:invitation_create", args=[organisation_a.pk]),
            {"first_name": "Sanne", "last_name": "de Boer", "email": "sanne@zorg.example"},
        )
    link = mail.outbox[0].body.split("http://testserver", 1)[1].split()[0]
    client = Client()
    form_url = client.get(link)["Location"]

    response = client.post(form_url, {"new_password1": "x" * 10_000, "new_password2": "x" * 10_000})

    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
