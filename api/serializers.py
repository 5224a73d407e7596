"""What the API takes and gives, as the OpenAPI schema describes it. Hand-offs are validated by the
intake's own form (api.handoffs.HandoffForm); these serializers describe its fields and the answers."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contactpunt.models import EducationLevel
from kandidaten.forms import CandidateDetailsForm, ConsentFormMixin
from kandidaten.models import Candidate, Channel
from werkgevers.models import Offer

from .handoffs import NOTES_LENGTH, HandoffForm, handoff_status
from .models import Handoff, HandoffStatus

# What the form requires of a candidate's details (the source it fills in with the partner's).
REQUIRED = [
    name for name in CandidateDetailsForm.Meta.fields if HandoffForm.base_fields[name].required and name != "source"
]


class HandoffRequestSerializer(serializers.ModelSerializer):
    # The form's rules where a pattern can say them (the form takes more spellings: spaces in a phone
    # number, a postcode without a space); the form has the last word.
    first_name = serializers.RegexField(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ '-]{0,49}$", max_length=50)
    last_name = serializers.RegexField(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ '-]{0,49}$", max_length=50)
    phone = serializers.RegexField(r"^(0[1-9][0-9]{8}|\+31[1-9][0-9]{8})$", help_text=_("A Dutch phone number."))
    postcode = serializers.RegexField(r"^[1-9][0-9]{3} ?[A-Z]{2}$", help_text=_("A Dutch postcode, such as 9711 AB."))
    education_level = serializers.ChoiceField(choices=EducationLevel.choices)
    branches = serializers.ListField(child=serializers.SlugField(), required=False, help_text=_("Branch slugs."))
    functions = serializers.ListField(child=serializers.SlugField(), required=False, help_text=_("Function slugs."))
    next_steps = serializers.ListField(child=serializers.SlugField(), required=False, help_text=_("Next-step slugs."))
    target_groups = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text=_("Target-group slugs.")
    )
    consent_contact = serializers.BooleanField(help_text=_("Must be true: the contact point may contact the person."))
    consent_share_with_employers = serializers.BooleanField(required=False, default=False)
    consent_campaign_news = serializers.BooleanField(required=False, default=False)
    conversation_notes = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTES_LENGTH, help_text=_("The conversation so far.")
    )
    conversation_channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    partner_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Your own reference; given back in answers.")
    )

    class Meta:
        model = Candidate
        # The intake's own fields, in its order, then the partner's.
        fields = [
            *CandidateDetailsForm.Meta.fields,
            *ConsentFormMixin.base_fields,
            "conversation_notes",
            "conversation_channel",
            "partner_reference",
        ]
        extra_kwargs = {
            **{name: {"required": True} for name in REQUIRED},
            "source": {"required": False, "help_text": _("Leave out for the partner's own source.")},
            "hours_per_week": {"min_value": 1, "max_value": 60},
        }


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


class RegionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class HandoffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = Handoff
        fields = ["id", "status", "status_label", "region", "partner_reference", "created_at", "status_url"]

    def get_status(self, handoff: Handoff) -> HandoffStatus:
        return handoff_status(handoff.candidate)

    def get_status_label(self, handoff: Handoff) -> str:
        return str(HandoffStatus(handoff_status(handoff.candidate)).label)

    def get_region(self, handoff: Handoff) -> RegionSerializer(allow_null=True):  # type: ignore[valid-type]
        """The contact point the person was routed to; null when their postcode is served by none yet
        (the national queue)."""
        region = handoff.candidate.region if handoff.candidate else None
        return {"slug": region.slug, "name": region.name} if region else None

    def get_status_url(self, handoff: Handoff) -> str:
        return _absolute(self.context, reverse("api:handoff_status", args=[handoff.public_id]))


class ActivitySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    organisation = serializers.CharField(source="organisation.name")
    location = serializers.CharField(source="location.name")
    place = serializers.CharField(source="location.place")
    pc4 = serializers.CharField(source="location.pc4")
    region = serializers.SerializerMethodField()
    branch = serializers.SlugField(source="branch.slug")
    branch_label = serializers.CharField(source="branch.name")
    places_left = serializers.IntegerField(allow_null=True)
    full = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "signup_deadline",
            "organisation",
            "location",
            "place",
            "pc4",
            "region",
            "branch",
            "branch_label",
            "capacity",
            "places_left",
            "full",
            "url",
        ]

    def get_region(self, offer: Offer) -> RegionSerializer(allow_null=True):  # type: ignore[valid-type]
        region = offer.location.region
        return {"slug": region.slug, "name": region.name} if region else None

    def get_full(self, offer: Offer) -> bool:
        return offer.status == Offer.Status.FULL

    def get_url(self, offer: Offer) -> str:
        """The activity's page in the public agenda, where people sign up."""
        return _absolute(self.context, reverse("werkgevers:activity", args=[offer.pk]))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
