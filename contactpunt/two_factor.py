"""Two-step verification (tweestapsverificatie): a TOTP app plus ten single-use recovery codes.

Coordinators and administrators must verify after their password before they reach any page;
employers may switch it on for themselves. Devices are django-otp's: one confirmed TOTPDevice
(the authenticator app) and one StaticDevice holding the unused recovery codes.
"""

from __future__ import annotations

import re
from base64 import b32encode
from binascii import unhexlify

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"
_SEPARATORS = re.compile(r"[\s-]+")


class Throttled(Exception):
    """Too many wrong codes in a row: the next try is allowed only after a pause."""

    def __init__(self, locked_until) -> None:
        super().__init__("throttled")
        self.locked_until = locked_until


def requires_two_factor(user: User) -> bool:
    """Coordinators and administrators see candidates' personal data: for them it is not optional."""
    return bool(user.is_authenticated and user.works_candidates)


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_two_factor(user: User) -> bool:
    """Whether the user has a confirmed authenticator app (known without a query for request.user)."""
    if hasattr(user, "totp_device_pk"):
        return user.totp_device_pk is not None
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_verification(user: User) -> bool:
    """Whether this logged-in user must enter a code before using the portal (None: not logged in)."""
    if not user.is_authenticated or user.is_verified():
        return False
    return requires_two_factor(user) or has_two_factor(user)


def normalize_code(code: str) -> str:
    """What the person typed, without spaces or dashes, in lower case (recovery codes are lower case)."""
    return _SEPARATORS.sub("", code or "").lower()


def verify_code(user: User, code: str) -> Device | None:
    """The device that accepts `code`: the app's six digits or an unused recovery code (used up here).

    Raises Throttled when the device(s) that would check the code are still pausing after wrong codes.
    """
    code = normalize_code(code)
    if not code:
        return None
    if code.isdigit():
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
    throttled_until = None
    with transaction.atomic():
        for device in candidates.select_for_update().order_by("pk"):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                    throttled_until = details["locked_until"]
                continue
            if device.verify_token(code):
                return device
    if throttled_until is not None:
        raise Throttled(throttled_until)
    return None


def mark_verified(request: HttpRequest, device: Device) -> None:
    """Record in the session that this login was verified with `device` (django-otp's session key)."""
    otp_login(request, device)


def start_setup(user: User) -> TOTPDevice:
    """The unconfirmed app device being set up: reused while the person scans, so the QR stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_setup(user: User, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the app device being set up with a code from the app; returns it and new recovery codes.

    The earlier app (a previous phone) stops working; the old recovery codes are replaced.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(normalize_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh single-use recovery codes; the ones handed out before stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def switch_off(user: User) -> None:
    """Remove the app and the recovery codes (employers only: for the others it is required)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(unhexlify(device.key)).decode().rstrip("=")


def secret_for_people(device: TOTPDevice) -> str:
    """The secret in groups of four, as authenticator apps show it when typed in by hand."""
    secret = secret_base32(device)
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The app's configuration link as a QR code: an SVG data URI for an <img> (no inline script or style)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
