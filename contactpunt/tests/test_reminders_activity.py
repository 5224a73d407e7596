"""The afternoon before an activity: the people with a place get a reminder (where, when, how to cancel),
the employer gets who comes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contactpunt import reminders
from contactpunt.models import Notification, OutboxMail
from kandidaten.factories import CandidateFactory
from werkgevers.factories import ContactPersonFactory, OfferFactory, RegistrationFactory
from werkgevers.models import Offer, OfferKind, Registration

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


THURSDAY = at(2026, 3, 5, 16)  # the job runs; the activity is on Friday


@pytest.fixture
def contact(organisation_a):
    return ContactPersonFactory(organisation=organisation_a, name="Joke Bakker", email="joke@zorggroep-noord.example")


def activity(organisation, starts_at, contact=None, **fields):
    location = organisation.locations.get()
    extra = {"contact_person": contact} if contact else {}
    return OfferFactory(
        organisation=organisation,
        location=location,
        kind=OfferKind.OPEN_HUIS,
        title=fields.pop("title", "Open huis De Linde"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        **extra,
        **fields,
    )


def registration(offer, first_name, last_name, status=Registration.Status.CONFIRMED):
    candidate = CandidateFactory(
        region=offer.location.region, first_name=first_name, last_name=last_name, signup_event=False
    )
    return RegistrationFactory(offer=offer, candidate=candidate, status=status)


@pytest.fixture
def open_day(organisation_a, contact):
    offer = activity(organisation_a, at(2026, 3, 6, 10), contact=contact)
    registration(offer, "Anna", "Zwaagstra")
    registration(offer, "Bram", "de Boer")
    registration(offer, "Carla", "Wachter", Registration.Status.WAITING)
    registration(offer, "Dirk", "Afzegger", Registration.Status.CANCELLED)
    Offer.objects.filter(pk=offer.pk).update(registered_count=2)
    return offer


def mails_to(address):
    return list(OutboxMail.objects.filter(to=address))


def test_people_with_a_place_get_where_when_and_how_to_cancel(open_day):
    hashes = dict(Registration.objects.values_list("pk", "cancel_token_hash"))

    reminders.send_activity_reminders(THURSDAY)

    anna = open_day.registrations.get(candidate__first_name="Anna").candidate
    [mail] = mails_to(anna.email)
    assert mail.subject == "Morgen: Open huis De Linde"
    assert mail.body_text.startswith("Hallo Anna,")
    assert "Morgen is Open huis De Linde van Zorggroep Noord. Je bent aangemeld: we zien je graag!" in mail.body_text
    assert "De Linde, Zorgstraat 1, 9711 AB Groningen" in mail.body_text
    assert "vrijdag 6 maart 2026" in mail.body_text
    assert "Meld je dan af met de link in de e-mail waarin je plek werd bevestigd" in mail.body_text
    assert "Joke Bakker" in mail.body_text
    assert f"http://127.0.0.1:8000/agenda/{open_day.pk}/" in mail.body_text
    # No new cancel link: the old ones stay valid and no token is sent again.
    assert "/agenda/afmelden/" not in mail.body_text + mail.body_html
    assert dict(Registration.objects.values_list("pk", "cancel_token_hash")) == hashes
    bram = open_day.registrations.get(candidate__first_name="Bram").candidate
    assert len(mails_to(bram.email)) == 1
    for name in ("Carla", "Dirk"):
        assert mails_to(open_day.registrations.get(candidate__first_name=name).candidate.email) == []


def test_the_employer_hears_who_comes(open_day, employer_a, employer_b, coordinator_a):
    reminders.send_activity_reminders(THURSDAY)

    [row] = Notification.objects.all()
    assert row.user == employer_a
    assert row.title == "Morgen: Open huis De Linde, 2 aanmeldingen"
    assert row.url == f"/werkgever/aanbod/{open_day.pk}/aanmeldingen/"
    for address in (employer_a.email, "joke@zorggroep-noord.example"):
        [mail] = mails_to(address)
        assert mail.subject == "Morgen: Open huis De Linde, 2 aanmeldingen"
        assert "Aangemeld (2):\n- Anna Zwaagstra\n- Bram de Boer\n" in mail.body_text
        assert "1 persoon staat op de wachtlijst." in mail.body_text
        assert "Carla" not in mail.body_text and "Dirk" not in mail.body_text
        assert "<li>Anna Zwaagstra</li>" in mail.body_html
    assert mails_to(employer_b.email) == [] and mails_to(coordinator_a.email) == []


def test_running_twice_sends_once(open_day, employer_a):
    first = reminders.send_activity_reminders(THURSDAY)
    again = reminders.send_activity_reminders(THURSDAY + timedelta(minutes=5))

    assert (first, again) == (2 + 2 + 1, 0)  # two people, two employer e-mails and one in-app row
    assert OutboxMail.objects.count() == 4


def test_only_activities_of_tomorrow_dutch_time(organisation_a, contact):
    for starts_at, title in [
        (at(2026, 3, 5, 23, 30), "Vanavond"),
        (at(2026, 3, 6, 0, 30), "Vannacht"),
        (at(2026, 3, 6, 23, 30), "Morgenavond"),
        (at(2026, 3, 7, 0, 30), "Overmorgen"),
    ]:
        registration(activity(organisation_a, starts_at, contact=contact, title=title), "Anna", title)

    reminders.send_activity_reminders(THURSDAY)

    to_candidates = OutboxMail.objects.filter(subject__regex=r"^Morgen: [^,]+$")
    subjects = sorted(set(to_candidates.values_list("subject", flat=True)))
    assert subjects == ["Morgen: Morgenavond", "Morgen: Vannacht"]


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.EXPIRED])
def test_no_reminder_for_an_activity_that_is_not_going_ahead(open_day, status):
    Offer.objects.filter(pk=open_day.pk).update(status=status)

    assert reminders.send_activity_reminders(THURSDAY) == 0
    assert not OutboxMail.objects.exists()


def test_a_full_activity_is_going_ahead(open_day, employer_a):
    Offer.objects.filter(pk=open_day.pk).update(status=Offer.Status.FULL)

    assert reminders.send_activity_reminders(THURSDAY) == 5


def test_nobody_signed_up_means_no_summary(organisation_a, employer_a, contact):
    activity(organisation_a, at(2026, 3, 6, 10), contact=contact)

    assert reminders.send_activity_reminders(THURSDAY) == 0
    assert not Notification.objects.exists()
