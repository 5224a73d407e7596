"""A candidate with personal data in every corner of the portal, made through the real services,
and a scan of every text and JSON column of every model for what identifies them.

Used by the erasure, erasure-request and retention tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from contactpunt import audit
from contactpunt.models import Notification, OutboxMail
from kandidaten import privacy, services
from kandidaten.factories import MatchFactory, intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import Candidate, Channel, Match
from werkgevers import cohorts, introductions, registrations
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    OfferFactory,
    PlaceOfferFactory,
    RegistrationFactory,
)
from werkgevers.models import Introduction, Registration

FIRST_NAME = "Xandrijn"
LAST_NAME = "Quelbeek"
EMAIL = "xandrijn.quelbeek@example.org"
PHONE_TYPED = "06 12398765"
# What identifies the person in any column: the names, the address, the phone number's digits.
NEEDLES = (FIRST_NAME, LAST_NAME, "xandrijn.quelbeek", "12398765")
SITE = "http://testserver"


@dataclass
class World:
    candidate: Candidate
    future_offer: object
    past_offer: object


def build_world(*, region, coordinator, employer, organisation, capture) -> World:
    """`capture`: pytest-django's django_capture_on_commit_callbacks, so that mails and tasks run."""
    with capture(execute=True):
        form = IntakeForm(
            intake_form_data(
                first_name=FIRST_NAME,
                last_name=LAST_NAME,
                email=EMAIL,
                phone=PHONE_TYPED,
                message=f"Groet van {FIRST_NAME} {LAST_NAME}",
                support_needs=f"{FIRST_NAME} heeft hulp nodig bij het Nederlands",
                diplomas=f"Diploma op naam van {LAST_NAME}",
            )
        )
        assert form.is_valid(), form.errors
        candidate = services.candidate_register(
            details=form.details(), consents=form.consents(), channel=services.SignupChannel.INTAKE
        ).candidate
    with capture(execute=True):
        services.contact_moment_log(
            candidate=candidate,
            actor=coordinator,
            details={
                "channel": Channel.PHONE,
                "summary": f"Gesprek met {FIRST_NAME} {LAST_NAME}, bereikbaar op {PHONE_TYPED}",
                "abilities": f"{FIRST_NAME} kan goed luisteren",
                "wishes": f"{FIRST_NAME} wil in de ouderenzorg",
                "agreed_next_step": f"{FIRST_NAME} gaat meelopen",
            },
        )
        future_offer = OfferFactory(organisation=organisation)
        registrations.registration_by_coordinator(
            offer=future_offer, candidate=candidate, actor=coordinator, site_url=SITE, now=timezone.now()
        )
        past_offer = OfferFactory(
            organisation=organisation,
            starts_at=timezone.now() - timedelta(days=30),
        )
        RegistrationFactory(offer=past_offer, candidate=candidate, status=Registration.Status.ATTENDED)
        place = PlaceOfferFactory(organisation=organisation)
        introduction = introductions.introduction_create(
            candidate=candidate,
            offer=place,
            note=f"{FIRST_NAME} {LAST_NAME} is erg gemotiveerd",
            actor=coordinator,
            site_url=SITE,
        )
        introductions.introduction_answer(
            introduction=introduction,
            invite=False,
            reason=f"{FIRST_NAME} past nu niet",
            actor=employer,
            site_url=SITE,
        )
        second = PlaceOfferFactory(organisation=organisation)
        introductions.introduction_create(
            candidate=candidate,
            offer=second,
            note=f"Nog een voorstel voor {FIRST_NAME}",
            actor=coordinator,
            site_url=SITE,
        )
        cohort = CohortFactory(region=region)
        pledge = CohortPledgeFactory(cohort=cohort, organisation=organisation)
        cohorts.cohort_place(cohort=cohort, pledge=pledge, candidate=candidate, actor=coordinator)
        MatchFactory(
            candidate=candidate,
            offer=OfferFactory(organisation=organisation),
            status=Match.Status.REJECTED,
            reject_reason=Match.RejectReason.OTHER,
            reject_note=f"{FIRST_NAME} wil dit niet",
            reasons=[{"code": "note", "text": f"{FIRST_NAME} woont dichtbij"}],
        )
        services.candidate_change_status(
            candidate=candidate,
            status="in_conversation",
            actor=coordinator,
            note=f"Weer in gesprek, {FIRST_NAME} belt terug",
        )
        privacy.request_link(email=EMAIL, site_url=SITE)
        Notification.objects.create(user=coordinator, kind="new_candidate", title=f"{FIRST_NAME} belde", url="")
        LogEntry.objects.create(
            user=coordinator,
            content_type=ContentType.objects.get_for_model(Candidate),
            object_id=str(candidate.pk),
            object_repr=str(candidate),
            action_flag=CHANGE,
            change_message="[]",
        )
        audit.record(coordinator, audit.Action.VIEW, candidate)
    assert Introduction.objects.filter(candidate=candidate).count() == 2
    assert OutboxMail.objects.filter(to=EMAIL).exists()
    return World(candidate=Candidate.objects.get(pk=candidate.pk), future_offer=future_offer, past_offer=past_offer)


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def personal_data_left(needles=NEEDLES) -> list[str]:
    """Every model's text and JSON columns, every row: "app.Model.field" where a needle still shows."""
    found: list[str] = []
    lowered = [needle.lower() for needle in needles]
    for model in apps.get_models(include_auto_created=True):
        fields = [field for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)]
        if not fields:
            continue
        names = [field.attname for field in fields]
        for row in model._base_manager.values_list(*names):
            for name, value in zip(names, row, strict=True):
                text = str(value).lower()
                for needle in lowered:
                    if needle in text:
                        found.append(f"{model._meta.label}.{name} ({needle})")
    return sorted(set(found))


def signed_in_client(candidate: Candidate, **client_kwargs):
    """A browser that opened the candidate's personal link (through the real pages)."""
    import secrets

    from django.test import Client
    from django.urls import reverse

    from kandidaten.models import PersonalLink

    token = secrets.token_urlsafe(32)
    PersonalLink.objects.create(
        candidate=candidate, token_hash=privacy.hash_token(token), expires_at=timezone.now() + timedelta(hours=1)
    )
    client = Client(**client_kwargs)
    client.get(reverse("kandidaten:privacy_link", args=[token]))
    response = client.post(reverse("kandidaten:privacy_open"))
    assert response.status_code == 302, response.status_code
    return client
