"""Brute force: an account locks after 5 wrong passwords (django-axes), logins and resets are limited per IP."""

import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from contactpunt.models import OutboxMail

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set
LOGIN = "/accounts/login/"


def attempt(client: Client, email: str, password: str, ip: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def employer_email(employer_a):
    return employer_a.email


@pytest.mark.parametrize("persona", ["coordinator_a", "employer_a", "administrator"])
def test_five_wrong_passwords_lock_the_account_with_a_dutch_page(client, request, persona):
    user = request.getfixturevalue(persona)
    for _ in range(4):
        assert attempt(client, user.email, "fout-wachtwoord").status_code == 200

    fifth = attempt(client, user.email, "fout-wachtwoord")

    assert fifth.status_code == 429
    content = fifth.content.decode()
    assert "Account tijdelijk geblokkeerd" in content
    assert "kan er tot " in content
    assert 'href="/accounts/password_reset/"' in content
    # Now even the right password does not get in, from any connection.
    right = attempt(Client(), user.email, PASSWORD, ip="198.51.100.7")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_lockout_page_says_until_when_in_amsterdam_time(coordinator_a):
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:  # 11:00 in Amsterdam
        for _ in range(4):
            attempt(Client(), coordinator_a.email, "fout")
        traveller.shift(7 * 60 + 30)
        fifth = attempt(Client(), coordinator_a.email, "fout")  # the last failure: 11:07:30

        assert fifth.status_code == 429
        text = page_text(fifth)
        assert (
            "Het wachtwoord was te vaak fout. Om het account te beschermen kan er tot 11:38 niet worden ingelogd."
            in text
        )
        # What the tester read: an e-mail that had not been sent, and only "30 minutes".
        assert "Weet je je wachtwoord niet meer? Vraag een nieuw wachtwoord aan: met de link die je dan per " in text
        assert "e-mail krijgt, kun je meteen weer inloggen." in text
        assert "link in de e-mail" not in text and "30 minuten" not in text
        assert re.search(
            r'<a class="btn btn-brand" href="/accounts/password_reset/">\s*Vraag een nieuw wachtwoord aan',
            fifth.content.decode(),
        )

        traveller.shift(12 * 60)  # a try during the lockout does not move the time
        assert "kan er tot 11:38 niet worden ingelogd" in page_text(attempt(Client(), coordinator_a.email, PASSWORD))

        traveller.move_to("2026-12-03 10:37:00 +0000")  # 11:37: still locked
        assert attempt(Client(), coordinator_a.email, PASSWORD).status_code == 429
        traveller.move_to("2026-12-03 10:38:00 +0000")  # 11:38, the time on the page: open
        assert attempt(Client(), coordinator_a.email, PASSWORD).status_code == 302


def test_the_time_follows_axes_when_the_failures_came_from_several_connections(coordinator_a):
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:
        for _ in range(3):
            attempt(Client(), coordinator_a.email, "fout", ip="192.0.2.10")
        traveller.shift(10 * 60)
        attempt(Client(), coordinator_a.email, "fout", ip="198.51.100.7")
        fifth = attempt(Client(), coordinator_a.email, "fout", ip="198.51.100.7")

        # The three of 11:00 drop off just after 11:30; the two of 11:10 alone do not lock.
        assert "kan er tot 11:31 niet worden ingelogd" in page_text(fifth)
        traveller.move_to("2026-12-03 10:30:00 +0000")
        assert attempt(Client(), coordinator_a.email, PASSWORD, ip="203.0.113.5").status_code == 429
        traveller.move_to("2026-12-03 10:31:00 +0000")
        assert attempt(Client(), coordinator_a.email, PASSWORD, ip="203.0.113.5").status_code == 302


def test_a_lockout_past_midnight_says_tomorrow(coordinator_a):
    with time_machine.travel("2026-12-03 22:50:00 +0000", tick=False):  # 23:50 in Amsterdam
        for _ in range(5):
            fifth = attempt(Client(), coordinator_a.email, "fout")

    assert "kan er tot morgen 00:21 niet worden ingelogd" in page_text(fifth)


def test_without_the_time_the_page_says_at_most_thirty_minutes(client, coordinator_a, monkeypatch):
    monkeypatch.setattr("contactpunt.auth_views.lockout_ends_at", lambda request, credentials=None: None)
    for _ in range(5):
        fifth = attempt(client, coordinator_a.email, "fout")

    assert fifth.status_code == 429
    assert "kan er even niet worden ingelogd; over ten hoogste 30 minuten kan het weer." in page_text(fifth)


def test_the_lockout_counts_the_address_however_it_is_typed(client, coordinator_a):
    for typed in [
        "coordinator.a@contactpunt.example",
        " Coordinator.A@contactpunt.example",
        "COORDINATOR.A@CONTACTPUNT.EXAMPLE",
        "coordinator.a@Contactpunt.Example",
    ]:
        attempt(client, typed, "fout")
    attempt(client, "coordinator.a@contactpunt.example ", "fout")
    assert attempt(client, "Coordinator.a@Contactpunt.example", PASSWORD).status_code == 429


def test_the_lock_opens_after_thirty_minutes(coordinator_a):
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:
        for _ in range(5):
            attempt(Client(), coordinator_a.email, "fout")
        traveller.shift(29 * 60)
        assert attempt(Client(), coordinator_a.email, PASSWORD).status_code == 429
        traveller.shift(2 * 60)
        opened = attempt(Client(), coordinator_a.email, PASSWORD)
    assert opened.status_code == 302


def test_tries_during_the_lockout_do_not_make_it_longer(coordinator_a):
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:
        for _ in range(5):
            attempt(Client(), coordinator_a.email, "fout")
        for _ in range(3):
            traveller.shift(10 * 60)
            attempt(Client(), coordinator_a.email, "fout")
        traveller.shift(61)
        assert attempt(Client(), coordinator_a.email, PASSWORD).status_code == 302


def test_four_wrong_passwords_then_the_right_one_starts_counting_again(client, employer_a):
    for _ in range(4):
        attempt(client, employer_a.email, "fout")
    assert attempt(client, employer_a.email, PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        assert attempt(other, employer_a.email, "fout").status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()


def test_one_account_locked_leaves_the_others_alone(coordinator_a, coordinator_b):
    for _ in range(5):
        attempt(Client(), coordinator_a.email, "fout")

    assert attempt(Client(), coordinator_b.email, PASSWORD).status_code == 302


def test_an_unknown_address_is_counted_like_a_known_one(client):
    for _ in range(4):
        assert attempt(client, "onbekend@example.org", "fout").status_code == 200
    assert attempt(client, "onbekend@example.org", "fout").status_code == 429


def test_a_new_password_by_e_mail_opens_the_lock(client, coordinator_a, django_capture_on_commit_callbacks):
    import re

    for _ in range(5):
        attempt(client, coordinator_a.email, "fout")
    client.post("/accounts/password_reset/", {"email": coordinator_a.email})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "paarse-olifant-zingt-2026", "new_password2": "paarse-olifant-zingt-2026"},
    )

    assert attempt(Client(), coordinator_a.email, "paarse-olifant-zingt-2026").status_code == 302


