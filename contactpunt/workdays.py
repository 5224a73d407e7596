"""Working days (werkdagen): weekdays that are not Dutch public holidays.

Promises to candidates ("a coordinator calls within two working days") are counted in these.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


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
        count -= sum(
            1
            for holiday in _holidays(year)
            if holiday.year == year and first < holiday <= last and holiday.weekday() < 5
        )
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
