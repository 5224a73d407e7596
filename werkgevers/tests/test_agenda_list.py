"""The public agenda at /agenda/: what is listed, the filters, the order, paging and the query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import Branch
from werkgevers.factories import ContactPersonFactory, LocationFactory, OfferFactory, PlaceOfferFactory
from werkgevers.models import Offer, OfferKind

pytestmark = pytest.mark.django_db

AGENDA = reverse("werkgevers:agenda")


def titles(response) -> list[str]:
    return [offer.title for offer in response.context["page"].object_list]


def in_days(days: float, hour: int = 10):
    moment = timezone.localtime(timezone.now() + timedelta(days=days))
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_anybody_sees_the_agenda_in_dutch(client, db):
    response = client.get(AGENDA)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Agenda" in html
    assert "Plaats of postcode" in html
    assert "Soort activiteit" in html


def test_only_published_or_full_public_dated_activities_to_come_are_listed(client, organisation_a):
    OfferFactory(organisation=organisation_a, title="Open")
    OfferFactory(organisation=organisation_a, title="Vol", status=Offer.Status.FULL, registered_count=5)
    OfferFactory(organisation=organisation_a, title="Concept", status=Offer.Status.DRAFT)
    OfferFactory(organisation=organisation_a, title="Gesloten", status=Offer.Status.CLOSED)
    OfferFactory(organisation=organisation_a, title="Verlopen", status=Offer.Status.EXPIRED)
    OfferFactory(organisation=organisation_a, title="Intern", visibility=Offer.Visibility.COORDINATORS)
    OfferFactory(
        organisation=organisation_a,
        title="Voorbij",
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    PlaceOfferFactory(organisation=organisation_a, title="BBL-plek")

    response = client.get(AGENDA)

    assert sorted(titles(response)) == ["Open", "Vol"]


def test_each_activity_shows_title_kind_employer_place_time_and_places_left(client, organisation_a):
    OfferFactory(
        organisation=organisation_a,
        title="Open huis De Linde",
        kind=OfferKind.OPEN_HUIS,
        location=organisation_a.locations.get(),
        starts_at=in_days(10, hour=14),
        ends_at=in_days(10, hour=16),
        capacity=12,
        registered_count=4,
    )
    OfferFactory(organisation=organisation_a, title="Vol huis", capacity=3, registered_count=3)

    html = client.get(AGENDA).content.decode()

    assert "Open huis De Linde" in html
    assert "Open huis" in html
    assert "Zorggroep Noord" in html
    assert "Groningen" in html
    assert "14:00" in html and "16:00" in html
    assert "Nog 8 plaatsen vrij" in html
    assert "Vol — wachtlijst" in html
    assert reverse("werkgevers:activity", args=[Offer.objects.get(title="Open huis De Linde").pk]) in html


def test_soonest_first(client, organisation_a):
    OfferFactory(organisation=organisation_a, title="Later", starts_at=in_days(20))
    OfferFactory(organisation=organisation_a, title="Eerst", starts_at=in_days(2))
    OfferFactory(organisation=organisation_a, title="Midden", starts_at=in_days(9))

    assert titles(client.get(AGENDA)) == ["Eerst", "Midden", "Later"]


def test_filter_by_region(client, organisation_a, organisation_b, region_b):
    OfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="Noord")
    OfferFactory(organisation=organisation_b, location=organisation_b.locations.get(), title="Utrecht")

    assert titles(client.get(AGENDA, {"region": region_b.pk})) == ["Utrecht"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Groningen", ["Groningen"]),
        ("grON", ["Groningen"]),
        ("3511", ["Utrecht"]),
        ("3511 AA", ["Utrecht"]),
        ("9999", []),
    ],
)
def test_filter_by_place_or_postcode(client, organisation_a, organisation_b, typed, found):
    OfferFactory(organisation=organisation_a, location=organisation_a.locations.get(), title="Groningen")
    OfferFactory(organisation=organisation_b, location=organisation_b.locations.get(), title="Utrecht")

    assert titles(client.get(AGENDA, {"place": typed})) == found


def test_filter_by_branch_and_kind(client, organisation_a):
    ggz = Branch.objects.get(slug="ggz")
    OfferFactory(organisation=organisation_a, title="GGZ speeddate", branch=ggz, kind=OfferKind.SPEEDDATE)
    OfferFactory(organisation=organisation_a, title="GGZ meeloopdag", branch=ggz)
    OfferFactory(organisation=organisation_a, title="VVT speeddate", kind=OfferKind.SPEEDDATE)

    assert sorted(titles(client.get(AGENDA, {"branch": ggz.pk}))) == ["GGZ meeloopdag", "GGZ speeddate"]
    assert sorted(titles(client.get(AGENDA, {"kind": OfferKind.SPEEDDATE}))) == ["GGZ speeddate", "VVT speeddate"]
    assert titles(client.get(AGENDA, {"kind": OfferKind.SPEEDDATE, "branch": ggz.pk})) == ["GGZ speeddate"]


def test_the_kind_filter_offers_only_the_four_dated_kinds(client, db):
    form = client.get(AGENDA).context["filter"].form

    kinds = [value for value, _label in form.fields["kind"].choices if value]
    assert sorted(kinds) == sorted(["meeloopdag", "open_huis", "speeddate", "informatiebijeenkomst"])


def test_filter_by_dates_including_the_last_day(client, organisation_a):
    OfferFactory(organisation=organisation_a, title="Dag 3", starts_at=in_days(3, hour=9))
    OfferFactory(organisation=organisation_a, title="Dag 5 avond", starts_at=in_days(5, hour=23))
    OfferFactory(organisation=organisation_a, title="Dag 8", starts_at=in_days(8))
    day = lambda days: in_days(days).date().isoformat()  # noqa: E731

    assert titles(client.get(AGENDA, {"date_from": day(4), "date_to": day(5)})) == ["Dag 5 avond"]
    assert titles(client.get(AGENDA, {"date_from": day(4)})) == ["Dag 5 avond", "Dag 8"]
    assert titles(client.get(AGENDA, {"date_to": day(3)})) == ["Dag 3"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "gisteren"}, "date_from", "Vul een datum in"),
        ({"date_from": "2026-13-45"}, "date_from", "Vul een datum in"),
        ({"date_from": "2027-02-10", "date_to": "2027-02-01"}, "date_to", "op of na de 'vanaf'-datum"),
        ({"kind": "vacature"}, "kind", "Kies een van de mogelijkheden"),
        ({"kind": "<script>alert(1)</script>"}, "kind", "Kies een van de mogelijkheden"),
        ({"region": "99999"}, "region", "Kies een van de mogelijkheden"),
        ({"branch": "abc"}, "branch", "Kies een van de mogelijkheden"),
        ({"place": "x" * 10_000}, "place", "100"),
    ],
)
def test_bad_filters_give_a_dutch_error_at_the_field_and_no_500(client, organisation_a, params, field, message):
    OfferFactory(organisation=organisation_a, title="Blijft zichtbaar")

    response = client.get(AGENDA, params)

    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert message in " ".join(errors[field])
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_paging_keeps_the_filters(client, organisation_a):
    for number in range(25):
        OfferFactory(organisation=organisation_a, title=f"Activiteit {number:02d}", starts_at=in_days(1 + number))

    first = client.get(AGENDA, {"kind": OfferKind.MEELOOPDAG})
    second = client.get(AGENDA, {"kind": OfferKind.MEELOOPDAG, "page": 2})

    assert len(titles(first)) == 20
    assert titles(second) == [f"Activiteit {number:02d}" for number in range(20, 25)]
    assert "kind=meeloopdag&amp;page=2" in first.content.decode()
    assert "25 activiteiten" in first.content.decode()


def bulk_offers(count: int, organisation) -> None:
    location = LocationFactory(organisation=organisation, place="Assen", postcode="9401 AA")
    contact = ContactPersonFactory(organisation=organisation)
    start = timezone.now() + timedelta(days=3)
    offers = OfferFactory.build_batch(
        count, organisation=organisation, location=location, contact_person=contact, starts_at=start, ends_at=None
    )
    for number, offer in enumerate(offers):
        offer.starts_at = start + timedelta(hours=number)
        offer.kind = [OfferKind.MEELOOPDAG, OfferKind.OPEN_HUIS, OfferKind.SPEEDDATE][number % 3]
    Offer.objects.bulk_create(offers)


# The agenda, for anyone, filtered or not:
#  1. SAVEPOINT (ATOMIC_REQUESTS; BEGIN on a real request)
#  2. COUNT of the activities (paginator)
#  3. the 20 activities of the page with their organisation, location and branch (select_related)
#  4. the regions for the region filter
#  5. the branches for the branch filter
#  6. RELEASE SAVEPOINT
# No session or user query: an anonymous visitor has no session yet.
AGENDA_QUERIES = 6


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("params", [{}, {"kind": "open_huis", "place": "Assen", "page": "2"}])
def test_the_agenda_runs_a_fixed_number_of_queries(client, organisation_a, count, params, django_assert_num_queries):
    bulk_offers(count, organisation_a)

    with django_assert_num_queries(AGENDA_QUERIES):
        response = client.get(AGENDA, params)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == (count if not params else len(range(1, count, 3)))
