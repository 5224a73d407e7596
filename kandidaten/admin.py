from django.contrib import admin

from .models import Candidate, Consent, ContactMoment, TimelineEvent


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["purpose", "granted", "text_version", "recorded_at"]
    can_delete = False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "status", "signed_up_at", "assigned_to"]
    list_filter = ["status", "region", "source"]
    search_fields = ["first_name", "last_name", "email", "postcode"]
    list_select_related = ["region", "assigned_to"]
    raw_id_fields = ["assigned_to"]
    filter_horizontal = ["branches", "functions", "next_steps", "target_groups"]
    inlines = [ConsentInline]


@admin.register(ContactMoment)
class ContactMomentAdmin(admin.ModelAdmin):
    list_display = ["candidate", "channel", "happened_at", "author"]
    raw_id_fields = ["candidate", "author"]
    list_select_related = ["candidate", "author"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["candidate", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["candidate", "actor", "contact_moment"]
    list_select_related = ["candidate", "actor"]
