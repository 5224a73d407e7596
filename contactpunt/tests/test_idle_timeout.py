"""Sessions: a new key at login, deleted on the server at logout, and coordinators logged out when idle."""

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from contactpunt.testing import log_in, totp_code, totp_device

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


def start(traveller_time: str):
    return time_machine.travel(traveller_time, tick=False)


@pytest.mark.parametrize("persona", ["coordinator_a", "administrator"])
def test_coordinators_and_administrators_are_logged_out_after_30_idle_minutes(request, persona):
    user = request.getfixturevalue(persona)
    with start("2026-12-03 09:00:00 +0000") as traveller:
        client = log_in(Client(), user)
        assert client.get("/dashboard/").status_code == 200
        old_key = client.session.session_key
        traveller.shift(31 * 60)

        response = client.get("/dashboard/?status=new")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fdashboard%2F%3Fstatus%3Dnew"
        assert not Session.objects.filter(session_key=old_key).exists()
        login_page = client.get(response["Location"]).content.decode()
        assert "Je bent uitgelogd na 30 minuten zonder activiteit" in login_page


def test_activity_keeps_the_session_open(coordinator_a):
    with start("2026-12-03 09:00:00 +0000") as traveller:
        client = log_in(Client(), coordinator_a)
        for _ in range(6):  # an hour and a half, a request every quarter
            traveller.shift(15 * 60)
            assert client.get("/dashboard/").status_code == 200


def test_the_idle_time_is_configurable(settings, coordinator_a):
    from datetime import timedelta

    settings.IDLE_TIMEOUT = timedelta(minutes=5)
    with start("2026-12-03 09:00:00 +0000") as traveller:
        client = log_in(Client(), coordinator_a)
        traveller.shift(4 * 60)
        assert client.get("/dashboard/").status_code == 200
        traveller.shift(5 * 60 + 1)
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_an_idle_htmx_request_is_sent_to_the_login_page(coordinator_a):
    with start("2026-12-03 09:00:00 +0000") as traveller:
        client = log_in(Client(), coordinator_a)
        traveller.shift(31 * 60)
        response = client.get("/dashboard/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_employers_are_not_logged_out_when_idle(employer_a):
    with start("2026-12-03 09:00:00 +0000") as traveller:
        client = log_in(Client(), employer_a)
        client.get("/werkgever/")
        traveller.shift(3 * 60 * 60)
        assert client.get("/werkgever/").status_code == 200


def test_login_gives_a_new_session_key(client, employer_a):
    session = client.session  # an anonymous session, e.g. one an attacker planted
    session["voorbeeld"] = "vooraf"
    session.save()
    before = session.session_key

    client.post("/accounts/login/", {"username": employer_a.email, "password": PASSWORD})

    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session["_auth_user_id"] == str(employer_a.pk)


def test_the_code_step_keeps_the_key_made_at_login(client, coordinator_a):
    device = totp_device(coordinator_a)
    anonymous_key = client.session.session_key
    client.post("/accounts/login/", {"username": coordinator_a.email, "password": PASSWORD})
    logged_in_key = client.session.session_key
    assert logged_in_key != anonymous_key

    client.post("/accounts/code/", {"code": totp_code(device)})

    assert client.session.session_key == logged_in_key
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("persona", ["coordinator_a", "employer_a", "administrator"])
def test_logout_ends_the_session_on_the_server(request, persona):
    user = request.getfixturevalue(persona)
    client = log_in(Client(), user)
    assert client.get("/meldingen/").status_code == 200
    old_key = client.session.session_key

    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=old_key).exists()
    # Someone who kept a copy of the old cookie gets nothing with it.
    thief = Client()
    thief.cookies["sessionid"] = old_key
    response = thief.get("/meldingen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
