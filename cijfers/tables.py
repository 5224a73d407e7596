"""The figures as tables: what the page shows (each chart is drawn from its table), what the Excel
and CSV exports hold and what the quarterly report prints. One source, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from kandidaten.models import Match

from .figures import STAGES, Figures, Funnel
from .templatetags.figures import figure, is_number

# The histogram of waiting times stops here: "10 or more working days".
LONGEST_WAIT_SHOWN = 10
# Employers on the page (the exports hold all of them).
EMPLOYERS_SHOWN = 20


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    # How the page draws it: "bar", "stacked", "line", "horizontal" or "" (a table only), and which
    # columns (by index, the first column being the row labels) become the chart's series.
    chart: str = ""
    series: list[int] = field(default_factory=list)
    note: str = ""
    # On the page only the first rows; the exports hold them all.
    shown: int | None = None

    @property
    def page_rows(self) -> list[list]:
        return self.rows if self.shown is None else self.rows[: self.shown]

    @property
    def page_cells(self) -> list[tuple[object, list[tuple[str | None, str]]]]:
        """The page's rows as (label, cells), a cell being (its number for the chart or None, its text),
        worked out here: a template tag per cell costs more than the figures themselves."""
        return [
            (label, [(str(value) if is_number(value) else None, figure(value)) for value in values])
            for label, *values in self.page_rows
        ]

    @property
    def hidden(self) -> int:
        return len(self.rows) - len(self.page_rows)


def stage_labels() -> dict[str, str]:
    return {
        "signed_up": _("Signed up"),
        "contacted": _("First contact"),
        "referred": _("Referred"),
        "started": _("Started"),
        "stopped": _("Stopped"),
    }


def change(current: float | int | None, previous: float | int | None) -> float | int | None:
    if current is None or previous is None:
        return None
    return (
        round(current - previous, 1)
        if isinstance(current, float) or isinstance(previous, float)
        else current - previous
    )


def week_label(monday: date) -> str:
    week = monday.isocalendar().week
    return _("week %(week)s (%(day)s)") % {"week": week, "day": formats.date_format(monday, "j M")}


def build(figures: Figures) -> list[Table]:
    tables = [funnel_table(figures)]
    if len(figures.regions) > 1:
        tables.append(regions_table(figures))
    tables += [
        first_contact_table(figures),
        waiting_table(figures),
        drop_out_table(figures),
        weekly_table(figures),
        sources_table(figures),
        branches_table(figures),
        target_groups_table(figures),
        employers_table(figures),
        cohorts_table(figures),
        matches_table(figures),
    ]
    return tables


def funnel_table(figures: Figures) -> Table:
    labels = stage_labels()
    current, previous = figures.funnel, figures.previous_funnel
    rows = []
    for stage in (*STAGES, "stopped"):
        now, before = getattr(current, stage), getattr(previous, stage)
        rows.append([labels[stage], now, current.share(stage), before, previous.share(stage), change(now, before)])
    return Table(
        key="funnel",
        title=_("Funnel"),
        columns=[
            _("Stage"),
            figures.period.label,
            _("Share of sign-ups (%)"),
            _("Previous period (%(period)s)") % {"period": figures.previous.label},
            _("Share of sign-ups, previous period (%)"),
            _("Change"),
        ],
        rows=rows,
        chart="bar",
        series=[1, 3],
        note=_(
            "The people who signed up in the period, and the furthest step each has reached so far. "
            "Referred: introduced to an employer, signed up for an activity or placed in a BBL class."
        ),
    )


def _region_row(name: str, funnel: Funnel) -> list:
    stages = [getattr(funnel, stage) for stage in (*STAGES, "stopped")]
    return [name, *stages, funnel.median_days, funnel.p90_days, funnel.within_share]


def regions_table(figures: Figures) -> Table:
    labels = stage_labels()
    rows = [_region_row(row.region.name, row.funnel) for row in figures.regions]
    rows.append(_region_row(_("All these regions"), figures.funnel))
    return Table(
        key="regions",
        title=_("Per region"),
        columns=[
            _("Region"),
            *(labels[stage] for stage in (*STAGES, "stopped")),
            _("Median working days to first contact"),
            _("90th percentile"),
            _("Within two working days (%)"),
        ],
        rows=rows,
        chart="bar",
        series=[1, 2, 3, 4],
    )


def _first_contact_row(label: str, current: Funnel, previous: Funnel, measure: str) -> list:
    now, before = getattr(current, measure), getattr(previous, measure)
    return [label, now, before, change(now, before)]


def first_contact_table(figures: Figures) -> Table:
    current, previous = figures.funnel, figures.previous_funnel
    return Table(
        key="first_contact",
        title=_("Time to first contact"),
        columns=[_("Measure"), figures.period.label, figures.previous.label, _("Change")],
        rows=[
            _first_contact_row(_("Median (working days)"), current, previous, "median_days"),
            _first_contact_row(_("90th percentile (working days)"), current, previous, "p90_days"),
            _first_contact_row(_("Within two working days (%)"), current, previous, "within_share"),
            _first_contact_row(_("Contacted (a contact moment logged)"), current, previous, "measured"),
            _first_contact_row(_("Sign-ups whose two working days have passed"), current, previous, "due"),
        ],
        note=_(
            "Working days: weekdays that are not public holidays. The median and the 90th percentile are "
            "over the people with a logged first contact; the share within two working days is over the "
            "sign-ups whose two working days have passed, so people still waiting count as late once "
            "their time is up."
        ),
    )


def waiting_table(figures: Figures) -> Table:
    days = figures.funnel.days
    rows = []
    for wait in range(LONGEST_WAIT_SHOWN):
        rows.append([str(wait), days.get(wait, 0)])
    rows.append(
        [
            _("%(days)s or more") % {"days": LONGEST_WAIT_SHOWN},
            sum(count for wait, count in days.items() if wait >= LONGEST_WAIT_SHOWN),
        ]
    )
    return Table(
        key="waiting",
        title=_("Working days to first contact"),
        columns=[_("Working days"), _("People")],
        rows=rows,
        chart="bar",
        series=[1],
    )


def drop_out_table(figures: Figures) -> Table:
    rows = [
        [
            row.label,
            row.at_stage["before_contact"],
            row.at_stage["after_contact"],
            row.at_stage["after_referral"],
            row.at_stage["after_start"],
            row.total,
        ]
        for row in figures.drop_out
    ]
    return Table(
        key="drop_out",
        title=_("Drop-out and reasons"),
        columns=[
            _("Reason"),
            _("Before first contact"),
            _("After first contact"),
            _("After a referral"),
            _("After starting"),
            _("Total"),
        ],
        rows=rows,
        chart="stacked",
        series=[1, 2, 3, 4],
        note=_("People of the period who stopped, by the furthest step they had reached."),
    )


def weekly_table(figures: Figures) -> Table:
    sources = [(value, label) for value, label in figures.sources if figures.per_source.get(value)]
    rows = []
    for week in figures.weeks:
        counts = [figures.weekly.get((week, value), 0) for value, _label in sources]
        rows.append([week_label(week), *counts, sum(counts)])
    return Table(
        key="weekly",
        title=_("Sign-ups per week and source"),
        columns=[_("Week"), *(label for _value, label in sources), _("Total")],
        rows=rows,
        chart="stacked",
        series=list(range(1, len(sources) + 1)),
    )


def sources_table(figures: Figures) -> Table:
    total = figures.funnel.signed_up
    rows = []
    for value, label in figures.sources:
        count = figures.per_source.get(value, 0)
        if count:
            rows.append([label, count, round(100 * count / total, 1) if total else None])
    rows.sort(key=lambda row: -row[1])
    return Table(
        key="sources",
        title=_("Sign-ups per source"),
        columns=[_("Source"), _("Sign-ups"), _("Share of sign-ups (%)")],
        rows=rows,
        chart="horizontal",
        series=[1],
    )


def branches_table(figures: Figures) -> Table:
    rows = [
        [
            row.branch.name,
            row.interested,
            row.offers,
            row.places,
            row.seats,
            round(row.places / row.interested, 2) if row.interested else None,
        ]
        for row in sorted(figures.branches, key=lambda row: (-row.interested, row.branch.name))
    ]
    return Table(
        key="branches",
        title=_("Supply and demand per branch"),
        columns=[
            _("Branch"),
            _("Interested sign-ups"),
            _("Open offers"),
            _("Places (jobs, BBL and other places)"),
            _("Seats at activities"),
            _("Places per interested person"),
        ],
        rows=rows,
        chart="horizontal",
        series=[1, 3],
        note=_(
            "Interested: people who signed up in the period and named the branch (one person can name "
            "several). Open offers: published and open during the period; activities that took place in it."
        ),
    )


def target_groups_table(figures: Figures) -> Table:
    labels = stage_labels()
    rows = [
        [row.name, *(getattr(row.funnel, stage) for stage in STAGES), row.funnel.share("started")]
        for row in figures.target_groups
    ]
    return Table(
        key="target_groups",
        title=_("Target groups through the funnel"),
        columns=[_("Target group"), *(labels[stage] for stage in STAGES), _("Started (%)")],
        rows=rows,
        chart="horizontal",
        series=[1, 2, 3, 4],
        note=_("A person in several target groups counts in each; the last row counts each person once."),
    )


def employers_table(figures: Figures) -> Table:
    rows = [
        [
            row.name,
            row.introductions,
            row.answered,
            row.answer_days,
            row.invited,
            row.started,
            row.registrations,
            row.attended,
            row.absent,
            row.cancelled,
            row.attendance,
        ]
        for row in figures.employers
    ]
    return Table(
        key="employers",
        title=_("Per employer"),
        columns=[
            _("Employer"),
            _("Introductions"),
            _("Answered"),
            _("Mean working days to answer"),
            _("Invited"),
            _("Started"),
            _("Activity sign-ups"),
            _("Attended"),
            _("Did not come"),
            _("Cancelled"),
            _("Attended (%)"),
        ],
        rows=rows,
        shown=EMPLOYERS_SHOWN,
        note=_(
            "Introductions made in the period, and sign-ups for activities that took place in it (without "
            "the waiting list). % attended: of those whose attendance was recorded."
        ),
    )


def cohorts_table(figures: Figures) -> Table:
    rows = [
        [
            row.cohort.name,
            row.cohort.school,
            formats.date_format(row.cohort.start_date, "j M Y"),
            row.cohort.min_size,
            row.cohort.max_size,
            row.pledged,
            row.placed,
            _("Below minimum") if row.below_minimum else _("Minimum reached"),
        ]
        for row in figures.cohorts
    ]
    return Table(
        key="cohorts",
        title=_("BBL classes starting in the period"),
        columns=[
            _("Class"),
            _("School"),
            _("Start"),
            _("Minimum"),
            _("Maximum"),
            _("Places pledged"),
            _("Candidates placed"),
            _("Filled"),
        ],
        rows=rows,
        chart="bar",
        series=[3, 6],
    )


def matches_table(figures: Figures) -> Table:
    current, previous = figures.matches, figures.previous_matches
    rows = [
        [_("Accepted"), current.accepted, previous.accepted, change(current.accepted, previous.accepted)],
        [_("Rejected"), current.rejected, previous.rejected, change(current.rejected, previous.rejected)],
        [_("Accepted (%)"), current.acceptance, previous.acceptance, change(current.acceptance, previous.acceptance)],
    ]
    for value, label in Match.RejectReason.choices:
        now, before = current.reasons.get(value, 0), previous.reasons.get(value, 0)
        if now or before:
            rows.append([_("Rejected: %(reason)s") % {"reason": label}, now, before, change(now, before)])
    return Table(
        key="matches",
        title=_("Match suggestions"),
        columns=[_("Measure"), figures.period.label, figures.previous.label, _("Change")],
        rows=rows,
        note=_("Suggestions that a coordinator accepted or rejected in the period, for candidates of these regions."),
    )
