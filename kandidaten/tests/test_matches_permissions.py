"""Who may see and decide match suggestions: the coordinators of the candidate's region and administrators."""

import pytest
from django.test import Client
from django.urls import reverse

from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory, MatchFactory
from kandidaten.models import Match
from werkgevers.factories import OfferFactory
from werkgevers.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(region_a):
    return CandidateFactory(
        region=region_a, first_name="Annabel", last_name="Geheimhouder", email="annabel@example.org"
    )


@pytest.fixture
def match(anna, organisation_a):
    offer = OfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="Meeloopdag")
    return MatchFactory(candidate=anna, offer=offer)


def decide_urls(match) -> list[tuple[str, dict]]:
    return [
        (reverse("kandidaten:match_accept", args=[match.pk]), {}),
        (reverse("kandidaten:match_reject", args=[match.pk]), {f"reject-{match.pk}-reason": "too_far"}),
    ]


def unchanged(match) -> bool:
    match.refresh_from_db()
    return match.status == Match.Status.NEW and match.decided_by is None and not Registration.objects.exists()


def test_a_coordinator_of_another_region_gets_404_and_changes_nothing(client_b, match):
    for url, data in decide_urls(match):
        response = client_b.post(url, data)
        assert response.status_code == 404, url
        assert "Geheimhouder" not in response.content.decode()
    assert unchanged(match)


def test_a_coordinator_of_another_region_does_not_see_the_match_in_the_list(client_b, match):
    response = client_b.get(reverse("kandidaten:new_matches"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Geheimhouder" not in response.content.decode()


def test_an_offer_of_my_region_does_not_open_a_candidate_of_another_region(client_b, region_a, organisation_b):
    """The offer is in region B, the candidate in region A: the match belongs to region A's coordinators."""
    offer = OfferFactory(organisation=organisation_b, location=organisation_b.locations.get())
    match = MatchFactory(candidate=CandidateFactory(region=region_a, last_name="Geheimhouder"), offer=offer)

    assert client_b.get(reverse("kandidaten:new_matches")).context["rows"] == []
    for url, data in decide_urls(match):
        assert client_b.post(url, data).status_code == 404
    assert unchanged(match)


@pytest.mark.parametrize("who", ["employer_a", "employer_b"])
def test_employers_are_refused(request, match, who):
    client = Client()
    log_in(client, request.getfixturevalue(who))

    assert client.get(reverse("kandidaten:new_matches")).status_code == 403
    for url, data in decide_urls(match):
        response = client.post(url, data)
        assert response.status_code == 403
        assert "Geheimhouder" not in response.content.decode()
    assert unchanged(match)


def test_anonymous_people_are_sent_to_the_login_page(client, match):
    for url, data in [(reverse("kandidaten:new_matches"), None), *decide_urls(match)]:
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert unchanged(match)


def test_an_unknown_match_is_404(client_a, administrator_client):
    for client in (client_a, administrator_client):
        assert client.post(reverse("kandidaten:match_reject", args=[999999]), {}).status_code == 404
        assert client.post(reverse("kandidaten:match_accept", args=[999999]), {}).status_code == 404


def test_administrators_decide_for_every_region(administrator_client, administrator, match):
    response = administrator_client.post(*decide_urls(match)[1])

    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (Match.Status.REJECTED, administrator)
