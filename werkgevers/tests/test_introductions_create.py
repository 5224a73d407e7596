"""A coordinator introduces a candidate to an offer from the candidate's page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Branch, NextStep
from kandidaten.factories import CandidateFactory
from kandidaten.models import Status, TimelineEvent
from werkgevers import introductions as services
from werkgevers.factories import IntroductionFactory, OfferFactory, PlaceOfferFactory
from werkgevers.forms.introductions import IntroductionForm
from werkgevers.models import Introduction, Offer, OfferKind

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a person reads it: tags dropped, white space collapsed."""
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def url(candidate) -> str:
    return reverse("werkgevers:introduction_create", args=[candidate.pk])


@pytest.fixture
def anna(region_a):
    candidate = CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Zwaagstra",
        email="anna.zwaagstra@example.org",
        phone="+31612345678",
        postcode="9711 AB",
        place="Groningen",
    )
    candidate.branches.add(Branch.objects.get(slug="vvt"))
    candidate.next_steps.add(NextStep.objects.get(slug="bbl"))
    return candidate


@pytest.fixture
def offer_a(organisation_a):
    return PlaceOfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), title="BBL-plek VIG De Linde"
    )


@pytest.fixture
def offer_b(organisation_b):
    return PlaceOfferFactory(organisation=organisation_b, location=organisation_b.locations.get())


def introduce(client, candidate, offer, capture, note="Past goed bij de ouderenzorg."):
    with capture(execute=True):
        return client.post(url(candidate), {"offer": offer.pk if hasattr(offer, "pk") else offer, "note": note})