def test_no_address_or_password_is_written_to_the_log(client, coordinator_a, caplog):
    for _ in range(5):
        attempt(client, coordinator_a.email, "geheim-fout-wachtwoord")

    assert caplog.records, "axes reports failures and the lockout"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "coordinator.a" not in logged
    assert "geheim-fout-wachtwoord" not in logged
    assert "192.0.2.10" not in logged
    stored = AccessAttempt.objects.get()
    assert "geheim-fout-wachtwoord" not in stored.post_data


# Per IP ---------------------------------------------------------------------------------------


def test_logins_from_one_connection_are_limited(settings, coordinator_a, employer_a):
    settings.LOGIN_RATE_LIMIT = "3/15m"
    client = Client()
    for email in ["a@example.org", "b@example.org", "c@example.org"]:
        assert attempt(client, email, "fout").status_code == 200

    refused = attempt(client, employer_a.email, PASSWORD)

    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another connection is not affected.
    assert attempt(Client(), employer_a.email, PASSWORD, ip="198.51.100.7").status_code == 302


def test_password_reset_requests_from_one_connection_are_limited(settings, client, coordinator_a):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    for email in ["a@example.org", "b@example.org"]:
        assert client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR="192.0.2.20").status_code == 302

    refused = client.post("/accounts/password_reset/", {"email": coordinator_a.email}, REMOTE_ADDR="192.0.2.20")

    assert refused.status_code == 429
    assert mail.outbox == []


def test_reset_mails_to_one_address_are_limited_without_telling(settings, client, coordinator_a):
    settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT = "2/h"
    answers = []
    for index in range(4):
        response = client.post(
            "/accounts/password_reset/", {"email": coordinator_a.email}, REMOTE_ADDR=f"192.0.2.{30 + index}"
        )
        answers.append((response.status_code, response["Location"]))

    # The same answer every time, known address or not, limited or not; two mails only.
    unknown = client.post("/accounts/password_reset/", {"email": "onbekend@example.org"}, REMOTE_ADDR="192.0.2.99")
    assert set(answers) == {(302, "/accounts/password_reset/done/")}
    assert (unknown.status_code, unknown["Location"]) == (302, "/accounts/password_reset/done/")
    assert len(mail.outbox) == 2
    assert not OutboxMail.objects.exists()  # Django's reset mail is sent directly, not through the outbox


def test_the_admin_login_shares_the_per_ip_limit_and_the_lockout(settings, administrator):
    settings.LOGIN_RATE_LIMIT = "3/15m"
    client = Client()
    for _ in range(3):
        attempt(client, "a@example.org", "fout")
    refused = client.post(
        "/admin/login/?next=/admin/", {"username": administrator.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_counts_wrong_passwords_per_account(administrator):
    for _ in range(5):
        Client().post("/admin/login/", {"username": administrator.email, "password": "fout"}, REMOTE_ADDR="192.0.2.11")

    response = Client().post(
        "/admin/login/", {"username": administrator.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.12"
    )

    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
