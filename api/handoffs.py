"""Hand-offs: a partner passes on someone it spoke to, with the intake's fields and validation.

The person is registered as if they had filled in the intake form themselves (the duplicate rules,
routing by postcode, consents, the confirmation e-mail and the coordinators' notice), with the
partner's conversation notes as a contact moment. An Idempotency-Key makes retries safe: the key is
claimed in the same transaction as the registration, so of concurrent requests with one key exactly
one registers and the others, once it committed, get its answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpunt.audit import Action, record
from contactpunt.models import Branch, Function, NextStep, TargetGroup
from kandidaten.forms import CandidateDetailsForm, ConsentFormMixin, active_reference_lines
from kandidaten.models import Candidate, Channel, ContactMoment, Status, TimelineEvent
from kandidaten.services import SignupChannel, candidate_register

from .models import Handoff, HandoffStatus, Partner

REFERENCE_FIELDS = {"branches": Branch, "functions": Function, "next_steps": NextStep, "target_groups": TargetGroup}
NOTES_LENGTH = 4000


class HandoffForm(ConsentFormMixin, CandidateDetailsForm):
    """The intake's fields and rules, without the honeypot and with the partner's notes."""

    conversation_notes = forms.CharField(required=False, max_length=NOTES_LENGTH, strip=True)
    conversation_channel = forms.ChoiceField(required=False, choices=Channel.choices)
    partner_reference = forms.CharField(required=False, max_length=100, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False


class HandoffInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid hand-off")
        self.errors = errors


class IdempotencyConflict(Exception):
    """The key was used before with another request body."""


@dataclass(frozen=True)
class HandoffResult:
    handoff: Handoff
    replayed: bool  # an earlier request with this key made it; this one changed nothing


def request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _form_data(data: dict[str, Any]) -> dict[str, Any]:
    """The API names reference items by slug (stable between installations); the form takes their ids.
    An unknown slug stays as it is, so that the form refuses it."""
    values = dict(data)
    for name, model in REFERENCE_FIELDS.items():
        if isinstance(values.get(name), list):
            by_slug = {line.slug: pk for pk, line in active_reference_lines(model).items()}
            values[name] = [by_slug.get(item, item) if isinstance(item, str) else item for item in values[name]]
    return values


def _replay(partner: Partner, idempotency_key: str, fingerprint: str) -> HandoffResult | None:
    earlier = Handoff.objects.select_related("candidate__region").filter(
        partner=partner, idempotency_key=idempotency_key
    )
    handoff = earlier.first()
    if handoff is None:
        return None
    if handoff.request_hash != fingerprint:
        raise IdempotencyConflict
    return HandoffResult(handoff, replayed=True)


def hand_off(*, partner: Partner, data: dict[str, Any], idempotency_key: str, origin: dict[str, str]) -> HandoffResult:
    """Register the person a partner hands off, once per Idempotency-Key; raises HandoffInvalid with
    the errors per field (nothing saved), or IdempotencyConflict."""
    fingerprint = request_hash(data)
    if idempotency_key and (earlier := _replay(partner, idempotency_key, fingerprint)):
        return earlier
    form = HandoffForm(data=_form_data(data))
    if not form.is_valid():
        raise HandoffInvalid({name: [str(message) for message in errors] for name, errors in form.errors.items()})
    try:
        with transaction.atomic():
            # Claimed first: a concurrent request with the same key waits here until this one commits.
            handoff = Handoff.objects.create(
                partner=partner,
                idempotency_key=idempotency_key,
                request_hash=fingerprint,
                partner_reference=form.cleaned_data["partner_reference"],
            )
            details = form.details()
            details["source"] = details.get("source") or partner.source
            registration = candidate_register(details=details, consents=form.consents(), channel=SignupChannel.API)
            candidate = registration.candidate
            handoff.candidate = candidate
            handoff.reported_status = handoff_status(candidate)
            handoff.save(update_fields=["candidate", "reported_status"])
            if notes := form.cleaned_data["conversation_notes"]:
                _keep_notes(candidate, partner, notes, form.cleaned_data["conversation_channel"] or Channel.PHONE)
            record(None, Action.CREATE if registration.created else Action.CHANGE, candidate, from_origin=origin)
    except IntegrityError:
        if not idempotency_key:
            raise
        earlier = _replay(partner, idempotency_key, fingerprint)
        if earlier is None:
            raise
        return earlier
    return HandoffResult(handoff, replayed=False)


def _keep_notes(candidate: Candidate, partner: Partner, notes: str, channel: str) -> None:
    """The partner's notes as a contact moment in the timeline. It is not the contact point's first
    contact: the two working days to call the person still run."""
    moment = ContactMoment.objects.create(
        candidate=candidate,
        author=None,
        channel=channel,
        happened_at=timezone.now(),
        summary=str(_("Notes of %(partner)s: %(notes)s") % {"partner": partner.name, "notes": notes}),
    )
    TimelineEvent.objects.create(
        candidate=candidate,
        kind=TimelineEvent.Kind.CONTACT,
        created_at=moment.happened_at,
        contact_moment=moment,
        data={"partner": partner.name},
    )


STATUS_OF_CANDIDATE = {
    Status.NEW: HandoffStatus.RECEIVED,
    Status.IN_CONVERSATION: HandoffStatus.CONTACTED,
    Status.REFERRED: HandoffStatus.REFERRED,
    Status.STARTED: HandoffStatus.STARTED,
    Status.STOPPED: HandoffStatus.CLOSED,
}


def handoff_status(candidate: Candidate | None) -> str:
    """What the partner may know: how far the person got, nothing about them. A candidate merged into
    another (the hand-off lost its link) or erased counts as closed."""
    if candidate is None or candidate.erased_at is not None:
        return HandoffStatus.CLOSED
    return STATUS_OF_CANDIDATE.get(candidate.status, HandoffStatus.RECEIVED)
