"""Two-step verification: required for coordinators and administrators, optional for employers."""

import re
import time
from base64 import b32decode

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from contactpunt import two_factor
from contactpunt.models import OutboxMail
from contactpunt.testing import log_in, totp_code, totp_device

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set
SETUP = "/accounts/tweestapsverificatie/instellen/"
VERIFY = "/accounts/code/"
CODES = "/accounts/tweestapsverificatie/herstelcodes/"
ACCOUNT = "/account/tweestapsverificatie/"


def password_login(client: Client, user, next_url: str = "") -> str:
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def code_from_secret(secret_text: str) -> str:
    """What an authenticator app shows for a key typed in by hand."""
    key = b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def queued_subjects() -> list[str]:
    return list(OutboxMail.objects.order_by("pk").values_list("subject", flat=True))


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)


# Who must, who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator_a", "administrator"])
def test_a_coordinator_or_administrator_without_an_app_is_sent_to_set_one_up(client, request, persona):
    user = request.getfixturevalue(persona)

    assert password_login(client, user) == SETUP + "?next=%2Fstart%2F"
    # Every page, not only the dashboard, leads there until the app is set up.
    for path in ["/dashboard/", "/", "/meldingen/", "/admin/", "/werkgever/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP), path


@pytest.mark.parametrize("persona", ["coordinator_a", "administrator"])
def test_with_an_app_the_code_is_asked_before_any_page(client, request, persona):
    user = request.getfixturevalue(persona)
    totp_device(user)

    assert password_login(client, user, "/dashboard/") == VERIFY + "?next=%2Fdashboard%2F"
    assert client.get("/dashboard/")["Location"] == VERIFY + "?next=%2Fdashboard%2F"
    page = client.get(VERIFY + "?next=%2Fdashboard%2F")
    assert page.status_code == 200
    assert "Voer je code in" in page.content.decode()

    response = client.post(VERIFY, {"code": totp_code(totp_device(user)), "next": "/dashboard/"})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_an_employer_without_two_step_verification_logs_in_with_the_password_only(client, employer_a):
    assert password_login(client, employer_a) == "/start/"
    assert client.get("/werkgever/").status_code == 200


def test_an_employer_who_switched_it_on_must_enter_the_code(client, employer_a):
    device = totp_device(employer_a)

    assert password_login(client, employer_a) == VERIFY + "?next=%2Fstart%2F"
    assert client.get("/werkgever/")["Location"].startswith(VERIFY)

    client.post(VERIFY, {"code": totp_code(device), "next": "/werkgever/"})

    assert client.get("/werkgever/").status_code == 200


def test_htmx_requests_are_told_to_go_to_the_code_page(client, coordinator_a):
    totp_device(coordinator_a)
    password_login(client, coordinator_a)

    response = client.get("/dashboard/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(VERIFY)


def test_logging_out_works_before_the_code(client, coordinator_a):
    totp_device(coordinator_a)
    password_login(client, coordinator_a)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for path in [VERIFY, SETUP, CODES, ACCOUNT]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# Setting up ----------------------------------------------------------------------------------


def test_setup_shows_a_qr_code_and_the_secret_and_gives_ten_recovery_codes_once(client, coordinator_a):
    password_login(client, coordinator_a)

    page = client.get(SETUP + "?next=%2Fdashboard%2F")
    content = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml[^"]+"', content)
    assert "<script" not in content.split("<main", 1)[1]
    secret = re.search(r'<code class="[^"]*" id="totp-secret">([A-Z2-7 ]+)</code>', content).group(1)
    # The same device (and QR code) while the person is still scanning.
    assert secret in client.get(SETUP).content.decode()

    response = client.post(SETUP, {"code": code_from_secret(secret), "next": "/dashboard/"})

    assert response.status_code == 302
    assert response["Location"] == CODES + "?next=%2Fdashboard%2F"
    codes_page = client.get(response["Location"]).content.decode()
    codes = recovery_codes_on(codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/dashboard/"' in codes_page
    # Shown once only.
    assert client.get(CODES)["Location"] == ACCOUNT
    # The session is verified now: the dashboard opens.
    assert client.get("/dashboard/").status_code == 200
    assert TOTPDevice.objects.get(user=coordinator_a).confirmed
    assert StaticToken.objects.filter(device__user=coordinator_a).count() == 10
    # And the person is told by mail.
    assert queued_subjects() == ["Tweestapsverificatie staat aan voor je account op het portaal van het contactpunt"]


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", "", "1" * 40])
def test_setup_refuses_a_wrong_code_and_keeps_the_same_secret(client, coordinator_a, code):
    password_login(client, coordinator_a)
    secret = two_factor.secret_for_people(two_factor.start_setup(coordinator_a))

    response = client.post(SETUP, {"code": code})

    assert response.status_code == 200
    content = response.content.decode()
    assert secret in content
    assert 'class="invalid-feedback' in content
    assert not TOTPDevice.objects.filter(user=coordinator_a, confirmed=True).exists()
    assert client.get("/dashboard/")["Location"].startswith(SETUP)


def test_someone_with_only_the_password_cannot_swap_in_their_own_app(client, coordinator_a):
    totp_device(coordinator_a)
    password_login(client, coordinator_a)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_a_new_phone_replaces_the_old_app_and_the_old_recovery_codes(coordinator_a):
    client = log_in(Client(), coordinator_a)
    old_device = totp_device(coordinator_a)
    old_codes = two_factor.new_recovery_codes(coordinator_a)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', client.get(SETUP).content.decode()).group(1)
    assert "Je voegt een nieuwe app toe" in client.get(SETUP).content.decode()

    response = client.post(SETUP, {"code": code_from_secret(secret)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert TOTPDevice.objects.filter(user=coordinator_a).count() == 1
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    assert queued_subjects() == []  # replacing is no switch on or off


# Verifying -----------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_in_dutch_and_the_pages_stay_closed(client, coordinator_a):
    device = totp_device(coordinator_a)
    password_login(client, coordinator_a)
    right = totp_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/dashboard/")["Location"].startswith(VERIFY)


def test_wrong_codes_in_a_row_make_the_next_try_wait(client, coordinator_a):
    device = totp_device(coordinator_a)
    password_login(client, coordinator_a)
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:
        client.post(VERIFY, {"code": "000001"})
        # Right away, even the right code is refused: the pause after a wrong code has not passed.
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert response.status_code == 429
        assert "Te veel verkeerde codes" in response.content.decode()
        traveller.shift(2)
        response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 302


def test_the_wait_after_wrong_codes_says_seconde_or_seconden(client, coordinator_a):
    device = totp_device(coordinator_a)
    password_login(client, coordinator_a)
    with time_machine.travel("2026-12-03 10:00:00 +0000", tick=False) as traveller:
        client.post(VERIFY, {"code": "000001"})  # one wrong code: a pause of one second

        response = client.post(VERIFY, {"code": totp_code(device)})

        assert response.status_code == 429
        content = response.content.decode()
        assert "Te veel verkeerde codes. Wacht 1 seconde en probeer het opnieuw." in content
        assert "1 seconden" not in content

        traveller.shift(1)
        client.post(VERIFY, {"code": "000001"})  # the second wrong code in a row: two seconds

        response = client.post(VERIFY, {"code": totp_code(device)})

        assert response.status_code == 429
        assert "Te veel verkeerde codes. Wacht 2 seconden en probeer het opnieuw." in response.content.decode()


def test_an_expired_code_is_refused(client, coordinator_a):
    device = totp_device(coordinator_a)
    password_login(client, coordinator_a)

    five_minutes_ago = totp_code(device, at=time.time() - 300, fresh=False)
    response = client.post(VERIFY, {"code": five_minutes_ago})

    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_code_cannot_be_used_twice(coordinator_a):
    device = totp_device(coordinator_a)
    code = totp_code(device)
    first, second = Client(), Client()
    password_login(first, coordinator_a)
    password_login(second, coordinator_a)

    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 200


def test_a_recovery_code_works_once(coordinator_a):
    totp_device(coordinator_a)
    codes = two_factor.new_recovery_codes(coordinator_a)
    first, second = Client(), Client()
    password_login(first, coordinator_a)
    password_login(second, coordinator_a)
    typed = f"  {codes[0][:4].upper()}-{codes[0][4:]} "  # as people type it: capitals, a dash, spaces

    response = first.post(VERIFY, {"code": typed, "next": "/dashboard/"}, follow=True)

    assert response.status_code == 200
    assert "nog 9 over" in response.content.decode()
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert second.get("/dashboard/")["Location"].startswith(VERIFY)


def test_the_code_page_does_not_follow_next_to_another_site(client, coordinator_a):
    device = totp_device(coordinator_a)
    password_login(client, coordinator_a)

    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://elders.example/"})

    assert response["Location"] == "/start/"


def test_the_code_field_brings_up_a_keyboard_with_letters_for_a_recovery_code(client, coordinator_a):
    totp_device(coordinator_a)
    password_login(client, coordinator_a)

    page = client.get(VERIFY).content.decode()

    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in field
    assert "inputmode" not in field  # a numeric keypad cannot type "thth-inmo"


def test_a_device_removed_by_an_administrator_ends_the_verified_session(coordinator_a):
    client = log_in(Client(), coordinator_a)
    assert client.get("/dashboard/").status_code == 200

    TOTPDevice.objects.filter(user=coordinator_a).delete()

    assert client.get("/dashboard/")["Location"].startswith(SETUP)


# The account page ----------------------------------------------------------------------------


def test_an_employer_switches_it_on_and_off_on_their_account_page(employer_a):
    client = log_in(Client(), employer_a)
    page = client.get(ACCOUNT).content.decode()
    assert "Uit." in page
    assert "Tweestapsverificatie aanzetten" in page

    setup_page = client.get(SETUP).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', setup_page).group(1)
    response = client.post(SETUP, {"code": code_from_secret(secret)})
    assert response["Location"] == CODES + "?next=%2Faccount%2Ftweestapsverificatie%2F"
    assert len(recovery_codes_on(client.get(response["Location"]).content.decode())) == 10
    page = client.get(ACCOUNT).content.decode()
    assert "Aan, met een authenticator-app" in page
    assert "10 ongebruikte herstelcodes" in page

    # Switching off takes a code, not a session alone.
    refused = client.post("/account/tweestapsverificatie/uitzetten/", {"code": "000000"})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=employer_a).exists()
    with time_machine.travel(time.time() + 31):
        device = TOTPDevice.objects.get(user=employer_a)
        response = client.post("/account/tweestapsverificatie/uitzetten/", {"code": totp_code(device)})
    assert response["Location"] == ACCOUNT
    assert not TOTPDevice.objects.filter(user=employer_a).exists()
    assert not StaticToken.objects.filter(device__user=employer_a).exists()
    assert Client().post("/accounts/login/", {"username": employer_a.email, "password": PASSWORD})["Location"] == (
        "/start/"
    )
    assert queued_subjects() == [
        "Tweestapsverificatie staat aan voor je account op het portaal van het contactpunt",
        "Tweestapsverificatie staat uit voor je account op het portaal van het contactpunt",
    ]


@pytest.mark.parametrize("persona", ["coordinator_a", "administrator"])
def test_coordinators_and_administrators_cannot_switch_it_off(request, persona):
    user = request.getfixturevalue(persona)
    client = log_in(Client(), user)
    assert "kan niet uit" in client.get(ACCOUNT).content.decode()

    response = client.post("/account/tweestapsverificatie/uitzetten/", {"code": totp_code(totp_device(user))})

    assert response["Location"] == ACCOUNT
    assert TOTPDevice.objects.filter(user=user).exists()


def test_new_recovery_codes_replace_the_old_ones(coordinator_a):
    client = log_in(Client(), coordinator_a)
    old = two_factor.new_recovery_codes(coordinator_a)

    response = client.post("/account/tweestapsverificatie/nieuwe-herstelcodes/")

    assert response["Location"] == CODES
    new = [code.replace("-", "") for code in recovery_codes_on(client.get(CODES).content.decode())]
    assert len(new) == 10
    assert set(new).isdisjoint(old)
    assert StaticToken.objects.filter(device__user=coordinator_a).count() == 10


def test_new_recovery_codes_need_a_verified_session(client, employer_a):
    totp_device(employer_a)
    password_login(client, employer_a)

    response = client.post("/account/tweestapsverificatie/nieuwe-herstelcodes/")

    assert response["Location"].startswith(VERIFY)
    assert not StaticToken.objects.filter(device__user=employer_a).exists()


def test_the_account_page_is_in_the_user_menu(employer_a_client):
    assert 'href="/account/tweestapsverificatie/"' in employer_a_client.get("/").content.decode()


# Query cost ----------------------------------------------------------------------------------


def test_a_verified_page_costs_no_extra_query_for_the_device(client_a, django_assert_max_num_queries):
    """The device ids come with the user (one query): django-otp's own lookup is not made."""
    with django_assert_max_num_queries(6) as queries:
        client_a.get("/meldingen/")
    assert not any("otp_totp_totpdevice" in q["sql"] and "contactpunt_user" not in q["sql"] for q in queries)


def test_before_the_code_the_menu_offers_only_logging_out(client, coordinator_a):
    totp_device(coordinator_a)
    password_login(client, coordinator_a)

    content = client.get(VERIFY).content.decode()
    header = content.split("<header>", 1)[1].split("</header>", 1)[0]

    assert 'href="/dashboard/"' not in header
    assert "Meldingen" not in header
    assert 'action="/accounts/logout/"' in header


def test_after_the_code_the_whole_menu_is_back(client_a):
    header = client_a.get("/").content.decode().split("<header>", 1)[1].split("</header>", 1)[0]

    assert 'href="/dashboard/"' in header
    assert "Meldingen" in header
