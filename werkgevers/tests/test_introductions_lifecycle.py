"""An introduction from proposal to outcome: the employer answers and records the outcome, the
coordinator may withdraw; every step is in the timeline, moves the candidate and tells the other side."""

import re

import pytest
from django.urls import reverse

from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory
from kandidaten.models import Status, TimelineEvent
from werkgevers.factories import (
    EmployerFactory,
    IntroductionFactory,
    LocationFactory,
    OrganisationFactory,
    PlaceOfferFactory,
)
from werkgevers.models import Introduction

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def answer(introduction) -> str:
    return reverse("werkgevers:introduction_answer", args=[introduction.pk])


def outcome(introduction) -> str:
    return reverse("werkgevers:introduction_outcome", args=[introduction.pk])


def withdraw(introduction) -> str:
    return reverse("werkgevers:introduction_withdraw", args=[introduction.pk])


def detail(introduction) -> str:
    return reverse("werkgevers:introduction_detail", args=[introduction.pk])


@pytest.fixture
def anna(region_a):
    return CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Zwaagstra",
        email="anna.zwaagstra@example.org",
        phone="+31612345678",
        status=Status.REFERRED,
    )


@pytest.fixture
def offer_a(organisation_a):
    return PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="BBL VIG")


@pytest.fixture
def introduction(anna, offer_a, coordinator_a):
    return IntroductionFactory(candidate=anna, offer=offer_a, introduced_by=coordinator_a)


def other_employer(region, name: str):
    organisation = OrganisationFactory(name=name, home_region=region)
    location = LocationFactory(organisation=organisation, region=region)
    return PlaceOfferFactory(organisation=organisation, location=location, title=f"Plek bij {name}")


def post(client, address, data, capture):
    with capture(execute=True):
        return client.post(address, data)


def events(candidate, kind=TimelineEvent.Kind.INTRODUCTION):
    return list(TimelineEvent.objects.filter(candidate=candidate, kind=kind).order_by("created_at", "id"))


def test_the_employer_invites_the_candidate(
    employer_a_client, employer_a, introduction, anna, coordinator_a, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.INVITED
    assert introduction.answered_by == employer_a
    assert introduction.answered_at is not None
    [event] = events(anna)
    assert event.actor == employer_a
    assert event.data["event"] == "invited"
    anna.refresh_from_db()
    assert anna.status == Status.REFERRED
    [mail] = mailoutbox
    assert mail.to == [coordinator_a.email]
    assert mail.subject == "Voorstel voor BBL VIG: Uitgenodigd"
    assert 'Zorggroep Noord nodigt Anna uit voor "BBL VIG".' in mail.body
    assert f"/dashboard/kandidaten/{anna.pk}/" in mail.body
    page = text(employer_a_client.get(response["Location"]))
    assert "Je hebt de kandidaat uitgenodigd. De regiocoördinator heeft bericht gekregen." in page
    assert "Uitkomst vastleggen" in page


def test_an_invitation_refers_a_candidate_who_was_back_in_conversation(
    employer_a_client, introduction, anna, django_capture_on_commit_callbacks
):
    anna.status = Status.IN_CONVERSATION
    anna.save()

    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)

    anna.refresh_from_db()
    assert anna.status == Status.REFERRED


