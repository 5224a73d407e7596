"""`make run` for a newcomer: demo coordinators and the administrator log in with the printed demo key."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from contactpunt.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_totp_key,
    demo_totp_url,
    ensure_demo_devices,
    ensure_regions,
    ensure_users,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(db):
    users = ensure_users(ensure_regions())
    ensure_demo_devices(users)
    return users


def test_every_demo_coordinator_and_the_administrator_get_the_demo_key_and_employers_nothing(demo_users):
    for user in demo_users:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if user.works_candidates:
            assert [device.key for device in devices] == [demo_totp_key()], user.email
        else:
            assert not devices.exists(), user.email


def test_running_it_again_changes_nothing_and_puts_the_demo_key_back(demo_users):
    coordinator = next(user for user in demo_users if user.is_coordinator)
    TOTPDevice.objects.filter(user=coordinator).update(key="00" * 20)  # someone set up their own app
    count = TOTPDevice.objects.count()

    ensure_demo_devices(demo_users)
    ensure_demo_devices(demo_users)

    assert TOTPDevice.objects.count() == count
    assert TOTPDevice.objects.get(user=coordinator).key == demo_totp_key()


def test_the_demo_code_command_prints_the_code_that_logs_a_demo_coordinator_in(demo_users):
    coordinator = next(user for user in demo_users if user.is_coordinator)
    out, err = io.StringIO(), io.StringIO()
    call_command("demo_code", stdout=out, stderr=err)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert re.search(r"Nog (1 seconde|\d+ seconden) geldig", err.getvalue())

    client = Client()
    client.post("/accounts/login/", {"username": coordinator.email, "password": DEMO_PASSWORD})
    response = client.post("/accounts/code/", {"code": code, "next": "/dashboard/"})

    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_the_printed_key_and_qr_link_are_what_an_app_needs():
    key = bytes.fromhex(demo_totp_key())
    assert len(DEMO_TOTP_SECRET) == 32 and len(key) == 20
    assert demo_totp_url().startswith("otpauth://totp/Contactpunt%20Zorg%20en%20Welzijn%3Ademo?")
    assert f"secret={DEMO_TOTP_SECRET}" in demo_totp_url()
