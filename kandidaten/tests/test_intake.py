"""The public sign-up form at /aanmelden/: the page, a good sign-up, routing, bots and the rate limit."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone, translation

from contactpunt.models import Branch, NextStep, OutboxMail
from kandidaten.factories import intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import Candidate, Consent, ConsentPurpose, TimelineEvent

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"
DONE_URL = "/aanmelden/bedankt/"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    """Nothing here may depend on ../shared/data being present."""
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def _counts() -> tuple[int, int, int, int]:
    return (
        Candidate.objects.count(),
        Consent.objects.count(),
        TimelineEvent.objects.count(),
        OutboxMail.objects.count(),
    )


def _input_tag(html: str, name: str, value: str | None = None) -> str:
    """The <input> tag for a field (and, for a group of options, the one with this value)."""
    for match in re.finditer(r"<input\b[^>]*>", html):
        tag = match.group(0)
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return tag
    raise AssertionError(f"no input {name}={value}")


def test_anonymous_visitor_sees_the_form(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert "Aanmelden" in response.content.decode()
    assert 'method="post"' in response.content.decode()
    assert "novalidate" in response.content.decode()


def test_form_shows_every_section_as_a_fieldset_with_a_legend(client):
    response = client.get(URL)

    html = response.content.decode()
    with translation.override("nl"):
        legends = [str(legend) for legend, _names in IntakeForm.sections]
    assert len(legends) == 6
    for legend in legends:
        assert f"<legend>{legend}</legend>" in html
    # In Dutch, as a person reads them.
    for legend in ("Je contactgegevens", "Waar woon je?", "Over jou", "Wat zoek je?", "Nog iets?", "Je toestemming"):
        assert f"<legend>{legend}</legend>" in html


def test_every_field_has_a_label(client):
    html = client.get(URL).content.decode()

    form = IntakeForm()
    for name, field in form.fields.items():
        if name == "website" or field.widget.is_hidden:
            continue
        if getattr(field.widget, "allow_multiple_selected", False) or name == "max_travel_km":
            assert f'for="id_{name}_0"' in html, name
        else:
            assert f'for="id_{name}"' in html, name


def test_consent_boxes_are_unticked_by_default(client):
    response = client.get(URL)

    html = response.content.decode()
    for name in ("consent_contact", "consent_share_with_employers", "consent_campaign_news"):
        start = html.index(f'name="{name}"')
        tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
        assert "checked" not in tag, name
    assert "Het contactpunt mag contact met mij opnemen over werken in zorg en welzijn." in html


def test_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = client.get(URL).content.decode()

    trap = html[html.index('<div class="form-trap" aria-hidden="true">') :]
    trap = trap[: trap.index("</div>")]
    assert 'name="website"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


def test_form_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # One query per reference list: target groups, branches, functions, next steps. No request
    # transaction (the intake runs in autocommit), no session or user lookup for a visitor.
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200


def test_only_active_reference_items_are_offered(client):
    Branch.objects.filter(slug="kinderopvang").update(active=False)

    html = client.get(URL).content.decode()

    assert "Kinderopvang" not in html
    assert "Gehandicaptenzorg" in html


def test_a_good_sign_up_is_saved_and_redirects_without_personal_data_in_the_url(client, region_a):
    response = client.post(URL, intake_form_data(postcode=" 9711-ab ", email="Anna.DeVries@Example.org"))

    assert response.status_code == 302
    assert response.url == DONE_URL
    candidate = Candidate.objects.get()
    assert candidate.first_name == "Anna"
    assert candidate.last_name == "de Vries"
    assert candidate.email == "anna.devries@example.org"
    assert candidate.phone == "+31612345678"
    assert candidate.postcode == "9711 AB"
    assert candidate.place == "Groningen"
    assert candidate.region == region_a
    assert candidate.hours_per_week == 24
    assert candidate.max_travel_km == 25
    assert candidate.support_needs == "Hulp bij het Nederlands"
    assert list(candidate.branches.values_list("slug", flat=True)) == ["vvt"]
    assert set(candidate.next_steps.values_list("slug", flat=True)) == {"meeloopdag", "bbl"}
    event = TimelineEvent.objects.get(candidate=candidate)
    assert event.kind == TimelineEvent.Kind.SIGNUP
    assert event.actor is None
    assert event.data["channel"] == "intake"
    assert event.data["source"] == "campaign"


def test_consents_are_recorded_per_purpose_with_the_statement_version_and_time(client, region_a):
    before = timezone.now()

    client.post(URL, intake_form_data(consent_share_with_employers=None, consent_campaign_news="on"))

    consents = {consent.purpose: consent for consent in Consent.objects.all()}
    assert set(consents) == set(ConsentPurpose.values)
    assert consents[ConsentPurpose.CONTACT].granted is True
    assert consents[ConsentPurpose.SHARE_WITH_EMPLOYERS].granted is False
    assert consents[ConsentPurpose.CAMPAIGN_NEWS].granted is True
    for consent in consents.values():
        assert consent.text_version == settings.PRIVACY_STATEMENT_VERSION
        assert before <= consent.recorded_at <= timezone.now()


def test_thank_you_page_greets_by_first_name_once_and_says_what_happens_next(client, region_a):
    response = client.post(URL, intake_form_data(), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bedankt, Anna!" in html
    assert "Noord-Nederland" in html
    assert "binnen twee werkdagen" in html
    assert "anna.devries@example.org" not in html
    assert response["Cache-Control"].startswith("max-age=0")

    again = client.get(DONE_URL).content.decode()
    assert "Anna" not in again
    assert "Bedankt voor je aanmelding!" in again
    assert "binnen twee werkdagen" in again


def test_thank_you_page_without_a_sign_up_is_general(client):
    response = client.get(DONE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bedankt voor je aanmelding!" in html
    assert "We geven je aanmelding door aan het contactpunt van jouw regio" in html


def test_a_visitor_who_signs_up_gets_no_session_and_a_short_lived_cookie_only_for_the_thank_you_page(client, region_a):
    response = client.post(URL, intake_form_data())

    assert not Session.objects.exists()
    cookie = response.cookies["intake_done"]
    assert cookie["path"] == DONE_URL and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 600
    assert "anna.devries" not in cookie.value
    client.get(DONE_URL)
    assert client.cookies["intake_done"].value == ""  # deleted: a reload greets nobody


def test_a_forged_thank_you_cookie_is_ignored(client):
    client.cookies["intake_done"] = '{"first_name": "<script>Mallory</script>", "region": "X"}'

    html = client.get(DONE_URL).content.decode()

    assert "Mallory" not in html
    assert "Bedankt voor je aanmelding!" in html


@pytest.mark.parametrize(
    ("postcode", "region_name"),
    [("9711 AB", "Noord-Nederland"), ("9999 ZZ", "Noord-Nederland"), ("3511 AB", "Utrecht"), ("3400AA", "Utrecht")],
)
def test_a_sign_up_is_routed_to_the_region_of_its_postcode(client, region_a, region_b, postcode, region_name):
    client.post(URL, intake_form_data(postcode=postcode))

    assert Candidate.objects.get().region.name == region_name


def test_a_postcode_no_region_serves_lands_in_the_national_queue(client, region_a, region_b):
    response = client.post(URL, intake_form_data(postcode="1011 AB", place=""), follow=True)

    candidate = Candidate.objects.get()
    assert candidate.region is None
    assert list(Candidate.objects.national_queue()) == [candidate]
    assert "We geven je aanmelding door aan het contactpunt van jouw regio" in response.content.decode()


def test_a_filled_honeypot_saves_nothing_and_says_so_in_dutch(client, region_a):
    response = client.post(URL, intake_form_data(website="https://spam.example"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Je formulier is niet verstuurd" in html
    assert "niets opgeslagen" in html
    assert _counts() == (0, 0, 0, 0)


def test_the_rate_limit_stops_the_next_post_with_a_dutch_page(client, region_a, settings):
    settings.INTAKE_RATE_LIMIT = "3/h"
    for _attempt in range(3):
        assert client.post(URL, {}).status_code == 200

    response = client.post(URL, intake_form_data())

    assert response.status_code == 429
    page = " ".join(response.content.decode().split())
    assert "Te veel pogingen" in page
    assert "Dit formulier is daarom niet verwerkt. Probeer het over een uur opnieuw." in page
    assert "Bel of mail" not in page  # a public page has no contact point to name
    assert _counts() == (0, 0, 0, 0)
    # Reading the form is not limited, and another address may still sign up.
    assert client.get(URL).status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert other.post(URL, intake_form_data()).status_code == 302
    assert Candidate.objects.count() == 1


def test_the_rate_limit_counts_good_sign_ups_too(client, region_a, settings):
    settings.INTAKE_RATE_LIMIT = "2/h"
    client.post(URL, intake_form_data())
    client.post(URL, intake_form_data(email="tweede@example.org", phone="0687654321"))

    response = client.post(URL, intake_form_data(email="derde@example.org", phone="0611112222"))

    assert response.status_code == 429
    assert Candidate.objects.count() == 2


def test_an_error_summary_on_top_links_to_each_field(client):
    data = intake_form_data(first_name="", branches=["999999"], max_travel_km=None)

    html = client.post(URL, data).content.decode()

    summary = html[html.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "Er zijn 3 dingen te verbeteren in het formulier:" in summary
    assert 'href="#id_first_name"' in summary
    assert 'href="#id_branches_0"' in summary
    assert 'href="#id_max_travel_km_0"' in summary
    assert summary.index("#id_first_name") < summary.index("#id_branches_0") < summary.index("#id_max_travel_km_0")


def test_typed_values_are_kept_after_an_error(client):
    next_step = NextStep.objects.get(slug="bbl")
    data = intake_form_data(postcode="12345", next_steps=[str(next_step.pk)], consent_campaign_news="on")

    html = client.post(URL, data).content.decode()

    assert 'value="Anna"' in html
    assert 'value="anna.devries@example.org"' in html
    assert 'value="12345"' in html
    assert "Ik wil graag een dag meelopen in de ouderenzorg." in html
    assert "checked" in _input_tag(html, "next_steps", str(next_step.pk))
    assert "checked" not in _input_tag(html, "next_steps", str(NextStep.objects.get(slug="meeloopdag").pk))
    assert "checked" in _input_tag(html, "consent_campaign_news")
    assert "checked" in _input_tag(html, "max_travel_km", "25")


def test_get_and_post_only(client):
    assert client.put(URL).status_code == 405