def test_not_suitable_needs_a_reason(employer_a_client, introduction, mailoutbox, django_capture_on_commit_callbacks):
    response = post(
        employer_a_client,
        answer(introduction),
        {"decision": "not_suitable", "reason": "  "},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert "Laat de regiocoördinator weten waarom de kandidaat niet geschikt is." in text(response)
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED
    assert mailoutbox == []


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": "<script>"}])
def test_an_answer_that_is_no_choice_is_a_field_error(employer_a_client, introduction, data):
    response = employer_a_client.post(answer(introduction), data)

    assert response.status_code == 200
    page = text(response)
    assert "Kies je antwoord." in page or "Kies een van de mogelijkheden uit de lijst." in page


def test_a_reason_with_markup_or_too_long_is_refused(employer_a_client, introduction):
    for reason, error in [
        ("<script>alert(1)</script>", "Laat HTML of code weg: schrijf gewone tekst."),
        ("x" * 1001, "Zorg dat deze waarde niet meer dan 1000 tekens bevat"),
    ]:
        response = employer_a_client.post(answer(introduction), {"decision": "not_suitable", "reason": reason})
        assert response.status_code == 200
        assert error in text(response)
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED


def test_not_suitable_with_nothing_else_open_puts_the_candidate_back_in_conversation(
    employer_a_client, employer_a, introduction, anna, mailoutbox, django_capture_on_commit_callbacks
):
    post(
        employer_a_client,
        answer(introduction),
        {"decision": "not_suitable", "reason": "Geen ervaring met tilwerk."},
        django_capture_on_commit_callbacks,
    )

    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.NOT_SUITABLE
    assert introduction.reason == "Geen ervaring met tilwerk."
    assert events(anna)[-1].data["reason"] == "Geen ervaring met tilwerk."
    anna.refresh_from_db()
    assert anna.status == Status.IN_CONVERSATION
    status_change = events(anna, TimelineEvent.Kind.STATUS)[-1]
    assert status_change.data["to"] == Status.IN_CONVERSATION
    assert status_change.actor == employer_a
    [mail] = mailoutbox
    assert 'Zorggroep Noord vindt Anna niet geschikt voor "BBL VIG".' in mail.body
    assert "Reden: Geen ervaring met tilwerk." in mail.body
    assert "de status is terug naar In gesprek" in mail.body


def test_not_suitable_while_another_introduction_is_open_keeps_the_candidate_referred(
    employer_a_client, introduction, anna, region_a, mailoutbox, django_capture_on_commit_callbacks
):
    IntroductionFactory(candidate=anna, offer=other_employer(region_a, "Zorg Oost"))

    post(
        employer_a_client,
        answer(introduction),
        {"decision": "not_suitable", "reason": "Vol."},
        django_capture_on_commit_callbacks,
    )

    anna.refresh_from_db()
    assert anna.status == Status.REFERRED
    assert "terug naar In gesprek" not in mailoutbox[0].body


def test_answering_twice_is_refused_in_dutch(employer_a_client, introduction, django_capture_on_commit_callbacks):
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)

    response = employer_a_client.post(
        answer(introduction), {"decision": "not_suitable", "reason": "Toch niet"}, follow=True
    )

    assert response.status_code == 200
    assert "Dit voorstel is al beantwoord (uitgenodigd)." in text(response)
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.INVITED
    assert introduction.reason == ""


def test_inviting_twice_says_it_is_already_done(employer_a_client, introduction, django_capture_on_commit_callbacks):
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)

    response = employer_a_client.post(answer(introduction), {"decision": "invite"}, follow=True)

    assert "Al gedaan: dit voorstel is uitgenodigd." in text(response)


def test_an_outcome_before_an_invitation_is_not_possible(employer_a_client, introduction):
    response = employer_a_client.post(outcome(introduction), {"outcome": "started"}, follow=True)

    assert response.status_code == 200
    assert "Dat kan nog niet: leg de uitkomst vast nadat je de kandidaat hebt uitgenodigd." in text(response)
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED


