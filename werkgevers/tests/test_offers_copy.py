"""Copy an offer (a recurring open day): a new draft with the same fields, dates empty or moved on."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import EducationLevel, Function, TargetGroup
from werkgevers.factories import OfferFactory, PlaceOfferFactory
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def copy_url(offer: Offer) -> str:
    return reverse("werkgevers:offer_copy", args=[offer.pk])


@pytest.fixture
def open_day(organisation_a):
    offer = OfferFactory(
        organisation=organisation_a,
        kind=OfferKind.OPEN_HUIS,
        title="Open huis De Linde",
        capacity=30,
        signup_deadline=timezone.now() + timedelta(days=12),
        max_introductions_per_week=3,
        visibility=Offer.Visibility.COORDINATORS,
        functions=Function.objects.filter(slug__in=["vig", "helpende"]),
    )
    offer.target_groups.set(TargetGroup.objects.filter(slug="herintreder"))
    Offer.objects.filter(pk=offer.pk).update(registered_count=12)
    offer.refresh_from_db()
    return offer


def the_copy(original: Offer) -> Offer:
    return Offer.objects.exclude(pk=original.pk).get()


def test_a_copy_is_a_draft_with_the_same_fields_and_empty_dates(employer_a_client, employer_a, open_day):
    response = employer_a_client.post(copy_url(open_day), {"weeks": ""})

    copy = the_copy(open_day)
    assert response.status_code == 302
    assert response.url == reverse("werkgevers:offer_edit", args=[copy.pk])
    assert copy.status == Offer.Status.DRAFT
    assert copy.created_by == employer_a
    assert copy.published_at is None
    assert copy.registered_count == 0
    for name in ("kind", "title", "description", "branch_id", "location_id", "contact_person_id", "capacity"):
        assert getattr(copy, name) == getattr(open_day, name), name
    assert copy.visibility == Offer.Visibility.COORDINATORS
    assert copy.max_introductions_per_week == 3
    assert set(copy.functions.all()) == set(open_day.functions.all())
    assert list(copy.target_groups.values_list("slug", flat=True)) == ["herintreder"]
    assert copy.starts_at is None and copy.ends_at is None and copy.signup_deadline is None


def test_the_edit_page_of_the_copy_asks_for_the_dates(employer_a_client, open_day):
    response = employer_a_client.post(copy_url(open_day), {}, follow=True)

    page = response.content.decode()
    assert "Er is een kopie gemaakt als concept. Kies de datums en bewaar." in page
    assert 'value="Open huis De Linde"' in page


def test_a_copy_moves_every_date_by_the_chosen_weeks(employer_a_client, open_day):
    employer_a_client.post(copy_url(open_day), {"weeks": "4"})

    copy = the_copy(open_day)
    assert copy.starts_at == open_day.starts_at + timedelta(weeks=4)
    assert copy.ends_at == open_day.ends_at + timedelta(weeks=4)
    assert copy.signup_deadline == open_day.signup_deadline + timedelta(weeks=4)


def test_a_copy_keeps_the_time_of_day_across_summer_time(employer_a_client, organisation_a):
    # Saturday 20 March 2038, 10:00 in winter time; two weeks later it is summer time.
    start = datetime(2038, 3, 20, 10, 0, tzinfo=AMSTERDAM)
    offer = OfferFactory(organisation=organisation_a, starts_at=start, ends_at=start + timedelta(hours=3))

    employer_a_client.post(copy_url(offer), {"weeks": "2"})

    copy = the_copy(offer)
    assert copy.starts_at == datetime(2038, 4, 3, 10, 0, tzinfo=AMSTERDAM)
    assert copy.ends_at == datetime(2038, 4, 3, 13, 0, tzinfo=AMSTERDAM)


def test_a_place_keeps_its_dates_or_moves_them(employer_a_client, organisation_a):
    place = PlaceOfferFactory(
        organisation=organisation_a,
        valid_until=timezone.localdate() + timedelta(days=20),
        min_education_level=EducationLevel.MBO2,
    )

    employer_a_client.post(copy_url(place), {"weeks": ""})
    kept = the_copy(place)
    employer_a_client.post(copy_url(place), {"weeks": "52"})
    moved = Offer.objects.exclude(pk__in=[place.pk, kept.pk]).get()

    assert (kept.start_date, kept.valid_until) == (place.start_date, place.valid_until)
    assert moved.start_date == place.start_date + timedelta(weeks=52)
    assert moved.valid_until == place.valid_until + timedelta(weeks=52)
    assert (moved.places, moved.hours_min, moved.hours_max, moved.duration_weeks) == (2, 24, 32, 104)
    assert moved.min_education_level == EducationLevel.MBO2


def test_a_closed_offer_can_be_copied(employer_a_client, organisation_a):
    closed = OfferFactory(organisation=organisation_a, status=Offer.Status.CLOSED)

    employer_a_client.post(copy_url(closed), {"weeks": "1"})

    assert the_copy(closed).status == Offer.Status.DRAFT


@pytest.mark.parametrize("weeks", ["5", "-1", "abc", "1000"])
def test_an_unknown_number_of_weeks_copies_nothing(employer_a_client, open_day, weeks):
    response = employer_a_client.post(copy_url(open_day), {"weeks": weeks}, follow=True)

    assert response.status_code == 200
    assert "Kies een van de mogelijkheden voor de datums van de kopie." in response.content.decode()
    assert Offer.objects.count() == 1


def test_copying_is_post_only(employer_a_client, open_day):
    assert employer_a_client.get(copy_url(open_day)).status_code == 405
    assert Offer.objects.count() == 1
