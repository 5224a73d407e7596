"""The poster form: from one of the user's published stories, or from an uploaded photo with a quote
and a name. Forms validate and normalise; `campagne.posters.poster_request` saves and queues."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contactpunt.models import User
from kandidaten.forms import reject_markup

from .models import Story
from .photos import CleanPhoto, PhotoError, clean_photo
from .posters import QUOTE_MAX, colour_schemes, default_colour_scheme, organisations_for_posters, stories_for_posters

CHOOSE = _("Choose one of the options in the list.")
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class PosterPhotoField(forms.FileField):
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


class StoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, story: Story) -> str:
        quote = story.quote if len(story.quote) <= 60 else story.quote[:59].rstrip() + "…"
        return f"{story.first_name}, {story.function.name}: “{quote}”"


class PosterForm(forms.Form):
    """What goes on the poster. `user` decides the stories to choose from and, for coordinators and
    administrators, the organisations an uploaded photo may be for (employers: their own)."""

    story = StoryChoiceField(
        label=_("Story"),
        queryset=Story.objects.none(),
        required=False,
        empty_label=_("No story: I upload a photo"),
        help_text=_("A published story: its photo, first name and function go on the poster."),
    )
    photo = PosterPhotoField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB. Only with permission of the person in the photo."),
        error_messages={"empty": _("The file is empty. Choose a photo (JPEG, PNG or WebP).")},
    )
    person_name = forms.CharField(
        label=_("Name of the person in the photo"),
        max_length=100,
        required=False,
        validators=[reject_markup],
        help_text=_("Usually the first name only."),
    )
    function_name = forms.CharField(
        label=_("Function (optional)"), max_length=100, required=False, validators=[reject_markup]
    )
    quote = forms.CharField(
        label=_("Quote"),
        max_length=QUOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUOTE_MAX}),
        validators=[reject_markup],
        error_messages={
            "max_length": _("The quote may be at most %(limit_value)d characters long; it now has %(show_value)d.")
        },
        help_text=_(
            "At most 200 characters. With a story you may shorten its quote; left empty, the story's quote is used."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("Its name and logo go on a poster made from an uploaded photo."),
    )
    organisation_name = forms.CharField(
        label=_("Organisation name on the poster (optional)"),
        max_length=200,
        required=False,
        validators=[reject_markup],
        help_text=_("Left empty: the organisation's name. You may write a shorter one."),
    )
    colour_scheme = forms.ChoiceField(label=_("Colours"), widget=forms.RadioSelect)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["story"].queryset = (
            stories_for_posters(user).select_related("function").order_by("-published_at", "-pk")
        )
        if user.is_employer:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations_for_posters(user).order_by("name")
        schemes = colour_schemes()
        self.fields["colour_scheme"].choices = [(key, scheme.get("label", key)) for key, scheme in schemes.items()]
        self.fields["colour_scheme"].initial = default_colour_scheme()
        for name in ("story", "organisation", "colour_scheme"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = CHOOSE
        self.fields["colour_scheme"].error_messages["required"] = _("Choose the colours of the poster.")

    def clean(self):
        data = super().clean()
        story, photo = data.get("story"), data.get("photo")
        if self.errors.get("story") or self.errors.get("photo"):
            return data
        if story and photo:
            self.add_error("photo", _("Choose a story or upload a photo, not both."))
        elif not story and not photo:
            self.add_error("story", _("Choose a published story or upload a photo."))
        elif photo:
            if not data.get("person_name") and "person_name" not in self.errors:
                self.add_error("person_name", _("Fill in the name of the person in the photo."))
            if not data.get("quote") and "quote" not in self.errors:
                self.add_error("quote", _("Fill in the quote for the poster."))
            if "organisation" in self.fields and not data.get("organisation") and "organisation" not in self.errors:
                self.add_error("organisation", _("Choose the organisation the poster is for."))
        return data

    def request_kwargs(self) -> dict:
        """The keyword arguments of `campagne.posters.poster_request` (without the actor)."""
        data = self.cleaned_data
        return {
            "story": data.get("story"),
            "photo": data.get("photo") if not data.get("story") else None,
            "quote": data.get("quote", ""),
            "person_name": data.get("person_name", ""),
            "function_name": data.get("function_name", ""),
            "organisation_name": data.get("organisation_name", ""),
            "colour_scheme": data["colour_scheme"],
            "organisation": data.get("organisation"),
        }

    @property
    def fieldsets(self):
        """(legend, fields) in the order of the page."""
        groups = [
            (_("From a published story"), ["story"]),
            (_("Or from your own photo"), ["photo", "person_name", "function_name"]),
            (_("Text and colours"), ["quote", "organisation", "organisation_name", "colour_scheme"]),
        ]
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in groups]
