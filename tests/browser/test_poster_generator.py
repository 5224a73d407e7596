"""An employer makes a poster from a published story: the form, the page that follows the progress
(htmx polls until the poster is finished, then shows the previews and downloads) and a download.

The form and the poster page are checked with axe-core (no serious or critical WCAG 2.1 A/AA
violations); the fixture fails the test on any console error or CSP violation.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campagne import posters
from campagne.factories import PosterFactory, PublishedStoryFactory
from campagne.models import Poster

from .axe import axe_violations, describe_violations

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, where)


def test_an_employer_makes_a_poster_from_a_story_and_downloads_it(page, organisation_a, employer_a):
    story = PublishedStoryFactory(organisation=organisation_a, first_name="Anouk", quote="Ik zorg met hart en ziel.")
    _log_in(page, "werkgever.a@zorg.example")

    page.goto(f"/werkgever/posters/nieuw/?verhaal={story.pk}")
    expect(page.get_by_role("heading", name="Poster maken")).to_be_visible()
    expect(page.get_by_label("Quote")).to_have_value("Ik zorg met hart en ziel.")
    _assert_accessible(page, "the poster form")
    page.get_by_label("Quote").fill("Ik zorg met hart.")
    page.get_by_label("Nacht (donkerblauw en mint)").check()
    page.get_by_role("button", name="Poster maken").click()

    # Eager tasks (no Redis): the poster is drawn once the request commits.
    expect(page).to_have_url(re.compile(r"/posters/\d+/$"))
    expect(page.get_by_role("heading", name="Downloads")).to_be_visible()
    expect(page.get_by_role("img", name="A4-poster met de quote van Anouk")).to_be_visible()
    _assert_accessible(page, "the poster page")
    with page.expect_download() as download:
        page.get_by_role("link", name="A4-poster (pdf, om te printen)").click()
    assert download.value.suggested_filename == "poster-a4-anouk.pdf"
    assert Poster.objects.get().quote == "Ik zorg met hart."


def test_the_poster_page_follows_the_progress_until_it_is_finished(page, organisation_a, employer_a):
    story = PublishedStoryFactory(organisation=organisation_a, first_name="Anouk")
    poster = PosterFactory(story=story, photo="", person_name="Anouk")  # waiting for a worker
    _log_in(page, "werkgever.a@zorg.example")

    page.goto(f"/posters/{poster.pk}/")
    expect(page.get_by_text("De poster wacht op zijn beurt…")).to_be_visible()
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_visible()
    _assert_accessible(page, "the poster page while it waits")

    posters.render_poster(poster.pk)  # a worker draws it meanwhile
    expect(page.get_by_role("heading", name="Downloads")).to_be_visible(timeout=8_000)
    expect(page.get_by_role("link", name="Vernieuwen")).to_have_count(0)
