"""The personal cancel link /agenda/afmelden/<token>/: GET asks, POST cancels, a second POST says so."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kandidaten.models import TimelineEvent
from werkgevers.factories import OfferFactory, RegistrationFactory, agenda_signup_data
from werkgevers.models import Offer, Registration, hash_token, new_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


@pytest.fixture
def offer(organisation_a):
    return OfferFactory(organisation=organisation_a, capacity=1, title="Speeddate Zorg Noord")


@pytest.fixture
def signed_up(client, offer, region_a, django_capture_on_commit_callbacks):
    """Sign up through the form; returns the cancel address from the confirmation e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("werkgevers:activity_signup", args=[offer.pk]), agenda_signup_data())
    url = "/agenda/afmelden/" + mail.outbox[0].body.split("/agenda/afmelden/")[1].split("/")[0] + "/"
    mail.outbox.clear()
    return url


def test_the_link_holds_nothing_personal_and_only_its_hash_is_stored(signed_up):
    token = signed_up.split("/")[-2]
    registration = Registration.objects.get()

    assert registration.cancel_token_hash == hash_token(token)
    assert token not in registration.cancel_token_hash
    for personal in ("fatima", "elamrani", "example.org", "0623456789", "9712"):
        assert personal not in signed_up.lower()


def test_opening_the_link_only_asks_and_cancels_nothing(client, signed_up):
    response = client.get(signed_up)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Speeddate Zorg Noord" in html
    assert "Ja, meld me af" in html
    assert 'method="post"' in html
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert response["Cache-Control"].startswith("max-age=0")


def test_confirming_cancels_frees_the_place_and_sends_a_confirmation(
    client, signed_up, offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signed_up)

    assert response.status_code == 200
    assert "Je bent afgemeld" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.cancelled_at is not None
    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (0, Offer.Status.PUBLISHED)
    assert [message.subject for message in mail.outbox] == ["Je bent afgemeld: Speeddate Zorg Noord"]
    event = registration.candidate.timeline.filter(kind=TimelineEvent.Kind.REGISTRATION).first()
    assert (event.data["action"], event.data["had_place"]) == ("cancelled", True)


def test_a_second_post_says_already_cancelled_and_changes_nothing(
    client, signed_up, offer, django_capture_on_commit_callbacks
):
    client.post(signed_up)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signed_up)

    assert response.status_code == 200
    assert "Al afgemeld" in response.content.decode()
    assert mail.outbox == []
    offer.refresh_from_db()
    assert offer.registered_count == 0
    # Opening the link again says so too, without a button.
    html = client.get(signed_up).content.decode()
    assert "Je hebt je al afgemeld" in html
    assert "Ja, meld me af" not in html


def test_cancelling_promotes_the_first_person_waiting_who_is_told_by_mail(
    client, signed_up, offer, django_capture_on_commit_callbacks
):
    first = RegistrationFactory(offer=offer, status=Registration.Status.WAITING, created_at=timezone.now())
    RegistrationFactory(
        offer=offer, status=Registration.Status.WAITING, created_at=timezone.now() + timedelta(seconds=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(signed_up)

    first.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(status=Registration.Status.WAITING).count() == 1
    promoted_mail = next(message for message in mail.outbox if message.to == [first.candidate.email])
    assert promoted_mail.subject == "Er is een plek voor je vrijgekomen: Speeddate Zorg Noord"
    assert promoted_mail.attachments[0][2] == "text/calendar"


def test_an_unknown_link_is_a_friendly_404(client, db):
    token, _hash = new_token()

    for response in (
        client.get(reverse("werkgevers:registration_cancel", args=[token])),
        client.post(reverse("werkgevers:registration_cancel", args=[token])),
    ):
        assert response.status_code == 404
        assert "Deze link kennen we niet" in response.content.decode()


def test_after_the_start_the_page_says_cancelling_is_no_longer_possible(client, signed_up, offer):
    Offer.objects.filter(pk=offer.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1), ends_at=timezone.now() + timedelta(hours=1)
    )

    html = client.get(signed_up).content.decode()
    assert "afmelden kan hier niet meer" in html.lower()
    assert "Ja, meld me af" not in html

    response = client.post(signed_up)
    assert "Afmelden kan niet meer" in response.content.decode()
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_someone_on_the_waiting_list_is_asked_to_leave_the_list(client, offer, region_a):
    token, token_hash = new_token()
    RegistrationFactory(offer=offer, status=Registration.Status.WAITING, cancel_token_hash=token_hash)

    html = client.get(reverse("werkgevers:registration_cancel", args=[token])).content.decode()

    assert "Ja, haal me van de wachtlijst" in html


def test_the_cancel_page_needs_no_login_and_shows_no_personal_details(client, signed_up):
    html = client.get(signed_up).content.decode()

    assert "fatima" not in html.lower()
    assert "06 23456789" not in html
