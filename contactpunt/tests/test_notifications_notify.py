"""notify(): in-app rows and outbox mails written with the event, as each user chose, once per dedupe key."""

import pytest
from django.db import transaction

from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification, NotificationPreference, NotificationStamp, OutboxMail
from contactpunt.notifications import (
    REGISTRY,
    Choice,
    IntroductionEscalated,
    NewCandidate,
    get_kind,
    kinds_for,
    notify,
    preferences_save,
)
from kandidaten.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(region_a):
    return CandidateFactory(region=region_a, first_name="Anna", place="Groningen", signup_event=False)


def tell(candidate, recipients, **kwargs):
    return notify(
        NewCandidate,
        recipients=recipients,
        context={"candidate": candidate, "region": candidate.region, "reopened": False},
        **kwargs,
    )


def test_a_user_gets_an_in_app_row_and_an_email_in_dutch(
    coordinator_a, anna, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivered = tell(anna, [coordinator_a])

    [row] = Notification.objects.filter(user=coordinator_a)
    assert row.kind == "new_candidate"
    assert row.title == "Nieuwe kandidaat in Noord-Nederland: Anna uit Groningen"
    assert row.url == f"/dashboard/kandidaten/{anna.pk}/"
    assert row.read_at is None
    assert delivered.notifications == [row]
    [mail] = mailoutbox
    assert mail.to == [coordinator_a.email]
    assert mail.subject == "Nieuwe kandidaat in Noord-Nederland: Anna"
    assert "Anna uit Groningen heeft zich aangemeld bij het contactpunt Noord-Nederland." in mail.body
    assert "We hebben beloofd binnen 2 werkdagen contact op te nemen." in mail.body
    # Background jobs have no request: links come from SITE_URL.
    assert f"http://127.0.0.1:8000/dashboard/kandidaten/{anna.pk}/" in mail.body
    assert "http://127.0.0.1:8000/account/meldingen/" in mail.body
    html = mail.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/dashboard/kandidaten/{anna.pk}/"' in html


def test_an_address_gets_the_email_only(anna, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(anna, ["Regio.Noord@Contactpunt.example"])

    assert not Notification.objects.exists()
    [mail] = mailoutbox
    assert mail.to == ["Regio.Noord@Contactpunt.example"]
    assert "Hallo," in mail.body
    assert "/account/meldingen/" not in mail.body  # no account, no settings to change


def test_each_person_once_even_when_named_twice_or_by_address_too(coordinator_a, anna):
    tell(anna, [coordinator_a, coordinator_a, coordinator_a.email.upper(), "x@example.org", "X@example.org "])

    assert Notification.objects.filter(user=coordinator_a).count() == 1
    assert sorted(OutboxMail.objects.values_list("to", flat=True)) == [coordinator_a.email, "x@example.org"]


def test_inactive_users_get_nothing(region_a, anna):
    gone = CoordinatorFactory(regions=[region_a], is_active=False)

    tell(anna, [gone])

    assert not Notification.objects.exists()
    assert not OutboxMail.objects.exists()


def test_switched_off_email_gives_only_the_in_app_row(coordinator_a, anna):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=False, in_app=True)})

    tell(anna, [coordinator_a])

    assert Notification.objects.filter(user=coordinator_a).count() == 1
    assert not OutboxMail.objects.exists()


def test_switched_off_in_app_gives_only_the_email(coordinator_a, anna):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=True, in_app=False)})

    tell(anna, [coordinator_a])

    assert not Notification.objects.exists()
    assert OutboxMail.objects.get().to == coordinator_a.email


def test_the_digest_choice_holds_back_the_email_but_not_the_in_app_row(coordinator_a, anna):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=True, in_app=True, digest=True)})

    tell(anna, [coordinator_a])

    assert Notification.objects.filter(user=coordinator_a).count() == 1
    assert not OutboxMail.objects.exists()


def test_a_kind_that_cannot_be_switched_off_ignores_a_stored_choice(coordinator_a):
    # Even a row written directly (an old choice, an admin edit) does not silence an escalation.
    NotificationPreference.objects.create(
        user=coordinator_a, kind=IntroductionEscalated.name, email=False, in_app=False
    )
    preferences_save(user=coordinator_a, choices={"introduction_escalated": Choice(email=False, in_app=False)})

    kind = get_kind(IntroductionEscalated)
    stored = NotificationPreference.objects.get(user=coordinator_a, kind=kind.name)
    assert kind.choice(stored) == Choice(email=True, in_app=True)


def test_a_dedupe_key_sends_once_per_recipient(coordinator_a, coordinator_b, anna):
    first = tell(anna, [coordinator_a], dedupe_key="anna")
    again = tell(anna, [coordinator_a, coordinator_b], dedupe_key="anna")

    assert len(first.notifications) == 1
    assert [row.user for row in again.notifications] == [coordinator_b]  # only the one who had nothing yet
    assert Notification.objects.filter(user=coordinator_a).count() == 1
    assert OutboxMail.objects.filter(to=coordinator_a.email).count() == 1
    assert NotificationStamp.objects.filter(kind="new_candidate", key="anna").count() == 2


def test_the_same_key_of_another_kind_is_another_notification(coordinator_a, anna):
    tell(anna, [coordinator_a], dedupe_key="1")

    assert not NotificationStamp.objects.filter(kind="introduction_escalated", key="1").exists()
    assert NotificationStamp.objects.filter(kind="new_candidate", key="1").count() == 1


def test_nothing_is_written_when_the_event_rolls_back(
    coordinator_a, anna, mailoutbox, django_capture_on_commit_callbacks
):
    class EventFailed(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EventFailed), transaction.atomic():
        tell(anna, [coordinator_a], dedupe_key="anna")
        raise EventFailed

    assert not Notification.objects.exists()
    assert not OutboxMail.objects.exists()
    assert not NotificationStamp.objects.exists()
    assert mailoutbox == []
    # The stamp went with the rollback, so the job that retries does send.
    assert len(tell(anna, [coordinator_a], dedupe_key="anna").notifications) == 1


def test_names_with_markup_are_stored_as_plain_text(coordinator_a, region_a):
    candidate = CandidateFactory(region=region_a, first_name="Anne & Co", place="Groningen", signup_event=False)

    tell(candidate, [coordinator_a])

    assert Notification.objects.get().title == "Nieuwe kandidaat in Noord-Nederland: Anne & Co uit Groningen"


def test_every_kind_names_its_templates_and_roles(coordinator_a, employer_a, administrator):
    assert set(REGISTRY) == {
        "new_candidate",
        "daily_digest",
        "introduction_update",
        "introduction_escalated",
        "cohort_below_minimum",
        "introduction_reminder",
        "activity_tomorrow",
        "offer_expiring",
        "activity_reminder",
        "story_submitted",
        "story_published",
        "story_sent_back",
    }
    assert [kind.name for kind in kinds_for(coordinator_a)] == [
        "new_candidate",
        "daily_digest",
        "introduction_update",
        "introduction_escalated",
        "cohort_below_minimum",
        "story_submitted",
        "story_published",
        "story_sent_back",
    ]
    assert [kind.name for kind in kinds_for(employer_a)] == [
        "cohort_below_minimum",
        "introduction_reminder",
        "activity_tomorrow",
        "offer_expiring",
        "story_published",
        "story_sent_back",
    ]
    assert [kind.name for kind in kinds_for(administrator)] == [
        "introduction_update",
        "introduction_escalated",
        "story_published",
        "story_sent_back",
    ]
