"""Accepting a match: a dated activity signs the candidate up, a place or vacancy introduces them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kandidaten import services
from kandidaten.factories import CandidateFactory, MatchFactory
from kandidaten.models import Match, Status, TimelineEvent
from werkgevers.factories import IntroductionFactory, OfferFactory, PlaceOfferFactory, RegistrationFactory
from werkgevers.models import Introduction, Offer, Registration

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def accept(client, match, capture, **data):
    fields = {f"accept-{match.pk}-{name}": value for name, value in data.items()}
    with capture(execute=True):
        return client.post(reverse("kandidaten:match_accept", args=[match.pk]), fields)


@pytest.fixture
def anna(region_a):
    return CandidateFactory(
        region=region_a, first_name="Anna", last_name="Zwaagstra", email="anna.zwaagstra@example.org"
    )


@pytest.fixture
def open_day(organisation_a):
    return OfferFactory(
        organisation=organisation_a,
        location=organisation_a.locations.get(),
        kind="open_huis",
        title="Open huis De Linde",
        capacity=3,
    )


@pytest.fixture
def place(organisation_a):
    return PlaceOfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), title="BBL-plek VIG De Linde"
    )


# A dated activity: the candidate is signed up.


def test_accepting_an_open_day_signs_the_candidate_up(
    client_a, coordinator_a, anna, open_day, mailoutbox, django_capture_on_commit_callbacks
):
    match = MatchFactory(candidate=anna, offer=open_day)

    response = accept(client_a, match, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("kandidaten:candidate", args=[anna.pk]) + "#matches"
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    assert match.decided_by == coordinator_a
    assert timezone.now() - match.decided_at < timedelta(minutes=1)
    registration = Registration.objects.get()
    assert (registration.candidate, registration.offer, registration.status) == (anna, open_day, "confirmed")
    open_day.refresh_from_db()
    assert open_day.registered_count == 1
    event = TimelineEvent.objects.get(candidate=anna, kind=TimelineEvent.Kind.REGISTRATION)
    assert event.actor == coordinator_a
    assert event.data["action"] == "signed_up"
    assert event.data["offer_id"] == open_day.pk
    anna.refresh_from_db()
    assert anna.status == Status.REFERRED

    [mail] = mailoutbox
    assert mail.to == ["anna.zwaagstra@example.org"]
    assert mail.subject == "Je bent aangemeld: Open huis De Linde"
    assert "http://testserver/agenda/afmelden/" in mail.body  # the candidate can cancel, as after an agenda sign-up
    assert mail.attachments and mail.attachments[0][0] == "activiteit.ics"

    page = text(client_a.get(response["Location"]))
    assert "Anna Zwaagstra is aangemeld voor Open huis De Linde en krijgt een bevestiging per e-mail." in page
    assert "Aangemeld voor Open huis De Linde" in page  # the timeline
    assert "Eerder beoordeeld" in page


def test_a_full_activity_puts_the_candidate_on_the_waiting_list(
    client_a, anna, open_day, mailoutbox, django_capture_on_commit_callbacks
):
    match = MatchFactory(candidate=anna, offer=open_day)
    RegistrationFactory.create_batch(3, offer=open_day)
    Offer.objects.filter(pk=open_day.pk).update(registered_count=3, status=Offer.Status.FULL)

    response = accept(client_a, match, django_capture_on_commit_callbacks)

    registration = Registration.objects.get(candidate=anna)
    assert registration.status == Registration.Status.WAITING
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    [mail] = mailoutbox
    assert mail.subject == "Wachtlijst: Open huis De Linde"
    page = text(client_a.get(response["Location"]))
    assert "Open huis De Linde is vol: Anna Zwaagstra staat als nummer 1 op de wachtlijst" in page


def test_a_candidate_already_signed_up_is_not_signed_up_twice(
    client_a, anna, open_day, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(offer=open_day, candidate=anna)
    match = MatchFactory(candidate=anna, offer=open_day)

    response = accept(client_a, match, django_capture_on_commit_callbacks)

    assert Registration.objects.filter(candidate=anna).count() == 1
    assert mailoutbox == []
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    assert "Anna Zwaagstra was al aangemeld voor Open huis De Linde." in text(client_a.get(response["Location"]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signup_deadline": timezone.now() - timedelta(hours=1)}, "De aanmeldtermijn van deze activiteit is voorbij."),
        ({"status": Offer.Status.CLOSED}, "Voor deze activiteit kun je je niet meer aanmelden."),
        ({"status": Offer.Status.DRAFT}, "Voor deze activiteit kun je je niet meer aanmelden."),
    ],
)
def test_an_activity_that_takes_no_sign_ups_leaves_the_match_open(
    client_a, anna, open_day, mailoutbox, django_capture_on_commit_callbacks, change, message
):
    match = MatchFactory(candidate=anna, offer=open_day)
    Offer.objects.filter(pk=open_day.pk).update(**change)

    response = accept(client_a, match, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.decided_by, match.decided_at) == (Match.Status.NEW, None, None)
    assert not Registration.objects.exists()
    assert mailoutbox == []
    assert message in text(client_a.get(response["Location"]))


def test_a_note_is_not_asked_for_an_activity(client_a, anna, open_day, django_capture_on_commit_callbacks):
    match = MatchFactory(candidate=anna, offer=open_day)

    response = accept(client_a, match, django_capture_on_commit_callbacks, note="<script>x</script>" * 500)

    assert response.status_code == 302
    assert Registration.objects.filter(candidate=anna).exists()


# A place or vacancy: the candidate is introduced to the employer.


def test_accepting_a_place_introduces_the_candidate_with_the_note(
    client_a, coordinator_a, anna, place, mailoutbox, django_capture_on_commit_callbacks
):
    match = MatchFactory(candidate=anna, offer=place)

    response = accept(client_a, match, django_capture_on_commit_callbacks, note="Waarom dit past: 6 km van huis.")

    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.candidate, introduction.offer, introduction.introduced_by) == (anna, place, coordinator_a)
    assert introduction.note == "Waarom dit past: 6 km van huis."
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (Match.Status.ACCEPTED, coordinator_a)
    event = TimelineEvent.objects.get(candidate=anna, kind=TimelineEvent.Kind.INTRODUCTION)
    assert (event.actor, event.data["event"], event.data["note"]) == (
        coordinator_a,
        "proposed",
        "Waarom dit past: 6 km van huis.",
    )
    anna.refresh_from_db()
    assert anna.status == Status.REFERRED
    [mail] = mailoutbox
    assert mail.to == [place.contact_person.email]
    assert mail.subject == "Er is een kandidaat voorgesteld voor BBL-plek VIG De Linde"
    assert "Zwaagstra" not in mail.body
    page = text(client_a.get(response["Location"]))
    assert "Anna Zwaagstra is voorgesteld aan Zorggroep Noord voor BBL-plek VIG De Linde." in page


def test_the_note_may_be_left_empty(client_a, anna, place, django_capture_on_commit_callbacks):
    match = MatchFactory(candidate=anna, offer=place)

    accept(client_a, match, django_capture_on_commit_callbacks, note="")

    assert Introduction.objects.get().note == ""


def test_the_weekly_maximum_is_respected(client_a, anna, place, mailoutbox, django_capture_on_commit_callbacks):
    Offer.objects.filter(pk=place.pk).update(max_introductions_per_week=1)
    IntroductionFactory(offer=place)
    match = MatchFactory(candidate=anna, offer=place)

    response = accept(client_a, match, django_capture_on_commit_callbacks, note="Graag")

    match.refresh_from_db()
    assert match.status == Match.Status.NEW
    assert Introduction.objects.count() == 1
    assert mailoutbox == []
    assert "Het maximum van 1 voorstellen per week voor dit aanbod is bereikt." in text(
        client_a.get(response["Location"])
    )


def test_a_candidate_already_introduced_is_told_and_the_match_stays_open(
    client_a, anna, place, django_capture_on_commit_callbacks
):
    IntroductionFactory(offer=place, candidate=anna)
    match = MatchFactory(candidate=anna, offer=place)

    response = accept(client_a, match, django_capture_on_commit_callbacks, note="Graag")

    match.refresh_from_db()
    assert match.status == Match.Status.NEW
    assert Introduction.objects.count() == 1
    page = text(client_a.get(response["Location"]))
    assert "Anna is al voorgesteld voor dit aanbod en wacht op het antwoord." in page


def test_an_offer_no_longer_open_is_refused(client_a, anna, place, django_capture_on_commit_callbacks):
    Offer.objects.filter(pk=place.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    match = MatchFactory(candidate=anna, offer=place)

    response = accept(client_a, match, django_capture_on_commit_callbacks, note="Graag")

    match.refresh_from_db()
    assert match.status == Match.Status.NEW
    assert not Introduction.objects.exists()
    assert "Dit aanbod stond open tot" in text(client_a.get(response["Location"]))


@pytest.mark.parametrize(
    ("note", "error"),
    [
        ("<script>alert('x')</script>", "Laat HTML of code weg: schrijf gewone tekst."),
        ("x" * 2001, "Zorg dat deze waarde niet meer dan 2000 tekens bevat (het zijn er nu 2001)."),
    ],
)
def test_a_bad_note_gets_a_dutch_error_next_to_the_field(
    client_a, anna, place, mailoutbox, django_capture_on_commit_callbacks, note, error
):
    match = MatchFactory(candidate=anna, offer=place)

    response = accept(client_a, match, django_capture_on_commit_callbacks, note=note)

    assert response.status_code == 200
    page = text(response)
    assert error in page
    assert "Voorstel accepteren" in page
    assert "<script>alert" not in response.content.decode()
    assert f'id="error_1_id_accept-{match.pk}-note"' in response.content.decode()
    match.refresh_from_db()
    assert match.status == Match.Status.NEW
    assert not Introduction.objects.exists()
    assert mailoutbox == []


# Decided already, or gone.


def test_a_decided_match_is_already_done(client_a, coordinator_b, anna, open_day, django_capture_on_commit_callbacks):
    match = MatchFactory(candidate=anna, offer=open_day)
    accept(client_a, match, django_capture_on_commit_callbacks)

    response = accept(client_a, match, django_capture_on_commit_callbacks)

    assert Registration.objects.count() == 1
    assert "Al gedaan: dit voorstel is al geaccepteerd." in text(client_a.get(response["Location"]))


def test_a_rejected_match_cannot_be_accepted(client_a, coordinator_a, anna, place, django_capture_on_commit_callbacks):
    match = MatchFactory(
        candidate=anna, offer=place, status=Match.Status.REJECTED, reject_reason="too_far", decided_by=coordinator_a
    )

    response = accept(client_a, match, django_capture_on_commit_callbacks, note="")

    assert not Introduction.objects.exists()
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED
    assert "Al gedaan: dit voorstel is al afgewezen." in text(client_a.get(response["Location"]))


def test_the_service_refuses_a_match_that_matching_dropped_meanwhile(coordinator_a, anna, place):
    match = MatchFactory(candidate=anna, offer=place)
    Match.objects.filter(pk=match.pk).delete()

    with pytest.raises(services.MatchRefused) as refused:
        services.match_accept(match=match, actor=coordinator_a, note="", site_url="http://testserver")

    assert refused.value.code == "gone"


def test_back_to_the_list_with_its_filters(client_a, anna, open_day, django_capture_on_commit_callbacks):
    match = MatchFactory(candidate=anna, offer=open_day)
    back = reverse("kandidaten:new_matches") + "?kind=open_huis"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("kandidaten:match_accept", args=[match.pk]), {"next": back})

    assert response["Location"] == back


def test_a_next_address_elsewhere_is_ignored(client_a, anna, open_day, django_capture_on_commit_callbacks):
    match = MatchFactory(candidate=anna, offer=open_day)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("kandidaten:match_accept", args=[match.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("kandidaten:candidate", args=[anna.pk]) + "#matches"


def test_get_is_not_allowed(client_a, anna, open_day):
    match = MatchFactory(candidate=anna, offer=open_day)

    assert client_a.get(reverse("kandidaten:match_accept", args=[match.pk])).status_code == 405
    match.refresh_from_db()
    assert match.status == Match.Status.NEW


def test_an_activity_for_coordinators_only_can_be_signed_up_for(
    client_a, anna, open_day, mailoutbox, django_capture_on_commit_callbacks
):
    Offer.objects.filter(pk=open_day.pk).update(visibility=Offer.Visibility.COORDINATORS)
    match = MatchFactory(candidate=anna, offer=open_day)

    accept(client_a, match, django_capture_on_commit_callbacks)

    assert Registration.objects.get(candidate=anna).status == Registration.Status.CONFIRMED
    assert len(mailoutbox) == 1


def test_a_coordinator_signs_up_for_dated_activities_only(coordinator_a, anna, place):
    from werkgevers import registrations

    with pytest.raises(registrations.SignupRefused):
        registrations.registration_by_coordinator(
            offer=place, candidate=anna, actor=coordinator_a, site_url="http://testserver"
        )
    assert not Registration.objects.exists()
