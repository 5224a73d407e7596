"""The capacity logic of werkgevers.registrations, one sign-up after another (SQLite in make test; the
simultaneous version runs on PostgreSQL in tests/services/test_registration_concurrency.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kandidaten.models import Status, TimelineEvent
from werkgevers.factories import OfferFactory, RegistrationFactory
from werkgevers.models import Offer, Registration
from werkgevers.registrations import (
    Outcome,
    Refusal,
    SignupRefused,
    fill_from_waiting_list,
    registration_cancel,
    registration_signup,
    waiting_position,
)

pytestmark = pytest.mark.django_db

SITE = "https://portaal.example"


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


def details(number: int) -> dict:
    return {
        "first_name": "Sam",
        "last_name": f"Jansen {chr(65 + number % 26)}",
        "email": f"sam{number}@example.org",
        "phone": f"+316200000{number:02d}",
        "postcode": "9711 AB",
    }


def sign_up(offer: Offer, number: int, **kwargs):
    return registration_signup(
        offer_id=offer.pk, details=details(number), consents={"contact": True}, site_url=SITE, **kwargs
    )


@pytest.fixture
def offer(region_a):
    return OfferFactory(capacity=5, title="Open huis Het Anker")


def test_five_places_give_five_registrations_and_then_a_waiting_list_in_order(offer):
    results = [sign_up(offer, number) for number in range(20)]

    assert [result.outcome for result in results[:5]] == [Outcome.CONFIRMED] * 5
    assert [result.outcome for result in results[5:]] == [Outcome.WAITING] * 15
    assert [result.position for result in results[5:]] == list(range(1, 16))
    offer.refresh_from_db()
    assert offer.registered_count == 5
    assert offer.status == Offer.Status.FULL
    assert Registration.objects.filter(status=Registration.Status.CONFIRMED).count() == 5
    assert Registration.objects.filter(status=Registration.Status.WAITING).count() == 15


def test_the_database_refuses_more_registered_than_places(offer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(registered_count=6)


def test_one_active_registration_per_person_is_enforced_by_the_database(offer):
    registration = RegistrationFactory(offer=offer)

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(offer=offer, candidate=registration.candidate, status=Registration.Status.WAITING)


def test_an_activity_without_a_capacity_takes_everybody(region_a):
    offer = OfferFactory(capacity=None)

    results = [sign_up(offer, number) for number in range(3)]

    assert {result.outcome for result in results} == {Outcome.CONFIRMED}
    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (3, Offer.Status.PUBLISHED)


def test_the_same_person_again_is_already_signed_up_also_on_the_waiting_list(offer):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    sign_up(offer, 0)
    sign_up(offer, 1)

    first_again = sign_up(offer, 0)
    second_again = sign_up(offer, 1)

    assert (first_again.outcome, first_again.position) == (Outcome.ALREADY, None)
    assert (second_again.outcome, second_again.position) == (Outcome.ALREADY, 1)
    assert Registration.objects.count() == 2


def test_a_cancellation_gives_the_place_to_the_first_person_waiting(offer, django_capture_on_commit_callbacks):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(offer, 0)
    tokens = {}
    for number in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(offer, number)
        tokens[number] = mail.outbox[-1].body.split("/agenda/afmelden/")[1].split("/")[0]
    first_token = mail.outbox[0].body.split("/agenda/afmelden/")[1].split("/")[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = registration_cancel(token=first_token, site_url=SITE)

    assert [registration.candidate.email for registration in result.promoted] == ["sam1@example.org"]
    promoted = Registration.objects.get(candidate__email="sam1@example.org")
    assert promoted.status == Registration.Status.CONFIRMED
    assert promoted.promoted_at is not None
    still_waiting = Registration.objects.get(candidate__email="sam2@example.org")
    assert still_waiting.status == Registration.Status.WAITING
    assert waiting_position(still_waiting) == 1
    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (1, Offer.Status.FULL)
    # The promoted person is told, with a calendar file and a new cancel link; the old one is gone.
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "Er is een plek voor je vrijgekomen: Open huis Het Anker",
        "Je bent afgemeld: Open huis Het Anker",
    ]
    told = next(message for message in mail.outbox if message.to == ["sam1@example.org"])
    assert told.attachments[0][0] == "activiteit.ics"
    new_token = told.body.split("/agenda/afmelden/")[1].split("/")[0]
    assert new_token != tokens[1]
    assert registration_cancel(token=new_token, site_url=SITE).outcome == "cancelled"
    with pytest.raises(Registration.DoesNotExist):
        registration_cancel(token=tokens[1], site_url=SITE)
    # The promoted person moved forward and the timeline says so.
    assert promoted.candidate.timeline.filter(kind=TimelineEvent.Kind.REGISTRATION, data__action="promoted").exists()
    promoted.candidate.refresh_from_db()
    assert promoted.candidate.status == Status.REFERRED


def test_a_cancellation_with_nobody_waiting_opens_the_activity_again(offer, django_capture_on_commit_callbacks):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(offer, 0)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.FULL
    token = mail.outbox[0].body.split("/agenda/afmelden/")[1].split("/")[0]

    result = registration_cancel(token=token, site_url=SITE)

    assert result.outcome == "cancelled"
    assert result.promoted == []
    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (0, Offer.Status.PUBLISHED)


def test_leaving_the_waiting_list_frees_no_place(offer, django_capture_on_commit_callbacks):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    sign_up(offer, 0)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(offer, 1)
    token = mail.outbox[-1].body.split("/agenda/afmelden/")[1].split("/")[0]

    registration_cancel(token=token, site_url=SITE)

    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (1, Offer.Status.FULL)
    assert Registration.objects.filter(status=Registration.Status.WAITING).count() == 0


def test_a_closed_activity_keeps_its_status_when_a_place_frees_up(offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(offer, 0)
    token = mail.outbox[0].body.split("/agenda/afmelden/")[1].split("/")[0]
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.CLOSED)

    registration_cancel(token=token, site_url=SITE)

    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (0, Offer.Status.CLOSED)


def test_more_places_go_to_the_people_waiting_first(offer):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    for number in range(4):
        sign_up(offer, number)
    Offer.objects.filter(pk=offer.pk).update(capacity=3)

    promoted = fill_from_waiting_list(offer_id=offer.pk, site_url=SITE)

    assert [registration.candidate.email for registration in promoted] == ["sam1@example.org", "sam2@example.org"]
    offer.refresh_from_db()
    assert (offer.registered_count, offer.status) == (3, Offer.Status.FULL)


def test_a_newcomer_does_not_jump_the_waiting_list(offer):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    sign_up(offer, 0)
    sign_up(offer, 1)
    Offer.objects.filter(pk=offer.pk).update(capacity=2, status=Offer.Status.PUBLISHED)

    newcomer = sign_up(offer, 2)

    assert newcomer.outcome == Outcome.WAITING
    assert Registration.objects.get(candidate__email="sam1@example.org").status == Registration.Status.CONFIRMED


def test_the_deadline_and_the_agenda_are_checked_in_the_service_too(offer):
    Offer.objects.filter(pk=offer.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(SignupRefused) as refused:
        sign_up(offer, 0)
    assert refused.value.reason == Refusal.DEADLINE

    Offer.objects.filter(pk=offer.pk).update(signup_deadline=None, status=Offer.Status.DRAFT)
    with pytest.raises(SignupRefused) as refused:
        sign_up(offer, 0)
    assert refused.value.reason == Refusal.CLOSED
    assert not Registration.objects.exists()


def test_cancelling_after_the_start_is_refused(offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(offer, 0)
    token = mail.outbox[0].body.split("/agenda/afmelden/")[1].split("/")[0]
    Offer.objects.filter(pk=offer.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )

    result = registration_cancel(token=token, site_url=SITE)

    assert result.outcome == "too_late"
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    offer.refresh_from_db()
    assert offer.registered_count == 1
