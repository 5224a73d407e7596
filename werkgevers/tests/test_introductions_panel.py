"""The employers panel on the candidate page, and the timeline lines of introductions, activity
registrations and BBL placements."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kandidaten.factories import CandidateFactory
from kandidaten.models import TimelineEvent
from kandidaten.tests.test_candidate_page import CANDIDATE_PAGE_QUERIES
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    IntroductionFactory,
    OfferFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import CohortPlacement, Introduction, Registration

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def page_of(client, candidate):
    return client.get(reverse("kandidaten:candidate", args=[candidate.pk]))


def panel(response) -> str:
    return text(response).split("Werkgevers", 1)[1].split("Tijdlijn", 1)[0]


def timeline(response) -> str:
    return text(response).split("Tijdlijn", 1)[1]


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", last_name="Alberts")


def test_the_panel_lists_introductions_registrations_and_placements(
    client_a, anna, organisation_a, region_a, coordinator_a
):
    location = organisation_a.locations.get()
    offer = PlaceOfferFactory(organisation=organisation_a, location=location, title="BBL VIG De Linde")
    IntroductionFactory(
        candidate=anna,
        offer=offer,
        introduced_by=coordinator_a,
        status=Introduction.Status.NOT_SUITABLE,
        reason="Te weinig ervaring",
        answered_at=timezone.now(),
    )
    activity = OfferFactory(
        organisation=organisation_a,
        location=location,
        title="Open huis De Linde",
        starts_at=timezone.make_aware(timezone.datetime(2027, 3, 4, 14, 0)),
    )
    activity.ends_at = activity.starts_at + timedelta(hours=2)
    activity.save()
    RegistrationFactory(candidate=anna, offer=activity, status=Registration.Status.WAITING)
    cohort = CohortFactory(region=region_a, name="BBL-carrousel VIG 2027", school="Noorderpoort")
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a)
    CohortPlacement.objects.create(cohort=cohort, pledge=pledge, candidate=anna)

    response = page_of(client_a, anna)

    assert response.status_code == 200
    shown = panel(response)
    for expected in [
        "BBL VIG De Linde",
        "Zorggroep Noord, Groningen",
        "Niet geschikt",
        "Reden: Te weinig ervaring",
        f"Voorgesteld op {timezone.localdate():%-d} ",
        str(coordinator_a),
        "Open huis De Linde",
        "4 maart 2027 14:00",
        "Op de wachtlijst",
        "BBL-carrousel VIG 2027",
        "Noorderpoort",
        "plek van Zorggroep Noord",
    ]:
        assert expected in shown, expected
    html = response.content.decode()
    assert reverse("werkgevers:cohort_detail", args=[cohort.pk]) in html
    assert reverse("werkgevers:coordinator_offer", args=[offer.pk]) in html


def test_an_open_introduction_can_be_withdrawn_from_the_panel(client_a, anna, organisation_a):
    introduction = IntroductionFactory(candidate=anna, offer=PlaceOfferFactory(organisation=organisation_a))
    closed = IntroductionFactory(
        candidate=anna, offer=PlaceOfferFactory(organisation=organisation_a), status=Introduction.Status.STARTED
    )

    html = page_of(client_a, anna).content.decode()

    assert reverse("werkgevers:introduction_withdraw", args=[introduction.pk]) in html
    assert reverse("werkgevers:introduction_withdraw", args=[closed.pk]) not in html


def test_an_empty_panel_says_so(client_a, anna):
    shown = panel(page_of(client_a, anna))

    assert "Nog niet voorgesteld aan een werkgever." in shown
    assert "Geen aanmeldingen voor activiteiten." in shown
    assert "Niet geplaatst in een BBL-klas." in shown
    assert "Er is in je regio geen gepubliceerd aanbod om de kandidaat aan voor te stellen." in shown


def test_an_offer_the_candidate_is_introduced_to_says_so_in_the_form(client_a, anna, organisation_a):
    offer = PlaceOfferFactory(organisation=organisation_a, title="BBL VIG")
    IntroductionFactory(candidate=anna, offer=offer)

    assert "BBL VIG — Zorggroep Noord, Groningen (BBL-plek (werken en leren)) · al voorgesteld" in panel(
        page_of(client_a, anna)
    )


@pytest.mark.parametrize("count", [1, 15])
def test_the_candidate_page_runs_a_fixed_number_of_queries_whatever_the_panel_holds(
    client_a, anna, organisation_a, region_a, count, django_assert_num_queries
):
    location = organisation_a.locations.get()
    cohort = CohortFactory(region=region_a)
    for _number in range(count):
        offer = PlaceOfferFactory(organisation=organisation_a, location=location, max_introductions_per_week=5)
        IntroductionFactory(candidate=anna, offer=offer)
        IntroductionFactory(offer=offer)
        RegistrationFactory(candidate=anna, offer=OfferFactory(organisation=organisation_a, location=location))
        other_cohort = CohortFactory(region=region_a)
        pledge = CohortPledgeFactory(cohort=other_cohort, organisation=organisation_a)
        CohortPlacement.objects.create(cohort=other_cohort, pledge=pledge, candidate=anna)
    CohortPledgeFactory(cohort=cohort, organisation=organisation_a)

    with django_assert_num_queries(CANDIDATE_PAGE_QUERIES):
        response = page_of(client_a, anna)

    assert response.status_code == 200
    assert len(response.context["panel_introductions"]) == count
    assert len(response.context["introduction_form"].offers) == 2 * count


def test_the_timeline_tells_an_introduction_step_by_step(client_a, anna, coordinator_a, employer_a):
    steps = [
        ("proposed", {"note": "Zij wil graag in de nachtdienst."}, coordinator_a),
        ("invited", {}, employer_a),
        ("not_started", {"reason": "Geen vervoer."}, employer_a),
        ("started_elsewhere", {}, None),
        ("withdrawn", {"reason": "Verhuisd."}, coordinator_a),
        ("not_suitable", {"reason": "Geen BIG-registratie."}, employer_a),
        ("started", {}, employer_a),
    ]
    start = timezone.now() - timedelta(hours=1)
    for minute, (event, extra, actor) in enumerate(steps):
        TimelineEvent.objects.create(
            candidate=anna,
            kind=TimelineEvent.Kind.INTRODUCTION,
            actor=actor,
            created_at=start + timedelta(minutes=minute),
            data={"event": event, "offer": "BBL VIG", "offer_id": 1, "organisation": "Zorggroep Noord", **extra},
        )

    shown = timeline(page_of(client_a, anna))

    lines = [
        "Gestart bij Zorggroep Noord (BBL VIG)",
        "Niet geschikt voor BBL VIG, volgens Zorggroep Noord",
        "Reden Geen BIG-registratie.",
        "Voorstel aan Zorggroep Noord ingetrokken (BBL VIG)",
        "Reden Verhuisd.",
        "Voorstel aan Zorggroep Noord gesloten: elders gestart (BBL VIG)",
        "Niet gestart bij Zorggroep Noord (BBL VIG)",
        "Reden Geen vervoer.",
        "Uitgenodigd door Zorggroep Noord voor BBL VIG",
        "Voorgesteld aan Zorggroep Noord voor BBL VIG",
        "Toelichting voor de werkgever Zij wil graag in de nachtdienst.",
    ]
    positions = [shown.find(line) for line in lines]
    assert -1 not in positions, [line for line, at in zip(lines, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    assert str(employer_a) in shown
    assert "het portaal" in shown  # "elders gestart" has no person behind it in this data


def test_the_timeline_tells_activity_registrations(client_a, anna):
    for minute, action in enumerate(["signed_up", "waiting", "promoted", "cancelled", "attended", "absent"]):
        TimelineEvent.objects.create(
            candidate=anna,
            kind=TimelineEvent.Kind.REGISTRATION,
            created_at=timezone.now() - timedelta(minutes=60 - minute),
            data={
                "action": action,
                "offer": "Open huis De Linde",
                "offer_id": 7,
                "organisation": "Zorggroep Noord",
                "starts_at": "2027-03-04T13:00:00+00:00",
                **({"position": 3} if action == "waiting" else {}),
            },
        )

    shown = timeline(page_of(client_a, anna))

    for line in [
        "Aangemeld voor Open huis De Linde",
        "Op de wachtlijst voor Open huis De Linde",
        "Plek op de wachtlijst 3",
        "Van de wachtlijst naar een plek bij Open huis De Linde",
        "Afgemeld voor Open huis De Linde",
        "Aanwezig geweest bij Open huis De Linde",
        "Niet gekomen bij Open huis De Linde",
        "Werkgever Zorggroep Noord",
        "Datum 4 maart 2027 14:00",
    ]:
        assert line in shown, line


def test_the_timeline_also_reads_registration_statuses(client_a, anna):
    for status in ["confirmed", "waiting", "cancelled", "promoted", "attended", "absent"]:
        TimelineEvent.objects.create(
            candidate=anna,
            kind=TimelineEvent.Kind.REGISTRATION,
            data={"offer": "Meeloopdag", "offer_id": 3, "status": status},
        )

    shown = timeline(page_of(client_a, anna))

    assert "Aangemeld voor Meeloopdag" in shown
    assert "Niet gekomen bij Meeloopdag" in shown


def test_the_timeline_tells_a_placement_in_a_bbl_class(client_a, anna):
    TimelineEvent.objects.create(
        candidate=anna,
        kind=TimelineEvent.Kind.COHORT,
        data={
            "event": "placed",
            "cohort": "BBL-carrousel VIG 2027",
            "cohort_id": 1,
            "school": "Noorderpoort",
            "start_date": "2027-09-01",
            "organisation": "Zorggroep Noord",
        },
    )

    shown = timeline(page_of(client_a, anna))

    for line in [
        "Geplaatst in BBL-klas BBL-carrousel VIG 2027",
        "Werkgever Zorggroep Noord",
        "School Noorderpoort",
        "Start 1 september 2027",
    ]:
        assert line in shown, line


@pytest.mark.parametrize(
    ("kind", "data", "title"),
    [
        (TimelineEvent.Kind.INTRODUCTION, {}, "Voorstel aan werkgever"),
        (TimelineEvent.Kind.INTRODUCTION, {"event": "teleported", "offer": ["x"]}, "Voorstel aan werkgever"),
        (TimelineEvent.Kind.INTRODUCTION, {"event": "invited", "organisation": None}, "Uitgenodigd door een werkgever"),
        (TimelineEvent.Kind.REGISTRATION, {}, "Aanmelding activiteit"),
        (TimelineEvent.Kind.REGISTRATION, {"action": "beamed", "starts_at": "gisteren"}, "Aanmelding activiteit"),
        (
            TimelineEvent.Kind.REGISTRATION,
            {"status": "waiting", "position": "3"},
            "Op de wachtlijst voor een activiteit",
        ),
        (TimelineEvent.Kind.COHORT, {}, "Geplaatst in BBL-klas een BBL-klas"),
        (TimelineEvent.Kind.COHORT, {"event": "removed", "start_date": 20270901}, "BBL-klas"),
    ],
)
def test_unknown_or_missing_data_is_shown_gracefully(client_a, anna, kind, data, title):
    TimelineEvent.objects.create(candidate=anna, kind=kind, data=data)

    response = page_of(client_a, anna)

    assert response.status_code == 200
    assert title in timeline(response)


def test_status_changes_caused_by_employers_say_why(client_a, anna):
    for note in ["introduction", "introduction_started", "introductions_closed", "cohort"]:
        TimelineEvent.objects.create(
            candidate=anna, kind=TimelineEvent.Kind.STATUS, data={"from": "new", "to": "referred", "note": note}
        )

    shown = timeline(page_of(client_a, anna))

    for line in [
        "Waarom Voorgesteld aan een werkgever.",
        "Waarom Gestart bij een werkgever.",
        "Waarom Er staat geen voorstel aan een werkgever meer open.",
        "Waarom Geplaatst in een BBL-klas.",
    ]:
        assert line in shown, line
