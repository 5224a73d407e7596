"""The engine gives exactly what the naive loop over every pair gives; storing keeps decisions."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from contactpunt.factories import MunicipalityFactory, PostcodeAreaFactory
from contactpunt.models import Branch, EducationLevel, Function, NextStep, PostcodeArea, TargetGroup
from kandidaten import matching
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, Match
from werkgevers.factories import LocationFactory, OfferFactory, OrganisationFactory
from werkgevers.models import DATED_KINDS, Offer, OfferKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region_a, region_b):
    """40 candidates and 60 offers of every kind around the north, with random wishes and rules."""
    rng = random.Random(7)
    municipality = MunicipalityFactory()
    pc4s = []
    for number in range(30):
        pc4 = str(9000 + number * 25)
        PostcodeAreaFactory(
            pc4=pc4, latitude=53.0 + rng.random() * 0.6, longitude=6.0 + rng.random() * 1.0, municipality=municipality
        )
        pc4s.append(pc4)
    pc4s.append("9999")  # no centroid: the same-region rule
    steps = list(NextStep.objects.all())
    branches = list(Branch.objects.all())
    functions = list(Function.objects.all())
    groups = list(TargetGroup.objects.all())
    for _ in range(40):
        person = CandidateFactory(
            region=region_a,
            postcode=f"{rng.choice(pc4s)} AB",
            max_travel_km=rng.choice([5, 10, 15, 25, 40, 60]),
            education_level=rng.choice([None, *EducationLevel.values]),
            diplomas=rng.choice(["", "mbo Helpende"]),
            hours_per_week=rng.choice([None, 16, 24, 32]),
        )
        person.next_steps.set(rng.sample(steps, rng.randint(1, 3)))
        person.branches.set(rng.sample(branches, rng.randint(0, 2)))
        person.functions.set(rng.sample(functions, rng.randint(0, 2)))
        person.target_groups.set(rng.sample(groups, rng.choice([0, 0, 1])))
    organisation = OrganisationFactory(home_region=region_a)
    now = timezone.now()
    for _ in range(60):
        kind = rng.choice(OfferKind.values)
        location = LocationFactory(organisation=organisation, postcode=f"{rng.choice(pc4s)} CD", region=region_a)
        dated = kind in DATED_KINDS
        offer = OfferFactory(
            organisation=organisation,
            location=location,
            kind=kind,
            branch=rng.choice(branches),
            status=rng.choice([Offer.Status.PUBLISHED] * 4 + [Offer.Status.DRAFT, Offer.Status.CLOSED]),
            starts_at=now + timedelta(days=rng.randint(-3, 60)) if dated else None,
            ends_at=None,
            capacity=rng.randint(1, 5) if dated else None,
            places=None if dated else 2,
            min_education_level=rng.choice([None, EducationLevel.MBO2, EducationLevel.MBO3]),
            trains_towards_level=EducationLevel.MBO3 if kind == OfferKind.BBL_PLEK else None,
            diploma_requirements=rng.choice(["", "", "Diploma Helpende"]),
            hours_min=None if dated else 16,
            hours_max=None if dated else 32,
            valid_until=None if dated else (now + timedelta(days=rng.randint(-5, 90))).date(),
        )
        if dated and rng.random() < 0.2:
            Offer.objects.filter(pk=offer.pk).update(registered_count=offer.capacity)
        offer.functions.set(rng.sample(functions, rng.randint(0, 2)))
        offer.target_groups.set(rng.sample(groups, rng.choice([0, 0, 0, 1])))
    return now


def pairs(fits_by_candidate) -> set:
    return {(cid, fit.offer_id, fit.score, str(fit.reasons)) for cid, fits in fits_by_candidate.items() for fit in fits}


def test_the_engine_finds_exactly_what_the_naive_loop_finds(world):
    now = world
    points = {area.pc4: (area.latitude, area.longitude) for area in PostcodeArea.objects.all()}
    names = matching.Names.load()
    today = timezone.localdate(now)
    candidates = matching.load_candidates(Candidate.objects.all(), points)
    every_offer = matching.load_offers(Offer.objects.all(), now, points)
    open_offers = matching.load_offers(Offer.objects.filter(matching.open_offers_q(now)), now, points)
    index = matching.OfferIndex(open_offers)

    naive = matching.naive_matches(candidates, every_offer, names, today)
    engine = {candidate.id: matching.fits_for(candidate, index, names, today) for candidate in candidates}

    assert pairs(engine) == pairs(naive)
    assert len(pairs(engine)) > 30  # the world has matches to find
    assert {offer.id for offer in open_offers} == {offer.id for offer in every_offer if offer.open}


def test_one_candidate_at_a_time_gives_what_the_full_run_gives(world):
    now = world
    matching.match_candidates(Candidate.objects.all(), now=now)
    full = set(Match.objects.values_list("candidate_id", "offer_id", "score"))
    Match.objects.all().delete()

    for candidate_id in Candidate.objects.values_list("pk", flat=True):
        matching.match_candidate(candidate_id, now=now)

    assert set(Match.objects.values_list("candidate_id", "offer_id", "score")) == full


def test_running_again_changes_nothing_and_duplicates_nothing(world):
    now = world
    first = matching.match_candidates(Candidate.objects.all(), now=now)
    rows = set(Match.objects.values_list("id", "candidate_id", "offer_id", "score"))

    again = matching.match_candidates(Candidate.objects.all(), now=now)

    assert first.written == len(rows) > 0
    assert (again.written, again.deleted) == (0, 0)
    assert set(Match.objects.values_list("id", "candidate_id", "offer_id", "score")) == rows


def test_a_rejected_match_stays_rejected_and_an_accepted_one_accepted(world):
    now = world
    matching.match_candidates(Candidate.objects.all(), now=now)
    rejected, accepted = Match.objects.all()[:2]
    Match.objects.filter(pk=rejected.pk).update(status=Match.Status.REJECTED, reject_reason="too_far")
    Match.objects.filter(pk=accepted.pk).update(status=Match.Status.ACCEPTED)

    matching.match_candidates(Candidate.objects.all(), now=now + timedelta(minutes=5))

    assert Match.objects.get(pk=rejected.pk).status == Match.Status.REJECTED
    assert Match.objects.get(pk=accepted.pk).status == Match.Status.ACCEPTED
    # Even when the offer no longer fits, the decision is kept.
    Offer.objects.filter(pk=rejected.offer_id).update(status=Offer.Status.CLOSED)
    matching.match_candidates(Candidate.objects.all(), now=now)
    assert Match.objects.get(pk=rejected.pk).status == Match.Status.REJECTED


def test_a_candidate_keeps_only_the_best_open_suggestions(world, monkeypatch):
    now = world
    monkeypatch.setattr(matching, "MAX_MATCHES_PER_CANDIDATE", 2)

    matching.match_candidates(Candidate.objects.all(), now=now)

    most = max(
        Candidate.objects.values_list("pk", flat=True),
        key=lambda pk: Match.objects.filter(candidate_id=pk).count(),
    )
    assert Match.objects.filter(candidate_id=most, status=Match.Status.NEW).count() == 2


def test_an_offer_that_closes_loses_its_open_suggestions(world):
    now = world
    matching.match_candidates(Candidate.objects.all(), now=now)
    offer_id = Match.objects.values_list("offer_id", flat=True).first()
    Offer.objects.filter(pk=offer_id).update(status=Offer.Status.CLOSED)

    matching.match_offer(offer_id, now=now)

    assert not Match.objects.filter(offer_id=offer_id, status=Match.Status.NEW).exists()


def test_a_new_offer_is_matched_to_the_candidates_it_fits(world, monkeypatch):
    now = world
    monkeypatch.setattr(matching, "MAX_MATCHES_PER_CANDIDATE", 1000)
    matching.match_candidates(Candidate.objects.all(), now=now)
    person = Candidate.objects.filter(matches__isnull=False).first()
    match = person.matches.first()
    twin = Offer.objects.get(pk=match.offer_id)
    functions, groups = list(twin.functions.all()), list(twin.target_groups.all())
    twin.pk = None
    twin.title = "Een tweede kans"
    twin.save()
    twin.functions.set(functions)
    twin.target_groups.set(groups)

    matching.match_offer(twin.pk, now=now)

    assert Match.objects.filter(candidate=person, offer=twin).exists()


def test_the_vectorised_nightly_run_stores_what_the_python_engine_stores(world):
    from kandidaten import bulk_matching

    now = world

    def stored() -> set:
        rows = Match.objects.values_list("candidate_id", "offer_id", "score", "fingerprint", "reasons")
        return {(*row[:4], str(row[4])) for row in rows}

    matching.match_candidates(Candidate.objects.all(), now=now)
    python = stored()
    Match.objects.all().delete()

    first = bulk_matching.rematch_all(now)
    vectorised = stored()
    again = bulk_matching.rematch_all(now)

    assert vectorised == python
    assert first.written == len(python) > 0
    assert (again.written, again.deleted) == (0, 0)


def test_the_vectorised_run_keeps_decisions(world):
    from kandidaten import bulk_matching

    now = world
    bulk_matching.rematch_all(now)
    rejected = Match.objects.first()
    Match.objects.filter(pk=rejected.pk).update(status=Match.Status.REJECTED)

    bulk_matching.rematch_all(now)

    assert Match.objects.get(pk=rejected.pk).status == Match.Status.REJECTED
    assert Match.objects.filter(candidate_id=rejected.candidate_id, offer_id=rejected.offer_id).count() == 1
