"""/account/meldingen/: each user chooses per kind that applies to their role; some kinds are locked on."""

import re

import pytest

from contactpunt.models import NotificationPreference
from contactpunt.notifications import IntroductionEscalated, NewCandidate, get_kind, wants_digest

pytestmark = pytest.mark.django_db

URL = "/account/meldingen/"


def text(response) -> str:
    body = response.content.decode().split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def legends(response) -> list[str]:
    return re.findall(r'<legend class="h5">([^<]+)</legend>', response.content.decode())


def input_tag(response, name: str, value: str | None = None) -> str:
    for tag in re.findall(r"<input\b[^>]*>", response.content.decode()):
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return tag
    raise AssertionError(f"no input {name}")


def everything_on(user) -> dict[str, str]:
    """The form as the page shows it for a user who changed nothing."""
    data = {}
    for kind in ("new_candidate", "daily_digest", "introduction_update", "cohort_below_minimum"):
        data[f"{kind}-email"] = "on"
        if kind != "daily_digest":
            data[f"{kind}-in_app"] = "on"
    data["new_candidate-delivery"] = "immediately"
    return data


def test_a_coordinator_sees_the_kinds_of_a_coordinator_in_dutch(client_a):
    response = client_a.get(URL)

    assert response.status_code == 200
    assert legends(response) == [
        "Nieuwe kandidaat in mijn regio",
        "Dagoverzicht",
        "Een werkgever heeft gereageerd op mijn voorstel",
        "Een voorstel heeft na 10 werkdagen nog geen antwoord",
        "Een BBL-klas zit onder het minimum",
        "Een verhaal wacht op moderatie",
        "Mijn verhaal is gepubliceerd",
        "Mijn verhaal is teruggestuurd",
    ]
    page = text(response)
    assert "Per e-mail" in page and "In het portaal" in page
    assert "Wanneer per e-mail" in page and "Direct" in page and "In het dagoverzicht" in page
    # The defaults: everything on, at once.
    assert "checked" in input_tag(response, "new_candidate-email")
    assert "checked" in input_tag(response, "new_candidate-delivery", "immediately")


def test_an_employer_sees_the_kinds_of_an_employer(employer_a_client):
    response = employer_a_client.get(URL)

    assert legends(response) == [
        "Een BBL-klas zit onder het minimum",
        "Een voorstel wacht op je antwoord",
        "Je activiteit is morgen",
        "Aanbod verloopt bijna",
        "Mijn verhaal is gepubliceerd",
        "Mijn verhaal is teruggestuurd",
    ]
    assert "new_candidate" not in response.content.decode()


def test_an_administrator_sees_the_introduction_kinds(administrator_client):
    assert legends(administrator_client.get(URL)) == [
        "Een werkgever heeft gereageerd op mijn voorstel",
        "Een voorstel heeft na 10 werkdagen nog geen antwoord",
        "Mijn verhaal is gepubliceerd",
        "Mijn verhaal is teruggestuurd",
    ]


def test_the_escalation_is_shown_on_and_locked(client_a):
    response = client_a.get(URL)

    assert "Deze melding kun je niet uitzetten." in text(response)
    for name in ("introduction_escalated-email", "introduction_escalated-in_app"):
        tag = input_tag(response, name)
        assert "checked" in tag and "disabled" in tag


def test_choices_are_saved_and_shown_again(client_a, coordinator_a):
    data = everything_on(coordinator_a)
    data["new_candidate-delivery"] = "digest"
    del data["daily_digest-email"]
    del data["introduction_update-in_app"]

    response = client_a.post(URL, data, follow=True)

    assert "Je keuzes zijn opgeslagen." in text(response)
    assert wants_digest(coordinator_a, NewCandidate)
    stored = {pref.kind: pref for pref in NotificationPreference.objects.filter(user=coordinator_a)}
    assert stored["daily_digest"].email is False
    assert (stored["introduction_update"].email, stored["introduction_update"].in_app) == (True, False)
    assert "checked" in input_tag(response, "new_candidate-delivery", "digest")
    assert "checked" not in input_tag(response, "daily_digest-email")


def test_a_locked_kind_cannot_be_switched_off_by_posting(client_a, coordinator_a):
    data = everything_on(coordinator_a)  # no introduction_escalated fields: as if switched off

    client_a.post(URL, data)

    assert not NotificationPreference.objects.filter(user=coordinator_a, kind="introduction_escalated").exists()
    assert get_kind(IntroductionEscalated).choice(None).email is True


def test_kinds_of_another_role_cannot_be_set(employer_a_client, employer_a):
    employer_a_client.post(URL, {"new_candidate-email": "on", "new_candidate-delivery": "digest"})

    assert not NotificationPreference.objects.filter(user=employer_a, kind="new_candidate").exists()


def test_an_unknown_delivery_is_a_field_error_and_nothing_is_saved(client_a, coordinator_a):
    data = everything_on(coordinator_a)
    data["new_candidate-delivery"] = "weekly"

    response = client_a.post(URL, data)

    assert response.status_code == 200
    assert "Selecteer een geldige keuze." in text(response)
    assert not NotificationPreference.objects.filter(user=coordinator_a).exists()
