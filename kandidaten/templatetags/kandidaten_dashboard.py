"""Template helpers for the coordinator dashboard: timeline lines, labels, phone numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
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
        if data.get("channel") == "api":
            title = _("Handed off again by a partner") if data.get("repeat") else _("Handed off by a partner")
        elif data.get("repeat"):
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
        elif data.get("note") in STATUS_NOTES:
            entry.lines.append((_("Why"), _(STATUS_NOTES[data["note"]])))
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
    if kind == TimelineEvent.Kind.INTRODUCTION:
        return _describe_introduction(data)
    if kind == TimelineEvent.Kind.REGISTRATION:
        return _describe_registration(data)
    if kind == TimelineEvent.Kind.COHORT:
        return _describe_cohort(data)
    if kind in (TimelineEvent.Kind.SELF_SERVICE, TimelineEvent.Kind.PRIVACY):
        from ..privacy import describe_privacy_event  # privacy builds on this app's models

        title, lines = describe_privacy_event(data)
        return Entry(title, lines)
    return Entry(event.get_kind_display())


# Steps of an introduction to an employer (werkgevers.introductions), by the status they lead to.
INTRODUCTION_TITLES = {
    "proposed": gettext_noop("Introduced to %(organisation)s for %(offer)s"),
    "invited": gettext_noop("Invited by %(organisation)s for %(offer)s"),
    "not_suitable": gettext_noop("Not suitable for %(offer)s, says %(organisation)s"),
    "started": gettext_noop("Started at %(organisation)s (%(offer)s)"),
    "not_started": gettext_noop("Did not start at %(organisation)s (%(offer)s)"),
    "started_elsewhere": gettext_noop("Introduction to %(organisation)s closed: started elsewhere (%(offer)s)"),
    "withdrawn": gettext_noop("Introduction to %(organisation)s withdrawn (%(offer)s)"),
}
# Steps of an activity registration (werkgevers.registrations): `action`, or an older `status`.
REGISTRATION_TITLES = {
    "signed_up": gettext_noop("Signed up for %(offer)s"),
    "confirmed": gettext_noop("Signed up for %(offer)s"),
    "waiting": gettext_noop("On the waiting list for %(offer)s"),
    "promoted": gettext_noop("From the waiting list to a place at %(offer)s"),
    "cancelled": gettext_noop("Cancelled the registration for %(offer)s"),
    "attended": gettext_noop("Attended %(offer)s"),
    "absent": gettext_noop("Did not come to %(offer)s"),
}
# Why a candidate's status moved because of something elsewhere (the `note` of the status change).
STATUS_NOTES = {
    "introduction": gettext_noop("Introduced to an employer."),
    "introduction_started": gettext_noop("Started at an employer."),
    "introductions_closed": gettext_noop("No introduction to an employer is open any more."),
    "cohort": gettext_noop("Placed in a BBL class."),
    "registration": gettext_noop("Signed up for an activity."),
}


def _text(value) -> str:
    """A value from an event's data as text: the data is stored JSON, anything may be in it."""
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)


def _local_date(value, with_time: bool = False) -> str:
    """An ISO date or date-time from an event's data, the Dutch way; the text itself if it is not one."""
    text = _text(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if with_time and moment.tzinfo is not None:
        return date_format(timezone.localtime(moment), "j F Y H:i")
    return date_format(moment.date(), "j F Y")


def _describe_introduction(data: dict) -> Entry:
    names = {
        "offer": _text(data.get("offer")) or _("an offer"),
        "organisation": _text(data.get("organisation")) or _("an employer"),
    }
    event = _text(data.get("event"))
    if event in INTRODUCTION_TITLES:
        entry = Entry(_(INTRODUCTION_TITLES[event]) % names)
    else:
        entry = Entry(_("Introduction to an employer"), [(_("Offer"), names["offer"])])
    if note := _text(data.get("note")):
        entry.lines.append((_("Note for the employer"), note))
    if reason := _text(data.get("reason")):
        entry.lines.append((_("Reason"), reason))
    return entry


def _describe_registration(data: dict) -> Entry:
    offer = _text(data.get("offer")) or _("an activity")
    action = _text(data.get("action") or data.get("status"))
    if action in REGISTRATION_TITLES:
        entry = Entry(_(REGISTRATION_TITLES[action]) % {"offer": offer})
    else:
        entry = Entry(_("Activity registration"), [(_("Activity"), offer)])
    if organisation := _text(data.get("organisation")):
        entry.lines.append((_("Employer"), organisation))
    if starts_at := data.get("starts_at"):
        entry.lines.append((_("Date"), _local_date(starts_at, with_time=True)))
    position = data.get("position")
    if action == "waiting" and isinstance(position, int):
        entry.lines.append((_("Place on the waiting list"), str(position)))
    return entry


def _describe_cohort(data: dict) -> Entry:
    cohort = _text(data.get("cohort")) or _("a BBL class")
    if _text(data.get("event")) in ("", "placed"):
        entry = Entry(_("Placed in BBL class %(cohort)s") % {"cohort": cohort})
    else:
        entry = Entry(_("BBL class"), [(_("Class"), cohort)])
    if organisation := _text(data.get("organisation")):
        entry.lines.append((_("Employer"), organisation))
    if school := _text(data.get("school")):
        entry.lines.append((_("School"), school))
    if start := data.get("start_date"):
        entry.lines.append((_("Start"), _local_date(start)))
    return entry


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
