"""contactpunt.audit.record: one row per call, names of fields only, the network instead of the address."""

import pytest
from django.test import RequestFactory

from contactpunt.audit import network_of, record, user_agent_family
from contactpunt.models import AuditEvent
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _request(user, **meta):
    request = RequestFactory().get("/dashboard/kandidaten/1/", **meta)
    request.user = user
    return request


def test_a_view_by_a_coordinator_names_the_object_the_actor_and_the_network(coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a)
    request = _request(coordinator_a, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT=FIREFOX)

    event = record(request, AuditEvent.Action.VIEW, candidate)

    stored = AuditEvent.objects.get()
    assert stored == event
    assert (stored.actor, stored.actor_role, stored.action) == (coordinator_a, "coordinator", "view")
    assert (stored.object_type, stored.object_id, stored.fields) == ("kandidaten.candidate", candidate.pk, [])
    assert stored.network == "203.0.113.0/24"
    assert stored.user_agent == "Firefox/Windows"
    assert len(stored.request_id) == 32


def test_a_change_keeps_field_names_once_each(coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a)
    record(_request(coordinator_a), AuditEvent.Action.CHANGE, candidate, ["place", "phone", "place"])
    assert AuditEvent.objects.get().fields == ["place", "phone"]


@pytest.mark.parametrize("value", ["Groningen", "anna@example.org", "06 12345678", "first name", ""])
def test_a_value_instead_of_a_field_name_is_refused(coordinator_a, region_a, value):
    candidate = CandidateFactory(region=region_a)
    with pytest.raises(ValueError):
        record(_request(coordinator_a), AuditEvent.Action.CHANGE, candidate, [value])
    assert not AuditEvent.objects.exists()


def test_an_unknown_action_is_refused(coordinator_a):
    with pytest.raises(ValueError):
        record(coordinator_a, "peek")


def test_an_erased_object_is_named_by_type_and_id(administrator, region_a):
    candidate = CandidateFactory(region=region_a)
    pk = candidate.pk
    candidate.delete()

    record(administrator, AuditEvent.Action.ERASE, (Candidate, pk), ["first_name"])

    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id, event.fields) == ("kandidaten.candidate", pk, ["first_name"])
    assert (event.actor, event.actor_role, event.network, event.request_id) == (administrator, "administrator", "", "")


def test_a_visitor_who_is_not_logged_in_is_recorded_without_actor(region_a):
    from django.contrib.auth.models import AnonymousUser

    candidate = CandidateFactory(region=region_a)
    record(_request(AnonymousUser(), REMOTE_ADDR="2001:db8:1234:5678::1"), AuditEvent.Action.CREATE, candidate)
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_role, event.network) == (None, "", "2001:db8:1234::/48")


def test_one_request_id_per_request_and_a_well_formed_proxy_id_is_kept(coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a)
    request = _request(coordinator_a, HTTP_X_REQUEST_ID="3f2c9a1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f")
    first = record(request, AuditEvent.Action.VIEW, candidate)
    second = record(request, AuditEvent.Action.CHANGE, candidate, ["place"])
    assert first.request_id == second.request_id == "3f2c9a1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f"

    for hostile in ["<script>alert(1)</script>", "Wilhelmina.Oosterhuis", "a" * 8]:
        event = record(_request(coordinator_a, HTTP_X_REQUEST_ID=hostile), AuditEvent.Action.VIEW, candidate)
        assert event.request_id != hostile
        assert len(event.request_id) == 32


def test_deleting_the_actor_keeps_the_row(coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a)
    record(_request(coordinator_a), AuditEvent.Action.VIEW, candidate)
    coordinator_a.delete()
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_role, event.object_id) == (None, "coordinator", candidate.pk)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.1", "192.0.2.0/24"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("2001:db8:aaaa:bbbb:cccc::1", "2001:db8:aaaa::/48"),
        ("not an address", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_network_of(address, network):
    assert network_of(address) == network


@pytest.mark.parametrize(
    ("agent", "family"),
    [(FIREFOX, "Firefox/Windows"), (EDGE, "Edge/Windows"), (IPHONE, "Safari/iOS"), ("", ""), ("x" * 5000, "other")],
)
def test_user_agent_family_has_no_versions(agent, family):
    assert user_agent_family(agent) == family


def test_login_logout_and_failed_login_are_recorded_without_the_typed_address(client, coordinator_a):
    coordinator_a.set_password("een-lang-wachtwoord-42")
    coordinator_a.save()

    client.post("/accounts/login/", {"username": "niemand@example.org", "password": "fout"})
    client.post("/accounts/login/", {"username": coordinator_a.email, "password": "een-lang-wachtwoord-42"})
    client.post("/accounts/logout/")

    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_id"))
    assert actions == [("login_failed", None), ("login", coordinator_a.pk), ("logout", coordinator_a.pk)]
    for event in AuditEvent.objects.all():
        assert "niemand" not in repr(event.__dict__)
