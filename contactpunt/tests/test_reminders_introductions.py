"""Introductions without an answer: a reminder to the employer after 5 working days, then the coordinator
after 10 (cannot be switched off), so that the candidate is never left without an answer."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contactpunt import reminders
from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification, OutboxMail
from contactpunt.notifications import Choice, preferences_save
from kandidaten.factories import CandidateFactory
from kandidaten.models import Status
from werkgevers.factories import ContactPersonFactory, IntroductionFactory, PlaceOfferFactory
from werkgevers.models import Introduction

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=7, minute=30):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


WEDNESDAY = at(2026, 3, 4, 10)  # the introduction


@pytest.fixture
def contact(organisation_a):
    return ContactPersonFactory(organisation=organisation_a, name="Joke Bakker", email="joke@zorggroep-noord.example")


@pytest.fixture
def introduction(region_a, organisation_a, coordinator_a, contact):
    anna = CandidateFactory(region=region_a, first_name="Ydwine", last_name="Zwaagstra", status=Status.REFERRED)
    offer = PlaceOfferFactory(
        organisation=organisation_a, location=organisation_a.locations.get(), contact_person=contact, title="BBL VIG"
    )
    return IntroductionFactory(candidate=anna, offer=offer, introduced_by=coordinator_a, created_at=WEDNESDAY)


def mails(subject_start):
    return list(OutboxMail.objects.filter(subject__startswith=subject_start).order_by("to"))


@pytest.mark.parametrize("day", [at(2026, 3, 9), at(2026, 3, 10), at(2026, 3, 11)], ids=["mon", "tue", "wed"])
def test_no_reminder_before_five_full_working_days(introduction, employer_a, day):
    # Monday is five calendar days later, but only three working days: the weekend does not count.
    assert reminders.send_introduction_reminders(day) == 0
    assert not OutboxMail.objects.exists()
    assert not Notification.objects.exists()


def test_the_employer_is_reminded_after_five_working_days(introduction, employer_a, employer_b, coordinator_a, contact):
    assert reminders.send_introduction_reminders(at(2026, 3, 12)) == 1

    reminder = mails("Herinnering")
    assert [mail.to for mail in reminder] == ["joke@zorggroep-noord.example", employer_a.email]
    mail = reminder[1]
    assert mail.subject == 'Herinnering: een voorstel voor "BBL VIG" wacht op je antwoord'
    assert "Op 4 maart 2026 heeft een regiocoördinator van Noord-Nederland een kandidaat aan je voorgesteld" in (
        mail.body_text
    )
    assert f"http://127.0.0.1:8000/werkgever/voorstellen/{introduction.pk}/" in mail.body_text
    # An e-mail to an employer never carries the candidate's personal data.
    for mail in reminder:
        assert "Ydwine" not in mail.body_text + mail.body_html and "Zwaagstra" not in mail.body_text + mail.body_html
    [row] = Notification.objects.all()
    assert row.user == employer_a
    assert row.title == 'Een voorstel voor "BBL VIG" van 4 maart wacht op je antwoord'
    assert row.url == f"/werkgever/voorstellen/{introduction.pk}/"
    assert not Notification.objects.filter(user__in=[employer_b, coordinator_a]).exists()


def test_a_contact_person_with_an_account_gets_it_once(introduction, employer_a, contact):
    contact.user = employer_a
    contact.save()

    reminders.send_introduction_reminders(at(2026, 3, 12))

    assert [mail.to for mail in mails("Herinnering")] == [employer_a.email]
    assert Notification.objects.filter(user=employer_a).count() == 1


def test_an_employer_who_switched_reminders_off_gets_none_the_contact_person_still_does(introduction, employer_a):
    preferences_save(user=employer_a, choices={"introduction_reminder": Choice(email=False, in_app=False)})

    reminders.send_introduction_reminders(at(2026, 3, 12))

    assert [mail.to for mail in mails("Herinnering")] == ["joke@zorggroep-noord.example"]
    assert not Notification.objects.exists()


def test_running_twice_reminds_once(introduction, employer_a):
    reminders.send_introduction_reminders(at(2026, 3, 12))
    reminders.send_introduction_reminders(at(2026, 3, 12, 7, 35))
    reminders.send_introduction_reminders(at(2026, 3, 13))

    assert len(mails("Herinnering")) == 2  # the contact person and the employer user, once each
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "status", [Introduction.Status.INVITED, Introduction.Status.NOT_SUITABLE, Introduction.Status.WITHDRAWN]
)
def test_an_answered_or_closed_introduction_needs_no_reminder(introduction, employer_a, status):
    Introduction.objects.filter(pk=introduction.pk).update(status=status)

    assert reminders.send_introduction_reminders(at(2026, 3, 20)) == 0
    assert not OutboxMail.objects.exists()


def test_after_ten_working_days_the_coordinator_takes_over(introduction, employer_a, coordinator_a, coordinator_b):
    reminders.send_introduction_reminders(at(2026, 3, 12))
    assert reminders.send_introduction_reminders(at(2026, 3, 18)) == 0  # nine working days

    assert reminders.send_introduction_reminders(at(2026, 3, 19)) == 1

    [row] = Notification.objects.filter(user=coordinator_a)
    assert row.title == 'Geen antwoord van Zorggroep Noord na 10 werkdagen: Ydwine ("BBL VIG")'
    assert row.url == f"/dashboard/kandidaten/{introduction.candidate_id}/"
    [mail] = mails("Geen antwoord")
    assert mail.to == coordinator_a.email
    assert mail.subject == "Geen antwoord van Zorggroep Noord over Ydwine"
    assert "Zorg dat Ydwine niet zonder antwoord blijft" in mail.body_text
    assert not Notification.objects.filter(user=coordinator_b).exists()
    assert Notification.objects.filter(user=employer_a).count() == 1  # no second reminder to the employer


def test_a_job_that_did_not_run_for_a_while_sends_both_at_once(introduction, employer_a, coordinator_a):
    assert reminders.send_introduction_reminders(at(2026, 3, 19)) == 2

    assert len(mails("Herinnering")) == 2
    assert len(mails("Geen antwoord")) == 1


def test_the_escalation_cannot_be_switched_off(introduction, coordinator_a):
    preferences_save(user=coordinator_a, choices={"introduction_escalated": Choice(email=False, in_app=False)})

    reminders.send_introduction_reminders(at(2026, 3, 19))

    assert Notification.objects.filter(user=coordinator_a, kind="introduction_escalated").count() == 1
    assert len(mails("Geen antwoord")) == 1


def test_when_the_introducer_left_the_coordinators_of_the_region_take_over(
    introduction, coordinator_a, coordinator_b, region_a
):
    colleague = CoordinatorFactory(regions=[region_a])
    coordinator_a.is_active = False
    coordinator_a.save()

    reminders.send_introduction_reminders(at(2026, 3, 19))

    assert list(Notification.objects.filter(kind="introduction_escalated").values_list("user", flat=True)) == [
        colleague.pk
    ]


def test_the_escalation_is_sent_once(introduction, coordinator_a):
    reminders.send_introduction_reminders(at(2026, 3, 19))
    reminders.send_introduction_reminders(at(2026, 3, 20))

    assert len(mails("Geen antwoord")) == 1


def test_no_reminders_on_a_public_holiday(region_a, organisation_a, coordinator_a, employer_a):
    offer = PlaceOfferFactory(organisation=organisation_a, location=organisation_a.locations.get())
    IntroductionFactory(offer=offer, candidate=CandidateFactory(region=region_a), created_at=at(2026, 3, 2, 10))

    assert reminders.send_introduction_reminders(at(2026, 4, 6)) == 0  # Tweede paasdag
    assert reminders.send_introduction_reminders(at(2026, 4, 7)) == 2
