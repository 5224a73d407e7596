"""The candidate page shows the best open match suggestions with every reason, and the decided ones."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kandidaten import matching
from kandidaten.factories import CandidateFactory, MatchFactory
from kandidaten.models import Match
from werkgevers.factories import LocationFactory, OfferFactory, PlaceOfferFactory

pytestmark = pytest.mark.django_db


def url(candidate) -> str:
    return reverse("kandidaten:candidate", args=[candidate.pk])


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def matches_section(response) -> str:
    page = response.content.decode()
    section = page.split('<section id="matches"', 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", last_name="de Vries")


@pytest.fixture
def open_day(organisation_a):
    return OfferFactory(
        organisation=organisation_a,
        kind="open_huis",
        title="Open huis De Linde",
        location=organisation_a.locations.get(),
        # Noon, nine days ahead: "start over 9 dagen" whatever the time the test runs.
        starts_at=timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=9), time(12, 0))),
    )


def test_every_reason_is_on_screen_in_dutch(client_a, anna, open_day):
    match = MatchFactory(
        candidate=anna,
        offer=open_day,
        score=81,
        reasons=[
            ["distance", 6],
            ["kind", "open_huis"],
            ["branch", "VVT / ouderenzorg"],
            ["function", "Verzorgende IG (VIG)"],
            ["level", 20],
            ["hours", 24],
            ["starts_on", timezone.localdate(open_day.starts_at).isoformat()],
            ["feedback_good", None],
        ],
    )

    response = client_a.get(url(anna))

    section = matches_section(response)
    assert "Matchvoorstellen" in section
    assert "Open huis De Linde" in section
    assert "score 81" in section
    assert "Open huis · Zorggroep Noord · Groningen" in section
    for reason in matching.described(match):
        assert reason in section, reason
    for expected in [
        "6 km van huis",
        "wil graag een open huis",
        "interesse in VVT / ouderenzorg",
        "interesse in Verzorgende IG (VIG)",
        "24 uur per week past",
        "start over 9 dagen",
        "vergelijkbare matches werden vaak geaccepteerd",
    ]:
        assert expected in section, expected
    assert "Aanmelden voor deze activiteit" in section
    assert "Afwijzen" in section


def test_a_place_is_accepted_by_introducing_with_the_reasons_as_a_note(client_a, anna, organisation_a):
    place = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="BBL VIG")
    MatchFactory(candidate=anna, offer=place, reasons=[["distance", 6], ["kind", "bbl_plek"], ["trains", 40]])

    response = client_a.get(url(anna))

    section = matches_section(response)
    assert "Accepteren: voorstellen aan de werkgever" in section
    assert "Aanmelden voor deze activiteit" not in section
    assert "leidt op tot mbo niveau 3" in section
    page = response.content.decode()
    note = "Waarom dit past: 6 km van huis, wil graag een BBL-plek (werken en leren), leidt op tot mbo niveau 3."
    assert note in page


def test_the_best_ten_open_suggestions_best_first(client_a, anna, organisation_a):
    location = organisation_a.locations.get()
    for score in range(40, 92, 4):  # 13 suggestions
        MatchFactory(candidate=anna, offer=OfferFactory(organisation=organisation_a, location=location), score=score)

    rows = client_a.get(url(anna)).context["match_rows"]

    assert [row["match"].score for row in rows] == [88, 84, 80, 76, 72, 68, 64, 60, 56, 52]


def test_an_offer_that_filled_up_or_passed_is_not_shown(client_a, anna, organisation_a, open_day):
    location = organisation_a.locations.get()
    full = OfferFactory(organisation=organisation_a, location=location, title="Vol", capacity=1)
    full.registered_count = 1
    full.save(update_fields=["registered_count"])
    closed = OfferFactory(organisation=organisation_a, location=location, title="Dicht", status="closed")
    for offer in (open_day, full, closed):
        MatchFactory(candidate=anna, offer=offer)

    rows = client_a.get(url(anna)).context["match_rows"]

    assert [row["match"].offer for row in rows] == [open_day]


def test_decided_suggestions_are_listed_compactly_below(client_a, anna, organisation_a, coordinator_a, open_day):
    location = organisation_a.locations.get()
    MatchFactory(candidate=anna, offer=open_day)
    MatchFactory(
        candidate=anna,
        offer=OfferFactory(organisation=organisation_a, location=location, title="Meeloopdag Thuiszorg"),
        status=Match.Status.REJECTED,
        reject_reason=Match.RejectReason.TOO_FAR,
        reject_note="Geen auto",
        decided_by=coordinator_a,
        decided_at=timezone.now(),
    )
    MatchFactory(
        candidate=anna,
        offer=OfferFactory(organisation=organisation_a, location=location, title="Speeddate Noord"),
        status=Match.Status.ACCEPTED,
        decided_by=coordinator_a,
        decided_at=timezone.now(),
    )

    section = matches_section(client_a.get(url(anna)))

    decided = section.split("Eerder beoordeeld", 1)[1]
    assert "Meeloopdag Thuiszorg (Zorggroep Noord): Afgewezen, te ver weg — Geen auto" in decided
    assert "Speeddate Noord (Zorggroep Noord): Geaccepteerd" in decided
    assert str(coordinator_a) in decided
    assert "Open huis De Linde" not in decided


def test_no_suggestions_says_so(client_a, anna):
    assert "Er zijn nu geen open voorstellen." in matches_section(client_a.get(url(anna)))


def test_an_offer_outside_the_region_is_shown_without_a_link(client_a, anna, organisation_b, open_day):
    across = LocationFactory(organisation=organisation_b, postcode="3511 AA", region=organisation_b.home_region)
    outside = OfferFactory(organisation=organisation_b, location=across, title="Meeloopdag Utrecht")
    MatchFactory(candidate=anna, offer=outside)
    MatchFactory(candidate=anna, offer=open_day)

    page = client_a.get(url(anna)).content.decode()

    assert reverse("werkgevers:coordinator_offer", args=[open_day.pk]) in page
    assert reverse("werkgevers:coordinator_offer", args=[outside.pk]) not in page
    assert "Meeloopdag Utrecht" in page


@pytest.mark.parametrize("count", [1, 15])
def test_the_suggestions_take_a_fixed_number_of_queries(
    client_a, coordinator_a, anna, organisation_a, count, django_assert_num_queries
):
    from kandidaten.tests.test_candidate_page import CANDIDATE_PAGE_QUERIES

    location = organisation_a.locations.get()
    for n in range(count):
        offer = OfferFactory(organisation=organisation_a, location=location)
        MatchFactory(candidate=anna, offer=offer, score=50 + n)
        MatchFactory(
            candidate=anna,
            offer=OfferFactory(organisation=organisation_a, location=location),
            status=Match.Status.REJECTED,
            reject_reason=Match.RejectReason.OTHER,
            decided_by=coordinator_a,
            decided_at=timezone.now(),
        )

    with django_assert_num_queries(CANDIDATE_PAGE_QUERIES):
        response = client_a.get(url(anna))

    assert len(response.context["match_rows"]) == min(count, 10)