def test_starting_closes_the_other_open_introductions_as_started_elsewhere(
    employer_a_client,
    employer_a,
    introduction,
    anna,
    region_a,
    coordinator_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    proposed = IntroductionFactory(candidate=anna, offer=other_employer(region_a, "Zorg Oost"))
    invited = IntroductionFactory(
        candidate=anna, offer=other_employer(region_a, "Zorg West"), status=Introduction.Status.INVITED
    )
    earlier = IntroductionFactory(
        candidate=anna, offer=other_employer(region_a, "Zorg Zuid"), status=Introduction.Status.NOT_SUITABLE
    )
    someone_else = IntroductionFactory(offer=proposed.offer, candidate=CandidateFactory(region=region_a))
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    response = post(
        employer_a_client, outcome(introduction), {"outcome": "started"}, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.STARTED
    assert introduction.outcome_at is not None
    anna.refresh_from_db()
    assert anna.status == Status.STARTED
    for other in (proposed, invited):
        other.refresh_from_db()
        assert other.status == Introduction.Status.STARTED_ELSEWHERE
    for untouched, status in [
        (earlier, Introduction.Status.NOT_SUITABLE),
        (someone_else, Introduction.Status.PROPOSED),
    ]:
        untouched.refresh_from_db()
        assert untouched.status == status
    steps = [event.data["event"] for event in events(anna)]
    assert steps == ["invited", "started", "started_elsewhere", "started_elsewhere"]

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {
        coordinator_a.email,
        proposed.offer.contact_person.email,
        invited.offer.contact_person.email,
    }
    for other in (proposed, invited):
        mail = by_address[other.offer.contact_person.email]
        assert mail.subject == f"Voorstel voor {other.offer.title} gesloten: de kandidaat is elders gestart"
        assert f"/werkgever/voorstellen/{other.pk}/" in mail.body
        for personal in ["Anna", "Zwaagstra", "anna.zwaagstra", "612345678", "Zorggroep Noord"]:
            assert personal not in mail.body
            assert personal not in mail.alternatives[0][0]
    to_coordinator = by_address[coordinator_a.email].body
    assert 'Anna is gestart bij Zorggroep Noord ("BBL VIG").' in to_coordinator
    assert 'De 2 andere open voorstellen van de kandidaat zijn gesloten als "elders gestart"' in to_coordinator

    page = text(employer_a_client.get(response["Location"]))
    assert "Je hebt vastgelegd dat de kandidaat is gestart." in page


def test_the_other_employer_sees_the_introduction_closed_and_cannot_act_on_it(
    client, employer_a_client, employer_a, introduction, anna, region_a, django_capture_on_commit_callbacks
):
    other = IntroductionFactory(candidate=anna, offer=other_employer(region_a, "Zorg Oost"))
    log_in(client, EmployerFactory(organisation=other.offer.organisation))
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)
    post(employer_a_client, outcome(introduction), {"outcome": "started"}, django_capture_on_commit_callbacks)

    page = text(client.get(detail(other)))
    assert "Dit voorstel is gesloten: Elders gestart." in page
    assert "Elders gestart" in page.split("Wat er is gebeurd", 1)[1]
    assert str(employer_a) not in page  # who recorded the start would tell where the candidate went
    assert "Zorggroep Noord" not in page
    assert "BBL VIG" not in page
    response = client.post(answer(other), {"decision": "invite"}, follow=True)
    assert "Dit voorstel is gesloten (elders gestart): er kan niets meer worden gewijzigd." in text(response)
    other.refresh_from_db()
    assert other.status == Introduction.Status.STARTED_ELSEWHERE


def test_did_not_start_needs_a_reason_and_puts_the_candidate_back_in_conversation(
    employer_a_client, introduction, anna, mailoutbox, django_capture_on_commit_callbacks
):
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)

    response = employer_a_client.post(outcome(introduction), {"outcome": "not_started", "reason": ""})
    assert "Laat de regiocoördinator weten waarom de kandidaat niet is gestart." in text(response)

    post(
        employer_a_client,
        outcome(introduction),
        {"outcome": "not_started", "reason": "Koos toch voor een andere opleiding."},
        django_capture_on_commit_callbacks,
    )
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.NOT_STARTED
    assert introduction.reason == "Koos toch voor een andere opleiding."
    anna.refresh_from_db()
    assert anna.status == Status.IN_CONVERSATION
    assert 'Anna is niet gestart bij Zorggroep Noord ("BBL VIG").' in mailoutbox[-1].body


def test_a_closed_introduction_takes_no_outcome(employer_a_client, introduction):
    Introduction.objects.filter(pk=introduction.pk).update(status=Introduction.Status.WITHDRAWN)

    response = employer_a_client.post(outcome(introduction), {"outcome": "started"}, follow=True)

    assert "Dit voorstel is gesloten (ingetrokken): er kan niets meer worden gewijzigd." in text(response)


