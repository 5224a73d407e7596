"""The choice of period and region on the figures page (a GET form: the address can be shared)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Region, User

from .periods import Period, preset_period

DATE_INPUT = "%Y-%m-%d"
# A longer period would make the weekly table unreadable and the queries needlessly long.
LONGEST_PERIOD = timedelta(days=3 * 366)
EARLIEST = date(2000, 1, 1)


def regions_of(user: User):
    """The regions whose figures the user may see: an administrator all, a coordinator their own."""
    if user.is_administrator:
        return Region.objects.all()
    if user.is_coordinator:
        return user.regions.all()
    return Region.objects.none()


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("this_quarter", _("This quarter")),
            ("last_quarter", _("Last quarter")),
            ("this_month", _("This month")),
            ("last_month", _("Last month")),
            ("this_year", _("This year")),
            ("last_year", _("Last year")),
            ("custom", _("Choose dates")),
        ],
        initial="this_quarter",
        required=False,
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=[DATE_INPUT, "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
    )
    end = forms.DateField(
        label=_("Up to and including"),
        required=False,
        input_formats=[DATE_INPUT, "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All my regions")
    )

    def __init__(self, *args, user: User, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["region"].queryset = regions_of(user)
        if user.is_administrator:
            self.fields["region"].empty_label = _("All regions")

    @property
    def shows_region_choice(self) -> bool:
        return self.fields["region"].queryset.count() > 1

    def clean(self) -> dict:
        cleaned = super().clean()
        preset = cleaned.get("period") or "this_quarter"
        if preset != "custom":
            cleaned["chosen"] = preset_period(preset, self.today)
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if not start:
            self.add_error("start", _("Choose the first day of the period."))
        if not end:
            self.add_error("end", _("Choose the last day of the period."))
        if not (start and end):
            return cleaned
        if end < start:
            self.add_error("end", _("The last day comes on or after the first day."))
        elif start < EARLIEST:
            self.add_error("start", _("Choose a day in 2000 or later."))
        elif end - start > LONGEST_PERIOD:
            self.add_error("end", _("Choose a period of at most three years."))
        else:
            cleaned["chosen"] = Period(start, end)
        return cleaned

    def chosen_period(self) -> Period:
        """The chosen period, or this quarter when the dates have errors (the page shows them)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("chosen") or Period.quarter_of(self.today)

    def chosen_regions(self) -> list[Region]:
        """The chosen region, or all of the user's (also when the choice was not one of theirs)."""
        self.is_valid()
        region = getattr(self, "cleaned_data", {}).get("region")
        return [region] if region else list(self.fields["region"].queryset)


# Quarters a report can be asked for: this one (so far) and the eight before it.
REPORT_QUARTERS = 9


class ReportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), empty_label=None)
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, user: User, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_of(user)
        quarter = Period.quarter_of(today or timezone.localdate())
        self.quarters = {}
        for _number in range(REPORT_QUARTERS):
            self.quarters[quarter.slug] = quarter
            quarter = quarter.previous()
        self.fields["quarter"].choices = [(slug, period.label) for slug, period in self.quarters.items()]
        if self.initial.get("quarter") not in self.quarters:
            self.initial["quarter"] = next(iter(self.quarters.values())).previous().slug

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("quarter") in self.quarters:
            cleaned["period"] = self.quarters[cleaned["quarter"]]
        return cleaned
