"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

- No browser is ever downloaded: Chromium must be at /usr/bin/chromium (`apt-get install chromium`).
  Without it the browser tests are skipped with one line saying so, except under CI=true, where a
  missing browser fails them.
- Every test fails on a console error, an uncaught page error or a CSP violation in the browser.
- `tests.browser.axe.axe_violations(page)` runs axe-core (node_modules/axe-core, from npm) in the page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = f"Chromium not found at {CHROMIUM}: browser tests skipped"
HERE = Path(__file__).resolve().parent

# Reported from inside the page: a CSP violation as a console error, so one listener catches both.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists() or _in_ci():
        return  # under CI a missing browser fails in the `page` fixture instead
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=MISSING))


class BrowserProblems(list):
    """Console errors, page errors and CSP violations seen during one test."""

    def describe(self) -> str:
        return "\n".join(f"  - {problem}" for problem in self)


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture(scope="package")
def chromium(django_db_setup, live_server) -> Iterator:
    """One Chromium for all the browser tests (per pytest worker): starting Playwright and a browser
    costs seconds, a fresh browser context for each test (the `page` fixture) a fraction of that.

    Playwright's sync API keeps an asyncio loop running in this thread from here until the last browser
    test is done, and while it runs Django hands this thread other database connections (they are
    local to async contexts): the tests, their fixtures and the flush after each test use those (given
    the serialized reference lists), the live server (set up before the loop, so on the test
    database's own connection) keeps its own.
    Package scope: the loop stops (and those connections close) once the next test is not a browser
    test, so no other test ever runs beside it.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}, and CI=true: install it with `apt-get install chromium`.")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    def launch(playwright):
        return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)

    # What serialized rollback puts back, kept on the test database's connection; the connections of
    # the loop's context need it too.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as monkeypatch, sync_playwright() as playwright:
        # The tests' own ORM calls are plain synchronous code; let Django run them beside the loop.
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        holder = SimpleNamespace(browser=launch(playwright))

        def browser():
            if not holder.browser.is_connected():  # it crashed during an earlier test: a new one
                holder.browser = launch(playwright)
            return holder.browser

        try:
            yield browser
        finally:
            connections.close_all()  # the connections the tests used while the loop ran
            if holder.browser.is_connected():
                holder.browser.close()


@pytest.fixture
def page(
    chromium,
    live_server,
    transactional_db,
    django_db_serialized_rollback,
    browser_problems: BrowserProblems,
) -> Iterator:
    """A page in a fresh browser context (no cookies or storage of an earlier test), with a Dutch
    locale, its base URL the live server.

    The live server needs committed rows (transactional_db); serialized rollback puts back what the
    migrations loaded (the reference lists), which the flush after every such test removes.
    """
    context = chromium().new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            browser_problems.append(f"console {message.type}: {message.text} ({page.url})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: browser_problems.append(f"page error: {error} ({page.url})"))
    # The console says only "Failed to load resource"; name the resource.
    page.on(
        "response",
        lambda response: (
            browser_problems.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    try:
        yield page
    finally:
        # Every context of the test (the fixture's and any the test opened on page.context.browser)
        # closes before the database is flushed: no request of this test reaches the next one.
        for other in list(context.browser.contexts):
            other.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A test passes only if the browser reported no console error, page error or CSP violation."""
    result = yield
    problems = getattr(item, "funcargs", {}).get("browser_problems")
    if problems:
        raise AssertionError(f"The browser reported {len(problems)} problem(s):\n{problems.describe()}")
    return result