def test_the_coordinator_withdraws_an_open_introduction(
    client_a, coordinator_a, introduction, anna, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    response = post(
        client_a,
        withdraw(introduction),
        {"reason": "Kandidaat heeft andere plannen."},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("kandidaten:candidate", args=[anna.pk]) + "#employers"
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.WITHDRAWN
    assert events(anna)[-1].data == {
        "event": "withdrawn",
        "introduction_id": introduction.pk,
        "offer": "BBL VIG",
        "offer_id": offer_a.pk,
        "organisation": "Zorggroep Noord",
        "reason": "Kandidaat heeft andere plannen.",
    }
    assert events(anna)[-1].actor == coordinator_a
    anna.refresh_from_db()
    assert anna.status == Status.IN_CONVERSATION
    [mail] = mailoutbox
    assert mail.to == [offer_a.contact_person.email]
    assert mail.subject == "Voorstel voor BBL VIG ingetrokken"
    assert "Anna" not in mail.body
    assert "andere plannen" not in mail.body
    page = text(client_a.get(response["Location"]))
    assert "Het voorstel aan Zorggroep Noord voor BBL VIG is ingetrokken; de werkgever heeft bericht gekregen." in page
    assert "Er staat geen voorstel meer open: de kandidaat staat weer op In gesprek." in page
    assert "Voorstel aan Zorggroep Noord ingetrokken (BBL VIG)" in page  # the timeline
    assert "Kandidaat heeft andere plannen." in page


def test_withdrawing_twice_says_it_is_already_done(client_a, introduction, django_capture_on_commit_callbacks):
    post(client_a, withdraw(introduction), {}, django_capture_on_commit_callbacks)

    response = client_a.post(withdraw(introduction), {}, follow=True)

    assert "Al gedaan: dit voorstel is ingetrokken." in text(response)


def test_a_withdrawal_reason_with_markup_is_refused(client_a, introduction):
    response = client_a.post(withdraw(introduction), {"reason": "<b>weg</b>"}, follow=True)

    assert "Laat HTML of code weg: schrijf gewone tekst." in text(response)
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED


def test_the_next_address_must_be_ours(client_a, introduction):
    response = client_a.post(withdraw(introduction), {"next": "https://evil.example/"})

    assert response["Location"].startswith(reverse("kandidaten:candidate", args=[introduction.candidate_id]))


def test_only_coordinators_of_the_candidates_region_may_withdraw(client_b, employer_a_client, client, introduction):
    assert client_b.post(withdraw(introduction)).status_code == 404
    assert employer_a_client.post(withdraw(introduction)).status_code == 403
    response = client.post(withdraw(introduction))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_b.get(withdraw(introduction)).status_code == 405
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.PROPOSED


def test_the_employer_page_shows_what_happened(employer_a_client, introduction, django_capture_on_commit_callbacks):
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)
    post(
        employer_a_client,
        outcome(introduction),
        {"outcome": "not_started", "reason": "Geen kinderopvang gevonden."},
        django_capture_on_commit_callbacks,
    )
    IntroductionFactory(offer=introduction.offer)  # another introduction's steps stay on its own page

    page = text(employer_a_client.get(detail(introduction)))

    history = page.split("Wat er is gebeurd", 1)[1].split("Aanbod", 1)[0]
    assert "Uitgenodigd" in history
    assert "Niet gestart" in history
    assert "Reden: Geen kinderopvang gevonden." in history
    assert history.count("Reden:") == 1


def test_the_candidate_page_shows_the_whole_story_in_dutch(
    client_a, employer_a_client, introduction, django_capture_on_commit_callbacks
):
    post(employer_a_client, answer(introduction), {"decision": "invite"}, django_capture_on_commit_callbacks)
    post(employer_a_client, outcome(introduction), {"outcome": "started"}, django_capture_on_commit_callbacks)

    page = text(client_a.get(reverse("kandidaten:candidate", args=[introduction.candidate_id])))

    timeline = page.split("Tijdlijn", 1)[1]
    lines = [
        "Status: Doorverwezen → Gestart",
        "Waarom Gestart bij een werkgever.",
        "Gestart bij Zorggroep Noord (BBL VIG)",
        "Uitgenodigd door Zorggroep Noord voor BBL VIG",
    ]
    positions = [timeline.find(line) for line in lines]
    assert -1 not in positions, lines
    assert positions == sorted(positions)
    panel = page.split("Werkgevers", 1)[1].split("Tijdlijn", 1)[0]
    assert "BBL VIG" in panel
    assert "Gestart" in panel
