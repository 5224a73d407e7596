"""An employer chooses a kind, then fills in the fields of that kind; the offer is saved as a draft."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactpunt.models import Branch, EducationLevel, Function
from werkgevers import offers as services
from werkgevers.factories import ContactPersonFactory, LocationFactory
from werkgevers.models import DATED_KINDS, PLACE_KINDS, VACANCY_KINDS, ContractType, Offer, OfferKind

from .offers_helpers import form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("werkgevers:offer_create")


def test_without_a_kind_the_employer_chooses_one(employer_a_client):
    response = employer_a_client.get(CREATE)

    assert response.status_code == 200
    assert "Wat wil je aanbieden?" in response.content.decode()
    for kind in OfferKind:
        assert f"?soort={kind.value}" in response.content.decode()


@pytest.mark.parametrize("kind", ["onbekend", "", "MEELOOPDAG", "<script>", "bbl_plek'"])
def test_an_unknown_kind_shows_the_choice_page(employer_a_client, kind):
    get = employer_a_client.get(CREATE, {"soort": kind})
    post = employer_a_client.post(f"{CREATE}?soort={kind}", {"title": "x"})

    assert get.status_code == post.status_code == 200
    assert get.templates[0].name == post.templates[0].name == "werkgevers/offers/choose_kind.html"
    assert not Offer.objects.exists()


@pytest.mark.parametrize("kind", OfferKind.values)
def test_every_kind_can_be_created(employer_a_client, employer_a, organisation_a, kind):
    response = employer_a_client.post(f"{CREATE}?soort={kind}", form_data(kind, organisation_a))

    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("werkgevers:offer_detail", args=[offer.pk])
    assert offer.kind == kind
    assert offer.organisation == organisation_a
    assert offer.status == Offer.Status.DRAFT
    assert offer.created_by == employer_a
    assert offer.title == "Kijkje in de ouderenzorg"
    assert set(offer.functions.values_list("slug", flat=True)) == {"vig", "helpende"}
    assert not offer.target_groups.exists()
    page = employer_a_client.get(response.url).content.decode()
    assert "Het aanbod is bewaard als concept" in page


def test_a_dated_activity_keeps_its_dates_and_places(employer_a_client, organisation_a):
    data = form_data(OfferKind.OPEN_HUIS, organisation_a)
    employer_a_client.post(f"{CREATE}?soort=open_huis", data)

    offer = Offer.objects.get()
    assert timezone.localtime(offer.starts_at).strftime("%Y-%m-%dT%H:%M") == data["starts_at"]
    assert offer.ends_at - offer.starts_at == timedelta(hours=4)
    assert offer.capacity == 8
    assert offer.signup_deadline < offer.starts_at
    assert offer.places is None and offer.contract_type == "" and offer.valid_until is None


def test_a_bbl_place_keeps_its_place_fields(employer_a_client, organisation_a):
    employer_a_client.post(f"{CREATE}?soort=bbl_plek", form_data(OfferKind.BBL_PLEK, organisation_a))

    offer = Offer.objects.get()
    assert (offer.places, offer.hours_min, offer.hours_max, offer.duration_weeks) == (2, 24, 32, 104)
    assert offer.min_education_level == EducationLevel.MBO2
    assert offer.trains_towards_level == EducationLevel.MBO3
    assert offer.diploma_requirements == "VOG nodig."
    assert offer.starts_at is None and offer.capacity is None


def test_an_internship_does_not_train_towards_a_level(employer_a_client, organisation_a):
    response = employer_a_client.get(CREATE, {"soort": "stageplek"})
    employer_a_client.post(f"{CREATE}?soort=stageplek", form_data(OfferKind.STAGEPLEK, organisation_a))

    assert "trains_towards_level" not in response.context["form"].fields
    assert Offer.objects.get().trains_towards_level is None


def test_a_vacancy_ignores_fields_of_other_kinds(employer_a_client, organisation_a):
    data = form_data(OfferKind.VACATURE, organisation_a, capacity="40", places="3", starts_at="2030-01-01T10:00")
    employer_a_client.post(f"{CREATE}?soort=vacature", data)

    offer = Offer.objects.get()
    assert offer.contract_type == ContractType.PERMANENT
    assert (offer.hours_min, offer.hours_max) == (24, 32)
    assert offer.capacity is None and offer.places is None and offer.starts_at is None


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        ("meeloopdag", {"starts_at", "ends_at", "capacity", "signup_deadline"}, {"places", "contract_type"}),
        ("bbl_plek", {"places", "start_date", "hours_min", "trains_towards_level"}, {"starts_at", "contract_type"}),
        ("vacature", {"hours_min", "hours_max", "contract_type", "valid_until"}, {"starts_at", "places"}),
    ],
)
def test_the_kind_decides_which_fields_show(employer_a_client, kind, shown, hidden):
    response = employer_a_client.get(CREATE, {"soort": kind})

    fields = set(response.context["form"].fields)
    assert shown <= fields
    assert not hidden & fields
    assert {"title", "description", "branch", "functions", "target_groups", "location", "contact_person"} <= fields
    assert {"visibility", "max_introductions_per_week"} <= fields


def test_the_form_only_lists_the_organisations_own_active_locations_and_contacts(
    employer_a_client, organisation_a, organisation_b
):
    LocationFactory(organisation=organisation_a, name="Oud pand", active=False)
    ContactPersonFactory(organisation=organisation_a, name="Vertrokken Collega", active=False)
    ContactPersonFactory(organisation=organisation_a, name="Petra de Vries")
    ContactPersonFactory(organisation=organisation_b, name="Utrechtse Collega")

    page = employer_a_client.get(CREATE, {"soort": "meeloopdag"}).content.decode()

    assert "De Linde" in page and "Petra de Vries" in page
    assert "Oud pand" not in page and "Vertrokken Collega" not in page
    assert "Het Baken" not in page and "Utrechtse Collega" not in page


def test_without_a_contact_person_the_page_says_what_to_add_first(employer_a_client):
    page = employer_a_client.get(CREATE, {"soort": "meeloopdag"}).content.decode()

    assert "Een aanbod heeft een locatie en een contactpersoon" in page


@pytest.mark.parametrize("kind", sorted(DATED_KINDS | PLACE_KINDS | VACANCY_KINDS))
def test_the_service_clears_fields_that_do_not_belong_to_the_kind(employer_a, organisation_a, kind):
    form_data(OfferKind.MEELOOPDAG, organisation_a)  # adds a contact person
    details = {
        "title": "Alles ingevuld",
        "description": "Test",
        "branch": Branch.objects.get(slug="vvt"),
        "location": organisation_a.locations.get(),
        "contact_person": organisation_a.contact_people.get(),
        "visibility": "public",
        "starts_at": timezone.now() + timedelta(days=3),
        "ends_at": timezone.now() + timedelta(days=3, hours=2),
        "capacity": 5,
        "places": 4,
        "hours_min": 10,
        "contract_type": ContractType.TEMPORARY,
        "trains_towards_level": EducationLevel.MBO4,
        "functions": Function.objects.filter(slug="vig"),
    }
    offer = services.offer_create(organisation=organisation_a, kind=kind, details=details, actor=employer_a)

    offer.refresh_from_db()
    kept = set(services.fields_for_kind(kind))
    for name in ("starts_at", "ends_at", "capacity", "places", "hours_min", "contract_type", "trains_towards_level"):
        assert (getattr(offer, name) not in (None, "")) == (name in kept), name
    assert list(offer.functions.values_list("slug", flat=True)) == ["vig"]


def test_the_service_refuses_a_location_of_another_organisation(employer_a, organisation_a, organisation_b):
    details = {
        "title": "x",
        "description": "x",
        "branch": Branch.objects.get(slug="vvt"),
        "location": organisation_b.locations.get(),
        "contact_person": None,
    }
    with pytest.raises(ValueError, match="another organisation"):
        services.offer_create(organisation=organisation_a, kind="meeloopdag", details=details, actor=employer_a)
