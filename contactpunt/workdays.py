"""Working days (werkdagen): weekdays that are not Dutch public holidays.

Promises to candidates ("a coordinator calls within two working days") are counted in these. The
holidays are those of the Algemene termijnenwet, the Dutch rule for counting deadlines: Good Friday
is a working day, Bevrijdingsdag (5 May) is not, every year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from dateutil.easter import easter
from django.utils import timezone


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    easter_sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it is celebrated the day before
        kings_day -= timedelta(days=1)
    return frozenset(
        {
            date(year, 1, 1),  # Nieuwjaarsdag
            easter_sunday + timedelta(days=1),  # Tweede paasdag
            kings_day,  # Koningsdag
            date(year, 5, 5),  # Bevrijdingsdag
            easter_sunday + timedelta(days=39),  # Hemelvaartsdag
            easter_sunday + timedelta(days=50),  # Tweede pinksterdag
            date(year, 12, 25),  # Eerste kerstdag
            date(year, 12, 26),  # Tweede kerstdag
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def _local_date(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        return timezone.localdate(moment)
    return moment


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after the day of `start`, up to and including the day of `end` (0 when `end` is earlier).

    Counted with arithmetic rather than day by day, so that a list of old sign-ups stays cheap.
    """
    first, last = _local_date(start), _local_date(end)
    if last <= first:
        return 0
    days = (last - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    day = first + timedelta(days=weeks * 7)
    for _ in range(rest):
        day += timedelta(days=1)
        count += day.weekday() < 5
    for year in range(first.year, last.year + 1):
        count -= sum(1 for holiday in _holidays(year) if first < holiday <= last and holiday.weekday() < 5)
    return count


def working_days_back(end: date | datetime, count: int) -> date:
    """The `count`-th working day counting back from the day of `end` (that day included)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = _local_date(end)
    found = 0
    while True:
        if is_working_day(day):
            found += 1
            if found == count:
                return day
        day -= timedelta(days=1)


def first_contact_cutoff(now: datetime, allowed_working_days: int) -> datetime:
    """Sign-ups before this moment have waited longer than `allowed_working_days`."""
    day = working_days_back(now, allowed_working_days + 1)
    return timezone.make_aware(datetime.combine(day, time.min))
