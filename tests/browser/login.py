"""Logging in through the real pages, with the code step for those who need it.

`log_in(page, email)` types the e-mail address and password; for a coordinator or administrator (or an
employer with an app) it then types the code their authenticator app would show, computed from the
device's secret (the device is made if the user has none, as if they had set up the app before).
"""

from __future__ import annotations

from playwright.sync_api import expect

from contactpunt.models import User
from contactpunt.testing import totp_code, totp_device
from contactpunt.two_factor import has_two_factor, requires_two_factor

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


def log_in(page, email: str, password: str = PASSWORD) -> None:
    user = User.objects.get(email=email)
    device = totp_device(user) if requires_two_factor(user) or has_two_factor(user) else None
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Voer je code in")
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("button", name="Inloggen")).to_have_count(0)
