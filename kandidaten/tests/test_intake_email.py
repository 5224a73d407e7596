"""The confirmation e-mail after a sign-up: Dutch, says what happens next, text and HTML."""

import pytest
from django.core import mail

from contactpunt.models import OutboxMail
from kandidaten.factories import intake_form_data

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def sign_up(client, django_capture_on_commit_callbacks, **typed):
    # The mail is handed to Celery after commit; the callbacks run here, and Celery runs eagerly.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, intake_form_data(**typed))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_the_confirmation_says_in_dutch_that_a_coordinator_calls_within_two_working_days(
    client, region_a, django_capture_on_commit_callbacks
):
    region_a.phone = "050 123 4567"
    region_a.save()

    message = sign_up(client, django_capture_on_commit_callbacks)

    assert message.to == ["anna.devries@example.org"]
    assert message.subject == "We hebben je aanmelding ontvangen"
    body = message.body
    assert body.startswith("Hallo Anna,")
    assert "Bedankt voor je aanmelding." in body
    assert "Wat gebeurt er nu?" in body
    assert "Een regiocoördinator van contactpunt Noord-Nederland belt je binnen twee werkdagen." in body
    assert "050 123 4567" in body
    assert "noord-nederland@contactpunt.example" in body
    assert "Heb je je niet zelf aangemeld? Laat het ons dan weten." in body
    assert "Met vriendelijke groet,\nContactpunt Noord-Nederland" in body
    assert OutboxMail.objects.get().sent_at is not None


def test_the_confirmation_has_an_html_alternative_with_the_same_message(
    client, region_a, django_capture_on_commit_callbacks
):
    message = sign_up(client, django_capture_on_commit_callbacks)

    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="nl">' in html
    assert "<p>Hallo Anna,</p>" in html
    assert "binnen twee werkdagen" in html
    assert 'href="mailto:noord-nederland@contactpunt.example"' in html


def test_a_sign_up_in_the_national_queue_is_told_it_is_passed_on(client, region_a, django_capture_on_commit_callbacks):
    message = sign_up(client, django_capture_on_commit_callbacks, postcode="1011 AB", place="Amsterdam")

    assert "We geven je aanmelding door aan het contactpunt van jouw regio." in message.body
    assert "binnen twee werkdagen" in message.body
    assert "Contactpunt Zorg en Welzijn" in message.body
    # No region, so no contact details to offer and no "let us know" without an address.
    assert "Vragen?" not in message.body


def test_a_name_with_an_apostrophe_reads_well_in_text_and_is_escaped_in_html(
    client, region_a, django_capture_on_commit_callbacks
):
    message = sign_up(client, django_capture_on_commit_callbacks, first_name="Ma'ruf")

    assert message.body.startswith("Hallo Ma'ruf,")
    assert "Hallo Ma&#x27;ruf," in message.alternatives[0][0]


def test_nothing_is_sent_for_a_refused_form(client, region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, intake_form_data(consent_contact=None))
        client.post(URL, intake_form_data(website="bot"))

    assert mail.outbox == []
    assert not OutboxMail.objects.exists()
