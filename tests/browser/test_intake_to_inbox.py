"""A candidate signs up in a real browser; the coordinator of that region finds them in the inbox.

Both pages are checked with axe-core: no serious or critical WCAG 2.1 A/AA violations.
"""

import re

import pytest
from playwright.sync_api import expect

from kandidaten.models import Candidate, Status

from .axe import axe_violations, describe_violations
from .login import log_in

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


def test_a_sign_up_reaches_the_inbox_of_the_coordinator_of_the_region(page, region_a, region_b, coordinator_a):
    # The candidate, on the public intake form.
    page.goto("/aanmelden/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden voor werk in zorg en welzijn")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, "the intake form /aanmelden/")

    page.get_by_label("Voornaam").fill("Jolien")
    page.get_by_label("Achternaam").fill("Hoekstra")
    page.get_by_label("E-mailadres").fill("jolien.hoekstra@example.org")
    page.get_by_label("Telefoonnummer").fill("06 12345678")
    page.get_by_label("Postcode").fill("9711ab")
    page.get_by_label("Wat doe je nu?").select_option(label="Ik werk buiten zorg en welzijn")
    page.get_by_label("Wat is je hoogste afgeronde opleiding?").select_option(label="mbo niveau 2")
    page.get_by_label("VVT / ouderenzorg").check()
    page.get_by_label("Verzorgende IG (VIG)").check()
    page.get_by_label("Meeloopdag").check()
    page.get_by_label("BBL / werken en leren").check()
    page.get_by_label("Hoeveel uur per week wil je werken?").fill("24")
    page.get_by_label("tot 25 km").check()
    page.get_by_label("Hoe heb je over ons gehoord?").select_option(label="Campagne Ik Zorg")
    page.get_by_label("Het contactpunt mag contact met mij opnemen").check()
    page.get_by_role("button", name="Aanmelding versturen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt, Jolien!")
    expect(page.locator("main")).to_contain_text("Noord-Nederland")
    candidate = Candidate.objects.get(email="jolien.hoekstra@example.org")
    assert (candidate.postcode, candidate.phone, candidate.region) == ("9711 AB", "+31612345678", region_a)
    assert candidate.status == Status.NEW

    # The coordinator of Noord-Nederland logs in and searches the inbox by name.
    log_in(page, "coordinator.a@contactpunt.example", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inbox").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")

    # The inbox searches as you type (htmx); the search text never goes into the address bar.
    page.get_by_label("Zoeken", exact=True).fill("Hoekstra")
    row = page.get_by_role("row").filter(has_text="Jolien Hoekstra")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("9711 AB")
    expect(row).to_contain_text("Nieuw")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, "the inbox /dashboard/ (search results)")

    assert "Hoekstra" not in page.url
    row.get_by_role("link", name="Jolien Hoekstra").click()
    expect(page).to_have_url(re.compile(rf"/dashboard/kandidaten/{candidate.pk}/$"))