def test_introducing_refers_the_candidate_and_tells_the_contact_person_without_personal_data(
    client_a, coordinator_a, anna, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    response = introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("kandidaten:candidate", args=[anna.pk]) + "#employers"
    introduction = Introduction.objects.get()
    assert (introduction.candidate, introduction.offer, introduction.introduced_by) == (anna, offer_a, coordinator_a)
    assert introduction.status == Introduction.Status.PROPOSED
    assert introduction.note == "Past goed bij de ouderenzorg."
    anna.refresh_from_db()
    assert anna.status == Status.REFERRED
    event = TimelineEvent.objects.get(candidate=anna, kind=TimelineEvent.Kind.INTRODUCTION)
    assert event.actor == coordinator_a
    assert event.data["event"] == "proposed"
    assert event.data["offer_id"] == offer_a.pk
    assert event.data["organisation"] == "Zorggroep Noord"

    [mail] = mailoutbox
    assert mail.to == [offer_a.contact_person.email]
    assert mail.subject == "Er is een kandidaat voorgesteld voor BBL-plek VIG De Linde"
    assert f"http://testserver/werkgever/voorstellen/{introduction.pk}/" in mail.body
    assert "Een regiocoördinator van contactpunt Noord-Nederland heeft een kandidaat voorgesteld" in mail.body
    html = mail.alternatives[0][0]
    for personal in ["Anna", "Zwaagstra", "anna.zwaagstra", "612345678", "9711", "Past goed bij"]:
        assert personal not in mail.body
        assert personal not in mail.subject
        assert personal not in html


def test_the_coordinator_reads_that_it_worked(client_a, anna, offer_a, django_capture_on_commit_callbacks):
    response = introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    page = text(client_a.get(response["Location"]))
    assert "Anna Zwaagstra is voorgesteld aan Zorggroep Noord voor BBL-plek VIG De Linde." in page
    assert "Voorgesteld aan Zorggroep Noord voor BBL-plek VIG De Linde" in page  # the timeline


def test_the_form_lists_the_open_offers_of_the_region_most_relevant_first(client_a, anna, organisation_a, offer_b):
    location = organisation_a.locations.get()
    ggz = Branch.objects.get(slug="ggz")
    other_branch_other_kind = OfferFactory(organisation=organisation_a, location=location, branch=ggz, title="GGZ dag")
    same_branch_other_kind = OfferFactory(organisation=organisation_a, location=location, title="VVT meeloopdag")
    best = PlaceOfferFactory(organisation=organisation_a, location=location, title="VVT BBL-plek")
    other_branch_same_kind = PlaceOfferFactory(organisation=organisation_a, location=location, branch=ggz)
    for status in [Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.EXPIRED, Offer.Status.FULL]:
        PlaceOfferFactory(organisation=organisation_a, location=location, status=status)
    OfferFactory(organisation=organisation_a, location=location, starts_at=timezone.now() - timedelta(hours=1))
    PlaceOfferFactory(organisation=organisation_a, location=location, valid_until=timezone.localdate() - timedelta(1))

    form = client_a.get(reverse("kandidaten:candidate", args=[anna.pk])).context["introduction_form"]

    offers = form.offers
    assert offers[0] == best
    assert set(offers[1:3]) == {same_branch_other_kind, other_branch_same_kind}
    assert offers[3:] == [other_branch_other_kind]
    assert offer_b not in offers


def test_the_form_says_how_many_introductions_are_left_this_week(client_a, anna, offer_a, coordinator_a):
    offer_a.max_introductions_per_week = 3
    offer_a.save()
    IntroductionFactory(offer=offer_a, candidate=CandidateFactory(region=anna.region))
    IntroductionFactory(offer=offer_a, status=Introduction.Status.WITHDRAWN)  # does not count
    IntroductionFactory(offer=offer_a, created_at=timezone.now() - timedelta(days=8))  # last week

    page = text(client_a.get(reverse("kandidaten:candidate", args=[anna.pk])))

    assert "BBL-plek VIG De Linde — Zorggroep Noord, Groningen (BBL-plek (werken en leren)) · nog 2 voorstellen" in page


def test_a_candidate_of_another_region_is_not_found(client_b, anna, offer_a):
    assert client_b.post(url(anna), {"offer": offer_a.pk, "note": ""}).status_code == 404
    assert not Introduction.objects.exists()


def test_an_unknown_candidate_is_not_found(client_a, offer_a):
    response = client_a.post(reverse("werkgevers:introduction_create", args=[999999]), {"offer": offer_a.pk})

    assert response.status_code == 404


def test_an_offer_of_another_region_is_refused_next_to_the_field(client_a, anna, offer_b):
    response = client_a.post(url(anna), {"offer": offer_b.pk, "note": "Graag"})

    assert response.status_code == 200
    assert "Dit aanbod bestaat niet of hoort niet bij je regio." in text(response)
    assert not Introduction.objects.exists()


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Offer.Status.DRAFT, "Concept"),
        (Offer.Status.CLOSED, "Gesloten"),
        (Offer.Status.EXPIRED, "Verlopen"),
        (Offer.Status.FULL, "Vol"),
    ],
)
def test_an_offer_that_is_not_published_is_refused(client_a, anna, offer_a, status, label):
    Offer.objects.filter(pk=offer_a.pk).update(status=status)

    response = client_a.post(url(anna), {"offer": offer_a.pk, "note": "Graag"})

    assert response.status_code == 200
    assert f"Voor dit aanbod kun je geen kandidaten voorstellen (status: {label})." in text(response)
    assert not Introduction.objects.exists()


def test_an_activity_that_has_begun_is_refused(client_a, anna, organisation_a):
    offer = OfferFactory(organisation=organisation_a, starts_at=timezone.now() - timedelta(minutes=5))

    response = client_a.post(url(anna), {"offer": offer.pk})

    assert "Deze activiteit is al begonnen." in text(response)


@pytest.mark.parametrize("value", ["", "999999", "abc", "1 OR 1=1", "-1"])
def test_a_missing_or_unknown_offer_is_a_field_error(client_a, anna, offer_a, value):
    response = client_a.post(url(anna), {"offer": value, "note": "Graag"})

    assert response.status_code == 200
    page = text(response)
    assert "Kies het aanbod waarvoor je de kandidaat voorstelt." in page or "hoort niet bij je regio" in page
    assert not Introduction.objects.exists()


def test_a_huge_note_is_refused_and_kept(client_a, anna, offer_a):
    note = "lang " * 500

    response = client_a.post(url(anna), {"offer": offer_a.pk, "note": note})

    assert response.status_code == 200
    assert "Zorg dat deze waarde niet meer dan 2000 tekens bevat" in text(response)
    assert note.strip() in response.content.decode()
    assert not Introduction.objects.exists()


def test_markup_in_the_note_is_refused(client_a, anna, offer_a):
    response = client_a.post(url(anna), {"offer": offer_a.pk, "note": "<script>alert('x')</script>"})

    assert response.status_code == 200
    assert "Laat HTML of code weg: schrijf gewone tekst." in text(response)
    assert "<script>alert" not in response.content.decode()
    assert not Introduction.objects.exists()


