"""The matching rules one by one: each hard rule keeps an offer out, and every match says why it fits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactpunt.factories import MunicipalityFactory, PostcodeAreaFactory
from contactpunt.models import Branch, EducationLevel, Function, NextStep, TargetGroup
from kandidaten import matching
from kandidaten.factories import CandidateFactory
from kandidaten.models import Match, Status, StopReason
from werkgevers.factories import LocationFactory, OfferFactory, PlaceOfferFactory
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db

# Groningen (9711), Haren (9751, ~6 km), Assen (9401, ~25 km), Zwolle (8011, ~90 km).
POINTS = {"9711": (53.2194, 6.5665), "9751": (53.1700, 6.6050), "9401": (52.9960, 6.5625), "8011": (52.5125, 6.0944)}


@pytest.fixture(autouse=True)
def postcode_areas(db):
    municipality = MunicipalityFactory()
    for pc4, (lat, lon) in POINTS.items():
        PostcodeAreaFactory(pc4=pc4, latitude=lat, longitude=lon, municipality=municipality)


def candidate(region, *, steps=("meeloopdag",), km=15, postcode="9711 AB", **fields):
    person = CandidateFactory(region=region, postcode=postcode, max_travel_km=km, **fields)
    person.next_steps.set(NextStep.objects.filter(slug__in=steps))
    return person


def activity(organisation, *, postcode="9751 AA", region=None, **fields):
    location = LocationFactory(organisation=organisation, postcode=postcode, region=region or organisation.home_region)
    return OfferFactory(organisation=organisation, location=location, **fields)


def matched(person) -> dict[int, Match]:
    matching.match_candidate(person.pk)
    return {match.offer_id: match for match in Match.objects.filter(candidate=person)}


def test_a_fitting_meeloopdag_is_matched_with_its_reasons(region_a, organisation_a):
    person = candidate(region_a, hours_per_week=24)
    person.branches.set(Branch.objects.filter(slug="vvt"))
    offer = activity(organisation_a, starts_at=timezone.now() + timedelta(days=9, hours=1))

    (match,) = matched(person).values()

    assert match.offer == offer
    texts = matching.described(match)
    assert "6 km van huis" in texts
    codes = [reason[0] for reason in match.reasons]
    assert codes[:3] == ["distance", "kind", "branch"]
    assert ["starts_on", timezone.localdate(offer.starts_at).isoformat()] in match.reasons
    assert 0 < match.score <= 100


def test_the_reasons_read_as_plain_dutch(region_a, organisation_a):
    person = candidate(region_a)
    person.branches.set(Branch.objects.filter(slug="vvt"))
    offer = activity(organisation_a)
    today = timezone.localdate(offer.starts_at) - timedelta(days=9)

    (match,) = matched(person).values()

    texts = matching.described(match, today)
    assert "6 km van huis" in texts
    assert "interesse in VVT / ouderenzorg" in texts
    assert "start over 9 dagen" in texts
    assert "wil graag een meeloopdag" in texts


def test_beyond_the_travel_distance_is_no_match(region_a, organisation_a):
    person = candidate(region_a, km=15)
    activity(organisation_a, postcode="9401 AA")  # Assen, ~25 km

    assert matched(person) == {}
    farther = candidate(region_a, km=40, email="ver@example.org", phone="+31611111111")
    assert len(matched(farther)) == 1


def test_a_kind_the_candidate_does_not_want_is_no_match(region_a, organisation_a):
    person = candidate(region_a, steps=("open-huis",))
    activity(organisation_a, kind=OfferKind.MEELOOPDAG)

    assert matched(person) == {}


def test_the_next_step_bbl_matches_bbl_places(region_a, organisation_a):
    person = candidate(region_a, steps=("bbl",), education_level=EducationLevel.VMBO)
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", region=region_a)
    place = PlaceOfferFactory(organisation=organisation_a, location=location, min_education_level=EducationLevel.MBO2)

    (match,) = matched(person).values()

    assert match.offer == place
    assert ["trains", EducationLevel.MBO3] in match.reasons  # trains towards the level: the level rule gives way


def test_an_education_level_below_the_minimum_is_no_match(region_a, organisation_a):
    person = candidate(region_a, steps=("vacature",), education_level=EducationLevel.MBO2)
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", region=region_a)
    PlaceOfferFactory(
        organisation=organisation_a,
        location=location,
        kind=OfferKind.VACATURE,
        min_education_level=EducationLevel.MBO3,
        trains_towards_level=None,
    )

    assert matched(person) == {}
    person.education_level = EducationLevel.MBO4
    person.save()
    (match,) = matched(person).values()
    assert ["level", EducationLevel.MBO4] in match.reasons


def test_a_diploma_requirement_needs_a_diploma_unless_the_offer_trains_towards_it(region_a, organisation_a):
    person = candidate(region_a, steps=("vacature",), diplomas="")
    location = LocationFactory(organisation=organisation_a, postcode="9751 AA", region=region_a)
    PlaceOfferFactory(
        organisation=organisation_a,
        location=location,
        kind=OfferKind.VACATURE,
        min_education_level=None,
        trains_towards_level=None,
        diploma_requirements="Diploma VIG",
    )

    assert matched(person) == {}
    person.diplomas = "mbo Verzorgende IG"
    person.save()
    assert len(matched(person)) == 1


def test_a_full_activity_is_no_match(region_a, organisation_a):
    person = candidate(region_a)
    offer = activity(organisation_a, capacity=3)
    Offer.objects.filter(pk=offer.pk).update(registered_count=3)

    assert matched(person) == {}


def test_a_past_activity_is_no_match(region_a, organisation_a):
    person = candidate(region_a)
    activity(organisation_a, starts_at=timezone.now() - timedelta(hours=1))

    assert matched(person) == {}


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.EXPIRED])
def test_an_offer_that_is_not_published_is_no_match(region_a, organisation_a, status):
    person = candidate(region_a)
    activity(organisation_a, status=status)

    assert matched(person) == {}


def test_an_offer_for_target_groups_needs_one_of_them(region_a, organisation_a):
    person = candidate(region_a)
    offer = activity(organisation_a)
    offer.target_groups.set(TargetGroup.objects.filter(slug="statushouder"))

    assert matched(person) == {}
    person.target_groups.set(TargetGroup.objects.filter(slug="statushouder"))
    (match,) = matched(person).values()
    assert ["target_group", "Statushouder"] in match.reasons


def test_without_a_centroid_the_same_region_counts_and_the_reason_says_so(region_a, region_b, organisation_a):
    person = candidate(region_a, postcode="9999 ZZ")  # no centroid loaded for 9999
    activity(organisation_a, postcode="9401 AA")
    elsewhere = activity(organisation_a, postcode="3511 AA", region=region_b)

    matches = matched(person)

    assert elsewhere.pk not in matches
    (match,) = matches.values()
    assert match.reasons[0] == ["same_region", "Noord-Nederland"]
    assert "afstand onbekend, in dezelfde regio (Noord-Nederland)" in matching.described(match)


@pytest.mark.parametrize("status", [Status.STARTED, Status.STOPPED])
def test_a_candidate_who_started_or_stopped_gets_no_suggestions(region_a, organisation_a, status):
    person = candidate(region_a)
    activity(organisation_a)
    assert len(matched(person)) == 1

    person.status = status
    person.stop_reason = StopReason.OTHER if status == Status.STOPPED else ""
    person.save()

    assert matched(person) == {}


def test_more_interest_means_a_higher_score(region_a, organisation_a):
    person = candidate(region_a)
    person.branches.set(Branch.objects.filter(slug="vvt"))
    person.functions.set(Function.objects.filter(slug="vig"))
    fitting = activity(organisation_a, functions=list(Function.objects.filter(slug="vig")))
    other_branch = activity(organisation_a, branch=Branch.objects.get(slug="ggz"))

    matches = matched(person)

    assert matches[fitting.pk].score > matches[other_branch.pk].score
    assert ["function", "Verzorgende IG (VIG)"] in matches[fitting.pk].reasons
