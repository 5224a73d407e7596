"""Administrators' view of the employer side: every werkgevers model, searchable and filterable.

Foreign keys to big tables (candidates, users, offers) are raw ids or autocompletes, so a page
never loads a whole table into a select box. Tokens are never shown: only their hashes exist.
"""

from django.contrib import admin
from django.db import models

from .models import (
    AccessRequest,
    Cohort,
    CohortPlacement,
    CohortPledge,
    ContactPerson,
    Introduction,
    Invitation,
    Location,
    Offer,
    Organisation,
    Registration,
)
from .onboarding import location_save


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0
    fields = ["name", "street", "postcode", "place", "region", "active"]
    readonly_fields = ["region"]
    show_change_link = True


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "job_title", "email", "phone", "user", "active"]
    raw_id_fields = ["user"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_number", "home_region", "created_at"]
    list_filter = ["home_region", "branches"]
    search_fields = ["name", "kvk_number"]
    list_select_related = ["home_region"]
    filter_horizontal = ["branches"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [LocationInline, ContactPersonInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_formset(self, request, form, formset, change):
        """Locations saved here get their region from the postcode, as everywhere else."""
        if formset.model is not Location:
            return super().save_formset(request, form, formset, change)
        for location in formset.save(commit=False):
            location_save(location=location)
        for location in formset.deleted_objects:
            location.delete()
        formset.save_m2m()
        return None


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "postcode", "place", "region", "active"]
    list_filter = ["active", "region"]
    search_fields = ["name", "postcode", "place", "organisation__name", "organisation__kvk_number"]
    list_select_related = ["organisation", "region"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["region"]

    def save_model(self, request, obj, form, change):
        location_save(location=obj)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "job_title", "email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made on the organisation's page (the e-mail holds the only copy of the link)."""

    list_display = ["email", "organisation", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), "organisation__home_region"]
    search_fields = ["email", "first_name", "last_name", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["invited_by", "user"]
    readonly_fields = ["created_at", "accepted_at", "user"]
    exclude = ["token_hash"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "kvk_number", "region", "status", "created_at", "decided_by"]
    list_filter = ["status", "region"]
    search_fields = ["organisation_name", "kvk_number", "contact_name", "email"]
    list_select_related = ["region", "decided_by"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["decided_by"]
    readonly_fields = ["created_at", "decided_at"]
    date_hierarchy = "created_at"


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "status", "visibility", "starts_at", "registered_count"]
    list_filter = ["kind", "status", "visibility", "branch", "location__region"]
    search_fields = ["title", "organisation__name", "location__name", "location__place"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["location", "contact_person", "created_by"]
    filter_horizontal = ["functions", "target_groups"]
    readonly_fields = ["registered_count", "created_at", "updated_at", "published_at"]
    date_hierarchy = "created_at"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "offer", "status", "created_at", "promoted_at", "cancelled_at"]
    list_filter = ["status", "offer__kind"]
    search_fields = ["offer__title", "candidate__first_name", "candidate__last_name", "candidate__email"]
    list_select_related = ["candidate", "offer"]
    raw_id_fields = ["offer", "candidate", "attendance_recorded_by"]
    exclude = ["cancel_token_hash"]
    date_hierarchy = "created_at"


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["candidate", "offer", "status", "introduced_by", "created_at", "answered_at"]
    list_filter = ["status", "offer__kind"]
    search_fields = ["offer__title", "offer__organisation__name", "candidate__first_name", "candidate__last_name"]
    list_select_related = ["candidate", "offer", "introduced_by"]
    raw_id_fields = ["candidate", "offer", "introduced_by", "answered_by"]
    date_hierarchy = "created_at"


class CohortPledgeInline(admin.TabularInline):
    model = CohortPledge
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["pledged_by"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "function", "education_level", "region", "start_date", "min_size", "max_size"]
    list_filter = ["region", "function", "education_level"]
    search_fields = ["name", "school"]
    list_select_related = ["function", "region"]
    raw_id_fields = ["created_by"]
    inlines = [CohortPledgeInline]
    date_hierarchy = "start_date"


@admin.register(CohortPledge)
class CohortPledgeAdmin(admin.ModelAdmin):
    list_display = ["cohort", "organisation", "places", "pledged_by", "created_at"]
    list_filter = ["cohort__region"]
    search_fields = ["cohort__name", "organisation__name"]
    list_select_related = ["cohort", "organisation", "pledged_by"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["cohort", "pledged_by"]


@admin.register(CohortPlacement)
class CohortPlacementAdmin(admin.ModelAdmin):
    list_display = ["candidate", "cohort", "pledge", "placed_by", "created_at"]
    list_filter = ["cohort__region"]
    search_fields = ["cohort__name", "candidate__first_name", "candidate__last_name"]
    list_select_related = ["candidate", "cohort", "pledge__organisation", "placed_by"]
    raw_id_fields = ["pledge", "cohort", "candidate", "placed_by"]
