"""Onboarding by invitation: a coordinator invites, the e-mail link works once for seven days,
the person chooses a password and lands logged in on /werkgever/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory, EmployerUserFactory
from contactpunt.models import OutboxMail, User
from werkgevers.factories import OrganisationFactory
from werkgevers.models import Invitation, hash_token

pytestmark = pytest.mark.django_db

PASSWORD = "Zorgzaam-Portaal-2026"
LINK = re.compile(r"http://testserver/werkgever/uitnodiging/([A-Za-z0-9_\-]+)/")


def invite(client, organisation, capture, **typed):
    data = {"first_name": "Sanne", "last_name": "de Boer", "email": "sanne@zorggroepnoord.example", **typed}
    with capture(execute=True):
        response = client.post(reverse("werkgevers:invitation_create", args=[organisation.pk]), data)
    return response


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def accept(link: str, password: str = PASSWORD, client: Client | None = None):
    client = client or Client()
    opened = client.get(link)
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert "uitnodiging" in form_url and link.rsplit("/", 2)[-2] not in form_url
    page = client.get(form_url)
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    return client, page, response


def test_a_coordinator_invites_and_the_person_gets_a_dutch_e_mail_with_a_one_time_link(
    client_a, coordinator_a, organisation_a, django_capture_on_commit_callbacks
):
    response = invite(
        client_a, organisation_a, django_capture_on_commit_callbacks, email=" Sanne@ZorggroepNoord.example "
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:organisation_detail", args=[organisation_a.pk])
    invitation = Invitation.objects.get()
    assert invitation.email == "sanne@zorggroepnoord.example"
    assert invitation.invited_by == coordinator_a
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sanne@zorggroepnoord.example"]
    assert message.subject == "Je account voor Zorggroep Noord in het portaal van het contactpunt"
    assert message.body.startswith("Hallo Sanne,")
    assert "Contactpunt Noord-Nederland nodigt je uit voor het portaal voor werkgevers" in message.body
    assert "De link werkt één keer en 7 dagen lang." in message.body
    token = LINK.search(message.body).group(1)
    # Only the hash is stored: the token itself is nowhere in the database.
    assert invitation.token_hash == hash_token(token)
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert token not in OutboxMail.objects.get().subject
    page = client_a.get(response["Location"]).content.decode()
    assert "De uitnodiging is verstuurd naar sanne@zorggroepnoord.example." in page
    assert "Openstaande uitnodigingen" in page and "geldig tot" in page


def test_the_link_sets_a_password_logs_in_and_lands_on_the_employer_portal(
    client_a, organisation_a, django_capture_on_commit_callbacks
):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])

    client, page, response = accept(link)

    assert page.status_code == 200
    assert "Kies je wachtwoord" in page.content.decode()
    assert "sanne@zorggroepnoord.example" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("werkgevers:employer_home")
    user = User.objects.get(email="sanne@zorggroepnoord.example")
    assert (user.role, user.organisation, user.first_name, user.last_name) == (
        User.Role.EMPLOYER,
        organisation_a,
        "Sanne",
        "de Boer",
    )
    assert user.check_password(PASSWORD)
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None and invitation.user == user
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert "Welkom! Je account voor Zorggroep Noord is klaar." in home.content.decode()
    # The new user logs in with the password later on, whatever the case of the address.
    assert Client().login(email="Sanne@ZorggroepNoord.example", password=PASSWORD)


def test_the_link_works_only_once(client_a, organisation_a, django_capture_on_commit_callbacks):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    accept(link)

    response = Client().get(link)

    assert response.status_code == 410
    html = response.content.decode()
    assert "Deze uitnodiging is al gebruikt." in html
    assert "Vraag de coördinator van je contactpunt om een nieuwe uitnodiging." in html
    assert User.objects.filter(email="sanne@zorggroepnoord.example").count() == 1


def test_a_second_submit_of_the_password_form_fails(client_a, organisation_a, django_capture_on_commit_callbacks):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    # Two browser tabs opened the link; the first one wins.
    first, second = Client(), Client()
    first_form = first.get(link)["Location"]
    second_form = second.get(link)["Location"]
    assert first.post(first_form, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302

    response = second.post(
        second_form, {"new_password1": "Een-Ander-Wachtwoord-9", "new_password2": "Een-Ander-Wachtwoord-9"}
    )

    assert response.status_code == 410
    assert User.objects.get(email="sanne@zorggroepnoord.example").check_password(PASSWORD)


def test_after_seven_days_the_link_has_expired(client_a, organisation_a, django_capture_on_commit_callbacks):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().get(link)

    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen: een uitnodigingslink werkt zeven dagen." in response.content.decode()
    assert not User.objects.filter(email="sanne@zorggroepnoord.example").exists()


def test_a_link_that_expires_while_the_form_is_open_is_refused(
    client_a, organisation_a, django_capture_on_commit_callbacks
):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    client = Client()
    form_url = client.get(link_in(mail.outbox[0]))["Location"]
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 410
    assert not User.objects.filter(email="sanne@zorggroepnoord.example").exists()


@pytest.mark.parametrize("token", ["verkeerd", "x" * 43, "a" * 500])
def test_a_wrong_token_is_a_friendly_404(token, organisation_a):
    response = Client().get(reverse("werkgevers:invitation_accept", args=[token]))

    assert response.status_code == 404
    assert "We herkennen deze uitnodigingslink niet." in response.content.decode()


def test_the_password_page_without_a_link_in_the_session_is_404():
    response = Client().get(reverse("werkgevers:invitation_accept", args=["wachtwoord-kiezen"]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("password", "again", "error"),
    [
        ("kort-1", "kort-1", "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."),
        ("123456789012345", "123456789012345", "Dit wachtwoord bevat alleen cijfers."),
        ("Zorgzaam-Portaal-2026", "Zorgzaam-Portaal-2027", "De twee wachtwoordvelden komen niet overeen."),
        ("", "", "Dit veld is verplicht."),
    ],
)
def test_a_weak_or_mistyped_password_gets_a_dutch_error_and_the_link_still_works(
    client_a, organisation_a, django_capture_on_commit_callbacks, password, again, error
):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    client = Client()
    form_url = client.get(link_in(mail.outbox[0]))["Location"]

    response = client.post(form_url, {"new_password1": password, "new_password2": again})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.filter(email="sanne@zorggroepnoord.example").exists()
    assert Invitation.objects.get().accepted_at is None
    assert client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302


def test_an_employer_of_the_same_organisation_gets_a_new_password(
    client_a, organisation_a, django_capture_on_commit_callbacks
):
    existing = EmployerUserFactory(email="sanne@zorggroepnoord.example", organisation=organisation_a, is_active=False)
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)

    _client, page, response = accept(link_in(mail.outbox[0]))

    assert "Je had al een account: het nieuwe wachtwoord vervangt het oude." in page.content.decode()
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD) and existing.is_active
    assert User.objects.filter(email__iexact="sanne@zorggroepnoord.example").count() == 1


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("coordinator", "Dit e-mailadres hoort al bij een coördinator of beheerder van het portaal."),
        ("administrator", "Dit e-mailadres hoort al bij een coördinator of beheerder van het portaal."),
        ("employer_elsewhere", "Dit e-mailadres hoort al bij een gebruiker van een andere organisatie."),
    ],
)
def test_an_address_of_staff_or_of_another_organisation_is_refused_at_invitation_time(
    client_a, organisation_a, region_a, django_capture_on_commit_callbacks, who, error
):
    if who == "coordinator":
        CoordinatorFactory(email="bezet@zorg.example", regions=[region_a])
    elif who == "administrator":
        EmployerUserFactory(email="bezet@zorg.example", role=User.Role.ADMINISTRATOR)
    else:
        EmployerUserFactory(email="bezet@zorg.example", organisation=OrganisationFactory(home_region=region_a))

    response = invite(client_a, organisation_a, django_capture_on_commit_callbacks, email="BEZET@zorg.example")

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_an_address_taken_after_the_invitation_is_refused_on_accepting(
    client_a, organisation_a, region_a, django_capture_on_commit_callbacks
):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    CoordinatorFactory(email="sanne@zorggroepnoord.example", regions=[region_a])

    client = Client()
    form_url = client.get(link_in(mail.outbox[0]))["Location"]
    page = client.get(form_url)
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert page.status_code == 409
    assert response.status_code == 409
    assert "Dit e-mailadres hoort al bij een coördinator of beheerder van het portaal." in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert User.objects.get(email="sanne@zorggroepnoord.example").role == User.Role.COORDINATOR


def test_a_new_invitation_replaces_the_open_one(client_a, organisation_a, django_capture_on_commit_callbacks):
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    invite(client_a, organisation_a, django_capture_on_commit_callbacks)
    old_link, new_link = link_in(mail.outbox[0]), link_in(mail.outbox[1])

    assert Client().get(old_link).status_code == 410
    assert Client().get(new_link).status_code == 302
    page = client_a.get(reverse("werkgevers:organisation_detail", args=[organisation_a.pk])).content.decode()
    open_invitations = page[page.index("Openstaande uitnodigingen") : page.index("Gebruiker uitnodigen")]
    assert open_invitations.count("sanne@zorggroepnoord.example") == 1


def test_an_administrator_invites_for_any_organisation(
    administrator_client, organisation_b, django_capture_on_commit_callbacks
):
    response = invite(
        administrator_client, organisation_b, django_capture_on_commit_callbacks, email="jan@utrecht.example"
    )

    assert response.status_code == 302
    assert Invitation.objects.get().organisation == organisation_b
    assert "Contactpunt Utrecht nodigt je uit" in mail.outbox[0].body
