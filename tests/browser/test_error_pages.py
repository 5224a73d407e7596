"""The error pages load in Chromium without console errors or CSP violations and pass axe-core."""

import pytest

from .axe import axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.urls("contactpunt.tests.error_urls")]


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/deze-pagina-bestaat-niet/", 404, "Pagina niet gevonden"),
        ("/test-fouten/verboden/", 403, "Geen toegang"),
        ("/test-fouten/te-vaak/", 429, "Te veel pogingen"),
        ("/test-fouten/crash/", 500, "Er ging iets mis"),
        ("/test-fouten/database-weg/", 503, "Het portaal is tijdelijk niet beschikbaar"),
    ],
)
def test_an_error_page_is_accessible(page, browser_problems, path, status, heading):
    response = page.goto(path)
    # The page's own status is what this test asks for; Chromium logs it as a console error.
    expected = f"the server responded with a status of {status}"
    browser_problems[:] = [p for p in browser_problems if not (expected in p and f"{path})" in p)]

    assert response.status == status
    assert page.locator("h1").inner_text() == heading
    assert len(page.locator("[data-error-id]").inner_text()) == 8
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, path)
