"""Phone intake at /dashboard/kandidaten/nieuw/: coordinators register someone during a call."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.html import escape

from contactpunt.models import OutboxMail
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory, intake_form_data
from kandidaten.forms import PhoneIntakeForm
from kandidaten.models import Candidate, Consent, TimelineEvent

pytestmark = pytest.mark.django_db

URL = "/dashboard/kandidaten/nieuw/"
DUPLICATES_URL = "/dashboard/kandidaten/nieuw/dubbelen/"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def call_data(**typed):
    """What a coordinator types: the intake fields without the honeypot."""
    return intake_form_data(website=None, source="welcome_panel", **typed)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Who may use it


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (client.get(URL), client.post(URL, call_data()), client.post(DUPLICATES_URL, {"email": "x@y.nl"})):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    assert not Candidate.objects.exists()


def test_employers_are_refused(employer_client, region_a):
    assert employer_client.get(URL).status_code == 403
    assert employer_client.post(URL, call_data()).status_code == 403
    assert employer_client.post(DUPLICATES_URL, {"email": "anna.devries@example.org"}).status_code == 403
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("who", ["client_a", "administrator_client"])
def test_coordinators_and_administrators_see_the_form(request, who):
    response = request.getfixturevalue(who).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kandidaat aanmelden</h1>" in html
    assert "<legend>Toestemming aan de telefoon</legend>" in html
    assert "De persoon geeft toestemming dat het contactpunt contact opneemt." in html
    assert 'name="website"' not in html
    assert "Typ een naam, e-mailadres, telefoonnummer of postcode om te controleren." in html


def test_name_email_phone_and_postcode_check_for_duplicates_live_by_post(client_a):
    html = client_a.get(URL).content.decode()

    for name in PhoneIntakeForm.duplicate_check_fields:
        start = html.index(f'name="{name}"')
        tag = html[html.rindex("<", 0, start) : html.index(">", start)]
        assert f'hx-post="{DUPLICATES_URL}"' in tag, name
        assert 'hx-trigger="input changed delay:500ms"' in tag, name
        assert 'hx-target="#likely-duplicates"' in tag, name
        assert "hx-get" not in tag
    assert 'id="likely-duplicates" aria-live="polite"' in html
    assert 'name="message"' in html
    message_tag = html[html.index('name="message"') - 200 : html.index('name="message"')]
    assert "hx-post" not in message_tag


# Saving


def test_a_call_in_the_coordinators_region_is_saved_and_opens_the_candidate(
    client_a, coordinator_a, region_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation: by the follow-up task
        response = client_a.post(URL, call_data())

    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dashboard/kandidaten/{candidate.pk}/"
    assert messages_of(response) == ["De aanmelding is opgeslagen."]
    assert candidate.region == region_a
    assert candidate.source == "welcome_panel"
    event = candidate.timeline.get(kind=TimelineEvent.Kind.SIGNUP)
    assert event.actor == coordinator_a
    assert event.data["channel"] == "phone"
    assert event.data["source"] == "welcome_panel"
    assert Consent.objects.filter(candidate=candidate, granted=True).count() == 2
    assert OutboxMail.objects.filter(to="anna.devries@example.org").count() == 1


def test_a_call_for_another_region_says_where_it_went_and_offers_an_empty_form(client_a, region_a, region_b):
    response = client_a.post(URL, call_data(postcode="3511 AB", place="Utrecht"), follow=True)

    candidate = Candidate.objects.get()
    assert candidate.region == region_b
    assert response.redirect_chain == [(URL, 302)]
    html = response.content.decode()
    assert "De aanmelding is opgeslagen en doorgegeven aan contactpunt Utrecht." in html
    assert 'value="Anna"' not in html
    assert f"/dashboard/kandidaten/{candidate.pk}/" not in html


def test_a_call_nobody_serves_goes_to_the_national_queue_and_says_so(client_a, region_a):
    response = client_a.post(URL, call_data(postcode="1011 AB", place="Amsterdam"), follow=True)

    assert Candidate.objects.get().region is None
    assert "staat in de landelijke wachtrij" in response.content.decode()


def test_an_administrator_sees_the_national_queue_so_goes_to_the_candidate(administrator_client, region_a):
    response = administrator_client.post(URL, call_data(postcode="1011 AB"))

    assert response.url == f"/dashboard/kandidaten/{Candidate.objects.get().pk}/"


def test_a_person_who_signed_up_before_is_updated_not_doubled(client_a, coordinator_a, region_a):
    known = CandidateFactory(region=region_a, email="anna.devries@example.org", hours_per_week=8)

    response = client_a.post(URL, call_data(hours_per_week="20"))

    assert response.url == f"/dashboard/kandidaten/{known.pk}/"
    assert Candidate.objects.count() == 1
    known.refresh_from_db()
    assert known.hours_per_week == 20
    assert messages_of(response) == [
        "Deze persoon had zich al eerder aangemeld. De gegevens zijn bijgewerkt en het telefoongesprek is toegevoegd."
    ]
    repeat = known.timeline.filter(kind=TimelineEvent.Kind.SIGNUP).first()
    assert repeat.data["repeat"] is True
    assert repeat.actor == coordinator_a


def test_a_known_person_in_another_region_is_not_revealed(client_b, region_a, region_b):
    known = CandidateFactory(region=region_a, email="anna.devries@example.org")

    response = client_b.post(URL, call_data(postcode="9711 AB"), follow=True)

    html = response.content.decode()
    assert "doorgegeven aan contactpunt Noord-Nederland" in html
    assert "al eerder aangemeld" not in html
    assert f"/dashboard/kandidaten/{known.pk}/" not in html


def test_without_consent_nothing_is_saved_and_the_error_is_at_the_field(client_a, region_a):
    response = client_a.post(URL, call_data(consent_contact=None))

    assert response.status_code == 200
    html = response.content.decode()
    field = html[html.index('id="div_id_consent_contact"') :]
    field = field[: field.index("</fieldset>")]
    assert "Vraag toestemming om contact op te nemen" in field
    assert "is-invalid" in field
    assert 'value="Anna"' in html
    assert not Candidate.objects.exists()


def test_bad_input_re_renders_with_the_likely_duplicates_already_listed(client_a, region_a):
    known = CandidateFactory(region=region_a, first_name="Anna", email="anna.devries@example.org")

    response = client_a.post(URL, call_data(postcode="12345"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/dashboard/kandidaten/{known.pk}/"' in html
    assert "zelfde e-mailadres" in html
    assert Candidate.objects.count() == 1


# Likely duplicates while typing


def test_duplicates_are_asked_for_by_post_only(client_a):
    assert client_a.get(DUPLICATES_URL, {"email": "anna.devries@example.org"}).status_code == 405


def test_duplicates_are_shown_with_a_link_and_the_reason(client_a, region_a):
    same_phone = CandidateFactory(region=region_a, first_name="Bram", last_name="Bos", phone="+31612345678")
    same_name = CandidateFactory(region=region_a, first_name="Anna", last_name="de Vries", postcode="9711 AB")
    similar_email = CandidateFactory(region=region_a, first_name="Ann", email="anna.devries@elders.example")
    other = CandidateFactory(region=region_a, first_name="Zoë", last_name="Zomer", email="zoe@example.org")

    response = client_a.post(
        DUPLICATES_URL,
        {
            "first_name": "anna",
            "last_name": "De Vries",
            "email": "Anna.DeVries@example.org",
            "phone": "06-12345678",
            "postcode": "9711ab",
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "3 kandidaten die je kunt zien lijken op deze persoon:" in html
    for candidate in (same_phone, same_name, similar_email):
        assert f'href="/dashboard/kandidaten/{candidate.pk}/"' in html
    assert "zelfde telefoonnummer" in html
    assert "zelfde naam en postcode" in html
    assert "lijkend e-mailadres" in html
    assert escape(other.full_name) not in html


def test_a_coordinator_never_sees_candidates_of_another_region(client_b, client_a, region_a, region_b):
    hidden = CandidateFactory(region=region_a, email="anna.devries@example.org", phone="+31612345678")
    data = {"email": "anna.devries@example.org", "phone": "0612345678", "last_name": hidden.last_name}

    html = client_b.post(DUPLICATES_URL, data).content.decode()

    assert "Niemand die je kunt zien lijkt op deze persoon." in html
    assert escape(hidden.last_name) not in html
    assert str(hidden.pk) not in html
    assert escape(hidden.full_name) in client_a.post(DUPLICATES_URL, data).content.decode()


def test_the_national_queue_shows_only_for_administrators(client_a, administrator_client, region_a):
    queued = CandidateFactory(region=None, email="anna.devries@example.org")
    data = {"email": "anna.devries@example.org"}

    assert escape(queued.full_name) not in client_a.post(DUPLICATES_URL, data).content.decode()
    html = administrator_client.post(DUPLICATES_URL, data).content.decode()
    assert escape(queued.full_name) in html
    assert "landelijke wachtrij" in html


def test_nothing_typed_asks_to_type(client_a):
    html = client_a.post(DUPLICATES_URL, {"first_name": " ", "phone": "06"}).content.decode()

    assert "Typ een naam, e-mailadres, telefoonnummer of postcode om te controleren." in html


def test_the_duplicate_check_runs_a_fixed_number_of_queries(client_a, region_a, django_assert_num_queries):
    for number in range(30):
        CandidateFactory(region=region_a, last_name="de Vries", email=f"anna{number}@example.org", postcode="9711 AB")
    data = {"first_name": "Anna", "last_name": "de Vries", "postcode": "9711 AB", "email": "anna1@example.org"}

    # savepoint, session, user, the candidates (their regions joined, the user's regions a subquery), release
    with django_assert_num_queries(5):
        response = client_a.post(DUPLICATES_URL, data)
    assert response.status_code == 200


def test_the_duplicate_check_needs_the_csrf_token(coordinator_a):
    strict = Client(enforce_csrf_checks=True)
    log_in(strict, coordinator_a)

    response = strict.post(DUPLICATES_URL, {"email": "anna.devries@example.org"})

    assert response.status_code == 403
