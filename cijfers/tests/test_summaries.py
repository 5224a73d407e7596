"""The summaries behind the figures: month rows that add up their days, kept right as people change,
and never more than a minute old (hand-computed data set: see conftest)."""

from datetime import date, timedelta

import time_machine

from cijfers import summaries, tasks
from cijfers.figures import compute
from cijfers.models import StaleDay, Summary
from cijfers.periods import Period
from contactpunt.models import TargetGroup
from kandidaten.models import Candidate, Channel, Status, StopReason
from kandidaten.services import contact_moment_log

from .conftest import COUNTED_ON

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_the_month_row_is_the_sum_of_its_days(data_set):
    summaries.rebuild()
    april = Summary.objects.get(region=data_set.region_a, grain=Summary.Grain.MONTH, first=date(2026, 4, 1))
    compared, counts = {}, {}
    for row in Summary.objects.filter(region=data_set.region_a, grain=Summary.Grain.DAY, first__month=4):
        summaries.add_flat(compared, row.compared)
        summaries.add_flat(counts, row.counts)
    assert (april.compared, april.counts) == (compared, counts)
    # c1 (2 Apr) and c2 (24 Apr); c2 is in two groups further from the labour market, counted once.
    assert april.compared["funnel/signed_up"] == 2
    assert april.counts["distance/signed_up"] == 1
    assert summaries.unflatten(april.counts)["distance"]["signed_up"] == 1


def test_a_period_of_parts_of_months_reads_days_around_a_month(data_set):
    # 2 March – 20 May: days of March and May around April's month row. c9, c10, c1, c2, c3, c4.
    funnel = compute([data_set.region_a], Period(date(2026, 3, 2), date(2026, 5, 20)), now=COUNTED_ON).funnel
    assert (funnel.signed_up, funnel.contacted, funnel.referred, funnel.started) == (6, 5, 3, 2)
    assert funnel.days == {2: 2, 1: 1, 4: 1, 3: 1}


def test_a_change_shows_after_the_job_or_a_minute_later(data_set):
    with time_machine.travel(COUNTED_ON, tick=False) as clock:
        before = compute([data_set.region_a], Q2).funnel
        contact_moment_log(
            candidate=data_set.candidates["c7"],
            actor=None,
            details={"channel": Channel.PHONE, "summary": "Eindelijk bereikt.", "happened_at": COUNTED_ON},
        )
        assert StaleDay.objects.filter(day=date(2026, 6, 30)).exists()
        # Within the minute the page shows what was counted, and says when.
        result = compute([data_set.region_a], Q2)
        assert result.funnel.contacted == before.contacted
        assert result.counted_at == COUNTED_ON

        clock.shift(timedelta(seconds=61))
        after = compute([data_set.region_a], Q2)
        assert after.funnel.contacted == before.contacted + 1
        assert not StaleDay.objects.exists()


def test_a_candidate_moved_to_another_region_leaves_the_first(data_set):
    compute([data_set.region_a, data_set.region_b], Q2, now=COUNTED_ON)
    moved = data_set.candidates["c2"]
    moved.region = data_set.region_b
    moved.save()
    tasks.refresh_summaries.delay()

    result = compute([data_set.region_a, data_set.region_b], Q2, now=COUNTED_ON)
    per_region = {row.region: row.funnel.signed_up for row in result.regions}
    assert per_region == {data_set.region_a: 6, data_set.region_b: 2}
    # Its rejected suggestion of 28 April moved along.
    assert result.matches.rejected == 2
    assert compute([data_set.region_a], Q2, now=COUNTED_ON).matches.rejected == 1


def test_target_groups_and_deletes_are_counted_again(data_set):
    compute([data_set.region_a], Q2, now=COUNTED_ON)
    # As the candidate's form does: the candidate saved, then its lists.
    data_set.candidates["c4"].save()
    data_set.candidates["c4"].target_groups.add(TargetGroup.objects.get(slug="herintreder"))
    data_set.candidates["c5"].delete()
    tasks.refresh_summaries.delay()

    result = compute([data_set.region_a], Q2, now=COUNTED_ON)
    groups = {row.name: row.funnel.signed_up for row in result.target_groups}
    assert groups[TargetGroup.objects.get(slug="herintreder").name] == 2  # c3 and c4
    assert result.funnel.signed_up == 6


