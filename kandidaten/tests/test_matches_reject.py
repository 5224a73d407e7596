"""Rejecting a match: a reason is required, it stays rejected when matching runs again, and it feeds the score."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import MunicipalityFactory, PostcodeAreaFactory
from contactpunt.models import NextStep
from kandidaten import matching
from kandidaten.factories import CandidateFactory, MatchFactory
from kandidaten.models import Match
from werkgevers.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def reject(client, match, capture, **data):
    fields = {f"reject-{match.pk}-{name}": value for name, value in data.items()}
    with capture(execute=True):
        return client.post(reverse("kandidaten:match_reject", args=[match.pk]), fields)


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", last_name="Zwaagstra")


@pytest.fixture
def match(anna, organisation_a):
    offer = OfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="Meeloopdag")
    return MatchFactory(candidate=anna, offer=offer)


def test_rejecting_with_a_reason_and_a_note(client_a, coordinator_a, anna, match, django_capture_on_commit_callbacks):
    response = reject(client_a, match, django_capture_on_commit_callbacks, reason="too_far", note="Heeft geen auto.")

    assert response.status_code == 302
    assert response["Location"] == reverse("kandidaten:candidate", args=[anna.pk]) + "#matches"
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED
    assert (match.reject_reason, match.reject_note) == (Match.RejectReason.TOO_FAR, "Heeft geen auto.")
    assert match.decided_by == coordinator_a
    assert timezone.now() - match.decided_at < timezone.timedelta(minutes=1)
    page = text(client_a.get(response["Location"]))
    assert "Het voorstel Meeloopdag voor Anna Zwaagstra is afgewezen." in page
    assert "Meeloopdag (Zorggroep Noord): Afgewezen, te ver weg — Heeft geen auto." in page


def test_the_note_is_optional(client_a, match, django_capture_on_commit_callbacks):
    reject(client_a, match, django_capture_on_commit_callbacks, reason="timing")

    match.refresh_from_db()
    assert (match.status, match.reject_reason, match.reject_note) == (Match.Status.REJECTED, "timing", "")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Kies waarom dit voorstel niet past."),
        ({"reason": ""}, "Kies waarom dit voorstel niet past."),
        ({"reason": "geen_zin"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"reason": "<script>alert(1)</script>"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"reason": "too_far", "note": "x" * 5000}, "Zorg dat deze waarde niet meer dan 500 tekens bevat"),
        ({"reason": "too_far", "note": "<script>alert(1)</script>"}, "Laat HTML of code weg: schrijf gewone tekst."),
        ({"reason": "too_far", "note": '<img src=x onerror="alert(1)">'}, "Laat HTML of code weg"),
    ],
)
def test_bad_input_gets_a_dutch_error_next_to_the_field(
    client_a, match, django_capture_on_commit_callbacks, data, error
):
    response = reject(client_a, match, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 200
    page = text(response)
    assert "Voorstel afwijzen" in page
    assert error in page
    assert "<script>alert(1)" not in response.content.decode()
    assert "<img src=x" not in response.content.decode()
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (Match.Status.NEW, None)


def test_what_was_typed_is_kept(client_a, match, django_capture_on_commit_callbacks):
    response = reject(client_a, match, django_capture_on_commit_callbacks, note="Wil eerst een gesprek.")

    assert "Wil eerst een gesprek." in response.content.decode()


def test_a_decided_match_is_already_done(client_a, match, django_capture_on_commit_callbacks):
    reject(client_a, match, django_capture_on_commit_callbacks, reason="too_far")

    response = reject(client_a, match, django_capture_on_commit_callbacks, reason="other", note="Toch niet")

    match.refresh_from_db()
    assert (match.reject_reason, match.reject_note) == ("too_far", "")
    assert "Al gedaan: dit voorstel is al afgewezen." in text(client_a.get(response["Location"]))


# With the engine: matches made by kandidaten.matching.


@pytest.fixture
def centroids(db):
    municipality = MunicipalityFactory()
    PostcodeAreaFactory(pc4="9711", latitude=53.2194, longitude=6.5665, municipality=municipality)
    PostcodeAreaFactory(pc4="9751", latitude=53.17, longitude=6.605, municipality=municipality)


def wanting_a_meeloopdag(region, **fields):
    person = CandidateFactory(region=region, postcode="9711 AB", max_travel_km=25, **fields)
    person.next_steps.set(NextStep.objects.filter(slug="meeloopdag"))
    return person


@pytest.fixture
def meeloopdag(centroids, organisation_a, region_a):
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", region=region_a)
    return OfferFactory(organisation=organisation_a, location=location, title="Meeloopdag Haren")


def test_a_rejected_match_stays_rejected_when_matching_runs_again(
    client_a, region_a, meeloopdag, django_capture_on_commit_callbacks
):
    person = wanting_a_meeloopdag(region_a)
    matching.match_candidate(person.pk)
    match = Match.objects.get(candidate=person, offer=meeloopdag)

    reject(client_a, match, django_capture_on_commit_callbacks, reason="not_wanted", note="Liever thuiszorg")
    matching.match_candidate(person.pk)
    matching.rematch_all()

    (again,) = Match.objects.filter(candidate=person, offer=meeloopdag)
    assert again.pk == match.pk
    assert (again.status, again.reject_reason, again.reject_note) == ("rejected", "not_wanted", "Liever thuiszorg")
    rows = client_a.get(reverse("kandidaten:candidate", args=[person.pk])).context["match_rows"]
    assert rows == []
    assert meeloopdag not in [
        row["match"].offer for row in client_a.get(reverse("kandidaten:new_matches")).context["rows"]
    ]


def test_rejections_lower_the_score_of_that_offer_for_someone_else(
    client_a, region_a, meeloopdag, django_capture_on_commit_callbacks
):
    zoe = wanting_a_meeloopdag(region_a, first_name="Zoë")
    matching.match_candidate(zoe.pk)
    before = Match.objects.get(candidate=zoe, offer=meeloopdag)
    assert "vergelijkbare matches werden vaak afgewezen" not in matching.described(before)

    for _ in range(4):
        person = wanting_a_meeloopdag(region_a)
        matching.match_candidate(person.pk)
        reject(
            client_a,
            Match.objects.get(candidate=person, offer=meeloopdag),
            django_capture_on_commit_callbacks,
            reason="not_wanted",
        )
    matching.match_candidate(zoe.pk)

    after = Match.objects.get(candidate=zoe, offer=meeloopdag)
    assert after.status == Match.Status.NEW
    assert after.score < before.score
    assert "vergelijkbare matches werden vaak afgewezen" in matching.described(after)
    page = text(client_a.get(reverse("kandidaten:candidate", args=[zoe.pk])))
    assert "vergelijkbare matches werden vaak afgewezen" in page
