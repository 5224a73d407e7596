"""Administrators keep the partners of the API and their keys: a key is made, rotated or revoked on
the partner's page, and shown once, on the page that made it (never in a message or a log)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .keys import issue_key, revoke_key, rotate_key
from .models import ApiCall, ApiKey, Partner, Scope, WebhookDelivery
from .webhooks import ensure_secret, new_secret


class PartnerForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    webhook_url = Partner._meta.get_field("webhook_url").formfield(assume_scheme="https")
    new_webhook_secret = forms.BooleanField(
        label=_("Make a new webhook secret"),
        required=False,
        help_text=_("The old one stops working at once; the partner needs the new one to check signatures."),
    )

    class Meta:
        model = Partner
        fields = ["name", "slug", "active", "scopes", "source", "rate_limit", "webhook_url"]

    def clean_rate_limit(self) -> str:
        value = self.cleaned_data["rate_limit"].strip()
        count, _slash, unit = value.partition("/")
        if value and not (
            count.isdigit() and int(count) > 0 and unit in ("s", "sec", "m", "min", "h", "hour", "d", "day")
        ):
            raise forms.ValidationError(_("Write a number of requests per s, min, hour or day, such as 120/min."))
        return value


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "active", "scope_list", "webhook_url", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["webhook_secret_shown"]
    change_form_template = "admin/api/partner/change_form.html"

    def get_fields(self, request, obj=None):
        fields = [*PartnerForm.Meta.fields, "new_webhook_secret"]
        return [*fields, "webhook_secret_shown"] if obj else fields

    @admin.display(description=_("Scopes"))
    def scope_list(self, partner: Partner) -> str:
        labels = dict(Scope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in partner.scopes)

    @admin.display(description=_("Webhook secret"))
    def webhook_secret_shown(self, partner: Partner) -> str:
        return partner.webhook_secret or "–"

    def save_model(self, request, obj: Partner, form, change) -> None:
        if form.cleaned_data.get("new_webhook_secret"):
            obj.webhook_secret = new_secret()
        ensure_secret(obj)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        own = [
            path("<int:pk>/keys/new/", self.admin_site.admin_view(self.new_key), name="api_partner_new_key"),
            path(
                "<int:pk>/keys/<int:key_pk>/rotate/",
                self.admin_site.admin_view(self.rotate),
                name="api_partner_rotate_key",
            ),
            path(
                "<int:pk>/keys/<int:key_pk>/revoke/",
                self.admin_site.admin_view(self.revoke),
                name="api_partner_revoke_key",
            ),
        ]
        return own + super().get_urls()

    def _partner(self, request, pk: int) -> Partner:
        partner = get_object_or_404(Partner, pk=pk)
        if not self.has_change_permission(request, partner):
            raise PermissionDenied
        return partner

    def _shown_once(self, request, partner: Partner, issued, *, replaced: ApiKey | None = None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("New API key"),
            "partner": partner,
            "issued": issued,
            "replaced": replaced,
            "opts": self.model._meta,
            "back": reverse("admin:api_partner_change", args=[partner.pk]),
        }
        response = TemplateResponse(request, "admin/api/partner/key_shown_once.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def new_key(self, request, pk: int):
        partner = self._partner(request, pk)
        if request.method != "POST":
            return redirect("admin:api_partner_change", partner.pk)
        issued = issue_key(partner, by=request.user, name=request.POST.get("name", "")[:100])
        return self._shown_once(request, partner, issued)

    def rotate(self, request, pk: int, key_pk: int):
        partner = self._partner(request, pk)
        key = get_object_or_404(ApiKey, pk=key_pk, partner=partner, revoked_at__isnull=True)
        if request.method != "POST":
            return redirect("admin:api_partner_change", partner.pk)
        return self._shown_once(request, partner, rotate_key(key, by=request.user), replaced=key)

    def revoke(self, request, pk: int, key_pk: int):
        partner = self._partner(request, pk)
        key = get_object_or_404(ApiKey, pk=key_pk, partner=partner)
        if request.method == "POST":
            revoke_key(key)
            self.message_user(request, _("The key %(prefix)s… is revoked.") % {"prefix": key.prefix})
        return redirect("admin:api_partner_change", partner.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "partner", "key_prefix", "method", "operation", "status_code", "network"]
    list_filter = ["partner", "operation", "status_code"]
    search_fields = ["key_prefix", "request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["partner"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "partner", "status", "state", "attempts", "last_status_code", "delivered_at"]
    list_filter = ["partner", "state", "status"]
    readonly_fields = ["event_id", "payload", "last_error", "last_attempt_at", "next_attempt_at"]
    list_select_related = ["partner"]