def test_the_same_candidate_cannot_be_introduced_twice_for_one_offer(
    client_a, anna, offer_a, mailoutbox, django_capture_on_commit_callbacks
):
    introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    response = introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Anna is al voorgesteld voor dit aanbod en wacht op het antwoord." in text(response)
    assert Introduction.objects.count() == 1
    assert len(mailoutbox) == 1


def test_after_a_closed_introduction_the_candidate_can_be_introduced_again(
    client_a, anna, offer_a, django_capture_on_commit_callbacks
):
    IntroductionFactory(candidate=anna, offer=offer_a, status=Introduction.Status.NOT_SUITABLE, reason="Geen plek")

    response = introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Introduction.objects.filter(status=Introduction.Status.PROPOSED).count() == 1


def test_the_weekly_maximum_is_never_exceeded(client_a, anna, offer_a, mailoutbox, django_capture_on_commit_callbacks):
    offer_a.max_introductions_per_week = 2
    offer_a.save()
    IntroductionFactory.create_batch(2, offer=offer_a)

    response = introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Het maximum van 2 voorstellen per week voor dit aanbod is bereikt." in text(response)
    assert Introduction.objects.count() == 2
    assert mailoutbox == []
    anna.refresh_from_db()
    assert anna.status == Status.NEW


def test_withdrawn_and_last_weeks_introductions_leave_room(client_a, anna, offer_a, django_capture_on_commit_callbacks):
    offer_a.max_introductions_per_week = 1
    offer_a.save()
    IntroductionFactory(offer=offer_a, status=Introduction.Status.WITHDRAWN)
    IntroductionFactory(offer=offer_a, created_at=timezone.now() - timedelta(days=8))

    assert introduce(client_a, anna, offer_a, django_capture_on_commit_callbacks).status_code == 302


def test_the_last_place_of_the_week_goes_to_one_of_two_coordinators(coordinator_a, region_a, anna, offer_a):
    """Both coordinators open the form while one introduction is left; the first to save takes it and
    the second is refused by the check inside the transaction (the offer row is locked there)."""
    offer_a.max_introductions_per_week = 1
    offer_a.save()
    colleague = CoordinatorFactory(regions=[region_a])
    bram = CandidateFactory(region=region_a)
    form_of_colleague = IntroductionForm({"offer": offer_a.pk, "note": ""}, user=colleague, candidate=bram)
    form_of_coordinator = IntroductionForm({"offer": offer_a.pk, "note": ""}, user=coordinator_a, candidate=anna)
    assert form_of_colleague.is_valid()
    assert form_of_coordinator.is_valid()

    services.introduction_create(
        candidate=anna, offer=offer_a, note="", actor=coordinator_a, site_url="http://testserver/"
    )
    with pytest.raises(services.IntroductionRefused) as refused:
        services.introduction_create(
            candidate=bram, offer=form_of_colleague.cleaned_data["offer"], note="", actor=colleague, site_url="/"
        )

    assert refused.value.code == "weekly_maximum"
    assert Introduction.objects.get().candidate == anna
    bram.refresh_from_db()
    assert bram.status == Status.NEW


def test_an_administrator_may_introduce_anyone_to_any_published_offer(
    administrator_client, anna, offer_b, django_capture_on_commit_callbacks
):
    assert introduce(administrator_client, anna, offer_b, django_capture_on_commit_callbacks).status_code == 302


def test_an_offer_of_a_kind_without_places_can_be_introduced_to(
    client_a, anna, organisation_a, django_capture_on_commit_callbacks
):
    vacancy = PlaceOfferFactory(organisation=organisation_a, kind=OfferKind.VACATURE, title="Vacature VIG")

    assert introduce(client_a, anna, vacancy, django_capture_on_commit_callbacks).status_code == 302


def test_employers_may_not_introduce(employer_a_client, anna, offer_a):
    assert employer_a_client.post(url(anna), {"offer": offer_a.pk}).status_code == 403


def test_anonymous_people_are_sent_to_the_login_page(client, anna, offer_a):
    response = client.post(url(anna), {"offer": offer_a.pk})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_introducing_takes_a_post(client_a, anna):
    assert client_a.get(url(anna)).status_code == 405
