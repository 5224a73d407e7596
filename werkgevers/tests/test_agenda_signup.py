"""Signing up for an activity on the agenda: a place, the waiting list, already signed up, one candidate."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import EducationLevel, OutboxMail
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, Consent, ConsentPurpose, Situation, Source, Status, TimelineEvent
from werkgevers.factories import OfferFactory, RegistrationFactory, agenda_signup_data
from werkgevers.models import Offer, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


@pytest.fixture
def offer(organisation_a):
    return OfferFactory(
        organisation=organisation_a,
        location=organisation_a.locations.get(),
        title="Meeloopdag De Linde",
        capacity=2,
    )


def signup_url(offer) -> str:
    return reverse("werkgevers:activity_signup", args=[offer.pk])


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Post the form; the e-mail is sent after commit (Celery runs eagerly in tests)."""

    def post(offer, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(signup_url(offer), agenda_signup_data(**overrides))

    return post


def test_a_sign_up_gets_a_place_and_one_confirmation_mail_with_a_calendar_file(sign_up, client, offer, region_a):
    response = sign_up(offer)

    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:activity_signup_done")
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.candidate.email == "fatima.elamrani@example.org"
    offer.refresh_from_db()
    assert offer.registered_count == 1
    assert offer.status == Offer.Status.PUBLISHED
    # One e-mail: the registration's, not the intake's confirmation as well.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima.elamrani@example.org"]
    assert message.subject == "Je bent aangemeld: Meeloopdag De Linde"
    assert "Zorgstraat 1" in message.body or "De Linde" in message.body
    assert "/agenda/afmelden/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert (filename, mimetype) == ("activiteit.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content


def test_the_page_after_signing_up_says_so_in_dutch_once(sign_up, client, offer, region_a):
    sign_up(offer)

    response = client.get(reverse("werkgevers:activity_signup_done"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je bent aangemeld" in html
    assert "Fatima" in html
    assert "Meeloopdag De Linde" in html
    # Shown once: a reload goes to the agenda.
    assert client.get(reverse("werkgevers:activity_signup_done"))["Location"] == reverse("werkgevers:agenda")


def test_the_sign_up_makes_a_candidate_routed_by_postcode_with_what_is_unknown_left_open(
    sign_up, client, offer, region_a
):
    sign_up(offer)

    candidate = Candidate.objects.get()
    assert candidate.region == region_a
    assert candidate.phone == "+31623456789"
    assert candidate.postcode == "9712 CD"
    assert candidate.situation == ""
    assert candidate.education_level is None
    assert candidate.source == Source.AGENDA
    signup = candidate.timeline.get(kind=TimelineEvent.Kind.SIGNUP)
    assert signup.data["channel"] == "agenda"


def test_the_sign_up_is_in_the_timeline_and_moves_the_candidate_to_referred(sign_up, client, offer, region_a):
    sign_up(offer)

    candidate = Candidate.objects.get()
    assert candidate.status == Status.REFERRED
    event = candidate.timeline.get(kind=TimelineEvent.Kind.REGISTRATION)
    assert event.data["action"] == "signed_up"
    assert event.data["offer_id"] == offer.pk
    assert event.data["offer"] == "Meeloopdag De Linde"
    assert event.data["organisation"] == "Zorggroep Noord"
    assert event.actor is None


def test_consent_is_recorded_and_campaign_news_is_not_asked(sign_up, client, offer, region_a):
    sign_up(offer, consent_share_with_employers="on")

    answers = {consent.purpose: consent.granted for consent in Consent.objects.all()}
    assert answers == {ConsentPurpose.CONTACT: True, ConsentPurpose.SHARE_WITH_EMPLOYERS: True}


def test_a_known_candidate_keeps_their_details_and_earlier_campaign_consent(sign_up, client, offer, region_a):
    known = CandidateFactory(
        email="fatima.elamrani@example.org",
        region=region_a,
        situation=Situation.JOB_SEEKER,
        education_level=EducationLevel.MBO3,
        source=Source.CAMPAIGN,
        consents=[ConsentPurpose.CONTACT, ConsentPurpose.CAMPAIGN_NEWS],
    )

    sign_up(offer)

    assert Candidate.objects.count() == 1
    known.refresh_from_db()
    assert (known.situation, known.education_level, known.source) == (
        Situation.JOB_SEEKER,
        EducationLevel.MBO3,
        Source.CAMPAIGN,
    )
    latest_news = Consent.objects.filter(candidate=known, purpose=ConsentPurpose.CAMPAIGN_NEWS).first()
    assert latest_news.granted is True
    assert Registration.objects.get().candidate == known


def test_the_same_person_twice_is_one_candidate_one_registration_and_told_already(sign_up, client, offer, region_a):
    sign_up(offer)
    client.get(reverse("werkgevers:activity_signup_done"))

    response = sign_up(offer, email="Fatima.ElAmrani@example.org", phone="0623456789")

    assert response.status_code == 302
    assert Candidate.objects.count() == 1
    assert Registration.objects.count() == 1
    offer.refresh_from_db()
    assert offer.registered_count == 1
    html = client.get(reverse("werkgevers:activity_signup_done")).content.decode()
    assert "Je was al aangemeld" in html
    assert "niet twee keer aangemeld" in html
    assert len(mail.outbox) == 1  # no second mail


def test_the_last_place_makes_the_activity_full(sign_up, client, offer, region_a):
    sign_up(offer)
    sign_up(offer, email="tom@example.org", phone="0611111111", first_name="Tom")

    offer.refresh_from_db()
    assert offer.registered_count == 2
    assert offer.status == Offer.Status.FULL


def test_a_full_activity_puts_the_person_on_the_waiting_list_with_a_clear_answer(sign_up, client, offer, region_a):
    RegistrationFactory.create_batch(2, offer=offer)
    Offer.objects.filter(pk=offer.pk).update(registered_count=2, status=Offer.Status.FULL)

    response = sign_up(offer)

    assert response.status_code == 302
    registration = Registration.objects.get(candidate__email="fatima.elamrani@example.org")
    assert registration.status == Registration.Status.WAITING
    offer.refresh_from_db()
    assert offer.registered_count == 2
    html = client.get(reverse("werkgevers:activity_signup_done")).content.decode()
    assert "Vol: je staat op de wachtlijst" in html
    assert "nummer 1 op de wachtlijst" in html
    message = mail.outbox[0]
    assert message.subject == "Wachtlijst: Meeloopdag De Linde"
    assert "nummer 1" in message.body
    assert "/agenda/afmelden/" in message.body
    assert message.attachments == []
    candidate = registration.candidate
    assert candidate.status == Status.NEW  # not referred while only waiting
    event = candidate.timeline.get(kind=TimelineEvent.Kind.REGISTRATION)
    assert (event.data["action"], event.data["position"]) == ("waiting", 1)


def test_the_waiting_list_keeps_order(sign_up, client, offer, region_a):
    Offer.objects.filter(pk=offer.pk).update(capacity=1)
    for number in range(3):
        sign_up(offer, email=f"p{number}@example.org", phone=f"061234567{number}")

    statuses = list(Registration.objects.order_by("created_at", "pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting", "waiting"]
    positions = [event.data["position"] for event in TimelineEvent.objects.filter(data__action="waiting")]
    assert sorted(positions) == [1, 2]


def test_the_sign_up_page_shows_the_waiting_list_button_when_full(client, offer):
    Offer.objects.filter(pk=offer.pk).update(registered_count=2, status=Offer.Status.FULL)

    html = client.get(reverse("werkgevers:activity", args=[offer.pk])).content.decode()

    assert "Zet me op de wachtlijst" in html
    assert "Vol — wachtlijst" in html


def test_a_sign_up_after_the_deadline_is_refused_in_dutch(sign_up, client, offer):
    Offer.objects.filter(pk=offer.pk).update(signup_deadline=timezone.now() - timedelta(hours=1))

    response = sign_up(offer)

    assert response.status_code == 200
    assert "de aanmeldtermijn is voorbij" in response.content.decode()
    assert not Candidate.objects.exists()
    assert not Registration.objects.exists()
    assert not OutboxMail.objects.exists()


def test_before_the_deadline_the_form_is_there(client, offer):
    Offer.objects.filter(pk=offer.pk).update(signup_deadline=timezone.now() + timedelta(days=1))

    html = client.get(reverse("werkgevers:activity", args=[offer.pk])).content.decode()

    assert 'name="first_name"' in html


def test_after_the_deadline_the_page_shows_no_form(client, offer):
    Offer.objects.filter(pk=offer.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))

    html = client.get(reverse("werkgevers:activity", args=[offer.pk])).content.decode()

    assert 'name="first_name"' not in html
    assert "de aanmeldtermijn is voorbij" in html


@pytest.mark.parametrize(
    "change",
    [
        {"status": Offer.Status.DRAFT},
        {"status": Offer.Status.CLOSED},
        {"status": Offer.Status.EXPIRED},
        {"visibility": Offer.Visibility.COORDINATORS},
    ],
)
def test_a_sign_up_for_an_activity_not_on_the_agenda_is_refused(sign_up, client, offer, change):
    Offer.objects.filter(pk=offer.pk).update(**change)

    response = sign_up(offer)

    assert response.status_code == 404
    assert "niet beschikbaar" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_sign_up_for_a_past_activity_is_refused(sign_up, client, offer):
    Offer.objects.filter(pk=offer.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )

    assert sign_up(offer).status_code == 404
    assert not Registration.objects.exists()


def test_an_unknown_offer_id_is_a_friendly_404(client, db):
    response = client.post(reverse("werkgevers:activity_signup", args=[999999]), agenda_signup_data())

    assert response.status_code == 404
    assert "niet beschikbaar" in response.content.decode()


def test_get_on_the_sign_up_address_goes_to_the_form(client, offer):
    response = client.get(signup_url(offer))

    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:activity", args=[offer.pk]) + "#aanmelden"


def test_a_bot_filling_the_hidden_field_is_refused_and_nothing_is_saved(sign_up, client, offer):
    response = sign_up(offer, website="https://spam.example")

    assert response.status_code == 429
    assert "niet verstuurd" in response.content.decode()
    assert not Candidate.objects.exists()


def test_the_rate_limit_stops_many_sign_ups_from_one_address(sign_up, client, offer, settings, region_a):
    settings.INTAKE_RATE_LIMIT = "2/h"
    for number in range(2):
        assert sign_up(offer, email=f"p{number}@example.org", phone=f"061234567{number}").status_code == 302

    response = sign_up(offer, email="p9@example.org", phone="0612345679")

    assert response.status_code == 429
    assert Candidate.objects.count() == 2


def test_a_sign_up_without_a_region_lands_in_the_national_queue(sign_up, client, offer):
    sign_up(offer, postcode="1011 AB")

    assert Candidate.objects.get().region is None
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_the_coordinator_reads_the_registration_in_the_candidates_timeline_in_dutch(sign_up, client_a, offer):
    sign_up(offer)
    candidate = Candidate.objects.get()

    html = client_a.get(reverse("kandidaten:candidate", args=[candidate.pk])).content.decode()

    assert "Aangemeld voor Meeloopdag De Linde" in html
    assert "Aangemeld voor een activiteit." in html  # why the status moved to doorverwezen


def test_after_cancelling_the_person_can_sign_up_again(sign_up, client, offer, region_a):
    sign_up(offer)
    Registration.objects.update(status=Registration.Status.CANCELLED, cancelled_at=timezone.now())
    Offer.objects.filter(pk=offer.pk).update(registered_count=0)

    sign_up(offer)

    assert Registration.objects.filter(status=Registration.Status.CONFIRMED).count() == 1
    assert Registration.objects.count() == 2
    assert Candidate.objects.count() == 1
