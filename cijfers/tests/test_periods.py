"""Periods and the one before them."""

from datetime import date

import pytest

from cijfers.periods import Period, preset_period


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("this_quarter", Period(date(2026, 10, 1), date(2026, 12, 31))),
        ("last_quarter", Period(date(2026, 7, 1), date(2026, 9, 30))),
        ("this_month", Period(date(2026, 12, 1), date(2026, 12, 31))),
        ("last_month", Period(date(2026, 11, 1), date(2026, 11, 30))),
        ("this_year", Period(date(2026, 1, 1), date(2026, 12, 31))),
        ("last_year", Period(date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_presets(preset, expected):
    assert preset_period(preset, date(2026, 12, 4)) == expected


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # A calendar quarter, month or year: the calendar one before (Q4 of last year before Q1).
        (Period(date(2026, 1, 1), date(2026, 3, 31)), Period(date(2025, 10, 1), date(2025, 12, 31))),
        (Period(date(2026, 3, 1), date(2026, 3, 31)), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (Period(date(2026, 1, 1), date(2026, 12, 31)), Period(date(2025, 1, 1), date(2025, 12, 31))),
        # Any other run of days: as many days just before.
        (Period(date(2026, 3, 10), date(2026, 3, 19)), Period(date(2026, 2, 28), date(2026, 3, 9))),
    ],
)
def test_previous(period, previous):
    assert period.previous() == previous


def test_bounds_are_dutch_midnights(settings):
    period = Period(date(2026, 3, 29), date(2026, 3, 29))  # the night the clocks go forward

    assert period.start.isoformat() == "2026-03-29T00:00:00+01:00"
    assert period.end.isoformat() == "2026-03-30T00:00:00+02:00"


def test_labels_and_file_names():
    assert Period.quarter_of(date(2026, 8, 1)).slug == "2026-q3"
    assert Period.quarter_of(date(2026, 8, 1)).label == "K3 2026"
    assert Period(date(2026, 3, 10), date(2026, 3, 19)).slug == "2026-03-10-2026-03-19"


def test_a_period_cannot_end_before_it_begins():
    with pytest.raises(ValueError):
        Period(date(2026, 3, 10), date(2026, 3, 9))
