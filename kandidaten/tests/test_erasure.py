"""Erasure anonymises a candidate in every table and keeps the anonymous counts."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from contactpunt.models import AuditEvent, Notification, OutboxMail
from kandidaten import privacy, services
from kandidaten.factories import intake_form_data
from kandidaten.forms import IntakeForm
from kandidaten.models import (
    Candidate,
    Consent,
    ContactMoment,
    ErasureRequest,
    Match,
    PersonalLink,
    Status,
    StopReason,
    TimelineEvent,
)
from werkgevers.models import CohortPlacement, Introduction, Registration

from .privacy_world import EMAIL, FIRST_NAME, build_world, personal_data_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region_a, coordinator_a, employer_a, organisation_a, django_capture_on_commit_callbacks):
    return build_world(
        region=region_a,
        coordinator=coordinator_a,
        employer=employer_a,
        organisation=organisation_a,
        capture=django_capture_on_commit_callbacks,
    )


def _counts(candidate_id: int) -> dict:
    """What the figures count: none of it may change with an erasure."""
    candidate = Candidate.objects.get(pk=candidate_id)
    return {
        "per_region": list(Candidate.objects.values("region").annotate(n=Count("pk")).order_by("region")),
        "per_source": list(Candidate.objects.values("source").annotate(n=Count("pk")).order_by("source")),
        "signed_up_at": candidate.signed_up_at,
        "first_contact_at": candidate.first_contact_at,
        "pc4": candidate.pc4,
        "branches": sorted(candidate.branches.values_list("pk", flat=True)),
        "functions": sorted(candidate.functions.values_list("pk", flat=True)),
        "situation": candidate.situation,
        "education_level": candidate.education_level,
        "contact_moments": ContactMoment.objects.filter(candidate_id=candidate_id).count(),
        "registrations": Registration.objects.filter(candidate_id=candidate_id).count(),
        "introductions": Introduction.objects.filter(candidate_id=candidate_id).count(),
        "placements": CohortPlacement.objects.filter(candidate_id=candidate_id).count(),
        "status_changes": list(
            TimelineEvent.objects.filter(candidate_id=candidate_id, kind=TimelineEvent.Kind.STATUS)
            .order_by("created_at", "pk")
            .values_list("data__from", "data__to")
        ),
    }


def test_before_erasure_the_scan_finds_the_person_in_many_tables(world):
    left = personal_data_left()
    tables = {entry.split(".")[1] for entry in left}
    assert {"Candidate", "ContactMoment", "TimelineEvent", "Introduction", "Match", "OutboxMail"} <= tables
    assert "Notification" in tables and "LogEntry" in tables


def test_erasure_leaves_nothing_that_identifies_the_person_in_any_table(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)

    assert personal_data_left() == []


def test_erasure_keeps_the_anonymous_counts(world, django_capture_on_commit_callbacks):
    before = _counts(world.candidate.pk)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)
    after = _counts(world.candidate.pk)

    # One more status change: an open candidate is closed with the reason "erased".
    assert after.pop("status_changes") == [*before.pop("status_changes"), ("in_conversation", "stopped")]
    assert after == before
    candidate = Candidate.objects.get(pk=world.candidate.pk)
    assert (candidate.status, candidate.stop_reason) == (Status.STOPPED, StopReason.ERASED)
    assert candidate.region_id == world.candidate.region_id
    assert candidate.source == world.candidate.source
    assert candidate.erased_at is not None
    assert candidate.full_name == f"Erased candidate #{candidate.pk}" or "#" in candidate.full_name


def test_erasure_cancels_future_places_withdraws_open_introductions_and_keeps_history(world):
    privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)

    future = Registration.objects.get(candidate=world.candidate, offer=world.future_offer)
    past = Registration.objects.get(candidate=world.candidate, offer=world.past_offer)
    assert future.status == Registration.Status.CANCELLED
    assert past.status == Registration.Status.ATTENDED
    world.future_offer.refresh_from_db()
    assert world.future_offer.registered_count == 0
    assert not Introduction.objects.filter(candidate=world.candidate, status__in=Introduction.OPEN).exists()
    assert not Introduction.objects.filter(candidate=world.candidate).exclude(note="", reason="").exists()
    assert not Match.objects.filter(candidate=world.candidate).exclude(reject_note="").exists()
    assert not Consent.objects.filter(candidate=world.candidate).exists()
    assert not PersonalLink.objects.filter(candidate=world.candidate).exists()


def test_the_confirmation_goes_to_the_person_and_then_loses_the_address(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erasure = privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)

    assert [message.to for message in mailoutbox] == [[EMAIL]]
    assert mailoutbox[0].subject == "Je gegevens zijn verwijderd"
    assert FIRST_NAME not in mailoutbox[0].body
    erasure.refresh_from_db()
    mail = OutboxMail.objects.get(pk=erasure.confirmation_mail_id)
    assert mail.sent_at is not None
    assert mail.to == ""


def test_notifications_about_the_person_are_reworded_not_lost(world, coordinator_a):
    count = Notification.objects.filter(user=coordinator_a).count()
    privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)

    assert Notification.objects.filter(user=coordinator_a).count() == count
    assert not Notification.objects.filter(title__icontains=FIRST_NAME).exists()


def test_the_audit_log_records_the_erasure_by_id_and_holds_no_personal_data(world, coordinator_a):
    privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR, actor=coordinator_a)

    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (event.object_type, event.object_id, event.actor) == (
        "kandidaten.candidate",
        world.candidate.pk,
        coordinator_a,
    )
    assert [entry for entry in personal_data_left() if "AuditEvent" in entry] == []


def test_erasing_twice_is_refused_and_changes_nothing(world):
    privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)
    events = TimelineEvent.objects.filter(candidate=world.candidate).count()

    with pytest.raises(privacy.PrivacyRefused) as refused:
        privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)

    assert refused.value.code == "already_erased"
    assert TimelineEvent.objects.filter(candidate=world.candidate).count() == events
    assert ErasureRequest.objects.filter(candidate=world.candidate).count() == 1


def test_after_erasure_the_same_person_can_sign_up_again_as_someone_new(world):
    privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR)
    form = IntakeForm(intake_form_data(email=EMAIL, phone="06 12398765"))
    assert form.is_valid(), form.errors

    registration = services.candidate_register(
        details=form.details(), consents=form.consents(), channel=services.SignupChannel.INTAKE
    )

    assert registration.created
    assert registration.candidate.pk != world.candidate.pk
    assert privacy.candidate_for_email(EMAIL) == registration.candidate


def test_an_erased_candidate_cannot_get_a_personal_link(world, mailoutbox, django_capture_on_commit_callbacks):
    privacy.erase_candidate(candidate=world.candidate, via=ErasureRequest.Via.COORDINATOR, confirm=False)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert privacy.request_link(email=EMAIL, site_url="http://testserver", now=timezone.now()) is None

    assert mailoutbox == []


def test_erased_candidates_are_nobodys_duplicates(client_a, region_a):
    from django.urls import reverse

    from kandidaten.factories import CandidateFactory

    first, second = CandidateFactory(region=region_a), CandidateFactory(region=region_a)
    for candidate in (first, second):
        privacy.erase_candidate(candidate=candidate, via=ErasureRequest.Via.COORDINATOR, confirm=False)

    assert Candidate.objects.filter(region=region_a).duplicate_pairs() == []
    page = client_a.get(reverse("kandidaten:duplicates")).content.decode()
    assert f"#{first.pk}" not in page and f"#{second.pk}" not in page
