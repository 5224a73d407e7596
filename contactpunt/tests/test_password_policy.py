"""Passwords: at least 12 characters, not common, not leaked, not easy to guess; checked offline."""

import re
import socket

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from contactpunt.factories import CoordinatorFactory
from contactpunt.testing import log_in

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


def errors(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kort-en-1", "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."),
        ("qwerty123456", "Dit wachtwoord is te algemeen."),  # Django's list of 20,000
        ("q1w2e3r4t5y6", "Dit wachtwoord is te algemeen."),
        ("chickenwing101", "Dit wachtwoord staat in lijsten van gelekte wachtwoorden."),  # zxcvbn's leaked list
        ("WebSolutions", "Dit wachtwoord staat in lijsten van gelekte wachtwoorden."),  # whatever the capitals
        ("wachtwoord1234", "Dit wachtwoord is te makkelijk te raden."),
        ("welkom12345678", "Dit wachtwoord is te makkelijk te raden."),
        ("aaaaaaaaaaaaaaaa", "Dit wachtwoord is te makkelijk te raden."),
        ("123456789012", "Dit wachtwoord bevat alleen cijfers."),
    ],
)
def test_weak_passwords_are_refused_with_a_dutch_reason(password, message):
    assert any(text.startswith(message) for text in errors(password)), errors(password)


def test_a_password_made_of_the_users_own_name_is_refused():
    user = CoordinatorFactory.build(
        email="marieke.dijkstra@contactpunt.example", first_name="Marieke", last_name="Dijkstra"
    )

    assert errors("DijkstraMarieke", user)


@pytest.mark.parametrize("password", ["paarse-olifant-zingt-2026", "Zorgzaam-Portaal-2026", "vier losse woorden hier"])
def test_a_long_unguessable_password_is_accepted(password):
    assert errors(password) == []


def test_a_very_long_password_is_checked_quickly():
    import time

    started = time.monotonic()
    assert errors("Een lange zin over zorg en welzijn in Drenthe, Friesland en Groningen. " * 60) == []
    assert errors("ab1-" * 1000)  # a long repetition is still easy to guess
    assert time.monotonic() - started < 2


def test_nothing_is_looked_up_online(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a password check tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)

    assert errors("chickenwing101")
    assert errors("paarse-olifant-zingt-2026") == []


@pytest.mark.parametrize("persona", ["coordinator_a", "employer_a", "administrator"])
def test_the_password_change_page_refuses_a_leaked_password_and_keeps_the_old_one(request, persona):
    user = request.getfixturevalue(persona)
    client = log_in(__import__("django.test", fromlist=["Client"]).Client(), user)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "chickenwing101", "new_password2": "chickenwing101"},
    )

    assert response.status_code == 200
    assert "Dit wachtwoord staat in lijsten van gelekte wachtwoorden." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_help_text_names_the_rules(client_a):
    content = client_a.get("/accounts/password_change/").content.decode()

    assert "minstens 12 tekens" in content
    assert "geen gelekt wachtwoord" in content


def _visible_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_password_pages_say_je_not_u(client_a):
    """Django's Dutch for its password rules says "Uw wachtwoord ..."; the portal says "je"."""
    response = client_a.get("/accounts/password_change/")

    assert response.status_code == 200
    page = _visible_text(response)
    for help_text in [
        "Je wachtwoord mag niet te veel op je andere persoonlijke gegevens lijken.",
        "Je wachtwoord moet minstens 12 tekens lang zijn.",
        "Je wachtwoord mag geen veelgebruikt wachtwoord zijn.",
        "Je wachtwoord mag niet alleen uit cijfers bestaan.",
    ]:
        assert help_text in page
    assert not re.search(r"\b[Uu]w?\b", page.split("Wachtwoord wijzigen", 1)[1]), page


def test_the_password_change_errors_say_je(client_a, coordinator_a):
    response = client_a.post(
        "/accounts/password_change/",
        {"old_password": "niet-mijn-wachtwoord", "new_password1": "123456789012", "new_password2": "123456789012"},
    )

    assert response.status_code == 200
    page = _visible_text(response)
    assert "Je oude wachtwoord klopt niet. Typ het nog een keer." in page
    assert "Dit wachtwoord bevat alleen cijfers." in page
    assert "Uw " not in page

    response = client_a.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": coordinator_a.email, "new_password2": coordinator_a.email},
    )

    assert "Het wachtwoord lijkt te veel op je e-mailadres." in _visible_text(response)


def test_the_length_rule_has_a_singular_and_a_plural():
    from django.utils import translation

    from contactpunt.password_validation import MinimumLengthValidator

    with translation.override("nl"):
        assert MinimumLengthValidator(1).get_help_text() == "Je wachtwoord moet minstens 1 teken lang zijn."
        assert MinimumLengthValidator(12).get_help_text() == "Je wachtwoord moet minstens 12 tekens lang zijn."
