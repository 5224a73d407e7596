"""The funnel of a period: who signed up, and how far each came (hand-computed: see conftest)."""

from datetime import date

from cijfers.figures import compute
from cijfers.periods import Period

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_funnel_counts_the_sign_ups_of_the_period_and_how_far_they_came(data_set):
    funnel = compute([data_set.region_a], Q2, now=COUNTED_ON).funnel

    # c1–c7; c8 signed up 30 seconds into July, c9 and c10 in March, b1 in another region.
    assert funnel.signed_up == 7
    assert funnel.contacted == 5  # c1–c5
    assert funnel.referred == 2  # c1, c2
    assert funnel.started == 1  # c1
    assert funnel.stopped == 2  # c3, c6
    assert funnel.share("started") == 14.3


def test_previous_period_is_the_quarter_before(data_set):
    result = compute([data_set.region_a], Q2, now=COUNTED_ON)

    assert result.previous == Period(date(2026, 1, 1), date(2026, 3, 31))
    previous = result.previous_funnel
    assert (previous.signed_up, previous.contacted, previous.referred, previous.started) == (2, 1, 1, 1)


def test_a_person_referred_and_then_stopped_still_counts_as_referred(data_set):
    from kandidaten.models import Status
    from kandidaten.services import candidate_change_status

    candidate_change_status(
        candidate=data_set.candidates["c2"], status=Status.STOPPED, actor=None, reason="circumstances"
    )
    funnel = compute([data_set.region_a], Q2, now=COUNTED_ON).funnel

    assert (funnel.referred, funnel.stopped) == (2, 3)


def test_drop_out_by_reason_and_the_furthest_stage_reached(data_set):
    drop_out = {row.reason: row.at_stage for row in compute([data_set.region_a], Q2, now=COUNTED_ON).drop_out}

    assert drop_out == {
        "no_longer_interested": {"before_contact": 0, "after_contact": 1, "after_referral": 0, "after_start": 0},
        "not_reachable": {"before_contact": 1, "after_contact": 0, "after_referral": 0, "after_start": 0},
    }


def test_regions_side_by_side_and_together(data_set):
    result = compute([data_set.region_a, data_set.region_b], Q2, now=COUNTED_ON)

    by_region = {row.region.name: row.funnel for row in result.regions}
    assert by_region["Noord-Nederland"].signed_up == 7
    assert (by_region["Utrecht"].signed_up, by_region["Utrecht"].contacted) == (1, 1)
    assert (result.funnel.signed_up, result.funnel.contacted) == (8, 6)


def test_erased_people_stay_in_the_counts(data_set, coordinator_a):
    from kandidaten.models import ErasureRequest
    from kandidaten.privacy import erase_candidate

    erase_candidate(candidate=data_set.candidates["c4"], via=ErasureRequest.Via.COORDINATOR, actor=coordinator_a)
    funnel = compute([data_set.region_a], Q2, now=COUNTED_ON).funnel

    assert (funnel.signed_up, funnel.contacted) == (7, 5)
