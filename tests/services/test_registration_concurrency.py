"""Many people signing up for one activity at the same moment never take more places than it has.

On PostgreSQL, with real concurrent transactions: each thread has its own connection and signs a
different person up through the real service (or the real view), all released together by a barrier.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from werkgevers.factories import OfferFactory, RegistrationFactory, agenda_signup_data
from werkgevers.models import Offer, Registration, new_token
from werkgevers.registrations import Outcome, registration_cancel, registration_signup

# Serialized rollback like every transactional test here, so that the flush after it does not
# leave the database in a state a later serialized-rollback test cannot restore.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIGNUPS = 20
PLACES = 5
SITE = "https://portaal.example"


def details(number: int) -> dict:
    return {
        "first_name": "Kim",
        "last_name": f"de Groot {chr(65 + number)}",
        "email": f"kim.{number}@example.org",
        "phone": f"+316300000{number:02d}",
        "postcode": "9711 AB",
    }


def run_together(count: int, work: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    """Run work(0..count-1) in as many threads, started at the same moment by a barrier."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[number] = work(number)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a sign-up did not finish"
    return results, errors


@pytest.fixture
def offer(region_a):
    return OfferFactory(capacity=PLACES, title="Open huis Zonnehuis")


def assert_exactly_full(offer: Offer) -> None:
    offer.refresh_from_db()
    assert offer.registered_count == PLACES
    assert offer.status == Offer.Status.FULL
    assert Registration.objects.filter(offer=offer, status=Registration.Status.CONFIRMED).count() == PLACES


def test_twenty_simultaneous_sign_ups_for_five_places_give_five_places_and_fifteen_full_answers(offer):
    def sign_up(number: int):
        return registration_signup(
            offer_id=offer.pk, details=details(number), consents={"contact": True}, site_url=SITE
        )

    results, errors = run_together(SIGNUPS, sign_up)

    assert errors == []
    outcomes = Counter(result.outcome for result in results)
    assert outcomes == {Outcome.CONFIRMED: PLACES, Outcome.WAITING: SIGNUPS - PLACES}
    assert_exactly_full(offer)
    waiting = Registration.objects.filter(offer=offer, status=Registration.Status.WAITING)
    assert waiting.count() == SIGNUPS - PLACES
    # Each person waiting was told a different place on the list: 1 to 15, in the order they joined.
    positions = sorted(result.position for result in results if result.outcome == Outcome.WAITING)
    assert positions == list(range(1, SIGNUPS - PLACES + 1))


def test_twenty_simultaneous_sign_ups_through_the_form_get_clear_full_answers(offer, settings):
    settings.INTAKE_RATE_LIMIT = "1000/h"  # all threads come from one address here

    def sign_up(number: int) -> str:
        client = Client()
        response = client.post(
            reverse("werkgevers:activity_signup", args=[offer.pk]),
            agenda_signup_data(email=details(number)["email"], phone=details(number)["phone"]),
        )
        assert response.status_code == 302, response.status_code
        return client.get(response["Location"]).content.decode()

    pages, errors = run_together(SIGNUPS, sign_up)

    assert errors == []
    assert sum("Je bent aangemeld" in page for page in pages) == PLACES
    full = [page for page in pages if "Vol: je staat op de wachtlijst" in page]
    assert len(full) == SIGNUPS - PLACES
    assert_exactly_full(offer)


def test_cancellations_and_new_sign_ups_at_once_keep_the_capacity_and_the_waiting_order(offer):
    tokens = []
    for _ in range(PLACES):
        token, token_hash = new_token()
        RegistrationFactory(offer=offer, cancel_token_hash=token_hash)
        tokens.append(token)
    Offer.objects.filter(pk=offer.pk).update(registered_count=PLACES, status=Offer.Status.FULL)
    waiting = [
        registration_signup(offer_id=offer.pk, details=details(number), consents={"contact": True}, site_url=SITE)
        for number in range(PLACES, PLACES + 3)
    ]
    assert {result.outcome for result in waiting} == {Outcome.WAITING}

    def act(number: int):
        if number < 3:  # three people cancel ...
            return registration_cancel(token=tokens[number], site_url=SITE)
        # ... while five newcomers sign up
        return registration_signup(
            offer_id=offer.pk, details=details(10 + number), consents={"contact": True}, site_url=SITE
        )

    results, errors = run_together(8, act)

    assert errors == []
    assert_exactly_full(offer)
    # The three who were waiting have the freed places; the newcomers did not jump the list.
    for result in waiting:
        result.registration.refresh_from_db()
        assert result.registration.status == Registration.Status.CONFIRMED
    assert {result.outcome for result in results[3:]} == {Outcome.WAITING}
