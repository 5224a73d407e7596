"""Retention: a warning before the period without activity ends, then erasure; and the clean-up.

The clock is moved by passing `now` to kandidaten.privacy.apply_retention, as the other services
here take it (the nightly task calls it with the real time).
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import OutboxMail
from kandidaten import privacy, services
from kandidaten.factories import CandidateFactory, ContactMomentFactory
from kandidaten.models import Candidate, Channel, PersonalLink, RetentionSettings, Source, TimelineEvent
from kandidaten.tasks import apply_retention as apply_retention_task
from werkgevers.factories import OfferFactory, RegistrationFactory
from werkgevers.models import Invitation, Registration, hash_token

from .privacy_world import EMAIL, build_world, personal_data_left, signed_in_client

pytestmark = pytest.mark.django_db


def _run(now, capture):
    with capture(execute=True):
        return privacy.apply_retention(now=now, site_url="http://testserver")


def _mails_to(address: str) -> list[OutboxMail]:
    return list(OutboxMail.objects.filter(to=address).order_by("pk"))


@pytest.fixture
def world(region_a, coordinator_a, employer_a, organisation_a, django_capture_on_commit_callbacks):
    return build_world(
        region=region_a,
        coordinator=coordinator_a,
        employer=employer_a,
        organisation=organisation_a,
        capture=django_capture_on_commit_callbacks,
    )


def _last_activity(candidate: Candidate):
    return privacy.with_last_activity(Candidate.objects.filter(pk=candidate.pk)).get().last_activity


def test_activity_is_the_latest_sign_up_contact_status_registration_introduction_or_own_action(region_a, coordinator_a):
    start = timezone.now() - timedelta(days=400)
    candidate = CandidateFactory(region=region_a, signed_up_at=start)
    assert _last_activity(candidate) == start

    TimelineEvent.objects.create(
        candidate=candidate, kind=TimelineEvent.Kind.ASSIGNMENT, created_at=start + timedelta(days=9)
    )
    assert _last_activity(candidate) == start  # an assignment is no sign of life of the person

    for days, kind in [
        (10, "contact"),
        (20, "status"),
        (30, "registration"),
        (40, "introduction"),
        (50, "self_service"),
    ]:
        TimelineEvent.objects.create(candidate=candidate, kind=kind, created_at=start + timedelta(days=days))
        assert _last_activity(candidate) == start + timedelta(days=days)


def test_the_warning_goes_30_days_before_and_not_a_day_earlier(world, django_capture_on_commit_callbacks):
    activity = _last_activity(world.candidate)
    warn_on = activity + relativedelta(months=12) - timedelta(days=30)

    assert _run(warn_on - timedelta(days=1), django_capture_on_commit_callbacks)["warned"] == 0
    before = len(_mails_to(EMAIL))
    result = _run(warn_on + timedelta(hours=1), django_capture_on_commit_callbacks)

    assert result["warned"] == 1
    warning = _mails_to(EMAIL)[before:]
    assert [mail.subject for mail in warning] == ["We verwijderen binnenkort je gegevens"]
    assert "/mijn-gegevens/" in warning[0].body_text
    assert Candidate.objects.get(pk=world.candidate.pk).erased_at is None


def test_a_rerun_sends_no_second_warning(world, django_capture_on_commit_callbacks):
    warn_on = _last_activity(world.candidate) + relativedelta(months=12) - timedelta(days=29)
    _run(warn_on, django_capture_on_commit_callbacks)

    again = _run(warn_on + timedelta(hours=2), django_capture_on_commit_callbacks)

    assert again["warned"] == 0
    warnings = TimelineEvent.objects.filter(candidate=world.candidate, data__action="retention_warning")
    assert warnings.count() == 1


def test_personal_data_is_there_the_day_before_and_gone_the_day_after_in_every_table(
    world, django_capture_on_commit_callbacks
):
    activity = _last_activity(world.candidate)
    _run(activity + relativedelta(months=12) - timedelta(days=30), django_capture_on_commit_callbacks)
    erase_on = activity + relativedelta(months=12)

    day_before = _run(erase_on - timedelta(days=1), django_capture_on_commit_callbacks)
    assert day_before["erased_inactive"] == 0
    assert len(personal_data_left()) > 10

    day_after = _run(erase_on + timedelta(days=1), django_capture_on_commit_callbacks)
    assert day_after["erased_inactive"] == 1
    assert personal_data_left() == []
    candidate = Candidate.objects.get(pk=world.candidate.pk)
    assert candidate.erased_at is not None
    assert candidate.erasure_requests.get().via == "retention"


def test_no_erasure_without_a_warning_30_days_earlier(region_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    candidate = CandidateFactory(region=region_a, signed_up_at=now - relativedelta(months=14))

    first = _run(now, django_capture_on_commit_callbacks)

    assert (first["warned"], first["erased_inactive"]) == (1, 0)
    assert _run(now + timedelta(days=29), django_capture_on_commit_callbacks)["erased_inactive"] == 0
    assert _run(now + timedelta(days=30, hours=1), django_capture_on_commit_callbacks)["erased_inactive"] == 1
    assert Candidate.objects.get(pk=candidate.pk).erased_at is not None


def test_activity_after_the_warning_keeps_the_candidate(region_a, coordinator_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    candidate = CandidateFactory(region=region_a, signed_up_at=now - relativedelta(months=12) + timedelta(days=20))
    assert _run(now, django_capture_on_commit_callbacks)["warned"] == 1

    services.contact_moment_log(
        candidate=candidate, actor=coordinator_a, details={"channel": Channel.PHONE, "summary": "Gebeld."}
    )
    later = _run(now + timedelta(days=40), django_capture_on_commit_callbacks)

    assert later["erased_inactive"] == 0
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_opening_the_personal_link_after_the_warning_keeps_the_candidate(region_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    candidate = CandidateFactory(region=region_a, signed_up_at=now - relativedelta(months=12) + timedelta(days=20))
    _run(now, django_capture_on_commit_callbacks)

    signed_in_client(candidate)

    assert _run(now + timedelta(days=40), django_capture_on_commit_callbacks)["erased_inactive"] == 0
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_the_administrator_sets_the_period(region_a, django_capture_on_commit_callbacks):
    RetentionSettings.objects.create(pk=1, inactive_months=6, warning_days=14)
    now = timezone.now()
    recent = CandidateFactory(region=region_a, signed_up_at=now - relativedelta(months=5))
    old = CandidateFactory(region=region_a, signed_up_at=now - relativedelta(months=7))

    _run(now, django_capture_on_commit_callbacks)
    result = _run(now + timedelta(days=15), django_capture_on_commit_callbacks)

    assert result["erased_inactive"] == 1
    assert Candidate.objects.get(pk=old.pk).erased_at is not None
    assert Candidate.objects.get(pk=recent.pk).erased_at is None


def test_people_who_only_came_to_an_activity_are_erased_months_after_it(
    region_a, organisation_a, coordinator_a, django_capture_on_commit_callbacks
):
    now = timezone.now()
    offer = OfferFactory(organisation=organisation_a, starts_at=now - timedelta(days=10))
    visitor = CandidateFactory(
        region=region_a, source=Source.AGENDA, situation="", signed_up_at=now - timedelta(days=20)
    )
    RegistrationFactory(offer=offer, candidate=visitor, status=Registration.Status.ATTENDED)
    talked = CandidateFactory(region=region_a, source=Source.AGENDA, signed_up_at=now - timedelta(days=20))
    RegistrationFactory(offer=offer, candidate=talked, status=Registration.Status.ATTENDED)
    ContactMomentFactory(candidate=talked, author=coordinator_a, happened_at=now - timedelta(days=19))

    six_months = now - timedelta(days=10) + relativedelta(months=6)
    assert _run(six_months - timedelta(days=1), django_capture_on_commit_callbacks)["erased_activity_only"] == 0
    assert _run(six_months + timedelta(days=1), django_capture_on_commit_callbacks)["erased_activity_only"] == 1

    assert Candidate.objects.get(pk=visitor.pk).erased_at is not None
    assert Candidate.objects.get(pk=talked.pk).erased_at is None
    assert Registration.objects.filter(offer=offer).count() == 2  # the activity's figures stay


def test_a_coming_activity_keeps_an_activity_only_visitor(region_a, organisation_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    past = OfferFactory(organisation=organisation_a, starts_at=now - relativedelta(months=8))
    coming = OfferFactory(organisation=organisation_a, starts_at=now + timedelta(days=5))
    visitor = CandidateFactory(region=region_a, source=Source.AGENDA, signed_up_at=now - relativedelta(months=9))
    RegistrationFactory(offer=past, candidate=visitor, status=Registration.Status.ATTENDED)
    RegistrationFactory(offer=coming, candidate=visitor)

    assert _run(now, django_capture_on_commit_callbacks)["erased_activity_only"] == 0


def test_sent_mails_are_deleted_after_the_set_days(db, django_capture_on_commit_callbacks):
    now = timezone.now()
    old = OutboxMail.objects.create(to="a@example.org", subject="x", body_text="x")
    young = OutboxMail.objects.create(to="b@example.org", subject="y", body_text="y")
    waiting = OutboxMail.objects.create(to="c@example.org", subject="z", body_text="z")
    OutboxMail.objects.filter(pk=old.pk).update(sent_at=now - timedelta(days=91))
    OutboxMail.objects.filter(pk=young.pk).update(sent_at=now - timedelta(days=89))

    result = _run(now, django_capture_on_commit_callbacks)

    assert result["mails_deleted"] == 1
    assert set(OutboxMail.objects.values_list("pk", flat=True)) == {young.pk, waiting.pk}


def test_expired_and_used_personal_links_are_deleted(region_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    candidate = CandidateFactory(region=region_a)
    expired = PersonalLink.objects.create(
        candidate=candidate, token_hash="a" * 64, expires_at=now - timedelta(minutes=1)
    )
    used = PersonalLink.objects.create(
        candidate=candidate, token_hash="b" * 64, expires_at=now + timedelta(hours=1), used_at=now
    )
    valid = PersonalLink.objects.create(candidate=candidate, token_hash="c" * 64, expires_at=now + timedelta(hours=1))

    _run(now, django_capture_on_commit_callbacks)

    assert list(PersonalLink.objects.all()) == [valid]
    assert not PersonalLink.objects.filter(pk__in=[expired.pk, used.pk]).exists()


def test_expired_employer_invitations_are_deleted(organisation_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    expired = Invitation.objects.create(
        organisation=organisation_a,
        email="oud@zorg.example",
        first_name="Oud",
        token_hash=hash_token("t1"),
        expires_at=now - timedelta(days=1),
    )
    open_one = Invitation.objects.create(
        organisation=organisation_a,
        email="nieuw@zorg.example",
        token_hash=hash_token("t2"),
        expires_at=now + timedelta(days=3),
    )
    accepted = Invitation.objects.create(
        organisation=organisation_a,
        email="klaar@zorg.example",
        token_hash=hash_token("t3"),
        expires_at=now - timedelta(days=3),
        accepted_at=now - timedelta(days=5),
    )

    assert _run(now, django_capture_on_commit_callbacks)["invitations_deleted"] == 1
    assert set(Invitation.objects.values_list("pk", flat=True)) == {open_one.pk, accepted.pk}
    assert not Invitation.objects.filter(pk=expired.pk).exists()


def test_image_files_left_behind_by_withdrawn_stories_are_deleted(db, django_capture_on_commit_callbacks):
    now = timezone.now()
    left_behind = default_storage.save("campagne/originelen/2026/01/oud.jpg", ContentFile(b"jpeg"))
    fresh = default_storage.save("campagne/posters/2026/12/nieuw.pdf", ContentFile(b"pdf"))
    unrelated = default_storage.save("logos/logo.png", ContentFile(b"png"))
    old = (now - timedelta(days=3)).timestamp()
    os.utime(default_storage.path(left_behind), (old, old))
    os.utime(default_storage.path(unrelated), (old, old))

    result = _run(now, django_capture_on_commit_callbacks)

    assert result["files_deleted"] == 1
    assert not default_storage.exists(left_behind)
    assert default_storage.exists(fresh)  # younger than a day: perhaps an upload in progress
    assert default_storage.exists(unrelated)


def test_the_nightly_job_is_in_the_beat_schedule_and_runs_as_a_task(region_a):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention-nightly"]
    assert entry["task"] == "kandidaten.tasks.apply_retention"

    result = apply_retention_task.delay().get()

    assert set(result) >= {"warned", "erased_inactive", "erased_activity_only", "mails_deleted", "links_deleted"}


def test_administrators_edit_the_settings_in_the_admin(administrator_client):
    changelist = administrator_client.get(reverse("admin:kandidaten_retentionsettings_changelist"))
    assert changelist.status_code == 302
    change_url = changelist["Location"]

    form = {
        "inactive_months": "18",
        "warning_days": "30",
        "activity_only_months": "6",
        "sent_mail_days": "90",
        "link_hours": "24",
    }
    saved = administrator_client.post(change_url, form)

    assert saved.status_code == 302
    assert RetentionSettings.current().inactive_months == 18
    assert RetentionSettings.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [("inactive_months", "0"), ("link_hours", "500"), ("warning_days", "-1")])
def test_bad_settings_are_refused_with_an_error(administrator_client, field, value):
    change_url = administrator_client.get(reverse("admin:kandidaten_retentionsettings_changelist"))["Location"]
    form = {
        "inactive_months": "12",
        "warning_days": "30",
        "activity_only_months": "6",
        "sent_mail_days": "90",
        "link_hours": "24",
    }

    response = administrator_client.post(change_url, {**form, field: value})

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert RetentionSettings.current().inactive_months == 12


def test_coordinators_cannot_edit_the_settings(client_a):
    response = client_a.get(reverse("admin:kandidaten_retentionsettings_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_cancel_links_of_activities_long_past_stop_working(
    region_a, organisation_a, django_capture_on_commit_callbacks
):
    from werkgevers.models import new_token
    from werkgevers.registrations import registration_by_token

    now = timezone.now()
    old_token, old_hash = new_token()
    recent_token, recent_hash = new_token()
    long_ago = OfferFactory(organisation=organisation_a, starts_at=now - relativedelta(months=7))
    last_week = OfferFactory(organisation=organisation_a, starts_at=now - timedelta(days=7))
    old = RegistrationFactory(offer=long_ago, cancel_token_hash=old_hash, status=Registration.Status.ATTENDED)
    RegistrationFactory(offer=last_week, cancel_token_hash=recent_hash, status=Registration.Status.ATTENDED)

    assert _run(now, django_capture_on_commit_callbacks)["cancel_links_retired"] == 1
    assert _run(now, django_capture_on_commit_callbacks)["cancel_links_retired"] == 0  # once

    with pytest.raises(Registration.DoesNotExist):
        registration_by_token(old_token)
    assert registration_by_token(recent_token).offer == last_week
    assert Registration.objects.filter(pk=old.pk).exists()


def test_an_erasure_confirmation_is_kept_until_its_address_is_wiped_then_deleted_like_any_mail(
    region_a, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(region=region_a, email="weg@example.org")
    erasure = privacy.erase_candidate(candidate=candidate, via="coordinator")  # not sent: no commit ran
    mail = OutboxMail.objects.get(pk=erasure.confirmation_mail_id)
    later = timezone.now() + timedelta(days=91)
    OutboxMail.objects.filter(pk=mail.pk).update(attempts=8)  # given up by the outbox

    privacy.delete_sent_mails(now=later, retention=RetentionSettings.current())
    assert OutboxMail.objects.get(pk=mail.pk).to == "weg@example.org"  # kept: the address is still to wipe

    _run(later, django_capture_on_commit_callbacks)

    assert not OutboxMail.objects.filter(to="weg@example.org").exists()
