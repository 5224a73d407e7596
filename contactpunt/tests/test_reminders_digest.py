"""The daily digest at 08:00 on working days: new matches, overdue candidates and (for those who chose
it) new candidates of the coordinator's regions since the last digest; never empty, never twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings

from contactpunt import reminders, tasks
from contactpunt.factories import CoordinatorFactory
from contactpunt.models import NotificationStamp, OutboxMail
from contactpunt.notifications import Choice, preferences_save
from kandidaten.factories import CandidateFactory
from kandidaten.models import Match, Status
from werkgevers.factories import OfferFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=8, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


MONDAY = at(2026, 3, 2)  # 08:00
FRIDAY = at(2026, 2, 27)


def candidate(region, first_name, signed_up_at, **fields):
    return CandidateFactory(
        region=region, first_name=first_name, place="Groningen", signed_up_at=signed_up_at, signup_event=False, **fields
    )


def digests(address):
    mails = OutboxMail.objects.filter(to=address, subject__startswith="Je dagoverzicht")
    return list(mails.order_by("created_at", "pk"))


def test_the_digest_lists_the_overdue_candidates_of_my_regions_only(coordinator_a, coordinator_b, region_a, region_b):
    tom = candidate(region_a, "Tom", at(2026, 2, 24, 10))  # Tuesday: four working days ago
    candidate(region_a, "Fenna", at(2026, 2, 27, 10))  # Friday: one working day, not overdue yet
    candidate(region_a, "Sanne", at(2026, 2, 20, 10), first_contact_at=at(2026, 2, 21, 9))  # called already
    candidate(region_a, "Piet", at(2026, 2, 20, 10), status=Status.STOPPED, stop_reason="moved")
    candidate(region_b, "Bram", at(2026, 2, 24, 10))

    sent = reminders.send_daily_digests(MONDAY)

    assert sent == 2
    [mail] = digests(coordinator_a.email)
    assert mail.subject == "Je dagoverzicht van maandag 2 maart"
    assert "Dit vraagt vandaag je aandacht:" in mail.body_text
    assert "Wachten te lang op een eerste contact (1)" in mail.body_text
    line = f"- Tom uit Groningen, wacht 4 werkdagen: http://127.0.0.1:8000/dashboard/kandidaten/{tom.pk}/"
    assert line in mail.body_text
    for name in ("Fenna", "Sanne", "Piet", "Bram"):
        assert name not in mail.body_text
    [mail_b] = digests(coordinator_b.email)
    assert "Bram uit Groningen" in mail_b.body_text and "Tom" not in mail_b.body_text


def test_an_empty_digest_is_not_sent(coordinator_a, region_a):
    candidate(region_a, "Fenna", at(2026, 2, 27, 10))

    assert reminders.send_daily_digests(MONDAY) == 0
    assert not OutboxMail.objects.exists()


def test_running_twice_sends_once(coordinator_a, region_a):
    candidate(region_a, "Tom", at(2026, 2, 24, 10))

    assert reminders.send_daily_digests(MONDAY) == 1
    assert reminders.send_daily_digests(MONDAY.replace(minute=5)) == 0

    assert len(digests(coordinator_a.email)) == 1
    assert NotificationStamp.objects.filter(kind="daily_digest", key="2026-03-02").count() == 1


@pytest.mark.parametrize("day", [at(2026, 2, 28), at(2026, 3, 1), at(2026, 4, 6)], ids=["sat", "sun", "easter-monday"])
def test_no_digest_on_days_off(coordinator_a, region_a, day):
    candidate(region_a, "Tom", at(2026, 2, 10, 10))

    assert reminders.send_daily_digests(day) == 0
    assert not OutboxMail.objects.exists()


def test_new_candidates_since_the_last_digest_for_those_who_chose_the_digest(coordinator_a, region_a):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=True, in_app=True, digest=True)})
    immediate = CoordinatorFactory(email="direct@contactpunt.example", regions=[region_a])
    candidate(region_a, "Tom", at(2026, 2, 24, 10))  # overdue: so both get a digest on Friday
    reminders.send_daily_digests(FRIDAY)
    candidate(region_a, "Thursday", at(2026, 2, 26, 15))  # before Friday's digest
    saturday = candidate(region_a, "Saturday", at(2026, 2, 28, 11))
    candidate(region_a, "Later", at(2026, 3, 2, 9))  # after this digest

    reminders.send_daily_digests(MONDAY)

    mail = digests(coordinator_a.email)[-1]
    assert "Nieuwe kandidaten (1)" in mail.body_text
    assert (
        f"- Saturday uit Groningen, aangemeld 28-02 11:00: http://127.0.0.1:8000/dashboard/kandidaten/{saturday.pk}/"
        in mail.body_text
    )
    assert "Thursday" not in mail.body_text.split("Nieuwe kandidaten")[1].split("Wachten")[0]
    assert "Later" not in mail.body_text
    assert "Nieuwe kandidaten" not in digests(immediate.email)[-1].body_text


def test_the_first_digest_looks_back_one_day(coordinator_a, region_a):
    preferences_save(user=coordinator_a, choices={"new_candidate": Choice(email=True, in_app=True, digest=True)})
    candidate(region_a, "Sunday", at(2026, 3, 1, 12))
    candidate(region_a, "Saturday", at(2026, 2, 28, 12))

    reminders.send_daily_digests(MONDAY)

    [mail] = digests(coordinator_a.email)
    assert "Nieuwe kandidaten (1)" in mail.body_text and "Sunday uit Groningen" in mail.body_text


def test_a_switched_off_digest_is_not_sent(coordinator_a, region_a):
    preferences_save(user=coordinator_a, choices={"daily_digest": Choice(email=False, in_app=False)})
    candidate(region_a, "Tom", at(2026, 2, 24, 10))

    assert reminders.send_daily_digests(MONDAY) == 0
    assert not OutboxMail.objects.exists()


def test_new_matches_of_my_regions_are_in_the_digest(coordinator_a, region_a, region_b, organisation_a):
    anna = candidate(region_a, "Anna", at(2026, 2, 27, 10), first_contact_at=at(2026, 2, 27, 11))
    bram = candidate(region_b, "Bram", at(2026, 2, 27, 10), first_contact_at=at(2026, 2, 27, 11))
    offer = OfferFactory(organisation=organisation_a, title="Meeloopdag De Linde")
    other = OfferFactory(organisation=organisation_a, title="Open huis De Linde")
    Match.objects.create(candidate=anna, offer=offer, score=82, created_at=at(2026, 3, 2, 2, 30))
    Match.objects.create(
        candidate=anna, offer=other, score=90, status=Match.Status.REJECTED, created_at=at(2026, 3, 2, 2, 30)
    )
    Match.objects.create(candidate=bram, offer=offer, score=75, created_at=at(2026, 3, 2, 2, 30))

    reminders.send_daily_digests(MONDAY)

    [mail] = digests(coordinator_a.email)
    assert "Nieuwe matches (1)" in mail.body_text
    line = f"- Anna en Meeloopdag De Linde (score 82): http://127.0.0.1:8000/dashboard/kandidaten/{anna.pk}/"
    assert line in mail.body_text
    assert "Open huis" not in mail.body_text and "Bram" not in mail.body_text


def test_a_long_section_shows_ten_lines_and_links_to_the_full_list(coordinator_a, region_a):
    for number in range(12):
        candidate(region_a, f"Kandidaat{number:02d}", at(2026, 2, 20, 10))

    reminders.send_daily_digests(MONDAY)

    [mail] = digests(coordinator_a.email)
    assert "Wachten te lang op een eerste contact (12)" in mail.body_text
    assert mail.body_text.count("uit Groningen, wacht") == 10
    assert "Bekijk de hele lijst: http://127.0.0.1:8000/dashboard/?overdue=on&sort=waiting" in mail.body_text
    assert "Bekijk de hele lijst" in mail.body_html


# Per batch of coordinators: their ids, the users, their regions, their choices (4). Per coordinator:
# SAVEPOINT, the previous digest, the stamp (look, SAVEPOINT, INSERT, RELEASE), new matches (count; the
# lines only when there are any), overdue candidates (count, lines), the outbox row, RELEASE (11).
DIGEST_QUERIES = 4 + 11


@pytest.mark.parametrize("count", [3, 40])
def test_the_digest_query_count_does_not_grow_with_the_candidates(
    coordinator_a, region_a, count, django_assert_num_queries
):
    for number in range(count):
        candidate(region_a, f"Kandidaat{number:02d}", at(2026, 2, 20, 10))

    with django_assert_num_queries(DIGEST_QUERIES):
        assert reminders.send_daily_digests(MONDAY) == 1


def test_beat_runs_the_digest_at_eight_on_working_days_in_dutch_time():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]

    assert entry["task"] == "contactpunt.tasks.send_daily_digests"
    assert entry["schedule"] == crontab(hour=8, minute=0, day_of_week="mon-fri")
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"


def test_every_periodic_task_is_registered_and_runs(coordinator_a):
    schedule = settings.CELERY_BEAT_SCHEDULE
    names = {
        "notifications-introduction-reminders": "contactpunt.tasks.send_introduction_reminders",
        "notifications-warnings": "contactpunt.tasks.send_warnings",
        "notifications-daily-digest": "contactpunt.tasks.send_daily_digests",
        "notifications-activity-tomorrow": "contactpunt.tasks.send_activity_reminders",
    }
    assert {name: schedule[name]["task"] for name in names} == names
    assert schedule["notifications-introduction-reminders"]["schedule"] == crontab(
        hour=7, minute=30, day_of_week="mon-fri"
    )
    assert schedule["notifications-activity-tomorrow"]["schedule"] == crontab(hour=16, minute=0)
    for task in (
        tasks.send_daily_digests,
        tasks.send_introduction_reminders,
        tasks.send_warnings,
        tasks.send_activity_reminders,
    ):
        assert task.name in names.values()
        assert task.delay().get() == 0  # nothing to do, and it ran
