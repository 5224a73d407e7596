"""A coordinator opens the figures in a real browser: the charts are drawn from the tables, the period
changes, and the Excel export downloads with the numbers of the page. Checked with axe-core too."""

import io
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kandidaten.factories import CandidateFactory
from kandidaten.models import Source

from .axe import axe_violations, describe_violations
from .login import log_in

pytestmark = pytest.mark.browser


def test_a_coordinator_reads_the_figures_changes_the_period_and_exports(page, region_a, region_b, coordinator_a):
    now = timezone.now()
    for days, source in ((1, Source.CAMPAIGN), (3, Source.CAMPAIGN), (8, Source.WELCOME_PANEL)):
        CandidateFactory(region=region_a, source=source, signed_up_at=now - timedelta(days=days))
    CandidateFactory(region=region_b, source=Source.CAMPAIGN, signed_up_at=now - timedelta(days=2))
    # A year ago: only in last year's figures.
    CandidateFactory(region=region_a, source=Source.SCHOOL, signed_up_at=now - timedelta(days=400))

    log_in(page, "coordinator.a@contactpunt.example")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers").click()
    expect(page).to_have_url(re.compile(r"/dashboard/cijfers/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers")

    # Every chart is drawn (Chart.js from the npm package) from the table under it.
    funnel_chart = page.locator("canvas[data-table='funnel-table']")
    expect(funnel_chart).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-table=\"funnel-table\"]'))"
    )
    signed_up = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-table=\"funnel-table\"]')).data.datasets[0].data[0]"
    )
    funnel = page.locator("#funnel-table")
    expect(funnel.get_by_role("row").filter(has_text="Aangemeld").first).to_be_visible()
    shown = funnel.locator("tbody tr").first.locator("td").first.get_attribute("data-value")
    assert signed_up == int(shown)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, "the figures page /dashboard/cijfers/")

    # Last year: the sign-up of 400 days ago, and nothing of this year.
    page.get_by_label("Periode", exact=True).select_option(label="Vorig jaar")
    page.get_by_role("button", name="Tonen").click()
    expect(page).to_have_url(re.compile(r"period=last_year"))
    last_year = page.locator("#funnel-table tbody tr").first.locator("td").first
    expect(last_year).to_have_attribute("data-value", "1" if (now - timedelta(days=400)).year == now.year - 1 else "0")

    # Bad dates are refused with a message, not a broken page.
    page.get_by_label("Periode", exact=True).select_option(label="Kies data")
    page.get_by_label("Vanaf", exact=True).fill("2026-06-30")
    page.get_by_label("Tot en met", exact=True).fill("2026-06-01")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("main")).to_contain_text("De laatste dag valt op of na de eerste dag.")

    # Back to this year, and the Excel export holds the page's count.
    page.get_by_label("Periode", exact=True).select_option(label="Dit jaar")
    page.get_by_role("button", name="Tonen").click()
    this_year = page.locator("#funnel-table tbody tr").first.locator("td").first.get_attribute("data-value")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren naar Excel").click()
    assert re.fullmatch(r"cijfers-.+\.xlsx", download.value.suggested_filename)
    # Playwright saves the download without its extension, which openpyxl looks at: read the bytes.
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook["Trechter"]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Aangemeld"]
    assert values and values[0][1] == int(this_year)
