"""Coordinators placing candidates at the same moment never overfill a pledge or a class (PostgreSQL:
the class row is locked while its placements are counted; SQLite writes one at a time)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import CandidateFactory
from werkgevers.cohorts import CohortRefused, cohort_place, cohort_pledge
from werkgevers.factories import CohortFactory, CohortPledgeFactory, LocationFactory, OrganisationFactory
from werkgevers.models import CohortPlacement, CohortPledge

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row locks need PostgreSQL (make test-services)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKERS = 6


def run_together(work, count: int) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(count)
    refused: list[str] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            work(number)
        except CohortRefused as refusal:
            refused.append(refusal.code)
        except BaseException as error:  # reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return refused, errors


def test_the_last_free_places_go_to_as_many_coordinators_as_there_are_places(region_a, organisation_a):
    cohort = CohortFactory(region=region_a, min_size=2, max_size=3)
    other = OrganisationFactory(name="Zorg Oost", home_region=region_a)
    LocationFactory(organisation=other, region=region_a)
    pledges = [
        CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=2),
        CohortPledgeFactory(cohort=cohort, organisation=other, places=2),
    ]
    coordinators = [CoordinatorFactory(regions=[region_a]) for _ in range(WORKERS)]
    candidates = [CandidateFactory(region=region_a) for _ in range(WORKERS)]

    refused, errors = run_together(
        lambda n: cohort_place(cohort=cohort, pledge=pledges[n % 2], candidate=candidates[n], actor=coordinators[n]),
        WORKERS,
    )

    assert errors == []
    assert CohortPlacement.objects.filter(cohort=cohort).count() == 3  # the class maximum, not the 4 pledged
    for pledge in pledges:
        assert pledge.placements.count() <= pledge.places
    assert len(refused) == WORKERS - 3
    assert set(refused) <= {"full", "pledge_full"}


def test_a_pledge_is_never_lowered_below_placements_made_at_the_same_moment(region_a, organisation_a, employer_a):
    cohort = CohortFactory(region=region_a)
    pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation_a, places=4)
    coordinator = CoordinatorFactory(regions=[region_a])
    candidates = [CandidateFactory(region=region_a) for _ in range(3)]

    def work(number: int) -> None:
        if number == 3:
            cohort_pledge(cohort=cohort, organisation=organisation_a, places=1, actor=employer_a)
        else:
            cohort_place(cohort=cohort, pledge=pledge, candidate=candidates[number], actor=coordinator)

    _refused, errors = run_together(work, 4)

    assert errors == []
    places = CohortPledge.objects.get(pk=pledge.pk).places
    assert CohortPlacement.objects.filter(pledge=pledge).count() <= places
