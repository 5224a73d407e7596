"""Time to first contact in working days: weekends and Dutch public holidays do not count."""

from datetime import date

import pytest

from cijfers.figures import compute, percentile
from cijfers.periods import Period

from .conftest import COUNTED_ON, local

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_working_days_are_stamped_when_the_first_contact_is_logged(data_set):
    days = {name: data_set.candidates[name].first_contact_working_days for name in ("c1", "c2", "c3", "c4", "c5")}

    # c1 over Easter (Good Friday counts, Easter Monday not), c2 over Koningsdag, c3 over Bevrijdingsdag,
    # c4 over Hemelvaartsdag, c5 the same day.
    assert days == {"c1": 2, "c2": 1, "c3": 4, "c4": 3, "c5": 0}
    assert data_set.candidates["c6"].first_contact_working_days is None


def test_median_and_90th_percentile(data_set):
    funnel = compute([data_set.region_a], Q2, now=COUNTED_ON).funnel

    # 0, 1, 2, 3, 4: the median is 2; the 90th percentile lies at rank 3.6 → 3 + 0.6 × (4 − 3).
    assert funnel.days == {0: 1, 1: 1, 2: 1, 3: 1, 4: 1}
    assert funnel.median_days == 2.0
    assert funnel.p90_days == 3.6


def test_share_within_two_working_days_counts_late_waiters(data_set):
    funnel = compute([data_set.region_a], Q2, now=COUNTED_ON).funnel

    # c1, c2 and c5 in time; c3 and c4 late; c6 and c7 never called and their time is up.
    assert (funnel.within, funnel.due) == (3, 7)
    assert funnel.within_share == 42.9


def test_someone_still_within_their_two_days_is_not_counted_late(data_set):
    # On Wednesday 1 July c7 (Tuesday 30 June, 23:30) still has until the end of Thursday.
    funnel = compute([data_set.region_a], Q2, now=local(2026, 7, 1, 12)).funnel

    assert funnel.due == 6


def test_previous_period(data_set):
    previous = compute([data_set.region_a], Q2, now=COUNTED_ON).previous_funnel

    assert (previous.median_days, previous.p90_days, previous.within, previous.due) == (2.0, 2.0, 1, 2)


@pytest.mark.parametrize(
    ("histogram", "fraction", "expected"),
    [
        ({1: 1, 2: 1, 4: 1, 9: 1}, 0.5, 3.0),
        ({1: 1, 2: 1, 4: 1, 9: 1}, 0.9, 7.5),
        ({3: 5}, 0.9, 3.0),
        ({0: 9, 10: 1}, 0.9, 1.0),
        ({}, 0.5, None),
    ],
)
def test_percentile_interpolates_between_ranks(histogram, fraction, expected):
    assert percentile(histogram, fraction) == expected
