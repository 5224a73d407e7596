"""Working days: weekends and Dutch public holidays do not count; the overdue rule agrees everywhere."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from contactpunt.workdays import first_contact_cutoff, is_working_day, working_days_back, working_days_between
from kandidaten.models import Candidate, Status

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def count_day_by_day(first: date, last: date) -> int:
    """The plain definition, to check the arithmetic against."""
    count, day = 0, first + timedelta(days=1)
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), True),  # Monday
        (date(2026, 11, 27), True),  # Friday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 1, 1), False),  # Nieuwjaarsdag
        (date(2026, 4, 3), True),  # Goede Vrijdag is a working day under the Algemene termijnenwet
        (date(2026, 4, 6), False),  # Tweede paasdag
        (date(2026, 4, 27), False),  # Koningsdag on a Monday
        (date(2027, 4, 27), False),  # Koningsdag on a Tuesday
        (date(2026, 5, 5), False),  # Bevrijdingsdag, every year (Algemene termijnenwet)
        (date(2027, 5, 5), False),  # ... also outside lustrum years
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede pinksterdag
        (date(2026, 12, 24), True),  # Christmas Eve is a normal working day
        (date(2026, 12, 25), False),  # Eerste kerstdag
        (date(2025, 12, 26), False),  # Tweede kerstdag on a Friday
        (date(2026, 12, 31), True),  # Oudejaarsdag is a normal working day
    ],
)
def test_working_days_skip_weekends_and_dutch_holidays(day, expected):
    assert is_working_day(day) is expected


def test_koningsdag_on_a_sunday_moves_to_saturday_and_costs_no_working_day():
    # 27 April 2025 was a Sunday: Koningsdag was Saturday 26 April, Monday 28 April was a normal day.
    assert is_working_day(date(2025, 4, 28))
    assert working_days_between(date(2025, 4, 25), date(2025, 4, 28)) == 1


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),  # same day
        (date(2026, 11, 23), date(2026, 11, 24), 1),  # Monday → Tuesday
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday → Monday: the weekend does not count
        (date(2026, 11, 28), date(2026, 11, 30), 1),  # Saturday → Monday
        (date(2026, 11, 27), date(2026, 12, 1), 2),  # Friday → Tuesday
        (date(2026, 4, 24), date(2026, 4, 28), 1),  # Friday → Tuesday over Koningsdag
        (date(2026, 12, 24), date(2026, 12, 29), 2),  # over Christmas and a weekend: 28 and 29 Dec
        (date(2026, 12, 31), date(2027, 1, 4), 1),  # over Nieuwjaarsdag into the new year
        (date(2026, 11, 30), date(2026, 11, 23), 0),  # end before start
        (date(2026, 1, 1), date(2027, 1, 1), 254),  # a whole year
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_working_days_between_matches_counting_day_by_day():
    start = date(2024, 12, 1)
    for offset in range(0, 500, 7):
        first = start + timedelta(days=offset % 37)
        for length in (0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 30, 64, 400):
            last = first + timedelta(days=length + offset)
            assert working_days_between(first, last) == count_day_by_day(first, last), (first, last)


def test_working_days_between_uses_the_dutch_date_of_a_moment():
    # 23:30 UTC on Friday is already Saturday in Amsterdam.
    friday_night_utc = datetime(2026, 11, 27, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert working_days_between(friday_night_utc, date(2026, 11, 30)) == 1
    assert working_days_between(at(date(2026, 11, 27), 23, 59), at(date(2026, 11, 30), 0, 1)) == 1


def test_working_days_back():
    wednesday = date(2026, 11, 25)
    assert working_days_back(wednesday, 1) == wednesday
    assert working_days_back(wednesday, 3) == date(2026, 11, 23)
    assert working_days_back(wednesday, 4) == date(2026, 11, 20)  # the Friday before
    assert working_days_back(date(2026, 11, 29), 1) == date(2026, 11, 27)  # Sunday → Friday
    assert working_days_back(date(2026, 4, 28), 2) == date(2026, 4, 24)  # over Koningsdag
    assert working_days_back(date(2026, 12, 29), 3) == date(2026, 12, 24)  # over Christmas


def test_working_days_back_refuses_a_count_below_one():
    with pytest.raises(ValueError):
        working_days_back(date(2026, 11, 25), 0)


def test_first_contact_cutoff_is_local_midnight():
    cutoff = first_contact_cutoff(at(date(2026, 11, 25), 9), 2)  # Wednesday
    assert cutoff == datetime(2026, 11, 23, 0, 0, tzinfo=AMSTERDAM)  # Monday 00:00
    # On Monday morning a Wednesday sign-up is late (Thu, Fri, Mon); a Thursday one is not yet.
    monday = at(date(2026, 11, 30), 8)
    assert first_contact_cutoff(monday, 2) == datetime(2026, 11, 26, 0, 0, tzinfo=AMSTERDAM)


def _moments_around(now: datetime) -> list[datetime]:
    """Sign-up moments in the three weeks before `now`, with the edges of every day."""
    moments = []
    day = now.date() - timedelta(days=21)
    while day <= now.date():
        for hour, minute in ((0, 0), (0, 1), (8, 30), (12, 0), (17, 45), (23, 59)):
            moment = at(day, hour, minute)
            if moment <= now:
                moments.append(moment)
        day += timedelta(days=1)
    return moments


@pytest.mark.parametrize(
    "first_day",
    [
        date(2026, 11, 16),  # two ordinary weeks, every weekday and weekend day
        date(2026, 4, 20),  # Koningsdag and Bevrijdingsdag
        date(2026, 5, 11),  # Hemelvaartsdag and Pinksteren
        date(2026, 12, 21),  # Christmas and the new year
    ],
)
def test_cutoff_agrees_with_is_overdue_on_every_day(first_day):
    """The database filter (before the cutoff) and the Python rule (age > 2) say the same thing."""
    allowed = settings.FIRST_CONTACT_WORKING_DAYS
    for offset in range(14):
        for hour, minute in ((0, 0), (9, 15), (23, 59)):
            now = at(first_day + timedelta(days=offset), hour, minute)
            cutoff = first_contact_cutoff(now, allowed)
            for signed_up_at in _moments_around(now):
                candidate = Candidate(signed_up_at=signed_up_at, status=Status.NEW)
                assert (signed_up_at < cutoff) == candidate.is_overdue(now), (now, signed_up_at)


def test_a_contacted_or_closed_candidate_is_never_overdue():
    now = at(date(2026, 11, 25))
    long_ago = now - timedelta(days=30)
    assert Candidate(signed_up_at=long_ago, status=Status.NEW).is_overdue(now)
    assert not Candidate(signed_up_at=long_ago, status=Status.NEW, first_contact_at=now).is_overdue(now)
    assert not Candidate(signed_up_at=long_ago, status=Status.STOPPED).is_overdue(now)
    assert not Candidate(signed_up_at=long_ago, status=Status.STARTED).is_overdue(now)


@pytest.mark.django_db
def test_overdue_queryset_agrees_with_is_overdue(region_a):
    from kandidaten.factories import CandidateFactory

    now = at(date(2026, 11, 30), 10)  # Monday
    signups = [now - timedelta(hours=hours) for hours in range(0, 24 * 8, 7)]
    candidates = [CandidateFactory(region=region_a, signed_up_at=moment) for moment in signups]
    overdue_ids = set(Candidate.objects.overdue(now).values_list("pk", flat=True))
    assert overdue_ids == {candidate.pk for candidate in candidates if candidate.is_overdue(now)}
    assert overdue_ids  # the range covers both sides of the line
    assert len(overdue_ids) < len(candidates)
