"""A new candidate in my region: the region's coordinators hear of it at once, or in their digest."""

import pytest

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification, OutboxMail
from contactpunt.notifications import Choice, preferences_save
from kandidaten.factories import CandidateFactory, intake_form_data
from kandidaten.models import Candidate, Status, StopReason

pytestmark = pytest.mark.django_db

INTAKE = "/aanmelden/"
PHONE_INTAKE = "/dashboard/kandidaten/nieuw/"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


@pytest.fixture
def colleague_a(region_a):
    return CoordinatorFactory(email="collega.a@contactpunt.example", regions=[region_a])


def sign_up(client, capture, **typed):
    with capture(execute=True):
        response = client.post(INTAKE, intake_form_data(**typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def mails_to(mailoutbox, address):
    return [mail for mail in mailoutbox if mail.to == [address]]


def test_the_coordinators_of_the_region_hear_of_a_sign_up_and_nobody_else(
    client,
    coordinator_a,
    colleague_a,
    coordinator_b,
    administrator,
    employer_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    sign_up(client, django_capture_on_commit_callbacks)

    anna = Candidate.objects.get()
    for coordinator in (coordinator_a, colleague_a):
        [row] = Notification.objects.filter(user=coordinator)
        assert row.title == "Nieuwe kandidaat in Noord-Nederland: Anna uit Groningen"
        assert row.url == f"/dashboard/kandidaten/{anna.pk}/"
        [mail] = mails_to(mailoutbox, coordinator.email)
        assert mail.subject == "Nieuwe kandidaat in Noord-Nederland: Anna"
    assert set(Notification.objects.values_list("user", flat=True)) == {coordinator_a.pk, colleague_a.pk}
    # The candidate gets the confirmation; nobody else gets anything.
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        [coordinator_a.email, colleague_a.email, "anna.devries@example.org"]
    )


def test_the_digest_choice_means_no_mail_now(
    client, coordinator_a, colleague_a, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=True, in_app=True, digest=True)})

    sign_up(client, django_capture_on_commit_callbacks)

    assert mails_to(mailoutbox, coordinator_a.email) == []
    assert len(mails_to(mailoutbox, colleague_a.email)) == 1
    assert Notification.objects.filter(user=coordinator_a).count() == 1


def test_switched_off_means_nothing_at_all(client, coordinator_a, mailoutbox, django_capture_on_commit_callbacks):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=False, in_app=False)})

    sign_up(client, django_capture_on_commit_callbacks)

    assert mails_to(mailoutbox, coordinator_a.email) == []
    assert not Notification.objects.exists()


def test_a_repeat_sign_up_of_an_open_candidate_is_not_news(client, coordinator_a, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks, message="Nog een vraag.")

    assert Candidate.objects.count() == 1
    assert Notification.objects.filter(user=coordinator_a).count() == 1


def test_a_stopped_candidate_who_signs_up_again_is_news_again(
    client, coordinator_a, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    CandidateFactory(
        first_name="Anna",
        email="anna.devries@example.org",
        region=region_a,
        place="Groningen",
        status=Status.STOPPED,
        stop_reason=StopReason.NOT_REACHABLE,
    )

    sign_up(client, django_capture_on_commit_callbacks)

    [row] = Notification.objects.filter(user=coordinator_a)
    assert row.title == "Anna uit Groningen heeft zich opnieuw aangemeld (Noord-Nederland)"
    [mail] = mails_to(mailoutbox, coordinator_a.email)
    assert mail.subject == "Anna heeft zich opnieuw aangemeld (Noord-Nederland)"
    assert "staat weer als nieuwe kandidaat in de inbox van Noord-Nederland" in mail.body


def test_a_sign_up_in_the_national_queue_tells_no_coordinator(
    client, coordinator_a, coordinator_b, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, postcode="1011 AB", place="Amsterdam")

    assert Candidate.objects.get().region is None
    assert not Notification.objects.exists()
    assert list(OutboxMail.objects.values_list("to", flat=True)) == ["anna.devries@example.org"]


def test_the_coordinator_who_takes_the_call_is_not_told_but_colleagues_are(
    client_a, coordinator_a, colleague_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(PHONE_INTAKE, intake_form_data(website=None, source="welcome_panel"))

    assert response.status_code == 302
    assert list(Notification.objects.values_list("user", flat=True)) == [colleague_a.pk]
