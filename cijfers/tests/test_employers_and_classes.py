"""Per employer (introductions, answers, answer time, starts, attendance), BBL classes, match acceptance."""

from datetime import date

from cijfers.figures import compute
from cijfers.periods import Period

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_introductions_answers_and_starts_per_employer(data_set):
    employers = compute([data_set.region_a], Q2, now=COUNTED_ON).employers

    assert [row.name for row in employers] == ["Zorggroep Noord"]
    row = employers[0]
    assert (row.introductions, row.answered, row.answer_days, row.invited, row.started) == (2, 1, 2.0, 1, 1)


def test_activity_attendance_leaves_the_waiting_list_out(data_set):
    row = compute([data_set.region_a], Q2, now=COUNTED_ON).employers[0]

    assert (row.registrations, row.attended, row.absent, row.cancelled) == (3, 1, 1, 1)
    assert row.attendance == 50.0


def test_a_coordinator_of_another_region_sees_only_their_employers(data_set):
    employers = compute([data_set.region_b], Q2, now=COUNTED_ON).employers

    assert [(row.name, row.introductions) for row in employers] == [("Zorg Utrecht", 1)]


def test_bbl_classes_starting_in_the_period_against_their_minimum(data_set):
    cohorts = compute([data_set.region_a], Q2, now=COUNTED_ON).cohorts

    assert [(row.cohort.name, row.pledged, row.placed, row.below_minimum) for row in cohorts] == [
        ("VIG juni", 4, 1, True)
    ]


def test_match_acceptance_rate_and_reasons(data_set):
    result = compute([data_set.region_a], Q2, now=COUNTED_ON)

    assert (result.matches.accepted, result.matches.rejected, result.matches.acceptance) == (1, 2, 33.3)
    assert result.matches.reasons == {"too_far": 1, "level": 1}
    assert (result.previous_matches.accepted, result.previous_matches.acceptance) == (1, 100.0)
