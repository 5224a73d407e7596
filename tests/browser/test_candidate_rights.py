"""A candidate without an account: asks for a personal link, opens it from the e-mail in the outbox,
sees where they stand, downloads their data and erases it.

The pages are checked with axe-core (no serious or critical WCAG 2.1 A/AA violations).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contactpunt.models import OutboxMail
from kandidaten.factories import CandidateFactory
from kandidaten.models import Candidate

from .axe import axe_violations, describe_violations

pytestmark = pytest.mark.browser

EMAIL = "sanne.dekker@example.org"


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, where)


def test_a_candidate_requests_the_link_downloads_their_data_and_erases_it(page, region_a):
    candidate = CandidateFactory(first_name="Sanne", last_name="Dekker", email=EMAIL, region=region_a)

    # The privacy statement points to the page; the person asks for a link there.
    page.goto("/privacy/")
    page.get_by_role("main").get_by_role("link", name="Mijn gegevens", exact=True).click()
    expect(page).to_have_url(re.compile(r"/mijn-gegevens/$"))
    assert_accessible(page, "the link request")
    page.get_by_label("Je e-mailadres").fill("Sanne.Dekker@example.org")
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()

    # The link from the e-mail; the address bar loses the token at once.
    mail = OutboxMail.objects.get(to=EMAIL)
    link = re.search(r"https?://\S+/mijn-gegevens/link/\S+/", mail.body_text).group(0)
    token = link.rstrip("/").rsplit("/", 1)[1]
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/mijn-gegevens/openen/$"))
    assert token not in page.url
    page.get_by_role("button", name="Mijn gegevens openen").click()

    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()
    expect(page.locator("#plain-status")).to_have_text("Ontvangen")
    assert_accessible(page, "the overview")

    # The download.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["candidate"]["email"] == EMAIL
    assert data["candidate"]["first_name"] == "Sanne"

    # Erasure, with the confirmation step.
    page.get_by_role("link", name="Mijn gegevens verwijderen").click()
    assert_accessible(page, "the erasure page")
    page.get_by_role("button", name="Mijn gegevens verwijderen").click()
    expect(
        page.get_by_text("Vink het vakje aan om te bevestigen dat je gegevens verwijderd mogen worden.").first
    ).to_be_visible()
    page.get_by_label("Ja, verwijder mijn gegevens. Ik begrijp dat dit niet ongedaan kan worden gemaakt.").check()
    page.get_by_role("button", name="Mijn gegevens verwijderen").click()
    expect(page.get_by_role("heading", name="Je gegevens zijn verwijderd")).to_be_visible()

    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.erased_at is not None
    assert candidate.email == "" and candidate.first_name == ""

    # The session has ended: the personal pages ask for a new link.
    after = page.request.get("/mijn-gegevens/overzicht/")
    assert after.status == 403
    assert "Open je persoonlijke link opnieuw" in after.text()
    assert EMAIL not in after.text()
