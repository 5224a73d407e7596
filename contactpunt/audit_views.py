"""The audit log page for administrators: who viewed, changed, exported or erased what, filtered and paged."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .access import dashboard_view
from .audit import CANDIDATE
from .exports import Column, export_response, requested_format
from .models import AuditEvent, User

PAGE_SIZE = 50
# Counting millions of rows costs more than the page itself: count up to this many, then say "more".
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMIT inside the COUNT), so the last pages past the cap
    are not offered; filters narrow the log down instead."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


# Object types the portal records; the page shows their names instead of "kandidaten.candidate".
OBJECT_TYPES = [
    "kandidaten.candidate",
    "kandidaten.contactmoment",
    "werkgevers.introduction",
    "werkgevers.registration",
    "werkgevers.contactperson",
    "campagne.story",
    "contactpunt.user",
    # Lists exported without personal data (contactpunt.exports): recorded by type, without an id.
    "werkgevers.offer",
    "werkgevers.organisation",
    "werkgevers.cohort",
    "contactpunt.auditevent",
    "cijfers.quarterlyreport",
]
# Exports of something that is not a model: the figures page (cijfers) as Excel or CSV.
OTHER_TYPES = {"cijfers.figures": _("Figures")}
# Where an administrator can open the object itself, if it still exists.
OBJECT_PAGES = {"kandidaten.candidate": "kandidaten:candidate"}


ROLES = {**dict(User.Role.choices), CANDIDATE: _("Candidate (personal link)")}


def _type_choices() -> list[tuple[str, str]]:
    choices = []
    for label in OBJECT_TYPES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        choices.append((label, model._meta.verbose_name.capitalize()))
    return choices + list(OTHER_TYPES.items())


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=_("By"),
        queryset=User.objects.order_by("first_name", "last_name", "email"),
        empty_label=_("Everyone"),
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEvent.Action.choices, empty_label=_("All"))
    object_type = django_filters.ChoiceFilter(label=_("Object type"), choices=_type_choices, empty_label=_("All"))
    object_id = django_filters.NumberFilter(label=_("Object id"), min_value=1, max_value=2**63 - 1)
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "object_id"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-select-sm" if css == "form-select" else f"{css} form-control-sm"

    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))


def _object_url(event: AuditEvent) -> str:
    name = OBJECT_PAGES.get(event.object_type)
    if not name or not event.object_id or event.action == AuditEvent.Action.ERASE:
        return ""
    try:
        return reverse(name, args=[event.object_id])
    except NoReverseMatch:
        return ""


def _field_labels(event: AuditEvent) -> list[str]:
    try:
        meta = apps.get_model(event.object_type)._meta
    except (LookupError, ValueError):
        return list(event.fields)
    labels = []
    for name in event.fields:
        try:
            field = meta.get_field(name)
        except Exception:
            labels.append(name)
            continue
        if field.auto_created and not field.concrete and field.related_model is not None:
            label = field.related_model._meta.verbose_name_plural  # a reverse relation: contact moments
        else:
            label = getattr(field, "verbose_name", None) or name
        labels.append(capfirst(str(label)))
    return labels


@require_GET
@dashboard_view
def audit_log(request: HttpRequest) -> HttpResponse:
    """Administrators only. Queries: session, user, the actor list, the count, the page (actors joined)."""
    if not request.user.is_administrator:
        raise PermissionDenied
    audit_filter = AuditFilter(request.GET, queryset=AuditEvent.objects.select_related("actor"))
    events = audit_filter.qs if audit_filter.is_valid() else AuditEvent.objects.none()
    if export := requested_format(request):
        return _export(request, events.order_by("-created_at", "-id"), export)
    page = CappedPaginator(events.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    type_names = dict(_type_choices())
    rows = [
        {
            "event": event,
            "object_name": type_names.get(event.object_type, event.object_type),
            "object_url": _object_url(event),
            "fields": _field_labels(event),
            "role": ROLES.get(event.actor_role, event.actor_role),
        }
        for event in page.object_list
    ]
    context = {"filter": audit_filter, "page": page, "rows": rows}
    return render(request, "contactpunt/audit/log.html", context)


def _export(request: HttpRequest, events, format: str) -> HttpResponse:
    """The filtered log as a file (for an investigation or a data subject's request), recorded as one
    EXPORT row naming the log itself: a row per exported row would grow the log with every export."""
    type_names = dict(_type_choices())
    columns = [
        Column(_("When"), "created_at"),
        Column(_("By"), lambda event: str(event.actor) if event.actor_id else ""),
        Column(_("Role"), lambda event: ROLES.get(event.actor_role, event.actor_role)),
        Column(_("Action"), "get_action_display"),
        Column(_("Object type"), lambda event: type_names.get(event.object_type, event.object_type)),
        Column(_("Object id"), "object_id"),
        Column(_("Fields"), lambda event: ", ".join(_field_labels(event))),
        Column(_("Network"), "network"),
        Column(_("Browser"), "user_agent"),
        Column(_("Request id"), "request_id"),
    ]
    return export_response(
        request, rows=events, columns=columns, filename_stem="auditlog", format=format, audit_id=None
    )
