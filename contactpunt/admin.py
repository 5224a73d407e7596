from functools import wraps

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .account_mail import notify_email_changed, notify_password_changed
from .audit import Action, record
from .models import (
    AuditEvent,
    Branch,
    Function,
    LabourMarketRegion,
    Municipality,
    NextStep,
    OutboxMail,
    PostcodeArea,
    Region,
    RegionPostcodeRange,
    TargetGroup,
    User,
)


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """An administrator sets someone's password: that person is told by mail (contactpunt.account_mail)."""

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        notify_password_changed(user)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "regions"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = ["regions", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Role and regions"), {"fields": ["role", "regions"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "regions", "password1", "password2"]}),
    ]
    change_password_form = AdminPasswordChangeForm

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data and form.initial.get("email"):
            notify_email_changed(obj, old_email=form.initial["email"])


class RegionPostcodeRangeInline(admin.TabularInline):
    model = RegionPostcodeRange
    extra = 1


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["labour_market_regions"]
    inlines = [RegionPostcodeRangeInline]


@admin.register(LabourMarketRegion)
class LabourMarketRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "labour_market_region"]
    list_filter = ["province", "labour_market_region"]
    search_fields = ["code", "name"]
    list_select_related = ["labour_market_region"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(admin.ModelAdmin):
    list_display = ["pc4", "place_names", "municipality"]
    search_fields = ["pc4", "place_names"]
    list_select_related = ["municipality"]
    raw_id_fields = ["municipality"]


@admin.register(Branch, Function, NextStep, TargetGroup)
class ReferenceItemAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "active"]
    list_editable = ["position", "active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["sent_at"]
    readonly_fields = ["to", "subject", "body_text", "created_at", "claimed_at", "sent_at", "attempts", "last_error"]
    exclude = ["body_html"]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the portal, never by hand."""

    list_display = ["created_at", "actor", "actor_role", "action", "object_type", "object_id", "network"]
    list_filter = ["action", "actor_role", "object_type"]
    search_fields = ["=object_id", "=request_id", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """For models holding personal data: changes in the admin go to the audit log (field names only)
    instead of Django's admin log, whose object_repr would keep the person's name after erasure."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        request._audit_changed_fields = list(form.changed_data)

    def _audited_fields(self, request, obj) -> list[str]:
        known = {field.name for field in obj._meta.get_fields()}
        return [name for name in getattr(request, "_audit_changed_fields", []) if name in known]

    def log_addition(self, request, obj, message):
        return record(request, Action.CREATE, obj, self._audited_fields(request, obj))

    def log_change(self, request, obj, message):
        return record(request, Action.CHANGE, obj, self._audited_fields(request, obj))

    def log_deletions(self, request, queryset):
        return [record(request, Action.ERASE, (type(obj), obj.pk)) for obj in queryset]


def _limit_admin_login(login):
    """The admin's own login page gets the portal login's per-IP limit (one counter for both pages);
    failed passwords per account are counted by django-axes on both already."""

    @wraps(login)  # keeps Django's login_not_required mark
    def limited_login(request, extra_context=None):
        from django_ratelimit.core import is_ratelimited

        from .auth_views import login_rate
        from .views import rate_limited

        if request.method == "POST" and is_ratelimited(
            request, group="login", key="ip", rate=login_rate, method="POST", increment=True
        ):
            return rate_limited(request)
        return login(request, extra_context)

    return limited_login


admin.site.login = _limit_admin_login(admin.site.login)