def test_bulk_changes_wait_for_the_nightly_rebuild(data_set):
    compute([data_set.region_a], Q2, now=COUNTED_ON)
    Candidate.objects.filter(pk=data_set.candidates["c4"].pk).update(
        status=Status.STOPPED, stop_reason=StopReason.CIRCUMSTANCES
    )
    tasks.refresh_summaries.delay()
    assert compute([data_set.region_a], Q2, now=COUNTED_ON).funnel.stopped == 2

    tasks.rebuild_summaries.delay()
    assert compute([data_set.region_a], Q2, now=COUNTED_ON).funnel.stopped == 3


def test_fresh_summaries_cost_one_query(data_set, django_assert_num_queries):
    tasks.refresh_summaries.delay()
    with django_assert_num_queries(1):
        summaries.refreshed_at()


def test_every_day_up_to_today_has_its_rows(data_set):
    with time_machine.travel("2026-06-08 18:00 +0200", tick=False):
        assert summaries.refresh() == date(2026, 6, 9)
        # c6 signed up today; May is whole, June not yet.
        assert Summary.objects.filter(grain=Summary.Grain.DAY, first=date(2026, 6, 8)).exists()
        assert Summary.objects.filter(grain=Summary.Grain.MONTH, first=date(2026, 5, 1)).exists()
        assert not Summary.objects.filter(grain=Summary.Grain.MONTH, first=date(2026, 6, 1)).exists()
    with time_machine.travel(COUNTED_ON, tick=False):
        assert summaries.refresh() == date(2026, 7, 11)
        assert Summary.objects.filter(grain=Summary.Grain.MONTH, first=date(2026, 6, 1)).exists()
        assert compute([data_set.region_a], Q2).funnel.signed_up == 7


def test_an_employer_s_late_answer_is_counted_again(data_set):
    from werkgevers.models import Introduction

    def answered() -> int:
        employers = compute([data_set.region_a], Q2, now=COUNTED_ON).employers
        return sum(row.answered for row in employers)

    assert answered() == 1
    waiting = Introduction.objects.get(candidate=data_set.candidates["c2"])
    waiting.status, waiting.answered_at, waiting.answered_in_working_days = Introduction.Status.INVITED, COUNTED_ON, 9
    waiting.save()
    tasks.refresh_summaries.delay()
    assert answered() == 2


def test_attendance_recorded_afterwards_is_counted_again(data_set):
    from werkgevers.models import Registration
    from werkgevers.registrations import registration_record_attendance

    def came() -> int:
        return sum(row.attended for row in compute([data_set.region_a], Q2, now=COUNTED_ON).employers)

    assert came() == 1
    absent = Registration.objects.get(candidate=data_set.candidates["c4"])
    registration_record_attendance(registration=absent, attended=True, actor=None)
    tasks.refresh_summaries.delay()
    assert came() == 2


def test_sign_ups_for_activities_to_come_are_counted_at_every_refresh(data_set, organisation_a):
    from werkgevers.factories import OfferFactory
    from werkgevers.models import Registration

    with time_machine.travel(COUNTED_ON, tick=False):
        september = OfferFactory(
            organisation=organisation_a,
            location=organisation_a.locations.get(),
            starts_at=COUNTED_ON + timedelta(days=60),
            ends_at=COUNTED_ON + timedelta(days=60, hours=3),
        )
        quarter = Period(date(2026, 7, 1), date(2026, 9, 30))
        assert sum(row.registrations for row in compute([data_set.region_a], quarter).employers) == 0
        Registration.objects.create(
            offer=september,
            candidate=data_set.candidates["c8"],
            status=Registration.Status.CONFIRMED,
            cancel_token_hash="hash-september",
        )
        summaries.refresh()
        assert sum(row.registrations for row in compute([data_set.region_a], quarter).employers) == 1
