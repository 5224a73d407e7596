"""Sign-ups of one person arriving at the same moment (a double click, two channels) make one candidate."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from contactpunt.models import EducationLevel
from kandidaten.models import Candidate, Situation, Source, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register

# Serialized rollback like every transactional test here, so that the flush after it does not
# leave the database in a state a later serialized-rollback test cannot restore.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIGNUPS = 8


def details(number: int) -> dict:
    return {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne.devries@example.org",
        "phone": f"+3161234{number:04d}",
        "postcode": "9711 AB",
        "situation": Situation.JOB_SEEKER,
        "education_level": EducationLevel.MBO2,
        "source": Source.CAMPAIGN,
    }


def test_simultaneous_sign_ups_of_one_person_create_one_candidate(region_a):
    barrier = threading.Barrier(SIGNUPS)
    errors: list[BaseException] = []

    def sign_up(number: int) -> None:
        try:
            barrier.wait()
            candidate_register(details=details(number), consents={"contact": True}, channel=SignupChannel.INTAKE)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(number,)) for number in range(SIGNUPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Candidate.objects.count() == 1
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.SIGNUP).count() == SIGNUPS
