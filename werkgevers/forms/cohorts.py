"""Forms for BBL classes: create a class, place a candidate, pledge places. Forms validate;
`werkgevers.cohorts` saves."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import EducationLevel, Function, Region, User
from kandidaten.forms import reject_markup
from kandidaten.models import Candidate, Status

from ..models import Cohort, CohortPlacement, CohortPledge

MAX_CLASS_SIZE = 40
MAX_WEEKS = 260
# The longest list of candidates the placement form offers (the best fitting first).
PLACE_CHOICES_LIMIT = 300
CHOOSE = _("Choose one of the options in the list.")


def _whole_number(message) -> dict:
    return {"invalid": message, "min_value": message, "max_value": message}


class CohortForm(forms.ModelForm):
    """A new BBL class in one of the coordinator's regions."""

    start_date = forms.DateField(
        label=_("Start date"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 01-09-2027.")},
    )
    duration_weeks = forms.IntegerField(
        label=_("Duration in weeks"),
        initial=Cohort.MIN_WEEKS,
        validators=[MinValueValidator(Cohort.MIN_WEEKS), MaxValueValidator(MAX_WEEKS)],
        help_text=_("At least 52 weeks."),
        error_messages={
            "invalid": _("Fill in a whole number of weeks, for example 52."),
            "min_value": _("A BBL class takes at least 52 weeks."),
            "max_value": _("Fill in at most 260 weeks."),
        },
    )
    min_size = forms.IntegerField(
        label=_("Minimum class size"),
        initial=16,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CLASS_SIZE)],
        error_messages=_whole_number(_("Fill in a whole number from 1 to 40.")),
    )
    max_size = forms.IntegerField(
        label=_("Maximum class size"),
        initial=18,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CLASS_SIZE)],
        error_messages=_whole_number(_("Fill in a whole number from 1 to 40.")),
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "school",
            "function",
            "education_level",
            "region",
            "start_date",
            "duration_weeks",
            "min_size",
            "max_size",
        ]
        labels = {"name": _("Name of the class"), "education_level": _("Level")}
        help_texts = {"name": _("For example: BBL-carrousel VIG Groningen, September 2027.")}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("name") if user.is_administrator else user.regions.order_by("name")
        self.fields["region"].queryset = regions
        self.fields["function"].queryset = Function.objects.filter(active=True)
        for name in ("function", "education_level", "region"):
            self.fields[name].error_messages["invalid_choice"] = CHOOSE
        self.fields["function"].empty_label = _("Choose…")
        self.fields["region"].empty_label = _("Choose…")
        self.fields["education_level"].choices = [("", _("Choose…")), *EducationLevel.choices]
        self.fields["region"].error_messages["invalid_choice"] = _("Choose one of your regions.")
        if len(regions) == 1:
            self.fields["region"].initial = regions[0].pk
        for name in ("name", "school"):
            self.fields[name].validators.append(reject_markup)

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value <= timezone.localdate():
            raise ValidationError(_("The start date must be in the future."), code="past")
        if value > timezone.localdate() + timedelta(days=3 * 365):
            raise ValidationError(_("The start date is more than three years away."), code="far")
        return value

    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("min_size"), cleaned_data.get("max_size")
        if low is not None and high is not None and high < low:
            self.add_error("max_size", _("The maximum must be at least the minimum (%(min)s).") % {"min": low})
        return cleaned_data

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def candidates_to_place(user: User, cohort: Cohort) -> QuerySet[Candidate]:
    """Open candidates of the class's region the user may see, not yet in the class: those who want
    BBL first, then by name."""
    wants_bbl = Exists(Candidate.next_steps.through.objects.filter(candidate=OuterRef("pk"), nextstep__slug="bbl"))
    return (
        Candidate.objects.visible_to(user)
        .filter(region=cohort.region)
        .exclude(status__in=[Status.STARTED, Status.STOPPED])
        .exclude(pk__in=CohortPlacement.objects.filter(cohort=cohort).values("candidate"))
        .annotate(wants_bbl=wants_bbl)
        .order_by("-wants_bbl", "last_name", "first_name", "pk")
    )


class CandidateChoiceField(forms.ModelChoiceField):
    """Lists a bounded number of fitting candidates, but accepts any candidate the user may see."""

    def __init__(self, *args, lookup: QuerySet[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def label_from_instance(self, candidate: Candidate) -> str:
        return f"{candidate.last_name}, {candidate.first_name} ({candidate.postcode} {candidate.place})".strip()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.lookup.get(pk=int(value))
        except (ValueError, TypeError, Candidate.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None

    def validate(self, value) -> None:
        forms.Field.validate(self, value)


class PlacementForm(forms.Form):
    """Place a candidate on one of an employer's pledged places."""

    candidate = CandidateChoiceField(
        label=_("Candidate"),
        queryset=Candidate.objects.none(),
        lookup=Candidate.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("Open candidates of the class's region; those who want BBL come first."),
    )
    pledge = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=CohortPledge.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("The employer whose pledged place the candidate takes."),
    )

    def __init__(self, *args, user: User, cohort: Cohort, pledges: list[CohortPledge] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        candidate = self.fields["candidate"]
        candidate.queryset = candidates_to_place(user, cohort)[:PLACE_CHOICES_LIMIT]
        candidate.lookup = Candidate.objects.visible_to(user)
        candidate.error_messages["invalid_choice"] = _("This candidate does not exist or is not in your region.")
        candidate.error_messages["required"] = _("Choose the candidate to place.")
        pledge = self.fields["pledge"]
        pledge.queryset = CohortPledge.objects.filter(cohort=cohort).select_related("organisation")
        pledge.error_messages["invalid_choice"] = _("This employer has no places in this class.")
        pledge.error_messages["required"] = _("Choose the employer.")
        if pledges is not None:
            # Labels with the free places, from the pledges the page already counted (no extra query).
            pledge.choices = [
                ("", _("Choose…")),
                *(
                    (
                        item.pk,
                        _("%(organisation)s (%(free)s of %(places)s places free)")
                        % {"organisation": item.organisation.name, "free": item.free, "places": item.places},
                    )
                    for item in pledges
                ),
            ]


class PledgeForm(forms.Form):
    """How many places the employer pledges in the class; 0 takes the pledge back."""

    places = forms.IntegerField(
        label=_("Number of places you pledge"),
        min_value=0,
        max_value=MAX_CLASS_SIZE,
        help_text=_("Fill in 0 to take your pledge back."),
        error_messages=_whole_number(_("Fill in a whole number from 0 to 40.")),
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
    )

    def __init__(self, *args, cohort: Cohort, filled: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.filled = filled
        field = self.fields["places"]
        field.widget.attrs["max"] = cohort.max_size

    def clean_places(self) -> int:
        places = self.cleaned_data["places"]
        if places < self.filled:
            raise ValidationError(
                _("%(filled)s of your places are already filled: you cannot pledge fewer than %(filled)s.")
                % {"filled": self.filled},
                code="below_filled",
            )
        if places > self.cohort.max_size:
            raise ValidationError(
                _("The class has at most %(max)s participants: pledge %(max)s places or fewer.")
                % {"max": self.cohort.max_size},
                code="above_maximum",
            )
        return places
