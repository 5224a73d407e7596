"""Template helpers for the coordinator dashboard: timeline lines, labels, phone numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contactpunt.phones import format_phone
from kandidaten.models import Candidate, ConsentPurpose, Source, Status, StopReason, TimelineEvent

register = template.Library()

# Rules of `CandidateQuerySet.duplicate_pairs`, as the duplicates page names them.
DUPLICATE_RULES = {
    "name_postcode": gettext_noop("Same name and postcode"),
    "email": gettext_noop("Same e-mail address"),
    "email_local": gettext_noop("Same e-mail name, other domain"),
    "phone": gettext_noop("Same phone number"),
}


@register.filter
def phone(value: str) -> str:
    """`+31612345678` → `06 12345678`."""
    return format_phone(value) if value else ""


@register.filter
def status_label(value: str) -> str:
    return _label(Status, value)


@register.filter
def duplicate_rule(value: str) -> str:
    return _(DUPLICATE_RULES[value]) if value in DUPLICATE_RULES else value


@register.simple_tag
def current_consents(candidate: Candidate) -> list[dict]:
    """The latest answer per purpose (from the prefetched consents, newest first), in a fixed order."""
    latest = {}
    for consent in candidate.consents.all():
        latest.setdefault(consent.purpose, consent)
    return [{"purpose": label, "consent": latest.get(value)} for value, label in ConsentPurpose.choices]


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _field_label(name: str) -> str:
    try:
        return str(capfirst(Candidate._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _region(name: str | None) -> str:
    return name or _("national queue")


@dataclass
class Entry:
    """One timeline line, ready for the template."""

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)


def describe(event: TimelineEvent) -> Entry:
    data = event.data or {}
    kind = event.kind
    if kind == TimelineEvent.Kind.SIGNUP:
        by_phone = data.get("channel") == "phone"
        if data.get("repeat"):
            title = _("Signed up again by phone") if by_phone else _("Signed up again through the sign-up form")
        else:
            title = _("Signed up by phone") if by_phone else _("Signed up through the sign-up form")
        entry = Entry(title)
        if data.get("source"):
            entry.lines.append((_("Heard of us through"), _label(Source, data["source"])))
        changed = [_field_label(name) for name in data.get("changed") or [] if name != "email_key"]
        if changed:
            entry.lines.append((_("New details"), ", ".join(changed)))
        return entry
    if kind == TimelineEvent.Kind.STATUS:
        labels = {"from": _label(Status, data.get("from")), "to": _label(Status, data.get("to"))}
        entry = Entry(_("Status: %(from)s → %(to)s") % labels)
        if data.get("reason"):
            entry.lines.append((_("Reason"), _label(StopReason, data["reason"])))
        if data.get("note") == "repeat_signup":
            entry.lines.append((_("Why"), _("The candidate signed up again.")))
        elif data.get("note"):
            entry.lines.append((_("Note"), data["note"]))
        return entry
    if kind == TimelineEvent.Kind.ASSIGNMENT:
        if data.get("to"):
            return Entry(_("Assigned to %(name)s") % {"name": data["to"]})
        return Entry(_("No longer assigned to anyone"))
    if kind == TimelineEvent.Kind.EDIT:
        changed = [_field_label(name) for name in data.get("changed") or [] if name != "email_key"]
        return Entry(_("Details changed"), [(_("Changed"), ", ".join(changed))] if changed else [])
    if kind == TimelineEvent.Kind.ROUTING:
        entry = Entry(
            _("Region changed: %(from)s → %(to)s") % {"from": _region(data.get("from")), "to": _region(data.get("to"))}
        )
        if data.get("unassigned"):
            entry.lines.append((_("No longer assigned to"), data["unassigned"]))
        return entry
    if kind == TimelineEvent.Kind.MERGE:
        return Entry(
            _("Merged with %(name)s (record %(id)s)")
            % {"name": data.get("merged_name", ""), "id": data.get("merged_id", "")}
        )
    if kind == TimelineEvent.Kind.CONTACT:
        moment = event.contact_moment
        channel = moment.get_channel_display() if moment else ""
        return Entry(_("Contact moment: %(channel)s") % {"channel": channel} if channel else _("Contact moment"))
    return Entry(event.get_kind_display())


@register.inclusion_tag("kandidaten/dashboard/_timeline_event.html")
def timeline_entry(event: TimelineEvent) -> dict:
    """A timeline line: what happened, its details, who did it and when."""
    data = event.data or {}
    if event.actor_id:
        actor = str(event.actor)
    elif event.kind == TimelineEvent.Kind.SIGNUP and data.get("channel") != "phone":
        actor = _("the candidate")
    else:
        actor = _("the portal")
    return {"event": event, "entry": describe(event), "actor": actor, "moment": event.contact_moment}
