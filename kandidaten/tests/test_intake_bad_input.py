"""Hostile or broken intake submissions: a Dutch error at the field, typed values kept, nothing saved, no 500.

Each case starts from a good sign-up (kandidaten.factories.intake_form_data) and breaks it in one way.
"""

import json

import pytest
from django import forms
from django.test import Client
from django.test.html import Element, parse_html

from contactpunt.models import OutboxMail
from kandidaten.factories import intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import Candidate, Consent, TimelineEvent

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"

REQUIRED = "Dit veld is verplicht."
NO_CONSENT = "We kunnen je alleen helpen als we contact met je mogen opnemen. Vink dit vakje aan."
POSTCODE = "Vul een Nederlandse postcode in: vier cijfers en twee letters, bijvoorbeeld 9711 AB."
PHONE = "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678 of 050 1234567."
EMAIL = "Voer een geldig e-mailadres in."
MARKUP = "Laat HTML of code weg: schrijf gewone tekst."
LETTERS = "Gebruik alleen letters, met zo nodig spaties, streepjes of apostroffen."
CHOICE = "Kies een van de mogelijkheden uit de lijst."
HOURS_RANGE = "Vul een aantal uren in van 1 tot en met 60."
HOURS_NUMBER = "Vul een heel aantal uren in, bijvoorbeeld 24."
SCRIPT = "<script>alert(1)</script>"

REQUIRED_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "postcode",
    "situation",
    "education_level",
    "max_travel_km",
    "source",
]

CASES = [
    # Every required field missing, one at a time.
    *[pytest.param({name: None}, {name: REQUIRED}, id=f"missing-{name}") for name in REQUIRED_FIELDS],
    *[pytest.param({name: "   "}, {name: REQUIRED}, id=f"blank-{name}") for name in ("first_name", "email")],
    pytest.param({"consent_contact": None}, {"consent_contact": NO_CONSENT}, id="no-consent"),
    pytest.param({"consent_contact": "false"}, {"consent_contact": NO_CONSENT}, id="consent-false"),
    # Postcodes and phone numbers.
    pytest.param({"postcode": "12345"}, {"postcode": POSTCODE}, id="postcode-12345"),
    pytest.param({"postcode": "ABCD 12"}, {"postcode": POSTCODE}, id="postcode-ABCD-12"),
    pytest.param({"postcode": "0123 AB"}, {"postcode": POSTCODE}, id="postcode-leading-zero"),
    pytest.param({"postcode": "9711 SS"}, {"postcode": POSTCODE}, id="postcode-never-issued"),
    pytest.param({"phone": "06-CALLME"}, {"phone": PHONE}, id="phone-letters"),
    pytest.param({"phone": "0612"}, {"phone": PHONE}, id="phone-too-short"),
    pytest.param({"phone": "0900 1234567"}, {"phone": PHONE}, id="phone-premium-rate"),
    # Names and free text.
    pytest.param(
        {"first_name": "A" * 10_000},
        {"first_name": "Zorg dat deze waarde niet meer dan 100 tekens bevat (het zijn er nu 10000)."},
        id="name-10000-characters",
    ),
    pytest.param({"last_name": "Jansen2"}, {"last_name": LETTERS}, id="name-with-digits"),
    pytest.param({"first_name": "An\x00na"}, {"first_name": "Null-tekens zijn niet toegestaan."}, id="null-character"),
    pytest.param(
        {
            "first_name": SCRIPT,
            "last_name": SCRIPT,
            "email": SCRIPT,
            "phone": SCRIPT,
            "postcode": SCRIPT,
            "place": SCRIPT,
            "diplomas": SCRIPT,
            "hours_per_week": SCRIPT,
            "support_needs": SCRIPT,
            "message": SCRIPT,
        },
        {
            "first_name": MARKUP,
            "last_name": MARKUP,
            "email": EMAIL,
            "phone": PHONE,
            "postcode": "Zorg dat deze waarde niet meer dan 12 tekens bevat (het zijn er nu 25).",
            "place": MARKUP,
            "diplomas": MARKUP,
            "hours_per_week": HOURS_NUMBER,
            "support_needs": MARKUP,
            "message": MARKUP,
        },
        id="script-in-every-text-field",
    ),
    pytest.param({"last_name": "Jansen<img src=x onerror=alert(1)>"}, {"last_name": MARKUP}, id="img-onerror"),
    pytest.param({"message": "Klik hier: javascript:alert(1)"}, {"message": MARKUP}, id="javascript-url"),
    pytest.param(
        {"message": "a" * 2001},
        {"message": "Zorg dat deze waarde niet meer dan 2000 tekens bevat (het zijn er nu 2001)."},
        id="message-too-long",
    ),
    # E-mail addresses.
    pytest.param({"email": "anna@@example.org"}, {"email": EMAIL}, id="email-two-at-signs"),
    pytest.param({"email": "anna.devries"}, {"email": EMAIL}, id="email-no-domain"),
    # Unknown choices.
    pytest.param({"situation": "astronaut"}, {"situation": CHOICE}, id="unknown-situation"),
    pytest.param({"education_level": "99"}, {"education_level": CHOICE}, id="unknown-education"),
    pytest.param({"education_level": "30; DROP TABLE"}, {"education_level": CHOICE}, id="education-sql"),
    pytest.param({"source": "tv"}, {"source": CHOICE}, id="unknown-source"),
    pytest.param({"max_travel_km": "7"}, {"max_travel_km": CHOICE}, id="unknown-travel-distance"),
    pytest.param({"branches": ["999999"]}, {"branches": CHOICE}, id="unknown-branch-id"),
    pytest.param({"branches": ["vvt"]}, {"branches": CHOICE}, id="branch-not-an-id"),
    pytest.param({"next_steps": ["-1"]}, {"next_steps": CHOICE}, id="unknown-next-step"),
    # Hours per week.
    pytest.param({"hours_per_week": "0"}, {"hours_per_week": HOURS_RANGE}, id="hours-0"),
    pytest.param({"hours_per_week": "500"}, {"hours_per_week": HOURS_RANGE}, id="hours-500"),
    pytest.param({"hours_per_week": "veel"}, {"hours_per_week": HOURS_NUMBER}, id="hours-veel"),
    pytest.param({"hours_per_week": "-8"}, {"hours_per_week": HOURS_RANGE}, id="hours-negative"),
]


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def counts() -> tuple[int, int, int, int]:
    return (
        Candidate.objects.count(),
        Consent.objects.count(),
        TimelineEvent.objects.count(),
        OutboxMail.objects.count(),
    )


