"""Coordinators record an erasure request (deadline: one month) and carry it out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kandidaten import privacy
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate, ErasureRequest, TimelineEvent

pytestmark = pytest.mark.django_db

REQUESTS = reverse("kandidaten:erasure_requests")


def _record_url(candidate):
    return reverse("kandidaten:erasure_request_record", args=[candidate.pk])


def _erase_url(candidate):
    return reverse("kandidaten:erasure_carry_out", args=[candidate.pk])


@pytest.fixture
def candidate(region_a):
    return CandidateFactory(first_name="Lotte", last_name="Mulder", email="lotte.mulder@example.org", region=region_a)


def test_the_deadline_is_one_month_from_the_request_in_dutch_time():
    amsterdam = timezone.get_default_timezone()
    assert privacy.erasure_due_on(datetime(2026, 1, 31, 23, 30, tzinfo=amsterdam)) == date(2026, 2, 28)
    assert privacy.erasure_due_on(datetime(2026, 3, 15, 9, 0, tzinfo=amsterdam)) == date(2026, 4, 15)


def test_the_candidate_page_offers_the_buttons(client_a, candidate):
    page = client_a.get(reverse("kandidaten:candidate", args=[candidate.pk])).content.decode()

    assert "Verwijderverzoek ontvangen" in page
    assert _record_url(candidate) in page
    assert _erase_url(candidate) in page


def test_recording_a_request_shows_the_deadline_on_the_candidate_page(client_a, candidate, coordinator_a):
    response = client_a.post(_record_url(candidate))

    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(candidate=candidate)
    assert erasure.via == ErasureRequest.Via.COORDINATOR
    assert erasure.recorded_by == coordinator_a
    assert erasure.due_on == privacy.erasure_due_on(erasure.requested_at)
    page = client_a.get(response["Location"]).content.decode()
    assert f"Uiterlijk: {erasure.due_on.day}" in page
    assert "Verwijderverzoek vastgelegd" in page
    assert TimelineEvent.objects.filter(candidate=candidate, data__action="erasure_requested").exists()


def test_recording_twice_keeps_the_first_request_and_its_deadline(client_a, candidate):
    client_a.post(_record_url(candidate))
    first = ErasureRequest.objects.get(candidate=candidate)

    client_a.post(_record_url(candidate))

    assert list(ErasureRequest.objects.filter(candidate=candidate)) == [first]


def test_the_list_shows_open_requests_of_the_region_nearest_deadline_first(
    client_a, candidate, coordinator_a, region_a, region_b, django_assert_max_num_queries
):
    later = CandidateFactory(first_name="Ruben", region=region_a)
    elsewhere = CandidateFactory(first_name="Elders", last_name="Anders", region=region_b)
    privacy.record_erasure_request(candidate=later, actor=coordinator_a, now=timezone.now())
    privacy.record_erasure_request(candidate=candidate, actor=coordinator_a, now=timezone.now() - timedelta(days=40))
    privacy.record_erasure_request(candidate=elsewhere, actor=None)
    for _number in range(5):
        privacy.record_erasure_request(candidate=CandidateFactory(region=region_a), actor=None)

    with django_assert_max_num_queries(12):
        response = client_a.get(REQUESTS)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Lotte Mulder") < content.index("Ruben")
    assert "Anders" not in content
    assert content.count("Te laat") == 1  # Lotte's request, 40 days old


def test_carrying_out_needs_the_confirmation(client_a, candidate):
    assert client_a.get(_erase_url(candidate)).status_code == 200

    response = client_a.post(_erase_url(candidate), {})

    assert response.status_code == 200
    assert "Vink het vakje aan om het verwijderen te bevestigen." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.erased_at is None


def test_carrying_out_erases_closes_the_request_and_mails_the_person(
    client_a, candidate, coordinator_a, django_capture_on_commit_callbacks
):
    client_a.post(_record_url(candidate))

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(_erase_url(candidate), {"confirm": "on"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.erased_at is not None and candidate.first_name == ""
    erasure = ErasureRequest.objects.get(candidate=candidate)
    assert (erasure.carried_out_by, erasure.via) == (coordinator_a, ErasureRequest.Via.COORDINATOR)
    assert [message.to for message in mail.outbox] == [["lotte.mulder@example.org"]]
    page = client_a.get(response["Location"]).content.decode()
    assert "Lotte" not in page and "lotte.mulder" not in page
    assert f"Verwijderde kandidaat #{candidate.pk}" in page
    assert "Lotte" not in client_a.get(REQUESTS).content.decode()


def test_carrying_out_twice_says_already_done(client_a, candidate):
    client_a.post(_erase_url(candidate), {"confirm": "on"})

    response = client_a.post(_erase_url(candidate), {"confirm": "on"}, follow=True)

    assert "Al gedaan: de gegevens van deze kandidaat zijn verwijderd." in response.content.decode()
    assert ErasureRequest.objects.filter(candidate=candidate).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_coordinator_of_another_region_gets_404_and_nothing_changes(client_b, candidate, method):
    for url in (_record_url(candidate), _erase_url(candidate)):
        response = getattr(client_b, method)(url, {"confirm": "on"})
        assert response.status_code in (404, 405)
    assert not ErasureRequest.objects.exists()
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_the_list_hides_other_regions_requests(client_b, candidate, coordinator_a):
    privacy.record_erasure_request(candidate=candidate, actor=coordinator_a)

    assert "Lotte" not in client_b.get(REQUESTS).content.decode()


@pytest.mark.parametrize("who", ["employer_a_client", "client"])
def test_employers_and_anonymous_people_cannot_act(request, candidate, who):
    browser = request.getfixturevalue(who)

    for url in (_record_url(candidate), _erase_url(candidate), REQUESTS):
        response = browser.post(url, {"confirm": "on"}) if url != REQUESTS else browser.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    assert not ErasureRequest.objects.exists()
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_an_administrator_can_carry_out_any_region(administrator_client, candidate):
    response = administrator_client.post(_erase_url(candidate), {"confirm": "on"})

    assert response.status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).erased_at is not None
