from django.contrib import admin

from contactpunt.admin import AuditedModelAdmin

from .models import Candidate, Consent, ContactMoment, ErasureRequest, RetentionSettings, TimelineEvent


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["purpose", "granted", "text_version", "recorded_at"]
    can_delete = False


@admin.register(Candidate)
class CandidateAdmin(AuditedModelAdmin):
    list_display = ["__str__", "region", "status", "signed_up_at", "assigned_to"]
    list_filter = ["status", "region", "source"]
    search_fields = ["first_name", "last_name", "email", "postcode"]
    list_select_related = ["region", "assigned_to"]
    raw_id_fields = ["assigned_to"]
    filter_horizontal = ["branches", "functions", "next_steps", "target_groups"]
    inlines = [ConsentInline]

    def log_change(self, request, obj, message):
        # Coordinators see the change in the candidate's timeline, as they see their own edits.
        changed = self._audited_fields(request, obj)
        if changed:
            TimelineEvent.objects.create(
                candidate=obj, kind=TimelineEvent.Kind.EDIT, actor=request.user, data={"changed": changed}
            )
        return super().log_change(request, obj, message)


@admin.register(ContactMoment)
class ContactMomentAdmin(AuditedModelAdmin):
    list_display = ["candidate", "channel", "happened_at", "author"]
    raw_id_fields = ["candidate", "author"]
    list_select_related = ["candidate", "author"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["candidate", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["candidate", "actor", "contact_moment"]
    list_select_related = ["candidate", "actor"]


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(admin.ModelAdmin):
    """One row: the admin opens it directly and never offers to add a second or delete it."""

    list_display = [
        "__str__",
        "inactive_months",
        "warning_days",
        "activity_only_months",
        "sent_mail_days",
        "link_hours",
    ]

    def has_add_permission(self, request) -> bool:
        return not RetentionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect
        from django.urls import reverse

        settings_row, _created = RetentionSettings.objects.get_or_create(pk=1)
        return redirect(reverse("admin:kandidaten_retentionsettings_change", args=[settings_row.pk]))


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "via", "requested_at", "due_on", "carried_out_at"]
    list_filter = ["via"]
    raw_id_fields = ["candidate", "recorded_by", "carried_out_by", "confirmation_mail"]
    readonly_fields = ["candidate", "via", "requested_at", "due_on", "carried_out_at", "carried_out_by"]