# A few helpers to read the page as a browser would.


def walk(element):
    yield element
    for child in element.children:
        if isinstance(child, Element):
            yield from walk(child)


def attributes(element) -> dict:
    return dict(element.attributes)


def text(element) -> str:
    parts = []
    for child in element.children:
        parts.append(child if isinstance(child, str) else text(child))
    return " ".join(part for part in parts if part)


def by_id(root, element_id: str):
    for element in walk(root):
        if attributes(element).get("id") == element_id:
            return element
    raise AssertionError(f"no element with id {element_id!r}")


def controls(root, name: str) -> list:
    return [e for e in walk(root) if e.name in ("input", "select", "textarea") and attributes(e).get("name") == name]


def assert_error_at_field(root, name: str, message: str) -> None:
    """The message sits in the field's own container, in its feedback, and the field is marked invalid."""
    container = by_id(root, f"div_id_{name}")
    feedback = [e for e in walk(container) if "invalid-feedback" in attributes(e).get("class", "").split()]
    assert feedback, f"no error shown at {name}"
    assert any(message in text(element) for element in feedback), (name, [text(e) for e in feedback])
    marked = [
        e
        for e in controls(container, name)
        if attributes(e).get("aria-invalid") == "true" or "is-invalid" in attributes(e).get("class", "").split()
    ]
    assert marked, f"{name} is not marked invalid"


def assert_kept(root, data: dict, broken: set[str]) -> None:
    """Everything typed in the fields that were not broken comes back as typed."""
    widgets = {name: field.widget for name, field in IntakeForm().fields.items()}
    for name, value in data.items():
        if name in broken or name == "website":
            continue
        widget = widgets[name]
        found = controls(root, name)
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            wanted = set(value) if isinstance(value, list) else {value}
            checked = {attributes(e)["value"] for e in found if "checked" in attributes(e)}
            assert checked == wanted, name
        elif isinstance(widget, forms.CheckboxInput):
            assert "checked" in attributes(found[0]), name
        elif isinstance(widget, forms.Select):
            selected = [
                attributes(o)["value"] for o in walk(found[0]) if o.name == "option" and "selected" in attributes(o)
            ]
            assert selected == [value], name
        elif isinstance(widget, forms.Textarea):
            assert text(found[0]) == " ".join(value.split()), name
        else:
            assert attributes(found[0]).get("value") == value, name


@pytest.mark.parametrize(("changes", "errors"), CASES)
def test_bad_input_is_refused_at_the_field_and_keeps_what_was_typed(client, region_a, changes, errors):
    data = intake_form_data(**changes)
    before = counts()

    response = client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    root = parse_html(html)
    for name, message in errors.items():
        assert_error_at_field(root, name, message)
    assert "Er is 1 ding te verbeteren" in html or "dingen te verbeteren" in html
    assert_kept(root, data, broken=set(changes))
    assert SCRIPT not in html
    assert counts() == before


def test_an_empty_post_shows_every_required_field(client, region_a):
    response = client.post(URL, {})

    assert response.status_code == 200
    root = parse_html(response.content.decode())
    for name in REQUIRED_FIELDS:
        assert_error_at_field(root, name, REQUIRED)
    assert_error_at_field(root, "consent_contact", NO_CONSENT)
    assert "Er zijn 10 dingen te verbeteren in het formulier:" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_a_json_body_instead_of_a_form_is_an_empty_form(client, region_a):
    response = client.post(URL, json.dumps(intake_form_data()), content_type="application/json")

    assert response.status_code == 200
    assert_error_at_field(parse_html(response.content.decode()), "first_name", REQUIRED)
    assert counts() == (0, 0, 0, 0)


def test_there_are_enough_hostile_cases():
    assert len(CASES) >= 22


@pytest.mark.parametrize("token", ["wrong-token", "x" * 64, ""])
def test_a_wrong_csrf_token_gets_the_dutch_expired_form_page_and_saves_nothing(region_a, token):
    strict = Client(enforce_csrf_checks=True)
    strict.get(URL)  # sets the CSRF cookie, as a browser that opened the form has

    response = strict.post(URL, intake_form_data(csrfmiddlewaretoken=token or None))

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Het formulier is verlopen</h1>" in html
    assert "We hebben niets opgeslagen van wat je hebt ingevuld." in html
    assert f'href="{URL}"' in html
    assert "anna.devries@example.org" not in html
    assert "Anna" not in html
    assert counts() == (0, 0, 0, 0)


def test_without_the_csrf_cookie_the_form_is_refused_too(region_a):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(URL, intake_form_data(csrfmiddlewaretoken="x" * 32))

    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_the_right_csrf_token_is_accepted(region_a):
    strict = Client(enforce_csrf_checks=True)
    strict.get(URL)

    response = strict.post(URL, intake_form_data(csrfmiddlewaretoken=strict.cookies["csrftoken"].value))

    assert response.status_code == 302
    assert Candidate.objects.count() == 1
