"""Editing a candidate's details: changes reach the timeline; a new postcode can move the candidate."""

import pytest
from django.urls import reverse

from contactpunt.models import Branch, NextStep
from kandidaten.factories import CandidateFactory
from kandidaten.models import TimelineEvent

pytestmark = pytest.mark.django_db


def url(candidate) -> str:
    return reverse("kandidaten:candidate_edit", args=[candidate.pk])


@pytest.fixture
def anna(region_a):
    candidate = CandidateFactory(
        region=region_a,
        first_name="Anna",
        last_name="Jansen",
        email="anna@example.org",
        phone="+31612345678",
        postcode="9711 AB",
        place="Groningen",
    )
    candidate.branches.add(Branch.objects.get(slug="vvt"))
    return candidate


def form_data(candidate, **changes) -> dict:
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "postcode": candidate.postcode,
        "place": candidate.place,
        "situation": candidate.situation,
        "education_level": candidate.education_level,
        "diplomas": candidate.diplomas,
        "hours_per_week": candidate.hours_per_week or "",
        "max_travel_km": candidate.max_travel_km,
        "support_needs": candidate.support_needs,
        "source": candidate.source,
        "message": candidate.message,
        "branches": [branch.pk for branch in candidate.branches.all()],
        "functions": [],
        "next_steps": [],
        "target_groups": [],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_the_form_shows_the_current_details(client_a, anna):
    response = client_a.get(url(anna))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Anna"' in page
    assert 'value="06 12345678"' in page
    assert 'value="9711 AB"' in page
    assert "Gegevens van Anna Jansen wijzigen" in page


def test_saving_changes_records_them_in_the_timeline(client_a, anna, coordinator_a):
    meeloopdag = NextStep.objects.get(slug="meeloopdag")

    response = client_a.post(
        url(anna),
        form_data(anna, phone="06 87654321", place="Haren", next_steps=[meeloopdag.pk], hours_per_week=20),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("kandidaten:candidate", args=[anna.pk])
    page = response.content.decode()
    assert "De gegevens van Anna Jansen zijn opgeslagen." in page
    anna.refresh_from_db()
    assert anna.phone == "+31687654321"
    assert anna.place == "Haren"
    assert anna.hours_per_week == 20
    assert list(anna.next_steps.all()) == [meeloopdag]
    event = anna.timeline.get(kind=TimelineEvent.Kind.EDIT)
    assert event.actor == coordinator_a
    assert set(event.data["changed"]) == {"phone", "place", "hours_per_week", "next_steps"}
    assert "Gegevens gewijzigd" in page
    assert "Telefoonnummer, Woonplaats, Uren per week, Gewenste vervolgstappen" in page


def test_a_new_e_mail_address_gets_a_new_key(client_a, anna):
    client_a.post(url(anna), form_data(anna, email="Anna.Jansen+werk@Gmail.com"))

    anna.refresh_from_db()
    assert anna.email == "anna.jansen+werk@gmail.com"
    assert anna.email_key == "annajansen@gmail.com"


def test_saving_without_changes_says_so(client_a, anna):
    response = client_a.post(url(anna), form_data(anna), follow=True)

    assert "Er is niets gewijzigd." in response.content.decode()
    assert not anna.timeline.filter(kind=TimelineEvent.Kind.EDIT).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "12345", "Vul een Nederlandse postcode in"),
        ("phone", "bel me maar", "Vul een geldig telefoonnummer in"),
        ("email", "anna@", "Voer een geldig e-mailadres in"),
        ("first_name", "", "Dit veld is verplicht"),
        ("first_name", "<script>alert(1)</script>", "Laat HTML of code weg"),
        ("hours_per_week", "99", "60"),
        ("situation", "astronaut", "Kies een van de mogelijkheden uit de lijst."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_changes(client_a, anna, field, value, message):
    response = client_a.post(url(anna), form_data(anna, **{field: value, "place": "Haren"}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert 'value="Haren"' in response.content.decode()  # what was typed stays
    anna.refresh_from_db()
    assert anna.place == "Groningen"
    assert not anna.timeline.filter(kind=TimelineEvent.Kind.EDIT).exists()


def test_moving_to_a_region_the_coordinator_does_not_serve(client_a, anna, region_b):
    response = client_a.post(url(anna), form_data(anna, postcode="3511 AB", place="Utrecht"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("kandidaten:inbox")
    assert "Opgeslagen. Anna Jansen valt nu onder Utrecht, dus je ziet deze kandidaat niet meer." in (
        response.content.decode()
    )
    anna.refresh_from_db()
    assert anna.region == region_b
    routing = anna.timeline.get(kind=TimelineEvent.Kind.ROUTING)
    assert routing.data["from"] == "Noord-Nederland"
    assert routing.data["to"] == "Utrecht"
    assert client_a.get(reverse("kandidaten:candidate", args=[anna.pk])).status_code == 404


def test_moving_to_no_region_at_all(client_a, anna):
    response = client_a.post(url(anna), form_data(anna, postcode="1011 AB", place="Amsterdam"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("kandidaten:inbox")
    assert "valt nu onder de landelijke wachtrij" in response.content.decode()
    anna.refresh_from_db()
    assert anna.region is None


def test_an_administrator_moving_a_candidate_stays_on_the_page(administrator_client, anna, region_b):
    response = administrator_client.post(url(anna), form_data(anna, postcode="3511 AB", place="Utrecht"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("kandidaten:candidate", args=[anna.pk])
    assert "Regio gewijzigd: Noord-Nederland → Utrecht" in response.content.decode()
