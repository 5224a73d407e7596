"""Periods the figures are counted over: a quarter, a month, a year or any run of days, and the one
before it to compare with.

A period is a run of whole days, Dutch time, first and last day included. Regional action plans are
reported per quarter, so the quarter is the default and "the previous period" of a calendar quarter,
month or year is the calendar one before it (Q1 after Q4, not the 90 days before); any other run of
days is compared with the same number of days just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after its first day")

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return cls(start, add_months(start, 3) - timedelta(days=1))

    @classmethod
    def month_of(cls, day: date) -> Period:
        start = day.replace(day=1)
        return cls(start, add_months(start, 1) - timedelta(days=1))

    @classmethod
    def year_of(cls, day: date) -> Period:
        return cls(date(day.year, 1, 1), date(day.year, 12, 31))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def calendar_months(self) -> int | None:
        """1, 3 or 12 when the period is exactly a calendar month, quarter or year; else None."""
        if self.first.day != 1 or (self.last + timedelta(days=1)).day != 1:
            return None
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        if months == 12 and self.first.month == 1:
            return 12
        if months == 3 and self.first.month in (1, 4, 7, 10):
            return 3
        if months == 1:
            return 1
        return None

    @property
    def is_quarter(self) -> bool:
        return self.calendar_months == 3

    def previous(self) -> Period:
        months = self.calendar_months
        if months:
            start = add_months(self.first, -months)
            return Period(start, self.first - timedelta(days=1))
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    @property
    def start(self) -> datetime:
        """The first moment of the period, Dutch time (aware)."""
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive bound), Dutch time (aware)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def label(self) -> str:
        """How a coordinator names it: "Q3 2026", "maart 2026", "2026" or "1 mrt 2026 – 15 apr 2026"."""
        months = self.calendar_months
        if months == 3:
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.first.month - 1) // 3 + 1, "year": self.first.year}
        if months == 12:
            return str(self.first.year)
        if months == 1:
            return formats.date_format(self.first, "F Y")
        return f"{formats.date_format(self.first, 'j M Y')} – {formats.date_format(self.last, 'j M Y')}"

    @property
    def slug(self) -> str:
        """For file names: "2026-q3", "2026-03", "2026" or "2026-03-01-2026-04-15"."""
        months = self.calendar_months
        if months == 3:
            return f"{self.first.year}-q{(self.first.month - 1) // 3 + 1}"
        if months == 12:
            return str(self.first.year)
        if months == 1:
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()}-{self.last.isoformat()}"


# The choices on the figures page; "custom" takes the two dates.
PRESETS = ("this_quarter", "last_quarter", "this_month", "last_month", "this_year", "last_year", "custom")


def preset_period(preset: str, today: date) -> Period:
    if preset == "this_quarter":
        return Period.quarter_of(today)
    if preset == "last_quarter":
        return Period.quarter_of(today).previous()
    if preset == "this_month":
        return Period.month_of(today)
    if preset == "last_month":
        return Period.month_of(today).previous()
    if preset == "this_year":
        return Period.year_of(today)
    if preset == "last_year":
        return Period.year_of(today).previous()
    raise ValueError(f"unknown period {preset!r}")
