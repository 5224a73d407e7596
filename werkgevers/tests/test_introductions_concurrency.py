"""Coordinators introducing at the same moment never exceed an offer's weekly maximum (PostgreSQL:
the offer row is locked while the week's introductions are counted; SQLite writes one at a time)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from contactpunt.factories import CoordinatorFactory
from kandidaten.factories import CandidateFactory
from werkgevers.factories import PlaceOfferFactory
from werkgevers.introductions import IntroductionRefused, introduction_create
from werkgevers.models import Introduction

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row locks need PostgreSQL (make test-services)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATORS = 6


def test_simultaneous_introductions_take_only_the_places_left_this_week(region_a, organisation_a):
    offer = PlaceOfferFactory(organisation=organisation_a, max_introductions_per_week=2)
    coordinators = [CoordinatorFactory(regions=[region_a]) for _ in range(COORDINATORS)]
    candidates = [CandidateFactory(region=region_a) for _ in range(COORDINATORS)]
    barrier = threading.Barrier(COORDINATORS)
    refused: list[str] = []
    errors: list[BaseException] = []

    def introduce(number: int) -> None:
        try:
            barrier.wait()
            introduction_create(
                candidate=candidates[number],
                offer=offer,
                note="",
                actor=coordinators[number],
                site_url="http://testserver/",
            )
        except IntroductionRefused as refusal:
            refused.append(refusal.code)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=introduce, args=(number,)) for number in range(COORDINATORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Introduction.objects.filter(offer=offer).count() == 2
    assert refused == ["weekly_maximum"] * (COORDINATORS - 2)
