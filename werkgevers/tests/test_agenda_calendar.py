"""Calendar files: one activity (/agenda/<pk>/agenda.ics), the confirmation's attachment, and an
organisation's public feed (/agenda/werkgever/<pk>.ics). Each is parsed back with icalendar."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from werkgevers.factories import ContactPersonFactory, OfferFactory, RegistrationFactory, agenda_signup_data
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shared_data(settings, tmp_path):
    settings.GEODATA_DIR = tmp_path / "no-geodata"


START = (datetime.now(UTC) + timedelta(days=100)).replace(hour=13, minute=30, second=0, microsecond=0)


@pytest.fixture
def offer(organisation_a):
    contact = ContactPersonFactory(
        organisation=organisation_a, name="Ingrid Bakker", email="ingrid@zorggroepnoord.example"
    )
    return OfferFactory(
        organisation=organisation_a,
        location=organisation_a.locations.get(),
        contact_person=contact,
        kind=OfferKind.OPEN_HUIS,
        title="Open huis; koffie, thee en een rondleiding",
        description="Kom kijken hoe wij werken.\nIedereen is welkom.",
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
    )


def parse(text: str) -> Calendar:
    calendar = Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return calendar


def test_the_activity_file_is_a_valid_calendar_with_one_event(client, offer):
    response = client.get(reverse("werkgevers:activity_ics", args=[offer.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content.decode())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Open huis; koffie, thee en een rondleiding"
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(minutes=90)
    assert event["DTSTART"].to_ical().endswith(b"Z")  # UTC
    assert str(event["LOCATION"]) == "De Linde, Zorgstraat 1, 9711 AB Groningen"
    assert "Kom kijken hoe wij werken.\nIedereen is welkom." in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"activiteit-{offer.pk}@testserver"
    assert event["ORGANIZER"].params["CN"] == "Zorggroep Noord"
    assert str(event["URL"]) == f"http://testserver/agenda/{offer.pk}/"
    assert event.decoded("DTSTAMP").tzinfo is not None


def test_the_public_file_has_no_personal_address(client, offer):
    text = client.get(reverse("werkgevers:activity_ics", args=[offer.pk])).content.decode()

    assert "ingrid" not in text.lower()
    assert "mailto:noreply@contactpunt.example" in text


def test_the_file_of_an_activity_not_on_the_agenda_is_not_available(client, offer):
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.DRAFT)

    assert client.get(reverse("werkgevers:activity_ics", args=[offer.pk])).status_code == 404


def test_the_confirmation_attachment_has_the_same_event_and_the_contact_persons_address(
    client, offer, region_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("werkgevers:activity_signup", args=[offer.pk]), agenda_signup_data())

    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert (filename, mimetype) == ("activiteit.ics", "text/calendar")
    (event,) = parse(content).walk("VEVENT")
    assert str(event["UID"]) == f"activiteit-{offer.pk}@testserver"
    assert event.decoded("DTSTART") == START
    assert str(event["ORGANIZER"]) == "mailto:ingrid@zorggroepnoord.example"
    assert "Zorgstraat 1" in str(event["LOCATION"])
    # Nothing about the person who signed up.
    assert "fatima" not in content.lower()


def test_the_organisation_feed_lists_its_public_activities_only(client, offer, organisation_a, organisation_b):
    OfferFactory(organisation=organisation_a, title="Intern overleg", visibility=Offer.Visibility.COORDINATORS)
    OfferFactory(organisation=organisation_a, title="Concept", status=Offer.Status.DRAFT)
    OfferFactory(organisation=organisation_b, title="Van een ander")
    later = OfferFactory(organisation=organisation_a, title="Speeddate", kind=OfferKind.SPEEDDATE)
    RegistrationFactory(offer=later)

    response = client.get(reverse("werkgevers:organisation_feed", args=[organisation_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content.decode())
    assert str(calendar["X-WR-CALNAME"]) == "Activiteiten van Zorggroep Noord"
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert summaries == ["Open huis; koffie, thee en een rondleiding", "Speeddate"]
    text = response.content.decode()
    assert "@example.org" not in text
    assert "ingrid" not in text.lower()


def test_the_feed_of_an_organisation_without_activities_is_an_empty_calendar(client, organisation_b):
    calendar = parse(client.get(reverse("werkgevers:organisation_feed", args=[organisation_b.pk])).content.decode())

    assert calendar.walk("VEVENT") == []


def test_the_feed_of_an_unknown_organisation_is_404(client, db):
    assert client.get(reverse("werkgevers:organisation_feed", args=[424242])).status_code == 404


def test_the_feed_runs_a_fixed_number_of_queries(client, organisation_a, django_assert_num_queries):
    for number in range(5):
        OfferFactory(organisation=organisation_a, starts_at=timezone.now() + timedelta(days=number + 1))

    # 1. SAVEPOINT  2. the organisation  3. its activities with organisation, location, branch and contact
    # 4. RELEASE SAVEPOINT
    with django_assert_num_queries(4):
        response = client.get(reverse("werkgevers:organisation_feed", args=[organisation_a.pk]))

    assert len(parse(response.content.decode()).walk("VEVENT")) == 5
