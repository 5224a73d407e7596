"""An employer creates and publishes an open day; a visitor finds it in the agenda and signs up; the
employer sees the registration.

The offer form, the agenda and the activity page with the sign-up form are checked with axe-core:
no serious or critical WCAG 2.1 A/AA violations. The visitor uses a browser context of their own (no
cookies of the employer), watched for console errors and CSP violations like the employer's page.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from werkgevers.factories import ContactPersonFactory
from werkgevers.models import Offer, OfferKind, Registration

from .axe import axe_violations, describe_violations
from .conftest import REPORT_CSP_VIOLATIONS, BrowserProblems

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set
TITLE = "Open huis De Linde"


def datetime_local(moment: datetime) -> str:
    """The value a type=datetime-local input takes: ISO, local time, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def watched_page(browser, base_url: str, problems: BrowserProblems):
    """A page in a fresh browser context, reporting console errors and CSP violations like the fixture's."""
    context = browser.new_context(base_url=base_url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text} ({page.url})") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error} ({page.url})"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    return context, page


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, where)


def test_an_open_day_goes_from_the_employer_through_the_agenda_to_a_sign_up(
    page, live_server, browser_problems, organisation_a, employer_a
):
    ContactPersonFactory(organisation=organisation_a, name="Petra Veenstra", email="petra@noord.example")
    day = timezone.localdate() + timedelta(days=21)
    starts = timezone.make_aware(datetime.combine(day, time(14, 0)))

    # The employer logs in and goes to Aanbod.
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("werkgever.a@zorg.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanbod").click()
    expect(page).to_have_url(re.compile(r"/werkgever/aanbod/$"))

    # New offer: first the kind, then the form of an open day.
    page.get_by_role("link", name="Nieuw aanbod").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat wil je aanbieden?")
    page.get_by_role("link", name=re.compile(r"^Open huis")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw aanbod: Open huis")
    assert_accessible(page, "the offer form /werkgever/aanbod/nieuw/?soort=open_huis")

    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Beschrijving").fill("Kom kijken hoe wij werken en praat met onze verzorgenden.")
    page.get_by_label("Branche").select_option(label="VVT / ouderenzorg")
    page.get_by_label("Begin (datum en tijd)").fill(datetime_local(starts))
    page.get_by_label("Einde (datum en tijd)").fill(datetime_local(starts + timedelta(hours=2)))
    page.get_by_label("Aantal plaatsen").fill("12")
    page.get_by_label("Locatie").select_option(label="De Linde, Groningen")
    page.get_by_label("Contactpersoon").select_option(label="Petra Veenstra")
    page.get_by_label("Openbare agenda en regiocoördinatoren").check()
    page.get_by_role("button", name="Bewaren als concept").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Het aanbod is bewaard als concept.")
    offer = Offer.objects.get(title=TITLE)
    assert (offer.organisation, offer.kind, offer.status) == (organisation_a, OfferKind.OPEN_HUIS, Offer.Status.DRAFT)
    assert (offer.starts_at, offer.capacity) == (starts, 12)

    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator("main")).to_contain_text("Het aanbod is gepubliceerd: het staat in de openbare agenda")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED

    # A visitor, in a browser context of their own, finds it in the agenda and signs up.
    context, visitor = watched_page(page.context.browser, live_server.url, browser_problems)
    try:
        visitor.goto("/agenda/")
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "Agenda: activiteiten om zorg en welzijn te leren kennen"
        )
        card = visitor.get_by_role("article").filter(has_text=TITLE)
        expect(card).to_contain_text("Zorggroep Noord")
        expect(card).to_contain_text("Groningen")
        assert_accessible(visitor, "the agenda /agenda/")

        card.get_by_role("link", name=TITLE).click()
        expect(visitor).to_have_url(re.compile(rf"/agenda/{offer.pk}/$"))
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        assert_accessible(visitor, f"the activity page with the sign-up form /agenda/{offer.pk}/")

        visitor.get_by_role("textbox", name=re.compile(r"^Voornaam")).fill("Sanne")
        visitor.get_by_role("textbox", name=re.compile(r"^Achternaam")).fill("de Wit")
        visitor.get_by_role("textbox", name=re.compile(r"^E-mailadres")).fill("sanne.dewit@example.org")
        visitor.get_by_role("textbox", name=re.compile(r"^Telefoonnummer")).fill("06 34567890")
        visitor.get_by_role("textbox", name=re.compile(r"^Postcode")).fill("9712 cd")
        visitor.get_by_label("Ik vind het goed dat de werkgever mijn naam").check()
        visitor.get_by_role("button", name="Meld me aan").click()

        expect(visitor.get_by_role("heading", level=1)).to_have_text("Je bent aangemeld")
        expect(visitor.locator("main")).to_contain_text("Bedankt, Sanne. Je plek is gereserveerd.")
    finally:
        context.close()
    registration = Registration.objects.select_related("candidate").get(offer=offer)
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.candidate.email, registration.candidate.region) == (
        "sanne.dewit@example.org",
        organisation_a.home_region,
    )

    # The employer sees the registration on the activity's page of sign-ups.
    page.reload()
    page.get_by_role("link", name="Bekijk wie zich heeft aangemeld").click()
    expect(page).to_have_url(re.compile(rf"/werkgever/aanbod/{offer.pk}/aanmeldingen/$"))
    row = page.get_by_role("row").filter(has_text="Sanne de Wit")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("sanne.dewit@example.org")
    expect(page.locator("main")).to_contain_text("1 van 12 plaatsen bezet")
