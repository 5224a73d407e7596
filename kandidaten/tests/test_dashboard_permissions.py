"""Every dashboard URL, for every role: outsiders get 404 and never see the candidate anywhere.

The list of URL names comes from kandidaten.urls, so a new URL without a case here fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.testing import log_in
from kandidaten.factories import CandidateFactory, MatchFactory
from kandidaten.models import Candidate, Status, TimelineEvent
from kandidaten.urls import urlpatterns
from werkgevers.factories import OfferFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"intake", "intake_done"}
# The candidate's own pages (a personal link, no account): kandidaten/tests/test_candidate_self_service.py.
PUBLIC |= {pattern.name for pattern in urlpatterns if pattern.name.startswith("privacy_")}
DASHBOARD_URLS = sorted(pattern.name for pattern in urlpatterns if pattern.name not in PUBLIC)


@dataclass(frozen=True)
class Call:
    method: str
    data: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})
    ok: int = 200  # what coordinators of the region and administrators get


@dataclass(frozen=True)
class Case:
    calls: tuple[Call, ...]
    candidate: bool = False  # the URL names one candidate (or two): outsiders get 404
    administrators_only: bool = False
    args: Callable[[SimpleNamespace], list] = field(default=lambda world: [])


def edit_form(world) -> dict:
    anna = world.anna
    return {
        "first_name": anna.first_name,
        "last_name": anna.last_name,
        "email": anna.email,
        "phone": anna.phone,
        "postcode": anna.postcode,
        "place": "Haren",
        "situation": anna.situation,
        "education_level": anna.education_level,
        "max_travel_km": anna.max_travel_km,
        "source": anna.source,
    }


def phone_intake_typed(world) -> dict:
    """What a coordinator types during a call about the very same person (no consent yet: not saved)."""
    return {
        "first_name": "Annabel",
        "last_name": "Geheimhouder",
        "email": world.anna.email,
        "phone": "06 55501234",
        "postcode": "9711 XZ",
    }


def contact_moment(world) -> dict:
    return {
        "channel": "phone",
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Gebeld.",
    }


def on_anna(world) -> list:
    return [world.anna.pk]


def on_annas_match(world) -> list:
    return [world.match.pk]


CASES: dict[str, Case] = {
    "inbox": Case(calls=(Call("get"),)),
    "phone_intake": Case(calls=(Call("get"), Call("post", phone_intake_typed))),
    "phone_intake_duplicates": Case(calls=(Call("post", phone_intake_typed),)),
    "duplicates": Case(calls=(Call("get"),)),
    "national_queue": Case(calls=(Call("get"),), administrators_only=True),
    "candidate": Case(calls=(Call("get"),), candidate=True, args=on_anna),
    "candidate_edit": Case(calls=(Call("get"), Call("post", edit_form, ok=302)), candidate=True, args=on_anna),
    "candidate_assign": Case(
        calls=(Call("post", lambda world: {"assignee": world.coordinator_a.pk}, ok=302),), candidate=True, args=on_anna
    ),
    "candidate_status": Case(
        calls=(Call("post", lambda world: {"status": Status.IN_CONVERSATION}, ok=302),), candidate=True, args=on_anna
    ),
    "contact_moment_create": Case(calls=(Call("post", contact_moment, ok=302),), candidate=True, args=on_anna),
    "candidate_merge": Case(
        calls=(Call("post", lambda world: {"keep": world.anna.pk}, ok=302),),
        candidate=True,
        args=lambda world: [world.anna.pk, world.twin.pk],
    ),
    "candidate_hand_over": Case(
        calls=(Call("post", lambda world: {"region": world.region_b.pk}, ok=302),),
        candidate=True,
        administrators_only=True,
        args=on_anna,
    ),
    "new_matches": Case(calls=(Call("get"),)),
    "match_accept": Case(calls=(Call("post", ok=302),), candidate=True, args=on_annas_match),
    "match_reject": Case(
        calls=(Call("post", lambda world: {f"reject-{world.match.pk}-reason": "too_far"}, ok=302),),
        candidate=True,
        args=on_annas_match,
    ),
    "erasure_requests": Case(calls=(Call("get"),)),
    "erasure_request_record": Case(calls=(Call("post", ok=302),), candidate=True, args=on_anna),
    "erasure_carry_out": Case(
        calls=(Call("get"), Call("post", lambda world: {"confirm": "on"}, ok=302)), candidate=True, args=on_anna
    ),
}


@pytest.fixture
def world(region_a, region_b, coordinator_a, coordinator_b, administrator, employer_user):
    anna = CandidateFactory(
        region=region_a,
        first_name="Annabel",
        last_name="Geheimhouder",
        email="annabel.geheimhouder@example.org",
        phone="+31655501234",
        postcode="9711 XZ",
        place="Groningen",
    )
    twin = CandidateFactory(
        region=region_a,
        first_name="Annabel",
        last_name="Geheimhouder",
        email="a.geheimhouder@example.net",
        phone="+31655501234",
        postcode="9711 XZ",
    )
    lost = CandidateFactory(region=None, first_name="Lotte", last_name="Landelijk", postcode="1011 AB")
    organisation = employer_user.organisation
    offer = OfferFactory(organisation=organisation, location=organisation.locations.get(), title="Meeloopdag")
    match = MatchFactory(candidate=anna, offer=offer)
    return SimpleNamespace(
        region_a=region_a,
        region_b=region_b,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        administrator=administrator,
        employer_user=employer_user,
        anna=anna,
        twin=twin,
        lost=lost,
        match=match,
    )


def secrets_of(candidate: Candidate) -> list[str]:
    """What must never reach someone who may not see the candidate."""
    local = candidate.phone.removeprefix("+31")
    return [candidate.last_name, candidate.email, candidate.phone, f"0{local[0]} {local[1:]}", candidate.postcode]


def call(client: Client, name: str, case: Case, request: Call, world) -> object:
    url = reverse(f"kandidaten:{name}", args=case.args(world))
    if request.method == "get":
        return client.get(url)
    return client.post(url, request.data(world))


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def snapshot(candidate: Candidate) -> tuple:
    """Everything a request could change about a candidate."""
    fresh = Candidate.objects.filter(pk=candidate.pk).values().first()
    return fresh, TimelineEvent.objects.filter(candidate_id=candidate.pk).count()


def test_every_dashboard_url_has_a_case():
    assert set(DASHBOARD_URLS) == set(CASES), "add a case for every new dashboard URL"


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_anonymous_people_are_sent_to_the_login_page(world, name):
    case = CASES[name]
    for request in case.calls:
        response = call(client_for(None), name, case, request, world)
        assert response.status_code == 302, (name, request.method)
        assert response["Location"].startswith(reverse("login") + "?next="), (name, request.method)
    assert snapshot(world.anna) == snapshot(world.anna)
    assert Candidate.objects.count() == 3


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_employer_users_are_refused(world, name):
    case = CASES[name]
    before = snapshot(world.anna)
    for request in case.calls:
        response = call(client_for(world.employer_user), name, case, request, world)
        assert response.status_code == 403, (name, request.method)
        for secret in secrets_of(world.anna):
            assert secret not in response.content.decode()
    assert snapshot(world.anna) == before
    assert Candidate.objects.count() == 3


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_a_coordinator_of_another_region_gets_404_and_sees_nothing(world, name):
    case = CASES[name]
    before = snapshot(world.anna), snapshot(world.twin)
    for request in case.calls:
        response = call(client_for(world.coordinator_b), name, case, request, world)
        if case.candidate:
            assert response.status_code == 404, (name, request.method)
        elif case.administrators_only:
            assert response.status_code == 403, (name, request.method)
        else:
            assert response.status_code == 200, (name, request.method)
        page = response.content.decode()
        typed = " ".join(str(value) for value in request.data(world).values())  # shown back to who typed it
        for secret in secrets_of(world.anna) + secrets_of(world.twin) + secrets_of(world.lost):
            assert secret in typed or secret not in page, (name, request.method, secret)
    assert (snapshot(world.anna), snapshot(world.twin)) == before
    assert Candidate.objects.count() == 3


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_a_coordinator_of_the_region_can_work(world, name):
    case = CASES[name]
    for request in case.calls:
        response = call(client_for(world.coordinator_a), name, case, request, world)
        expected = 403 if case.administrators_only else request.ok
        assert response.status_code == expected, (name, request.method)


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_administrators_can_do_everything(world, name):
    case = CASES[name]
    for request in case.calls:
        response = call(client_for(world.administrator), name, case, request, world)
        assert response.status_code == request.ok, (name, request.method)


@pytest.mark.parametrize(
    "typed",
    [
        "annabel.geheimhouder@example.org",
        "ANNABEL.GEHEIMHOUDER@EXAMPLE.ORG",
        "+31655501234",
        "06 55501234",
        "0655501234",
        "9711 XZ",
        "9711xz",
        "9711",
        "Geheimhouder",
        "Annabel Geheimhouder",
    ],
)
def test_search_never_finds_a_candidate_of_another_region(world, typed):
    response = client_for(world.coordinator_b).post(reverse("kandidaten:inbox"), {"q": typed}, follow=True)

    assert list(response.context["page"].object_list) == []
    page = response.content.decode()
    assert "Geen kandidaten gevonden." in page
    for secret in secrets_of(world.anna) + secrets_of(world.twin):
        if secret.lower() not in typed.lower():  # what was typed is shown back in the search box
            assert secret not in page, secret


@pytest.mark.parametrize("typed", ["annabel.geheimhouder@example.org", "06 55501234", "9711 XZ", "Geheimhouder"])
def test_the_same_search_finds_the_candidate_for_the_region_and_administrators(world, typed):
    for user in (world.coordinator_a, world.administrator):
        response = client_for(user).post(reverse("kandidaten:inbox"), {"q": typed}, follow=True)
        assert world.anna in response.context["page"].object_list, (user, typed)


def test_the_duplicates_page_keeps_pairs_to_their_region(world):
    assert client_for(world.coordinator_b).get(reverse("kandidaten:duplicates")).context["page"].object_list == []
    (pair,) = client_for(world.coordinator_a).get(reverse("kandidaten:duplicates")).context["page"].object_list
    assert {pair[0], pair[1]} == {world.anna, world.twin}


def test_a_coordinator_of_both_regions_sees_both(world, region_b):
    both = CoordinatorFactory(regions=[world.region_a, region_b])

    response = client_for(both).get(reverse("kandidaten:candidate", args=[world.anna.pk]))

    assert response.status_code == 200


def test_a_deactivated_coordinator_sees_nothing(world):
    world.coordinator_a.is_active = False
    world.coordinator_a.save(update_fields=["is_active"])

    response = client_for(world.coordinator_a).get(reverse("kandidaten:candidate", args=[world.anna.pk]))

    assert response.status_code in (302, 403, 404)


def test_a_candidate_that_does_not_exist_is_404_for_everyone_who_works_candidates(world):
    for user in (world.coordinator_a, world.administrator):
        assert client_for(user).get(reverse("kandidaten:candidate", args=[999999])).status_code == 404
