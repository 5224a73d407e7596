"""With a worker (production) the public intake stores the sign-up as it came in and answers; the
worker registers it as a candidate and follows it up, once, also when the broker lost the task and the
sweep finds it later. Tasks run eagerly here: running the request's on-commit callbacks is the worker."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import AuditEvent, Branch, Notification, OutboxMail
from kandidaten import privacy
from kandidaten.factories import CandidateFactory, intake_form_data
from kandidaten.models import Candidate, ConsentPurpose, PendingSignup, TimelineEvent
from kandidaten.public_signup import PENDING_SWEEPS, register_pending_signup
from kandidaten.tasks import sweep_pending_signups

pytestmark = pytest.mark.django_db

URL = "/aanmelden/"
CONFIRMATION = "We hebben je aanmelding ontvangen"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture(autouse=True)
def with_a_worker(settings):
    settings.INTAKE_REGISTERS_IN_WORKER = True


@pytest.fixture
def coordinator(region_a):
    return CoordinatorFactory(regions=[region_a], email="coordinator@contactpunt.example")


def sign_up(client, **typed):
    return client.post(URL, intake_form_data(**typed), REMOTE_ADDR="192.0.2.17", HTTP_USER_AGENT=FIREFOX)


def test_the_request_stores_the_sign_up_and_names_the_contact_point_before_the_worker_comes(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = sign_up(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/aanmelden/bedankt/"
    pending = PendingSignup.objects.get()
    assert pending.details["email"] == "anna.devries@example.org"
    assert pending.details["branches"] == [Branch.objects.get(slug="vvt").pk]
    assert pending.consents == {"contact": True, "share_with_employers": True, "campaign_news": False}
    assert not Candidate.objects.exists()
    assert not OutboxMail.objects.exists()
    assert len(callbacks) == 1  # one task for the broker

    done = client.get("/aanmelden/bedankt/")
    assert "Anna" in done.content.decode()
    assert "Noord-Nederland" in done.content.decode()


def test_the_worker_registers_the_sign_up_with_everything_the_visitor_gave_and_follows_it_up(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, source_tag="poster-groningen")

    candidate = Candidate.objects.get()
    assert not PendingSignup.objects.exists()
    assert candidate.email == "anna.devries@example.org"
    assert candidate.region.name == "Noord-Nederland"
    assert candidate.source_tag == "poster-groningen"
    assert candidate.hours_per_week == 24
    assert set(candidate.branches.values_list("slug", flat=True)) == {"vvt"}
    assert set(candidate.next_steps.values_list("slug", flat=True)) == {"meeloopdag", "bbl"}
    assert dict(candidate.consents.values_list("purpose", "granted")) == {
        ConsentPurpose.CONTACT: True,
        ConsentPurpose.SHARE_WITH_EMPLOYERS: True,
        ConsentPurpose.CAMPAIGN_NEWS: False,
    }
    event = candidate.timeline.get(kind=TimelineEvent.Kind.SIGNUP)
    assert event.followed_up_at is not None
    assert OutboxMail.objects.filter(to="anna.devries@example.org", subject=CONFIRMATION).count() == 1
    assert Notification.objects.filter(user=coordinator).count() == 1
    audit = AuditEvent.objects.get(object_type="kandidaten.candidate", object_id=candidate.pk)
    assert (audit.action, audit.actor) == ("create", None)
    assert (audit.network, audit.user_agent) == ("192.0.2.0/24", "Firefox/Windows")


def test_the_candidate_is_signed_up_when_the_visitor_sent_it_not_when_the_worker_came(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sign_up(client)
    sent_at = timezone.now() - timedelta(minutes=5)
    PendingSignup.objects.update(received_at=sent_at)

    callbacks[0]()

    candidate = Candidate.objects.get()
    assert candidate.signed_up_at == sent_at
    assert candidate.timeline.get(kind=TimelineEvent.Kind.SIGNUP).created_at == sent_at


def test_a_repeat_sign_up_is_merged_into_the_known_candidate_by_the_worker(
    client, coordinator, django_capture_on_commit_callbacks
):
    known = CandidateFactory(email="anna.devries@example.org", region=coordinator.regions.get(), message="")

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, message="Ik heb nog een vraag.")

    assert list(Candidate.objects.all()) == [known]
    known.refresh_from_db()
    assert known.message == "Ik heb nog een vraag."
    assert AuditEvent.objects.get(object_id=known.pk, object_type="kandidaten.candidate").action == "change"
    assert not PendingSignup.objects.exists()


def test_a_task_that_comes_twice_registers_the_sign_up_once(client, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        sign_up(client)
    pending = PendingSignup.objects.get()

    assert register_pending_signup(pending.pk) is True
    assert register_pending_signup(pending.pk) is False
    callbacks[0]()  # the task the broker still had

    assert Candidate.objects.count() == 1
    assert OutboxMail.objects.filter(subject=CONFIRMATION).count() == 1
    assert Notification.objects.count() == 1


def test_a_branch_switched_off_before_the_worker_came_still_counts(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        sign_up(client)
    Branch.objects.filter(slug="vvt").update(active=False)

    callbacks[0]()

    assert list(Candidate.objects.get().branches.values_list("slug", flat=True)) == ["vvt"]


def test_the_sweep_queues_sign_ups_the_broker_lost_after_a_minute_and_only_those(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # the tasks are dropped: the broker was down
        sign_up(client)
        sign_up(client, email="bram@example.org", phone="06 87654321", first_name="Bram")
    PendingSignup.objects.filter(details__email="anna.devries@example.org").update(
        received_at=timezone.now() - timedelta(minutes=2)
    )

    assert sweep_pending_signups.delay().get() == 1  # eager: the registration runs at once

    assert list(Candidate.objects.values_list("email", flat=True)) == ["anna.devries@example.org"]
    assert list(PendingSignup.objects.values_list("details__email", flat=True)) == ["bram@example.org"]
    assert OutboxMail.objects.filter(to="anna.devries@example.org", subject=CONFIRMATION).count() == 1
    assert sweep_pending_signups.delay().get() == 0


def test_the_sweep_gives_up_after_eight_tries_and_says_so_in_the_log(
    client, coordinator, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks():
        sign_up(client)
    PendingSignup.objects.update(received_at=timezone.now() - timedelta(minutes=30), sweeps=PENDING_SWEEPS - 1)

    with patch("kandidaten.tasks.register_signup.delay"):  # whatever made every registration fail
        assert sweep_pending_signups.delay().get() == 1
        assert "queued them for the last time" in caplog.text
        assert sweep_pending_signups.delay().get() == 0

    assert PendingSignup.objects.get().sweeps == PENDING_SWEEPS


def test_retention_deletes_a_sign_up_that_was_never_registered_after_a_month(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        sign_up(client)
    received = PendingSignup.objects.get().received_at

    privacy.apply_retention(now=received + timedelta(days=privacy.PENDING_SIGNUP_DAYS - 1))
    assert PendingSignup.objects.exists()

    result = privacy.apply_retention(now=received + timedelta(days=privacy.PENDING_SIGNUP_DAYS, hours=1))
    assert result["pending_signups_deleted"] == 1
    assert not PendingSignup.objects.exists()
