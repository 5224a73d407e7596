"""Forms of the campaign. Forms validate and normalise; `campagne.services` saves.

Stories: the story form (employers; coordinators also choose the employer and the region), the
send-back reason and the coordinator's moderation filters.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.models import Branch, Function, Region, User
from kandidaten.forms import reject_markup, validate_name
from werkgevers.models import Organisation

from .models import EducationPath, LifeStage, Story
from .photos import CleanPhoto, PhotoError, clean_photo
from .services import DETAIL_FIELDS, MAX_TAGS, SEND_BACK_REASON_MAX, TAG_MAX_LENGTH, normalise_tags

CHOOSE = _("Choose one of the options in the list.")
DATE_ISO = "%Y-%m-%d"
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
QUOTE_MAX = 200
TEXT_MAX = 5000
TAGS_INPUT_MAX = 400


class StoryPhotoField(forms.FileField):
    """The uploaded photo, checked by its content (`campagne.photos.clean_photo`): a `CleanPhoto`."""

    widget = forms.FileInput(attrs={"accept": PHOTO_ACCEPT})

    def clean(self, data, initial=None) -> CleanPhoto | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return clean_photo(upload)
        except PhotoError as error:
            raise ValidationError(error.message, code=error.code) from None


def _choice(field: forms.Field, required: str | None = None) -> None:
    field.error_messages["invalid_choice"] = CHOOSE
    if required:
        field.error_messages["required"] = required


class StoryForm(forms.Form):
    """A story with its photo and the consent of the person pictured.

    `photo_required`: a new story needs a photo, an edit keeps the old one when none is chosen. The
    consent checkbox is asked when the story is made. `user` decides whether the employer and the
    region are chosen (coordinators and administrators) or follow from the user (employers).
    """

    organisation = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("The organisation the person in the photo works for."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        empty_label=None,
        help_text=_("The story appears in the gallery of this region."),
    )
    photo = StoryPhotoField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP photo of at most 10 MB. Location data and other details are removed."),
    )
    photo_alt = forms.CharField(
        label=_("Photo description"),
        max_length=200,
        validators=[reject_markup],
        help_text=_("What the photo shows, for people who cannot see it. For example: a nurse helps a man stand up."),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=60,
        validators=[validate_name],
        help_text=_("Only the first name of the person in the photo appears with the story."),
    )
    function = forms.ModelChoiceField(
        label=_("Function"), queryset=Function.objects.filter(active=True), empty_label=_("Choose…")
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.filter(active=True), empty_label=_("Choose…")
    )
    education_path = forms.ChoiceField(label=_("Education path"), choices=[("", _("Choose…")), *EducationPath.choices])
    side_entrant = forms.BooleanField(
        label=_("Side entrant (zij-instromer)"),
        required=False,
        help_text=_("Came to care from another line of work."),
    )
    life_stage = forms.ChoiceField(label=_("Life stage"), choices=[("", _("Choose…")), *LifeStage.choices])
    quote = forms.CharField(
        label=_("Quote in their own words"),
        max_length=QUOTE_MAX,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": QUOTE_MAX}),
        help_text=_("One short sentence in the person's own words, at most 200 characters."),
    )
    text = forms.CharField(
        label=_("Story"),
        max_length=TEXT_MAX,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX}),
        help_text=_(
            "What the work is like, how the person got here, what they would tell others. At most 5000 characters."
        ),
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        max_length=TAGS_INPUT_MAX,
        required=False,
        validators=[reject_markup],
        help_text=_("Words that fit the story, separated by commas. For example: nachtdienst, wijkzorg. At most 8."),
    )
    consent_name = forms.CharField(
        label=_("Name of the person in the photo"),
        max_length=200,
        validators=[validate_name],
        help_text=_("First name and surname, as they gave consent. This name is never shown in the gallery."),
    )
    consent_given_on = forms.DateField(
        label=_("Date of consent"),
        input_formats=[DATE_ISO, "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        error_messages={"invalid": _("Enter a date, for example 25-11-2026.")},
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "The person in the photo has given consent to use this photo and story in the campaign, "
            "and knows they can withdraw that consent at any time."
        ),
        error_messages={"required": _("A story can only be added with the consent of the person in the photo.")},
    )

    def __init__(self, *args, user: User, story: Story | None = None, **kwargs):
        self.user = user
        self.story = story
        if story is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(story)
        super().__init__(*args, **kwargs)
        for name in ("function", "branch", "education_path", "life_stage", "organisation", "region"):
            _choice(self.fields[name])
        self.fields["photo"].error_messages["required"] = _("Choose a photo.")
        self.fields["consent_name"].error_messages["required"] = _("Fill in the name of the person in the photo.")
        self.fields["consent_given_on"].error_messages["required"] = _("Fill in the date the person gave consent.")
        chooses_employer = user.works_candidates and story is None
        if chooses_employer:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(user).order_by("name")
        else:
            del self.fields["organisation"]
        if user.works_candidates:
            regions = Region.objects.all() if user.is_administrator else user.regions.all()
            self.fields["region"].queryset = regions.order_by("name")
            if story is None and not self.is_bound:
                self.fields["region"].initial = self.fields["region"].queryset.first()
        else:
            del self.fields["region"]
        if story is not None:
            self.fields["photo"].required = False
            self.fields["photo"].help_text = _(
                "Choose a new photo only to replace the current one. Location data and other details are removed."
            )
            del self.fields["consent_confirmed"]

    @property
    def photo_lost(self) -> bool:
        """The form came back with errors while a photo was chosen: the browser does not keep it."""
        return self.is_bound and bool(self.errors) and bool(self.files.get(self.add_prefix("photo")))

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_consent_name(self) -> str:
        return " ".join(self.cleaned_data["consent_name"].split())

    def clean_consent_given_on(self) -> date:
        value = self.cleaned_data["consent_given_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of consent cannot be in the future."), code="future")
        if value.year < 2000:
            raise ValidationError(_("Enter the date the person gave consent, for example 25-11-2026."), code="old")
        return value

    def clean_tags(self) -> list[str]:
        words = [word for word in self.cleaned_data["tags"].split(",") if word.strip()]
        if any(len(word.strip().lstrip("#")) > TAG_MAX_LENGTH for word in words):
            raise ValidationError(
                _("A tag has at most %(count)d characters.") % {"count": TAG_MAX_LENGTH}, code="tag_length"
            )
        tags = [name for name, _slug in normalise_tags(words)]
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Use at most %(count)d tags.") % {"count": MAX_TAGS}, code="too_many_tags")
        return tags

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or (self.story.organisation if self.story else None)
        region = cleaned.get("region")
        if (
            organisation is not None
            and region is not None
            and not self.user.is_administrator
            and region.pk != organisation.home_region_id
            and not organisation.locations.filter(region=region).exists()
        ):
            self.add_error("region", _("This employer has no location in this region. Choose another region."))
        return cleaned

    @property
    def details(self) -> dict:
        """What `story_create` and `story_update` take."""
        details = {field: self.cleaned_data[field] for field in DETAIL_FIELDS}
        if "region" in self.fields:
            details["region"] = self.cleaned_data["region"]
        return details

    @property
    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups = [
            (_("Employer and region"), ["organisation", "region"]),
            (_("Photo"), ["photo", "photo_alt"]),
            (_("The person and the work"), ["first_name", "function", "branch", "education_path", "side_entrant"]),
            (_("The story"), ["life_stage", "quote", "text", "tags"]),
            (_("Consent of the person in the photo"), ["consent_name", "consent_given_on", "consent_confirmed"]),
        ]
        return [
            (str(legend), [self[name] for name in names if name in self.fields])
            for legend, names in groups
            if any(name in self.fields for name in names)
        ]


def initial_for(story: Story) -> dict:
    initial = {field: getattr(story, field) for field in DETAIL_FIELDS}
    initial["function"] = story.function_id
    initial["branch"] = story.branch_id
    initial["region"] = story.region_id
    initial["tags"] = ", ".join(tag.name for tag in story.tags.all())
    return initial


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the story go back?"),
        max_length=SEND_BACK_REASON_MAX,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": SEND_BACK_REASON_MAX}),
        help_text=_("The employer gets this by e-mail. Say what to change, for example a sharper photo."),
        error_messages={"required": _("Write why the story goes back, so the employer knows what to change.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"], code="required")
        return reason


class ModerationFilter(django_filters.FilterSet):
    """The coordinator's list of stories: status (waiting for moderation unless chosen), region,
    employer and a search on the first name."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Story.Status.choices, empty_label=_("All statuses"))
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.none(), empty_label=_("All my regions")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Employer"), queryset=Organisation.objects.none(), empty_label=_("All employers")
    )
    q = django_filters.CharFilter(
        label=_("First name"),
        field_name="first_name",
        lookup_expr="icontains",
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    class Meta:
        model = Story
        fields: list[str] = []

    def __init__(self, data=None, queryset: QuerySet[Story] | None = None, *, request, **kwargs):
        # Without a status in the address the list shows what waits for moderation; "status=" shows all.
        data = data.copy() if data is not None else {}
        if "status" not in data:
            data["status"] = Story.Status.SUBMITTED
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        regions = Region.objects.all() if user.is_administrator else user.regions.all()
        self.form.fields["region"].queryset = regions.order_by("name")
        # The employers the list can show: those with a story the user may see (one query for the options).
        employers = queryset.order_by().values("organisation") if queryset is not None else []
        self.form.fields["organisation"].queryset = Organisation.objects.filter(pk__in=employers).order_by("name")
        for name in ("status", "region", "organisation"):
            self.form.fields[name].error_messages["invalid_choice"] = CHOOSE
