"""Daily warnings: a BBL class below its minimum four weeks before the start (once per class), and an
offer about to expire (once per offer, reason and date)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contactpunt import reminders
from contactpunt.factories import CoordinatorFactory
from contactpunt.models import Notification, OutboxMail
from kandidaten.factories import CandidateFactory
from werkgevers.factories import (
    CohortFactory,
    CohortPledgeFactory,
    ContactPersonFactory,
    EmployerFactory,
    LocationFactory,
    OfferFactory,
    OrganisationFactory,
    PlaceOfferFactory,
)
from werkgevers.models import CohortPlacement, Offer, OfferKind

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MONDAY = datetime(2026, 3, 2, 7, 45, tzinfo=AMSTERDAM)


def subjects_to(address):
    return sorted(OutboxMail.objects.filter(to=address).values_list("subject", flat=True))


# BBL classes ------------------------------------------------------------------------------------------


def cohort_with(region, *, start, placed, pledges):
    cohort = CohortFactory(name="BBL-carrousel VIG Noord", school="Noorderpoort", region=region, start_date=start)
    made = [CohortPledgeFactory(cohort=cohort, organisation=organisation, places=4) for organisation in pledges]
    for _ in range(placed):
        candidate = CandidateFactory(region=region, signup_event=False)
        CohortPlacement.objects.create(cohort=cohort, pledge=made[0], candidate=candidate)
    return cohort


@pytest.fixture
def short_class(region_a, organisation_a, organisation_b):
    return cohort_with(region_a, start=date(2026, 3, 23), placed=3, pledges=[organisation_a, organisation_b])


def test_a_class_below_its_minimum_warns_its_region_and_the_pledging_employers(
    short_class, coordinator_a, coordinator_b, employer_a, employer_b, region_a
):
    bystander = EmployerFactory(organisation=OrganisationFactory(home_region=region_a))
    colleague = CoordinatorFactory(regions=[region_a])

    assert reminders.send_cohort_warnings(MONDAY) == 1

    users = set(Notification.objects.values_list("user", flat=True))
    assert users == {coordinator_a.pk, colleague.pk, employer_a.pk, employer_b.pk}
    assert subjects_to(bystander.email) == [] and subjects_to(coordinator_b.email) == []
    row = Notification.objects.get(user=coordinator_a)
    assert row.title == "BBL-klas BBL-carrousel VIG Noord begint op 23 maart met 3 van minimaal 16 deelnemers"
    assert row.url == f"/dashboard/bbl-klassen/{short_class.pk}/"
    assert Notification.objects.get(user=employer_a).url == f"/werkgever/bbl-klassen/{short_class.pk}/"
    [to_coordinator] = OutboxMail.objects.filter(to=coordinator_a.email)
    assert to_coordinator.subject == "BBL-klas BBL-carrousel VIG Noord zit onder het minimum"
    assert (
        "De BBL-klas BBL-carrousel VIG Noord (Noorderpoort) begint op 23 maart 2026, over 21 dagen. Er zijn 3 "
        "deelnemers geplaatst van de minimaal 16 (8 plekken toegezegd door werkgevers): er zijn nog 13 deelnemers "
        "nodig om de klas te laten starten."
    ) in to_coordinator.body_text
    assert "Plaats kandidaten op de toegezegde plekken" in to_coordinator.body_text
    [to_employer] = OutboxMail.objects.filter(to=employer_a.email)
    assert "Kun je meer plekken toezeggen" in to_employer.body_text


def test_the_warning_comes_once_per_class(short_class, coordinator_a):
    reminders.send_cohort_warnings(MONDAY)
    reminders.send_cohort_warnings(MONDAY + timedelta(minutes=1))
    reminders.send_cohort_warnings(MONDAY + timedelta(days=1))

    assert Notification.objects.filter(user=coordinator_a).count() == 1
    assert len(subjects_to(coordinator_a.email)) == 1


@pytest.mark.parametrize(
    ("start", "placed"),
    [(date(2026, 3, 23), 16), (date(2026, 4, 6), 3), (date(2026, 3, 1), 3)],
    ids=["minimum-reached", "five-weeks-away", "started"],
)
def test_no_warning_for_a_full_class_or_outside_the_four_weeks(region_a, organisation_a, coordinator_a, start, placed):
    cohort_with(region_a, start=start, placed=placed, pledges=[organisation_a])

    assert reminders.send_cohort_warnings(MONDAY) == 0
    assert not OutboxMail.objects.exists()


def test_a_class_starting_in_exactly_four_weeks_warns(region_a, organisation_a, coordinator_a):
    cohort_with(region_a, start=date(2026, 3, 30), placed=0, pledges=[organisation_a])

    assert reminders.send_cohort_warnings(MONDAY) == 1


# Offers about to expire --------------------------------------------------------------------------------


@pytest.fixture
def contact(organisation_a):
    return ContactPersonFactory(organisation=organisation_a, name="Joke Bakker", email="joke@zorggroep-noord.example")


def place(organisation, contact, valid_until, **fields):
    return PlaceOfferFactory(
        organisation=organisation,
        location=organisation.locations.get(),
        contact_person=contact,
        title=fields.pop("title", "BBL VIG"),
        valid_until=valid_until,
        **fields,
    )


def open_day(organisation, contact, starts_at, **fields):
    return OfferFactory(
        organisation=organisation,
        location=organisation.locations.get(),
        contact_person=contact,
        kind=OfferKind.OPEN_HUIS,
        title="Open huis De Linde",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        **fields,
    )


def test_a_place_open_for_seven_more_days_at_most_warns_the_employer_users(
    organisation_a, contact, employer_a, employer_b, coordinator_a
):
    offer = place(organisation_a, contact, date(2026, 3, 7))
    place(organisation_a, contact, date(2026, 3, 10), title="Nog lang open")

    assert reminders.send_offer_expiry_warnings(MONDAY) == 1

    [row] = Notification.objects.all()
    assert row.user == employer_a
    assert row.title == '"BBL VIG" staat open tot en met 7 maart'
    assert row.url == f"/werkgever/aanbod/{offer.pk}/"
    [mail] = OutboxMail.objects.filter(to=employer_a.email)
    assert (
        'Je aanbod "BBL VIG" staat open tot en met zaterdag 7 maart 2026. Na die datum kunnen regiocoördinatoren er '
        "geen kandidaten meer voor voorstellen."
    ) in mail.body_text
    assert "Pas de datum aan in het portaal" in mail.body_text
    # The employer users are told; the contact person only when nobody has an account.
    assert subjects_to("joke@zorggroep-noord.example") == []
    assert subjects_to(employer_b.email) == [] and subjects_to(coordinator_a.email) == []


def test_without_employer_users_the_contact_person_is_told(organisation_a, contact):
    place(organisation_a, contact, date(2026, 3, 3))

    reminders.send_offer_expiry_warnings(MONDAY)

    assert subjects_to("joke@zorggroep-noord.example") == ['"BBL VIG" staat open tot en met 3 maart']


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.EXPIRED])
def test_no_warning_for_an_offer_that_is_not_published(organisation_a, contact, employer_a, status):
    place(organisation_a, contact, date(2026, 3, 5), status=status)

    assert reminders.send_offer_expiry_warnings(MONDAY) == 0


def test_no_warning_once_the_date_has_passed(organisation_a, contact, employer_a):
    place(organisation_a, contact, date(2026, 3, 1))

    assert reminders.send_offer_expiry_warnings(MONDAY) == 0


def test_once_per_offer_and_date_and_again_when_the_date_moves(organisation_a, contact, employer_a):
    offer = place(organisation_a, contact, date(2026, 3, 7))
    reminders.send_offer_expiry_warnings(MONDAY)
    reminders.send_offer_expiry_warnings(MONDAY + timedelta(days=1))
    assert Notification.objects.count() == 1

    Offer.objects.filter(pk=offer.pk).update(valid_until=date(2026, 3, 9))
    reminders.send_offer_expiry_warnings(MONDAY + timedelta(days=2))

    assert list(Notification.objects.order_by("pk").values_list("title", flat=True)) == [
        '"BBL VIG" staat open tot en met 7 maart',
        '"BBL VIG" staat open tot en met 9 maart',
    ]


def test_an_activity_within_three_days_that_nobody_signed_up_for_warns(organisation_a, contact, employer_a):
    offer = open_day(organisation_a, contact, MONDAY + timedelta(days=2))
    open_day(organisation_a, contact, MONDAY + timedelta(days=2), registered_count=1)
    open_day(organisation_a, contact, MONDAY + timedelta(days=4))

    assert reminders.send_offer_expiry_warnings(MONDAY) == 1

    [row] = Notification.objects.all()
    assert row.title == 'Nog niemand aangemeld voor "Open huis De Linde" op 4 maart'
    assert row.url == f"/werkgever/aanbod/{offer.pk}/"
    [mail] = OutboxMail.objects.filter(to=employer_a.email)
    assert 'Je activiteit "Open huis De Linde" op woensdag 4 maart 2026 begint over 2 dagen' in mail.body_text
    assert reminders.send_offer_expiry_warnings(MONDAY + timedelta(hours=1)) == 0


def test_warnings_run_together(organisation_a, contact, employer_a, region_a):
    place(organisation_a, contact, date(2026, 3, 7))
    cohort_with(region_a, start=date(2026, 3, 23), placed=0, pledges=[organisation_a])
    LocationFactory(organisation=organisation_a)

    assert reminders.send_warnings(MONDAY) == 2
