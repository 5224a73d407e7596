"""Sign-ups per ISO week and per source."""

from datetime import date

from cijfers.figures import compute
from cijfers.periods import Period

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_every_week_of_the_period_and_the_sign_ups_in_it(data_set):
    result = compute([data_set.region_a], Q2, now=COUNTED_ON)

    # From the week of Wednesday 1 April (Monday 30 March) to the week of Tuesday 30 June.
    assert result.weeks[0] == date(2026, 3, 30)
    assert result.weeks[-1] == date(2026, 6, 29)
    assert len(result.weeks) == 14
    assert result.weekly == {
        (date(2026, 3, 30), "campaign"): 1,
        (date(2026, 4, 20), "campaign"): 1,
        (date(2026, 5, 4), "welcome_panel"): 1,
        (date(2026, 5, 11), "social_media"): 1,
        (date(2026, 6, 1), "campaign"): 1,
        (date(2026, 6, 8), "school"): 1,
        # 23:30 on Tuesday 30 June Dutch time is 21:30 UTC: still the Dutch week and quarter.
        (date(2026, 6, 29), "welcome_panel"): 1,
    }


def test_per_source(data_set):
    result = compute([data_set.region_a], Q2, now=COUNTED_ON)

    assert result.per_source == {"campaign": 3, "welcome_panel": 2, "social_media": 1, "school": 1}
