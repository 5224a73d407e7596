"""The campaign as its users meet it, in a real browser.

A visitor on a phone filters the story gallery, searches it, opens a story and follows its call to
action to the intake form, which arrives with the story's branch and function ticked. An employer
submits a story with a photo, a coordinator of the region publishes it, and the employer makes a
poster from it and downloads the PDF. The gallery and the story page are checked with axe-core (no
serious or critical WCAG 2.1 A/AA violations); the fixture fails the test on any console error or
CSP violation.
"""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from campagne.factories import PublishedStoryFactory
from campagne.models import LifeStage, Poster, Story
from contactpunt.models import Branch, Function

from .axe import axe_violations, describe_violations
from .login import log_in
from .test_employer_open_day import watched_page

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, where)


def _log_in(page, email: str) -> None:
    log_in(page, email, PASSWORD)


def _photo(tmp_path) -> str:
    """A camera-like JPEG with some texture (a plain colour would be too easy on the variants)."""
    image = Image.effect_mandelbrot((1600, 1200), (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    path = tmp_path / "IMG_2041.jpg"
    output = io.BytesIO()
    image.save(output, "JPEG", quality=88)
    path.write_bytes(output.getvalue())
    return str(path)


def test_a_visitor_filters_searches_opens_a_story_and_reaches_the_prefilled_intake(page, organisation_a):
    ggz = Branch.objects.get(slug="ggz")
    begeleider = Function.objects.get(slug="begeleider")
    PublishedStoryFactory(
        organisation=organisation_a,
        first_name="Fatima",
        branch=ggz,
        function=begeleider,
        life_stage=LifeStage.FIFTY_PLUS,
        quote="Na twintig jaar in de retail vond ik mijn plek in de ggz.",
        text="Ik begeleid mensen die weer grip op hun leven willen. De nachtdienst vind ik het mooist.",
    )
    PublishedStoryFactory(organisation=organisation_a, first_name="Daan", quote="Elke ochtend een praatje.")
    PublishedStoryFactory(organisation=organisation_a, first_name="Noor", quote="Jonge mensen laten groeien.")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/verhalen/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main article")).to_have_count(3)
    _assert_accessible(page, "the story gallery")

    page.locator("details.gallery-filters summary").click()  # on a phone the filters fold away
    page.locator("select[name=branch]").select_option(label=ggz.name)
    page.get_by_role("button", name="Toon verhalen").click()
    expect(page.locator("main article")).to_have_count(1)
    expect(page.locator("main article")).to_contain_text("Fatima")

    page.goto("/verhalen/")
    page.get_by_role("searchbox").first.fill("nachtdienst")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page.locator("main article")).to_have_count(1)
    page.locator("main article a").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Fatima")
    expect(page.locator("main")).to_contain_text("Na twintig jaar in de retail")
    assert page.locator('meta[property="og:image"]').count() == 1
    _assert_accessible(page, "the story page")

    page.get_by_role("link", name="Meld je aan", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"/aanmelden/\?"))
    expect(page.get_by_label(ggz.name)).to_be_checked()
    expect(page.get_by_label(begeleider.name, exact=True)).to_be_checked()


def test_an_employer_submits_a_story_a_coordinator_publishes_it_and_the_employer_makes_a_poster(
    page, live_server, browser_problems, organisation_a, employer_a, coordinator_a, tmp_path
):
    _log_in(page, "werkgever.a@zorg.example")
    page.goto("/werkgever/verhalen/nieuw/")
    page.locator("input[name=photo]").set_input_files(_photo(tmp_path))
    page.locator("[name=photo_alt]").fill("Ilse lacht in de tuin van de woonzorglocatie.")
    page.locator("[name=first_name]").fill("Ilse")
    page.locator("select[name=function]").select_option(label=Function.objects.get(slug="vig").name)
    page.locator("select[name=branch]").select_option(label=Branch.objects.get(slug="vvt").name)
    page.locator("select[name=education_path]").select_option(index=2)
    page.locator("select[name=life_stage]").select_option(index=4)
    page.locator("[name=quote]").fill("Ik ben op mijn veertigste overgestapt en heb er geen dag spijt van.")
    page.locator("[name=text]").fill("Eerst werkte ik in een kantoor. Via de BBL werd ik verzorgende IG.")
    page.locator("[name=tags]").fill("zij-instromer, bbl")
    page.locator("[name=consent_name]").fill("Ilse Bakker")
    page.locator("[name=consent_given_on]").fill(timezone.localdate().isoformat())
    page.locator("[name=consent_confirmed]").check()
    page.get_by_role("button", name="Opslaan en indienen").click()

    story = Story.objects.get(first_name="Ilse")
    assert story.status == Story.Status.SUBMITTED
    assert story.photo_status == Story.PhotoStatus.READY  # eager tasks: the variants are made after commit

    coordinator_context, coordinator = watched_page(page.context.browser, live_server.url, browser_problems)
    try:
        _log_in(coordinator, "coordinator.a@contactpunt.example")
        coordinator.goto("/dashboard/verhalen/")
        coordinator.get_by_role("link", name="Ilse").first.click()
        coordinator.get_by_role("button", name="Publiceer het verhaal").click()
        expect(coordinator.locator(".messages")).to_be_visible()
    finally:
        coordinator_context.close()
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED

    page.goto(f"/werkgever/posters/nieuw/?verhaal={story.pk}")
    page.get_by_role("button", name="Poster maken").click()
    expect(page.get_by_role("link", name="A4-poster (pdf, om te printen)")).to_be_visible(timeout=20_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="A4-poster (pdf, om te printen)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert Poster.objects.get(story=story).status == Poster.Status.DONE
