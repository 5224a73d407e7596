"""A user hears by e-mail when their password or e-mail address changes, whoever changed it."""

import re

import pytest
from django.core import mail
from django.test import Client

from contactpunt.mail import send_mail_once
from contactpunt.models import OutboxMail, User
from contactpunt.testing import log_in

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set
NEW_PASSWORD = "paarse-olifant-zingt-2026"


def queued(to: str | None = None) -> list[OutboxMail]:
    mails = OutboxMail.objects.order_by("pk")
    return list(mails.filter(to=to) if to else mails)


@pytest.mark.parametrize("persona", ["coordinator_a", "employer_a", "administrator"])
def test_changing_the_password_sends_a_dutch_mail(request, persona, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(persona)
    client = log_in(Client(), user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password_change/",
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Je wachtwoord voor het portaal van het contactpunt is gewijzigd"
    assert "is gewijzigd op" in message.body
    assert "Was jij dit niet?" in message.body
    assert "/accounts/password_reset/" in message.body
    assert NEW_PASSWORD not in message.body and NEW_PASSWORD not in message.alternatives[0][0]
    # Still logged in after the change, on the same (verified) session.
    assert client.get("/meldingen/").status_code == 200


def test_a_refused_password_change_sends_nothing(client_a):
    client_a.post(
        "/accounts/password_change/",
        {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert queued() == []


def test_a_reset_password_sends_the_mail_too(client, employer_a):
    client.post("/accounts/password_reset/", {"email": employer_a.email})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)

    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert [(m.to, m.subject) for m in queued()] == [
        (employer_a.email, "Je wachtwoord voor het portaal van het contactpunt is gewijzigd")
    ]


@pytest.mark.parametrize("persona", ["coordinator_a", "employer_a", "administrator"])
def test_changing_the_e_mail_address_tells_the_old_and_the_new_address(request, persona):
    user = request.getfixturevalue(persona)
    old = user.email
    client = log_in(Client(), user)

    response = client.post(
        "/account/e-mailadres/", {"email": " Nieuw.Adres@Voorbeeld.nl ", "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert "Je e-mailadres is gewijzigd" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "nieuw.adres@voorbeeld.nl"
    mails = queued()
    assert [m.to for m in mails] == [old, "nieuw.adres@voorbeeld.nl"]
    for outgoing in mails:
        assert outgoing.subject == "Het e-mailadres van je account op het portaal van het contactpunt is gewijzigd"
        assert f"van {old} in nieuw.adres@voorbeeld.nl" in outgoing.body_text
    # The mail really goes out through the outbox.
    assert send_mail_once(mails[0].pk)
    assert mail.outbox[-1].to == [old]
    # And the new address logs in.
    assert (
        Client().post("/accounts/login/", {"username": "nieuw.adres@voorbeeld.nl", "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "coordinator.b@contactpunt.example", "password": PASSWORD}, "hoort bij een ander account"),
        ({"email": "Coordinator.A@contactpunt.example", "password": PASSWORD}, "Dit is al je e-mailadres"),
        ({"email": "nieuw@voorbeeld.nl", "password": "fout"}, "niet je huidige wachtwoord"),
        ({"email": "geen-adres", "password": PASSWORD}, "geldig e-mailadres"),
        ({"email": "", "password": ""}, "Dit veld is verplicht"),
    ],
)
def test_a_refused_e_mail_change_says_why_and_changes_nothing(client_a, coordinator_a, coordinator_b, data, error):
    response = client_a.post("/account/e-mailadres/", data)

    assert response.status_code == 200
    assert error in response.content.decode()
    coordinator_a.refresh_from_db()
    assert coordinator_a.email == "coordinator.a@contactpunt.example"
    assert queued() == []


def test_an_administrator_changing_someones_address_in_the_admin_tells_them(administrator_client, employer_a):
    page = administrator_client.get(f"/admin/contactpunt/user/{employer_a.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        email="nieuw.werkgever@zorg.example",
        regions=[],
        groups=[],
        user_permissions=[],
        last_login_0="",
        last_login_1="",
        date_joined_0=employer_a.date_joined.strftime("%d-%m-%Y"),
        date_joined_1=employer_a.date_joined.strftime("%H:%M:%S"),
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}

    response = administrator_client.post(f"/admin/contactpunt/user/{employer_a.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert User.objects.get(pk=employer_a.pk).email == "nieuw.werkgever@zorg.example"
    assert [m.to for m in queued()] == ["werkgever.a@zorg.example", "nieuw.werkgever@zorg.example"]


def test_an_administrator_setting_someones_password_in_the_admin_tells_them(administrator_client, employer_a):
    response = administrator_client.post(
        f"/admin/contactpunt/user/{employer_a.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=employer_a.pk).check_password(NEW_PASSWORD)
    assert [(m.to, m.subject) for m in queued()] == [
        (employer_a.email, "Je wachtwoord voor het portaal van het contactpunt is gewijzigd")
    ]
