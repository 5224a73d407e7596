"""Test helpers for logging in: a session that is verified with a real TOTP device, and its codes.

`log_in(client, user)` replaces `client.force_login(user)` in tests: for a user who must (or chose to)
enter a code, it also gives them a confirmed TOTP device and marks the session verified with it,
as the code page does, so tests reach pages exactly as a fully logged-in person would.
"""

from __future__ import annotations

import time

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import IDLE_SESSION_KEY
from .two_factor import APP_DEVICE_NAME, has_two_factor, requires_two_factor


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def totp_code(device: TOTPDevice, *, at: float | None = None, fresh: bool = True) -> str:
    """The code the app shows at `at` (now). With `fresh`, a code the device has not accepted yet: a
    second login in the same 30 seconds uses the next step's code (within the device's tolerance)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if fresh and totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(client: Client, user) -> Client:
    client.force_login(user)
    if requires_two_factor(user) or has_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        # As the first request after logging in would (contactpunt.middleware.IdleTimeoutMiddleware).
        session[IDLE_SESSION_KEY] = int(timezone.now().timestamp())
        session.save()
    return client


def export_rows(response) -> list[list]:
    """The rows of an exported file (contactpunt.exports), header first: CSV cells as text, Excel cells
    as their values. For tests of `?export=csv` and `?export=xlsx`."""
    import csv
    import io

    import openpyxl

    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8").removeprefix("\ufeff")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
